import { pronounSets, type PronounTemplates } from '../data';
import { EngineError } from '../errors';
import { Rng } from '../random';
import type { Example, RawBatch, Task } from './types';
import { padInto, Vocab, wordTokens } from './vocab';

/**
 * Pronoun resolution ("The animal didn't cross the street because it was too tired / wide").
 * Trained as a tagger: at the pronoun's position the model must output the word the pronoun
 * refers to. Copying the right noun is easiest by attending to it, so the self-attention row of
 * the pronoun shows, head by head, which noun the model picked.
 */
export interface PronounSpec {
  task: 'pronoun';
  locale: string;
  templates?: PronounTemplates;
}

interface PronounExample extends Example {
  pronounAt: number;
}

export function buildPronoun(spec: PronounSpec, seed: number): Task & { pronounAt(tokens: string[]): number } {
  const t = spec.templates ?? pronounSets[spec.locale];
  if (!t || !t.templates.length || !t.agents.length || !t.places.length) {
    throw new EngineError('empty-dataset', { task: 'pronoun' });
  }
  const tokenize = (text: string) => wordTokens(text, t.locale);
  const pronounAt = (tokens: string[]) => tokens.indexOf(t.pronoun);
  // The answer is the noun as one token: its first token where a segmenter splits it (ja, zh).
  const nounToken = (w: string) => tokenize(w)[0] ?? w;
  const make = (template: string, agent: string, place: string, adj: string, toAgent: boolean): PronounExample => {
    const text = template.replace('{agent}', agent).replace('{place}', place).replace('{adj}', adj);
    const tokens = tokenize(text);
    return { text, tokens, target: [nounToken(toAgent ? agent : place)], pronounAt: pronounAt(tokens) };
  };
  const sample = (rng: Rng) => {
    const toAgent = rng.next() < 0.5;
    return make(rng.pick(t.templates), rng.pick(t.agents), rng.pick(t.places),
      rng.pick(toAgent ? t.agentAdjectives : t.placeAdjectives), toAgent);
  };
  // Every sentence the task can write (a few thousand), for its vocabulary and its length: a
  // word segmenter (ja, zh) may split a noun or an adjective differently next to other words, so
  // neither is known from a part of the combinations.
  const words = new Set<string>();
  let Ts = 0;
  for (const tpl of t.templates) {
    for (const a of t.agents) {
      for (const p of t.places) {
        for (const adj of [...t.agentAdjectives, ...t.placeAdjectives]) {
          const { tokens } = make(tpl, a, p, adj, true);
          tokens.forEach((w) => words.add(w));
          Ts = Math.max(Ts, tokens.length);
        }
      }
    }
  }
  Ts += 2;
  const vocab = new Vocab(words, 'pronoun');
  const probe = make(t.templates[0]!, t.agents[0]!, t.places[0]!, t.agentAdjectives[0]!, true);
  if (probe.pronounAt < 0) {
    throw new EngineError('invalid-config', { field: 'pronoun', value: t.pronoun, expected: 'a word of every template' });
  }
  const held = new Rng(seed ^ 0x5eed);
  return {
    name: 'pronoun',
    kinds: ['tagger'],
    // One layer cannot both read the adjective and then pick the noun it implies: two can.
    modelDefaults: { layers: 2 },
    src: vocab,
    tgt: vocab,
    Ts,
    Tt: Ts,
    tokenize,
    pronounAt,
    batch(rng, B): RawBatch {
      const b: RawBatch = {
        B, Ts, Tt: Ts,
        src: new Int32Array(B * Ts), // [B, T]
        tgtOut: new Int32Array(B * Ts), // [B, T] the referent at the pronoun, 0 elsewhere
        weights: new Float32Array(B * Ts), // [B, T] 1 at the pronoun
      };
      for (let i = 0; i < B; i++) {
        const e = sample(rng);
        padInto(b.src, i, Ts, vocab.ids(e.tokens));
        b.tgtOut![i * Ts + e.pronounAt] = vocab.id(e.target[0]!);
        b.weights![i * Ts + e.pronounAt] = 1;
      }
      return b;
    },
    heldOut: Array.from({ length: 100 }, () => sample(held)),
    probe,
  };
}
