import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/errors';
import { decode, evaluate, predict } from '../../../src/engine/infer';
import { uploadBatch, Session, type SessionOptions } from '../../../src/engine/session';
import { Rng } from '../../../src/engine/random';
import { tf } from './tf';

function errorOf(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError');
}

describe('gradients', () => {
  it('match central finite differences on a tiny model', () => {
    for (const kind of ['classifier', 'seq2seq', 'additive'] as const) {
      const opts: SessionOptions =
        kind === 'classifier'
          ? { task: { task: 'classify', locale: 'en' }, model: { kind, dModel: 4, heads: 2, ffn: 6, norm: 'post' } }
          : { task: { task: 'reversal', symbols: 3, minLength: 2, maxLength: 3 }, model: { kind, dModel: 4, heads: 2, ffn: 6, embed: 3, hidden: 4, attention: 3 } };
      const s = new Session({ ...opts, seed: 5, train: { batchSize: 3 } });
      const raw = s.task.batch(new Rng(1), 3);
      const theta0 = s.model.layout.initialise(new Rng(2));
      const lossAt = (theta: tf.Tensor1D) => tf.tidy(() => s.model.loss(s.model.layout.unpack(theta), uploadBatch(raw)).loss);
      const analytic = tf.tidy(() => tf.grad((t: tf.Tensor) => lossAt(t as tf.Tensor1D))(tf.tensor1d(theta0))).dataSync();
      const rng = new Rng(3);
      const h = 1e-2;
      // Sixteen coordinates with a real gradient (many embedding rows are unused; and a zero
      // gradient next to a ReLU kink can legitimately differ from a finite difference).
      const live = rng.shuffle([...analytic.keys()].filter((i) => Math.abs(analytic[i]!) > 1e-4)).slice(0, 16);
      let checked = 0;
      for (const i of live) {
        const plus = theta0.slice();
        const minus = theta0.slice();
        plus[i]! += h;
        minus[i]! -= h;
        const num = tf.tidy(() => (lossAt(tf.tensor1d(plus)).dataSync()[0]! - lossAt(tf.tensor1d(minus)).dataSync()[0]!) / (2 * h));
        expect(Math.abs(num - analytic[i]!), `${kind} θ[${i}] numeric ${num} analytic ${analytic[i]}`).toBeLessThan(2e-3 + 0.05 * Math.abs(num));
        if (Math.abs(analytic[i]!) > 1e-4) checked++;
      }
      expect(checked).toBeGreaterThan(3); // the check compared real, non-zero gradients
      s.dispose();
    }
  });
});

describe('encoder-decoder', () => {
  it('is causal: changing a later decoder input leaves earlier logits unchanged, and changes its own', () => {
    const s = new Session({ task: { task: 'reversal' }, seed: 2, train: { batchSize: 2 } });
    tf.tidy(() => {
      const raw = s.task.batch(new Rng(4), 2);
      const b = uploadBatch(raw);
      const Tt = raw.Tt!;
      const changed = raw.tgtIn!.slice();
      changed[Tt - 1] = 3;
      changed[Tt - 2] = 4;
      const a = s.model.forward(s.params(), b).logits; // [B, Tt, V]
      const c = s.model.forward(s.params(), { ...b, tgtIn: tf.tensor2d(changed, [2, Tt], 'int32') }).logits;
      const V = a.shape[2]!;
      const early = (t: tf.Tensor) => tf.slice(t, [0, 0, 0], [1, Tt - 2, V]).dataSync();
      const ea = early(a);
      const ec = early(c);
      for (let i = 0; i < ea.length; i++) expect(Math.abs(ea[i]! - ec[i]!)).toBeLessThan(1e-5);
      // …and the logits at the changed positions do move, so the test can fail.
      expect([Tt - 2, Tt - 1].map((t) => raw.tgtIn![t]), 'the inputs really changed').not.toEqual([4, 3]);
      const late = (t: tf.Tensor) => tf.slice(t, [0, Tt - 2, 0], [1, 2, V]);
      expect(tf.max(tf.abs(tf.sub(late(a), late(c)))).dataSync()[0]!).toBeGreaterThan(1e-3);
    });
    s.dispose();
  });
});

describe('training', () => {
  it('gives the same loss curve for the same seed, another for another seed', () => {
    const run = (seed: number) => {
      const s = new Session({ task: { task: 'pronoun', locale: 'en' }, seed, train: { batchSize: 8 } });
      const { losses } = s.fit(5);
      s.dispose();
      return losses;
    };
    const a = run(11);
    expect(run(11)).toEqual(a);
    expect(run(12)).not.toEqual(a);
  });

  it('leaks no tensors: not per step, not after dispose, not in inference', async () => {
    const before = tf.memory().numTensors;
    const s = new Session({ task: { task: 'dates', locale: 'en', tokenizer: 'word' }, seed: 1, train: { batchSize: 4 } });
    s.fit(2);
    // The session's footprint: weights, Adam state and, once inference has run, one set of
    // named views of the weights (cut again after each step, the old set freed).
    await decode(s, ['March 3, 2001']);
    const during = tf.memory().numTensors;
    s.fit(20);
    expect(tf.memory().numTensors).toBe(during);
    await decode(s, ['March 3, 2001']);
    await evaluate(s, 5);
    expect(tf.memory().numTensors).toBe(during);
    const ck = await s.checkpoint();
    s.restore(ck);
    await decode(s, ['March 3, 2001']);
    expect(tf.memory().numTensors).toBe(during);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the tensor count flat over 1,000 steps (Adam state included)', () => {
    const s = new Session({ task: { task: 'reversal', maxLength: 4 }, model: { dModel: 8, heads: 2, ffn: 8 }, seed: 1, train: { batchSize: 2 } });
    tf.dispose(s.trainStep() as tf.Tensor[]);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) tf.dispose(s.trainStep(i % 10 === 0) as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(after1);
    s.dispose();
  });

  it('resumes exactly from a checkpoint', async () => {
    const opts: SessionOptions = { task: { task: 'reversal' }, seed: 4, train: { batchSize: 8 } };
    const a = new Session(opts);
    a.fit(3);
    const ck = await a.checkpoint();
    const next = a.fit(3).losses;
    const b = new Session(opts);
    b.restore(ck);
    expect(b.fit(3).losses).toEqual(next);
    a.dispose();
    b.dispose();
  });
});

describe('bad input', () => {
  const base = { task: { task: 'reversal' } } as const;
  it('rejects invalid configurations with a code and params', () => {
    expect(errorOf(() => new Session({ ...base, model: { heads: 0 } })).code).toBe('invalid-config');
    const e = errorOf(() => new Session({ ...base, model: { dModel: 30, heads: 4 } }));
    expect([e.code, e.params]).toEqual(['heads-not-divisor', { dModel: 30, heads: 4 }]);
    expect(errorOf(() => new Session({ ...base, model: { maxLen: 4 } })).code).toBe('sequence-too-long');
    expect(errorOf(() => new Session({ task: { task: 'classify', locale: 'en', examples: [{ text: ' ', label: 'x' }] } })).code).toBe('empty-vocabulary');
    expect(errorOf(() => new Session({ task: { task: 'mlm', locale: 'en', text: '' } })).code).toBe('empty-dataset');
    expect(errorOf(() => new Session({ task: { task: 'classify', locale: 'xx' } })).code).toBe('empty-dataset');
    expect(errorOf(() => new Session({ task: { task: 'nope' } as never })).code).toBe('unknown-task');
    expect(errorOf(() => new Session({ ...base, model: { kind: 'classifier' } })).code).toBe('invalid-config');
    expect(errorOf(() => new Session({ ...base, train: { learningRate: -1 } })).code).toBe('invalid-config');
  });

  it('rejects inputs longer than the model can read', async () => {
    const s = new Session({ task: { task: 'reversal', maxLength: 4 }, seed: 1 });
    await expect(decode(s, ['a b c d a b c d'])).rejects.toMatchObject({ code: 'sequence-too-long' });
    await expect(predict(s, ['a'])).rejects.toMatchObject({ code: 'wrong-model-kind' });
    s.dispose();
  });
});
