import * as tf from '@tensorflow/tfjs-core';
import * as lesson from './lesson-api';
import type { CheckResult } from './protocol';

/**
 * The checks learners run after their code, one per exercise id. A check reads what the
 * learner's code exported (`export function embed …`), calls it on fresh inputs and compares
 * with a reference built from the engine. Checks are code, not content: they are not
 * translated; each result names a `playground.check.*` UI key and its parameters.
 */
type Exports = Record<string, unknown>;
type Check = (exports: Exports) => Promise<CheckResult[]> | CheckResult[];

const shapeText = (s: number[]) => `[${s.join(', ')}]`;

/** The exported function `name` (the result is plain data: it crosses to the page as is). */
function needFunction(exports: Exports, name: string): CheckResult & { readonly fn?: (...a: unknown[]) => unknown } {
  const fn = exports[name];
  const result: CheckResult = { pass: typeof fn === 'function', key: 'export', params: { name } };
  // Not enumerable: postMessage cannot clone a function, and only the data should travel.
  if (typeof fn === 'function') Object.defineProperty(result, 'fn', { value: fn, enumerable: false });
  return result;
}

/** Calls the learner's function; a throw becomes a failed result instead of ending the check. */
function attempt<T>(name: string, f: () => T): { value?: T; failure?: CheckResult } {
  try {
    return { value: f() };
  } catch (e) {
    return { failure: { pass: false, key: 'threw', params: { name, message: e instanceof Error ? e.message : String(e) } } };
  }
}

function compare(name: string, got: unknown, want: tf.Tensor, tolerance = 1e-4): CheckResult[] {
  if (!(got instanceof tf.Tensor)) return [{ pass: false, key: 'tensor', params: { name } }];
  const shapeOk = got.shape.join() === want.shape.join();
  const out: CheckResult[] = [{ pass: shapeOk, key: 'shape', params: { name, want: shapeText(want.shape), got: shapeText(got.shape) } }];
  if (shapeOk) {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.cast(got, 'float32'), want))).dataSync()[0]!);
    out.push({ pass: diff <= tolerance, key: 'close', params: { name, diff: diff.toPrecision(3) } });
  }
  return out;
}

const randomIds = (B: number, T: number, V: number, seed: number) => {
  const rng = new lesson.Rng(seed);
  return tf.tensor2d(Array.from({ length: B * T }, () => rng.int(0, V)), [B, T], 'int32');
};

const embedding: Check = (exports) => {
  const fn = needFunction(exports, 'embed');
  if (!fn.fn) return [fn];
  const table = lesson.embeddingTable(12, 8, 3); // [V, d]
  const ids = randomIds(3, 5, 12, 9); // [B, T]
  const want = tf.tidy(() => tf.add(tf.gather(table, ids), lesson.positionalEncoding(5, 8))); // [B, T, d]
  const r = attempt('embed', () => fn.fn!(ids, table));
  const out = r.failure ? [r.failure] : compare('embed(ids, table)', r.value, want);
  tf.dispose([table, ids, want, r.value as tf.Tensor]);
  return [fn, ...out];
};

const attention: Check = (exports) => {
  const fn = needFunction(exports, 'attention');
  if (!fn.fn) return [fn];
  const [q, k, v] = [1, 2, 3].map((s) => tf.randomNormal([2, 2, 5, 8], 0, 1, 'float32', s) as tf.Tensor4D); // [B, H, T, dk]
  const mask = lesson.causalMask(5); // [1, 1, T, T]
  const want = tf.tidy(() => lesson.scaledDotProductAttention(q!, k!, v!, mask));
  const r = attempt('attention', () => fn.fn!(q, k, v, mask) as { output?: unknown; weights?: unknown });
  const out: CheckResult[] = [];
  if (r.failure) out.push(r.failure);
  else {
    const got = r.value ?? {};
    out.push(...compare('weights', got.weights, want.weights), ...compare('output', got.output, want.output));
    if (got.weights instanceof tf.Tensor) {
      const worst = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.sum(got.weights as tf.Tensor, -1), 1))).dataSync()[0]!);
      out.push({ pass: worst < 1e-4, key: 'rows', params: { worst: (1 + worst).toFixed(4) } });
    }
    tf.dispose([got.weights as tf.Tensor, got.output as tf.Tensor].filter((t) => t instanceof tf.Tensor));
  }
  tf.dispose([q!, k!, v!, mask, want.output, want.weights]);
  return [fn, ...out];
};

const block: Check = (exports) => {
  const fn = needFunction(exports, 'myBlock');
  if (!fn.fn) return [fn];
  const b = lesson.createTransformerBlock({ dModel: 16, heads: 2, ffn: 32, seed: 11 });
  const x = tf.randomNormal([2, 6, 16], 0, 1, 'float32', 5) as tf.Tensor3D; // [B, T, d]
  const want = tf.tidy(() => b.apply(x).x);
  const r = attempt('myBlock', () => fn.fn!(b, x));
  const out = r.failure ? [r.failure] : compare('myBlock(block, x)', r.value, want);
  tf.dispose([x, want, r.value as tf.Tensor]);
  b.dispose();
  return [fn, ...out];
};

/** Losses recorded in `export const losses: number[]`: enough of them, and falling. */
function lossFalls(exports: Exports, minSteps: number): CheckResult[] {
  const losses = Array.isArray(exports.losses) ? (exports.losses as unknown[]).filter((x): x is number => typeof x === 'number') : [];
  const out: CheckResult[] = [{ pass: losses.length >= minSteps, key: 'steps', params: { want: minSteps, got: losses.length } }];
  if (losses.length >= minSteps) {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    out.push({ pass: last < 0.8 * first, key: 'lossDown', params: { first: first.toFixed(3), last: last.toFixed(3) } });
  }
  return out;
}

const classifier: Check = (exports) => {
  const fn = needFunction(exports, 'meanPool');
  const out: CheckResult[] = [fn];
  if (fn.fn) {
    const x = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 2) as tf.Tensor3D; // [B, T, d]
    const ids = tf.tensor2d([[5, 6, 7, 0], [8, 9, 0, 0], [5, 5, 5, 5]], [3, 4], 'int32'); // [B, T], 0 = padding
    const want = tf.tidy(() => {
      const keep = tf.expandDims(tf.cast(tf.notEqual(ids, 0), 'float32'), -1); // [B, T, 1]
      return tf.div(tf.sum(tf.mul(x, keep), 1), tf.sum(keep, 1)); // [B, d]
    });
    const r = attempt('meanPool', () => fn.fn!(x, ids));
    out.push(...(r.failure ? [r.failure] : compare('meanPool(x, ids)', r.value, want)));
    tf.dispose([x, ids, want, r.value as tf.Tensor]);
  }
  return [...out, ...lossFalls(exports, 30)];
};

const mlm: Check = (exports) => {
  const fn = needFunction(exports, 'maskWindow');
  if (!fn.fn) return [fn];
  const rng = new lesson.Rng(4);
  let masked = 0;
  let total = 0;
  let allHaveOne = true;
  let consistent = true;
  for (let n = 0; n < 400; n++) {
    const ids = Array.from({ length: 8 }, () => rng.int(5, 40));
    const r = attempt('maskWindow', () => fn.fn!(ids.slice(), 0.15, rng) as { input?: number[]; weights?: number[] });
    if (r.failure) return [fn, r.failure];
    const { input, weights } = r.value ?? {};
    if (!Array.isArray(input) || !Array.isArray(weights) || input.length !== 8 || weights.length !== 8) {
      return [fn, { pass: false, key: 'maskShape', params: { length: 8 } }];
    }
    const hidden = weights.filter((w) => w === 1).length;
    if (hidden === 0) allHaveOne = false;
    masked += hidden;
    total += 8;
    input.forEach((id, i) => {
      const want = weights[i] === 1 ? lesson.MASK_ID : ids[i];
      if (id !== want || (weights[i] !== 0 && weights[i] !== 1)) consistent = false;
    });
  }
  const rate = (100 * masked) / total;
  return [
    fn,
    { pass: consistent, key: 'maskIds' },
    { pass: allHaveOne, key: 'maskOne' },
    { pass: rate >= 12 && rate <= 25, key: 'maskRate', params: { want: 15, got: rate.toFixed(1) } },
  ];
};

export const checks: Record<string, Check> = { embedding, attention, block, classifier, mlm };
