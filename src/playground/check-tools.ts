import * as tf from '@tensorflow/tfjs-core';
import type { CheckResult } from './protocol';

/** What the learner's code exported, and a check over it (see checks.ts). */
export type Exports = Record<string, unknown>;
export type Check = (exports: Exports) => Promise<CheckResult[]> | CheckResult[];

export const shapeText = (s: number[]) => `[${s.join(', ')}]`;

/** The exported function `name` (the result is plain data: it crosses to the page as is). */
export function needFunction(exports: Exports, name: string): CheckResult & { readonly fn?: (...a: unknown[]) => unknown } {
  const fn = exports[name];
  const result: CheckResult = { pass: typeof fn === 'function', key: 'export', params: { name } };
  // Not enumerable: postMessage cannot clone a function, and only the data should travel.
  if (typeof fn === 'function') Object.defineProperty(result, 'fn', { value: fn, enumerable: false });
  return result;
}

/** Calls the learner's function; a throw becomes a failed result instead of ending the check. */
export function attempt<T>(name: string, f: () => T): { value?: T; failure?: CheckResult } {
  try {
    // In tidy: what the learner's function creates on the way is freed, what it returns is kept.
    return { value: tf.tidy(() => f() as tf.TensorContainer) as T };
  } catch (e) {
    return { failure: { pass: false, key: 'threw', params: { name, message: e instanceof Error ? e.message : String(e) } } };
  }
}

/** Shape, then values (unless `shapeOnly`): `tensor`, `shape` and `close` results. */
export function compare(name: string, got: unknown, want: tf.Tensor, tolerance = 1e-4, shapeOnly = false): CheckResult[] {
  if (!(got instanceof tf.Tensor) || got.isDisposed) return [{ pass: false, key: 'tensor', params: { name } }];
  const shapeOk = got.shape.join() === want.shape.join();
  const out: CheckResult[] = [{ pass: shapeOk, key: 'shape', params: { name, want: shapeText(want.shape), got: shapeText(got.shape) } }];
  if (shapeOk && !shapeOnly) {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.cast(got, 'float32'), want))).dataSync()[0]!);
    out.push({ pass: diff <= tolerance, key: 'close', params: { name, diff: diff.toPrecision(3) } });
  }
  return out;
}

/** Same shape and values within `tolerance` (a slip is recognised by matching its result). */
export function sameAs(got: tf.Tensor, want: tf.Tensor, tolerance = 1e-3): boolean {
  if (got.isDisposed || got.shape.join() !== want.shape.join()) return false;
  return tf.tidy(() => tf.max(tf.abs(tf.sub(tf.cast(got, 'float32'), want))).dataSync()[0]!) <= tolerance;
}

/** The first element (row-major) where two tensors of one shape differ by more than `tolerance`. */
export function firstDiff(got: tf.Tensor, want: tf.Tensor, tolerance = 1e-4): { index: number[]; want: number; got: number } | undefined {
  const [g, w] = [got.dataSync(), want.dataSync()];
  const n = Array.from(w).findIndex((x, i) => !(Math.abs(x - g[i]!) <= tolerance));
  if (n < 0) return undefined;
  const index: number[] = [];
  let rest = n;
  for (const size of [...want.shape].reverse()) {
    index.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return { index, want: w[n]!, got: g[n]! };
}

/** Losses recorded in `export const losses: number[]`: enough of them, and falling by a fifth. */
export function lossFalls(exports: Exports, minSteps: number): CheckResult[] {
  const losses = Array.isArray(exports.losses) ? (exports.losses as unknown[]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : [];
  const out: CheckResult[] = [{ pass: losses.length >= minSteps, key: 'steps', params: { want: minSteps, got: losses.length } }];
  if (losses.length >= minSteps) {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    out.push({ pass: last < 0.8 * first, key: 'lossDown', params: { first: first.toFixed(3), last: last.toFixed(3) } });
  }
  return out;
}
