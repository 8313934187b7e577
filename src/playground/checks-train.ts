import * as tf from '@tensorflow/tfjs-core';
import * as lesson from './lesson-api';
import { attempt, compare, lossFalls, needFunction, sameAs, type Check } from './check-tools';
import type { CheckResult } from './protocol';

/**
 * Checks of the exercises that train a model (classifier, mlm, decoder). Each one tests the
 * learner's idea on its own (pooling, the 80/10/10 rule, the shift and the sampler), then the
 * learner's forward pass on a fresh tiny model (padding and the future must not leak), then
 * the training the learner ran (the losses they recorded).
 */

/** A fresh, untrained model and output layer for the learner's forward pass. */
function freshModel(vocabSize: number, outputs: number) {
  const model = lesson.createTinyTransformer({ vocabSize, dModel: 16, heads: 2, seed: 3 });
  const head = lesson.createDense(16, outputs, 4);
  return { model, head, dispose: () => (model.dispose(), head.dispose()) };
}

export const classifier: Check = (exports) => {
  const pool = needFunction(exports, 'meanPool');
  const cls = needFunction(exports, 'classify');
  const out: CheckResult[] = [pool, cls];
  if (pool.fn) {
    const x = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 2) as tf.Tensor3D; // [B, T, d]
    const ids = tf.tensor2d([[5, 6, 7, 0], [8, 9, 0, 0], [5, 5, 5, 5]], [3, 4], 'int32'); // [B, T], 0 = padding
    const want = tf.tidy(() => {
      const keep = tf.expandDims(tf.cast(tf.notEqual(ids, 0), 'float32'), -1); // [B, T, 1]
      return tf.div(tf.sum(tf.mul(x, keep), 1), tf.sum(keep, 1)); // [B, d]
    });
    const plain = tf.mean(x, 1);
    const r = attempt('meanPool', () => pool.fn!(x, ids));
    if (r.failure) out.push(r.failure);
    else if (r.value instanceof tf.Tensor && sameAs(r.value, plain)) out.push({ pass: false, key: 'padCounted', params: { name: 'meanPool(x, ids)' } });
    else out.push(...compare('meanPool(x, ids)', r.value, want));
    tf.dispose([x, ids, want, plain, r.value as tf.Tensor]);
  }
  if (cls.fn) {
    // Three padding columns more must change nothing: not the attention, not the mean.
    const m = freshModel(20, 3);
    const ids = tf.tensor2d([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]], [2, 5], 'int32');
    const longer = tf.pad(ids, [[0, 0], [0, 3]]);
    const a = attempt('classify', () => cls.fn!(m.model, m.head, ids));
    const b = attempt('classify', () => cls.fn!(m.model, m.head, longer));
    const want = tf.zeros([2, 3]);
    if (a.failure || b.failure) out.push((a.failure ?? b.failure)!);
    else {
      const shape = compare('classify(model, head, ids)', a.value, want, 0, true);
      out.push(shape[0]!);
      if (shape[0]!.pass && b.value instanceof tf.Tensor && b.value.shape.join() === '2,3') {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a.value as tf.Tensor, b.value as tf.Tensor))).dataSync()[0]!);
        out.push(diff > 1e-4 ? { pass: false, key: 'padChangesClass', params: { diff: diff.toPrecision(3) } } : { pass: true, key: 'padNeutral' });
      }
    }
    tf.dispose([ids, longer, want, a.value as tf.Tensor, b.value as tf.Tensor]);
    m.dispose();
  }
  out.push(...lossFalls(exports, 30));
  const acc = typeof exports.accuracy === 'number' ? exports.accuracy : NaN;
  out.push({ pass: acc >= 0.5, key: 'accuracy', params: { want: 50, got: Number.isFinite(acc) ? (100 * acc).toFixed(0) : '—' } });
  return out;
};

export const mlm: Check = (exports) => {
  const fn = needFunction(exports, 'maskTokens');
  if (!fn.fn) return [fn];
  const rng = new lesson.Rng(4);
  const [L, V, first] = [10, 30, lesson.SPECIAL_TOKENS.length];
  const seen = { positions: 0, chosen: 0, mask: 0, random: 0, same: 0 };
  const fail = (key: string, params?: Record<string, string | number>): CheckResult[] => [fn, { pass: false, key, params }];
  for (let n = 0; n < 2000; n++) {
    const real = n % 2 === 0 ? L : L - 3; // every other window ends in padding
    const ids = Array.from({ length: L }, (_, j) => (j < real ? rng.int(first, V) : lesson.PAD_ID));
    const r = attempt('maskTokens', () => fn.fn!(ids.slice(), rng, V) as { input?: number[]; labels?: number[]; weights?: number[] });
    if (r.failure) return [fn, r.failure];
    const { input, labels, weights } = r.value ?? {};
    if (![input, labels, weights].every((a) => Array.isArray(a) && a.length === L)) return fail('maskShape', { length: L });
    for (let j = 0; j < L; j++) {
      const [x, y, w] = [input![j]!, labels![j]!, weights![j]!];
      if (y !== ids[j]) return fail('mlmLabels');
      if (w !== 0 && w !== 1) return fail('mlmUnchosen');
      if (w === 1 && ids[j] === lesson.PAD_ID) return fail('mlmPad');
      if (w === 0 && x !== ids[j]) return fail('mlmUnchosen');
      if (ids[j] === lesson.PAD_ID) continue;
      seen.positions++;
      if (w === 0) continue;
      seen.chosen++;
      if (x === lesson.MASK_ID) seen.mask++;
      else if (x === ids[j]) seen.same++;
      else if (x < first || x >= V) return fail('mlmSpecial', { first, max: V - 1 });
      else seen.random++;
    }
  }
  const pct = (a: number, b: number) => (100 * a) / Math.max(b, 1);
  const rate = pct(seen.chosen, seen.positions);
  const [mask, random, same] = [seen.mask, seen.random, seen.same].map((x) => pct(x, seen.chosen)) as [number, number, number];
  // A random word equals the original one time in (V − first): 'same' gains that share.
  const rule = Math.abs(mask - 80) <= 4 && Math.abs(random - 10) <= 3 && Math.abs(same - 10) <= 3;
  return [
    fn,
    { pass: Math.abs(rate - 15) <= 2, key: 'mlmRate', params: { got: rate.toFixed(1) } },
    { pass: rule, key: 'mlm8010', params: { mask: mask.toFixed(0), random: random.toFixed(0), same: same.toFixed(0) } },
    ...lossFalls(exports, 30),
  ];
};

export const decoder: Check = (exports) => {
  const fns = ['nextTokenPairs', 'logitsOf', 'sample'].map((n) => needFunction(exports, n));
  const [pairs, logits, sample] = fns.map((f) => f.fn);
  const out: CheckResult[] = [...fns];
  if (pairs) {
    const ids = tf.tensor2d([[5, 6, 7, 8, 9, 10, 11], [12, 13, 14, 15, 16, 17, 18]], [2, 7], 'int32'); // [B, T+1]
    const head = tf.slice(ids, [0, 0], [2, 6]); // tokens 0…T−1
    const tail = tf.slice(ids, [0, 1], [2, 6]); // tokens 1…T
    const r = attempt('nextTokenPairs', () => pairs(ids) as { inputs?: unknown; targets?: unknown });
    if (r.failure) out.push(r.failure);
    else {
      const { inputs, targets } = r.value ?? {};
      const is = (t: unknown, want: tf.Tensor) => t instanceof tf.Tensor && sameAs(t, want, 0);
      if (is(inputs, head) && is(targets, head)) out.push({ pass: false, key: 'notShifted', params: { name: 'nextTokenPairs' } });
      else if (is(inputs, tail) && is(targets, head)) out.push({ pass: false, key: 'shiftReversed', params: { name: 'nextTokenPairs' } });
      else out.push(...compare('inputs', inputs, head, 0), ...compare('targets', targets, tail, 0));
      tf.dispose([inputs as tf.Tensor, targets as tf.Tensor].filter((t) => t instanceof tf.Tensor));
    }
    tf.dispose([ids, head, tail]);
  }
  if (logits) {
    // Change the last token: the logits at every earlier position must stay put.
    const m = freshModel(20, 20);
    const T = 6;
    const a = tf.tensor2d([[5, 6, 7, 8, 9, 10]], [1, T], 'int32');
    const b = tf.tensor2d([[5, 6, 7, 8, 9, 15]], [1, T], 'int32');
    const ra = attempt('logitsOf', () => logits(m.model, m.head, a));
    const rb = attempt('logitsOf', () => logits(m.model, m.head, b));
    if (ra.failure || rb.failure) out.push((ra.failure ?? rb.failure)!);
    else {
      const want = tf.zeros([1, T, 20]);
      const shape = compare('logitsOf(model, head, ids)', ra.value, want, 0, true);
      out.push(shape[0]!);
      if (shape[0]!.pass && rb.value instanceof tf.Tensor) {
        const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(ra.value as tf.Tensor, rb.value as tf.Tensor)), -1).dataSync());
        const pos = Array.from(moved).findIndex((x, i) => i < T - 1 && x > 1e-4);
        out.push(pos >= 0 ? { pass: false, key: 'futureLeaks', params: { pos: pos + 1, later: T } } : { pass: true, key: 'noLeak' });
      }
      want.dispose();
    }
    tf.dispose([a, b, ra.value as tf.Tensor, rb.value as tf.Tensor]);
    m.dispose();
  }
  if (sample) out.push(...checkSample(sample));
  return [...out, ...lossFalls(exports, 30)];
};

function checkSample(sample: (...a: unknown[]) => unknown): CheckResult[] {
  const rng = new lesson.Rng(5);
  const logits = [2, 1, 0, -1];
  const softmax = (xs: number[]) => {
    const e = xs.map((x) => Math.exp(x - Math.max(...xs)));
    return e.map((x) => x / e.reduce((a, b) => a + b, 0));
  };
  const greedy = attempt('sample', () => sample([0.1, 2.5, -1, 0.3], 0, rng));
  if (greedy.failure) return [greedy.failure];
  if (greedy.value !== 1) {
    const ok = Number.isInteger(greedy.value) && (greedy.value as number) >= 0 && (greedy.value as number) < 4;
    return [ok ? { pass: false, key: 'greedy', params: { want: 1, got: String(greedy.value) } } : { pass: false, key: 'sampleRange', params: { max: 3, got: String(greedy.value) } }];
  }
  const out: CheckResult[] = [{ pass: true, key: 'greedy', params: { want: 1, got: 1 } }];
  for (const temperature of [1, 0.5]) {
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 3000; n++) {
      const r = attempt('sample', () => sample(logits.slice(), temperature, rng));
      if (r.failure) return [...out, r.failure];
      const i = r.value as number;
      if (!Number.isInteger(i) || i < 0 || i > 3) return [...out, { pass: false, key: 'sampleRange', params: { max: 3, got: String(i) } }];
      counts[i]!++;
    }
    const got = counts[0]! / 3000;
    const want = softmax(logits.map((x) => x / temperature))[0]!;
    const inverted = softmax(logits.map((x) => x * temperature))[0]!;
    if (temperature !== 1 && Math.abs(got - inverted) < Math.abs(got - want) && Math.abs(got - inverted) < 0.04) {
      out.push({ pass: false, key: 'tempInverted', params: { temperature } });
    } else {
      out.push({ pass: Math.abs(got - want) < 0.04, key: 'sampleDist', params: { temperature, got: (100 * got).toFixed(0), want: (100 * want).toFixed(0) } });
    }
  }
  return out;
}
