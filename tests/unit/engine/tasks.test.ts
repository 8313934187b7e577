import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PronounTemplates } from '../../../src/engine/data';
import type { Task } from '../../../src/engine/tasks/types';
import { UNK } from '../../../src/engine/tasks/vocab';
import { decode, evaluate, predict } from '../../../src/engine/infer';
import { Session } from '../../../src/engine/session';
import { buildTask } from '../../../src/engine/tasks';
import './tf';

/** Each toy task learns within a fixed step budget (cpu backend, seeded: the numbers are stable). */
// Training to a score on the cpu backend is CPU-bound: on a loaded 2-core machine the slowest takes
// ~2 min (it takes ~40 s alone). A time limit is no assertion here, so it is generous.
describe('toy tasks learn', { timeout: 360_000 }, () => {
  it('dates (pt-BR, words+digits): >= 95% exact match after 200 steps', async () => {
    const s = new Session({ task: { task: 'dates', locale: 'pt-BR', tokenizer: 'word' }, seed: 1, train: { batchSize: 32, learningRate: 5e-3 } });
    s.fit(200);
    const ev = await evaluate(s, 100);
    expect(ev.exactMatch).toBeGreaterThanOrEqual(0.95);
    const [r] = await decode(s, ['27 de novembro de 2026']);
    expect(r!.output).toBe('2026-11-27');
    // Cross-attention of every step: one row per output token (+ EOS), one column per input token.
    const cross = r!.attention.find((a) => a.name === 'dec0.cross')!;
    expect([cross.heads, cross.rows, cross.cols]).toEqual([2, 11, r!.inputTokens.length]);
    s.dispose();
  });

  it('reversal: >= 99% token accuracy after 250 steps', async () => {
    const s = new Session({ task: { task: 'reversal', minLength: 3, maxLength: 6, symbols: 6 }, seed: 1, train: { batchSize: 32, learningRate: 8e-3 } });
    s.fit(250);
    const ev = await evaluate(s, 100);
    expect(ev.tokenAccuracy).toBeGreaterThanOrEqual(0.99);
    s.dispose();
  });

  it('pronoun (en): the referent is right on >= 95% of held-out sentences after 150 steps', async () => {
    const s = new Session({ task: { task: 'pronoun', locale: 'en' }, seed: 1, train: { batchSize: 32, learningRate: 3e-3 } });
    s.fit(150);
    expect((await evaluate(s, 100)).exactMatch).toBeGreaterThanOrEqual(0.95);
    const [r] = await predict(s, ["The animal didn't cross the street because it was too wide."]);
    expect(r!.predictions[0]!.top[0]!.token).toBe('street');
    const enc1 = r!.attention.find((a) => a.name === 'enc1')!;
    expect([enc1.heads, enc1.rows, enc1.cols]).toEqual([2, r!.tokens.length, r!.tokens.length]);
    s.dispose();
  });

  it('classifier (pt-BR): fits its training sentences in 100 steps; evaluation gives a confusion matrix', async () => {
    const s = new Session({ task: { task: 'classify', locale: 'pt-BR' }, seed: 1, train: { batchSize: 32 } });
    const { losses, accuracies } = s.fit(100);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    expect(accuracies.at(-1)!).toBeGreaterThanOrEqual(0.95);
    const ev = await evaluate(s);
    expect(ev.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(ev.examples);
    expect(ev.classes).toEqual(['esporte', 'tempo', 'comida', 'tecnologia']);
    s.dispose();
  });

  it('masked LM: learns the content words of its text (>= 50% of them hidden one at a time), predictions for each [MASK]', async () => {
    const text = 'A atenção permite que o modelo olhe para todas as palavras da frase. ' +
      'Cada palavra pergunta às outras o quanto elas importam. O modelo aprende a olhar para as palavras certas. ' +
      'Esta é a abordagem que consideramos aqui.';
    const s = new Session({ task: { task: 'mlm', locale: 'pt-BR', text, window: 8 }, model: { layers: 1 }, seed: 1, train: { batchSize: 32, learningRate: 1e-2 } });
    const before = (await evaluate(s)).exactMatch;
    s.fit(150);
    const ev = await evaluate(s);
    expect(ev.examples).toBe(s.task.heldOut.length);
    expect(ev.exactMatch).toBeGreaterThanOrEqual(0.5);
    expect(ev.exactMatch).toBeGreaterThan(before);
    const [probe] = await predict(s, ['Esta é a [MASK] que consideramos aqui.']);
    expect(probe!.predictions[0]!.top[0]!.token).toBe('abordagem');
    const [r] = await predict(s, ['o modelo [MASK] para as [MASK]']);
    expect(r!.predictions.map((p) => p.position)).toEqual([2, 5]);
    expect(r!.predictions[0]!.top).toHaveLength(5);
    s.dispose();
  });

  it('additive attention: α rows sum to 1 and the loss falls', async () => {
    const s = new Session({ task: { task: 'reversal', maxLength: 5 }, model: { kind: 'additive' }, seed: 1, train: { batchSize: 16, learningRate: 1e-2 } });
    const { losses } = s.fit(40);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    const [r] = await decode(s, ['a b c d']);
    const alpha = r!.attention.find((a) => a.name === 'additive')!;
    expect(alpha.cols).toBe(4);
    for (let i = 0; i < alpha.rows; i++) {
      const row = alpha.data.subarray(i * alpha.cols, (i + 1) * alpha.cols);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    }
    s.dispose();
  });
});

describe('date tokenisation works in any locale', () => {
  for (const locale of ['en', 'pt-BR', 'zh-CN', 'ja', 'ar', 'de']) {
    it(locale, () => {
      for (const tokenizer of ['char', 'word'] as const) {
        const t = buildTask({ task: 'dates', locale, tokenizer }, 1);
        const e = t.heldOut[0]!;
        expect(e.tokens.length).toBeLessThanOrEqual(t.Ts);
        expect(t.src.ids(e.tokens)).not.toContain(3); // no <unk>
        expect(e.target.join('')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });
  }
});

/**
 * Every locale's pronoun sentences fit the task's length and vocabulary. Word segmenters (ja,
 * zh) split an agent, place or adjective into several tokens, so a sentence's length and tokens
 * depend on the whole combination, not on the first agent and place.
 */
describe('pronoun task, every locale', () => {
  const files = readdirSync('content').filter((l) => existsSync(`content/${l}/data/pronouns.json`));
  it.each(files)('%s: held-out sentences fit the positions and use known tokens', (locale) => {
    const templates = JSON.parse(readFileSync(`content/${locale}/data/pronouns.json`, 'utf8')) as PronounTemplates;
    const task = buildTask({ task: 'pronoun', locale, templates }, 1) as Task;
    for (const e of [...task.heldOut, task.probe]) {
      expect(e.tokens.length, e.text).toBeLessThanOrEqual(task.Ts);
      expect(task.src.ids(e.tokens), e.text).not.toContain(UNK);
    }
  });
});
