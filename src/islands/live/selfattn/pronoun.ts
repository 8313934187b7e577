/**
 * The pure half of the self-attention island: sentences to offer from the locale's pronoun
 * templates (content/<tag>/data/pronouns.json) and one query token's attention row per head.
 * Unit-tested in tests/unit/islands-more-selfattn.test.ts.
 */
import type { AttentionMatrix, PronounTemplates } from '../../../worker/protocol';

export interface PronounExample {
  text: string;
  /** The noun the pronoun refers to: the agent with an agent adjective, the place otherwise. */
  referent: string;
}

/**
 * `n` sentences, alternating "the agent is …" and "the place is …" readings and walking through
 * templates, nouns and adjectives, so the list shows both answers and several wordings.
 */
export function exampleSentences(t: PronounTemplates, n = 6): PronounExample[] {
  const out: PronounExample[] = [];
  for (let i = 0; i < n && t.templates.length; i++) {
    const toAgent = i % 2 === 0;
    const k = Math.floor(i / 2);
    const agent = t.agents[k % t.agents.length]!;
    const place = t.places[k % t.places.length]!;
    const adjs = toAgent ? t.agentAdjectives : t.placeAdjectives;
    const text = t.templates[k % t.templates.length]!
      .replace('{agent}', agent)
      .replace('{place}', place)
      .replace('{adj}', adjs[k % adjs.length]!);
    out.push({ text, referent: toAgent ? agent : place });
  }
  return out;
}

/**
 * Where every head of one layer looks from the token at `query`: a [heads, cols] row-major
 * block (row h = head h's softmax row, so each row sums to 1).
 */
export function queryRows(m: AttentionMatrix, query: number): Float32Array {
  const q = Math.max(0, Math.min(m.rows - 1, query));
  const out = new Float32Array(m.heads * m.cols); // [heads, cols]
  for (let h = 0; h < m.heads; h++) {
    const from = (h * m.rows + q) * m.cols;
    out.set(m.data.subarray(from, from + m.cols), h * m.cols);
  }
  return out;
}

/** The encoder's self-attention maps in layer order (`enc0`, `enc1`, …). */
export function encoderLayers(maps: AttentionMatrix[]): AttentionMatrix[] {
  return maps
    .filter((m) => /^enc\d+$/.test(m.name))
    .sort((a, b) => Number(a.name.slice(3)) - Number(b.name.slice(3)));
}

/** The column a head looks at most from the query: what the per-head summary names. */
export function argmaxPerHead(rows: Float32Array, heads: number, cols: number): number[] {
  return Array.from({ length: heads }, (_, h) => {
    let best = 0;
    for (let c = 1; c < cols; c++) if (rows[h * cols + c]! > rows[h * cols + best]!) best = c;
    return best;
  });
}
