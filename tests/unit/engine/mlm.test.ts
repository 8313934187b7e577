import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/infer';
import type { Session } from '../../../src/engine/session';
import { buildMlm, MASK_MARK } from '../../../src/engine/tasks/mlm';
import { isContentWord } from '../../../src/engine/tasks/mlm-words';
import { Rng } from '../../../src/engine/random';
import { MASK, SPECIALS, wordTokens } from '../../../src/engine/tasks/vocab';
import { tf } from './tf';

const PT = 'A atenção permite que o modelo olhe para todas as palavras da frase, de uma vez. ' +
  'Cada palavra pergunta às outras o quanto elas importam (e quanto). O modelo aprende a olhar para as palavras certas: ' +
  'esta é a abordagem que consideramos aqui, com 2 camadas e 4 cabeças!';

describe('content words', () => {
  it('never punctuation, symbols or numbers', () => {
    for (const t of [',', '.', '(', ')', ':', '—', '«', '»', '“', '。', '、', '：', '؟', '2015', '3', '+', '%']) {
      for (const locale of ['en', 'pt-BR', 'zh-CN', 'ja', 'ar', 'xx']) expect(isContentWord(t, locale)).toBe(false);
    }
  });

  it('not the function words of each language, but its nouns, verbs and adjectives', () => {
    const cases: Array<[string, string[], string[]]> = [
      ['en', ['the', 'of', 'a', 'and', 'is', 'we', 'this'], ['attention', 'approach', 'sequence', 'learns']],
      ['pt-BR', ['de', 'o', 'a', 'que', 'em', 'uma', 'é', 'para'], ['atenção', 'abordagem', 'consideramos', 'sequência']],
      ['es', ['de', 'la', 'el', 'que', 'en', 'los'], ['atención', 'enfoque', 'secuencia']],
      ['fr', ['de', 'la', 'les', 'à', 'et', 'c’est'], ['attention', 'l’approche', 'séquence']],
      ['de', ['der', 'die', 'mit', 'und', 'das'], ['aufmerksamkeit', 'ansatz', 'sequenz']],
      ['ar', ['في', 'من', 'على', 'إلى'], ['الانتباه', 'النهج']],
      ['zh-CN', ['的', '是', '在', '了'], ['注意力', '方法', '序列']],
      // Japanese: hiragana-only tokens are particles and endings; kanji, katakana and Latin words are content.
      ['ja', ['の', 'を', 'ます', 'した', 'ン'], ['注意', '方法', 'モデル', 'transformer']],
    ];
    for (const [locale, fn, content] of cases) {
      for (const w of fn) expect(isContentWord(w, locale), `${locale} ${w}`).toBe(false);
      for (const w of content) expect(isContentWord(w, locale), `${locale} ${w}`).toBe(true);
    }
  });

  it('every word with a letter, in a language without a list', () => {
    expect(isContentWord('il', 'it')).toBe(true);
    expect(isContentWord('.', 'it')).toBe(false);
  });
});

describe('masked-word task', () => {
  const task = buildMlm({ task: 'mlm', locale: 'pt-BR', text: PT, window: 12, maskRate: 0.5 }, 1);
  const stream = wordTokens(PT, 'pt-BR');
  const isContent = (id: number) => isContentWord(task.src.tokens[id]!, 'pt-BR');

  it('hides content words only, as [MASK], and asks for the original word there', () => {
    const rng = new Rng(7);
    for (let k = 0; k < 20; k++) {
      const b = task.batch(rng, 16);
      for (let i = 0; i < b.B * b.Ts; i++) {
        if (b.weights![i]) {
          expect(b.src[i]).toBe(MASK);
          expect(isContent(b.tgtOut![i]!)).toBe(true);
        } else {
          expect(b.src[i]).toBe(b.tgtOut![i]);
        }
      }
    }
  });

  it('hides each content word with probability maskRate, at least one per window', () => {
    const rng = new Rng(3);
    let content = 0, hidden = 0;
    for (let k = 0; k < 50; k++) {
      const b = task.batch(rng, 32);
      for (let r = 0; r < b.B; r++) {
        let inRow = 0;
        for (let j = 0; j < b.Ts; j++) {
          const i = r * b.Ts + j;
          if (isContent(b.tgtOut![i]!)) content++;
          if (b.weights![i]) (hidden++, inRow++);
        }
        expect(inRow).toBeGreaterThan(0);
      }
    }
    // 0.5, plus the windows where the draw hid none and one was hidden anyway.
    expect(hidden / content).toBeGreaterThan(0.48);
    expect(hidden / content).toBeLessThan(0.56);
  });

  it('scores content words hidden one at a time in windows of the text, spread over it', () => {
    expect(task.heldOut.length).toBe(stream.filter((w) => isContentWord(w, 'pt-BR')).length);
    const seen = new Set<string>();
    for (const e of task.heldOut) {
      const at = e.tokens.indexOf(SPECIALS[MASK]!);
      expect(e.tokens.filter((t) => t === SPECIALS[MASK]).length).toBe(1);
      expect(e.target).toHaveLength(1);
      expect(isContentWord(e.target[0]!, 'pt-BR')).toBe(true);
      expect(e.text.split(' ')[at]).toBe(MASK_MARK);
      // The window is the text's own, word for word.
      const words = e.tokens.map((t, j) => (j === at ? e.target[0]! : t));
      const start = stream.findIndex((_, s) => words.every((w, j) => stream[s + j] === w));
      expect(start).toBeGreaterThanOrEqual(0);
      seen.add(`${start + at}`);
    }
    // Fewer content words than scored examples: each is scored once.
    expect(seen.size).toBe(task.heldOut.length);
  });

  it('scores at most `scored` examples, picked evenly over a longer text', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Frase número ${i} fala de atenção, modelos e palavras.`).join(' ');
    const t = buildMlm({ task: 'mlm', locale: 'pt-BR', text: long, scored: 20 }, 1);
    expect(t.heldOut).toHaveLength(20);
    const firstHalf = t.heldOut.filter((e) => Number(e.tokens.find((w) => /^\d+$/.test(w)) ?? 99) < 20).length;
    expect(firstHalf).toBeGreaterThanOrEqual(8);
    expect(firstHalf).toBeLessThanOrEqual(12);
  });

  it('refuses a text without a content word', () => {
    expect(() => buildMlm({ task: 'mlm', locale: 'pt-BR', text: 'de o a , . que' }, 1)).toThrow();
  });
});

describe('masked-word score', () => {
  /** A stand-in model whose top guess at every position is `guess(row, position)`. */
  function fakeSession(guess: (row: number, j: number) => number) {
    const task = buildMlm({ task: 'mlm', locale: 'pt-BR', text: PT, window: 12 }, 1);
    const V = task.src.size;
    const model = {
      kind: 'tagger',
      forward: (_: unknown, b: { src: tf.Tensor2D }) => {
        const [B, T] = b.src.shape;
        const logits = new Float32Array(B * T * V);
        for (let r = 0; r < B; r++) for (let j = 0; j < T; j++) logits[(r * T + j) * V + guess(r, j)] = 5;
        return { logits: tf.tensor3d(logits, [B, T, V]), attention: {} };
      },
    };
    return { task, session: { task, model, params: () => ({}) } as unknown as Session };
  }

  it('counts a hidden word right when the top guess is that word', async () => {
    const { task, session } = fakeSession(() => 0);
    const answers = task.heldOut.map((e) => task.src.id(e.target[0]!));
    const right = fakeSession((r) => (r % 2 === 0 ? answers[r]! : 0)).session;
    const half = await evaluate(right, 100);
    expect(half.examples).toBe(task.heldOut.length);
    expect(half.exactMatch).toBeCloseTo(Math.ceil(task.heldOut.length / 2) / task.heldOut.length);
    expect(half.tokenAccuracy).toBeCloseTo(half.exactMatch);
    expect((await evaluate(session, 100)).exactMatch).toBe(0);
    expect((await evaluate(fakeSession((r) => answers[r]!).session, 100)).exactMatch).toBe(1);
  });

  it('looks only at the hidden position', async () => {
    const { task } = fakeSession(() => 0);
    const at = task.heldOut.map((e) => e.tokens.indexOf(SPECIALS[MASK]!));
    const answers = task.heldOut.map((e) => task.src.id(e.target[0]!));
    // Right at the mask, wrong everywhere else: all right.
    const s = fakeSession((r, j) => (j === at[r] ? answers[r]! : 1)).session;
    expect((await evaluate(s, 100)).exactMatch).toBe(1);
  });
});
