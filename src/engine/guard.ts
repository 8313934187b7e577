import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from './session';

/**
 * Failing cleanly. A tfjs operation that throws halfway (a kernel that runs out of memory in a
 * training step, say) leaves tensors behind that no tidy() frees: the gradient tape's saved
 * inputs and anything kept (tf.keep) are outside every scope, and a failed constructor's
 * variables stay registered. `guarded()` records every tensor and variable an operation
 * creates and, if it throws, disposes the ones still alive, so tf.memory().numTensors is back
 * to where it was. Existing variables that the operation re-assigned are never touched.
 *
 * For tests, `injectFailure()` makes the next guarded operation of a kind throw a given message
 * at its n-th allocation (a tensor made or a kernel run), before that allocation happens:
 * the same place a real allocation failure would throw from.
 */
export type GuardedOp = 'step' | 'create' | 'restore';

interface EngineInternals {
  trackTensor(t: tf.Tensor, backend: unknown): void;
  makeVariable(...args: unknown[]): tf.Variable;
  makeTensor(...args: unknown[]): tf.Tensor;
  runKernel(...args: unknown[]): unknown;
}

let injected: { op: GuardedOp; message: string; after: number } | undefined;

/** Tests only: the `after`-th allocation of the next `op` throws `new Error(message)`. */
export function injectFailure(op: GuardedOp, message: string, after = 20): void {
  injected = { op, message, after: Math.max(1, Math.floor(after)) };
}

/** Run a synchronous tfjs operation; if it throws, free everything it allocated, then rethrow. */
export function guarded<T>(op: GuardedOp, f: () => T): T {
  const e = tf.engine() as unknown as EngineInternals;
  const own = { trackTensor: e.trackTensor, makeVariable: e.makeVariable, makeTensor: e.makeTensor, runKernel: e.runKernel };
  const made: tf.Tensor[] = [];
  e.trackTensor = function (this: unknown, t, backend) {
    // Variable.assign() re-tracks the variable itself: an existing weight, not ours to free.
    if (!(t instanceof tf.Variable)) made.push(t);
    return own.trackTensor.call(this, t, backend);
  };
  e.makeVariable = function (this: unknown, ...args) {
    const v = own.makeVariable.apply(this, args);
    made.push(v);
    return v;
  };
  const fail = injected?.op === op ? injected : undefined;
  if (fail) {
    const tick = () => {
      if (--fail.after > 0) return;
      injected = undefined;
      e.makeTensor = own.makeTensor;
      e.runKernel = own.runKernel;
      throw new Error(fail.message);
    };
    e.makeTensor = function (this: unknown, ...args) {
      tick();
      return own.makeTensor.apply(this, args);
    };
    e.runKernel = function (this: unknown, ...args) {
      tick();
      return own.runKernel.apply(this, args);
    };
  }
  try {
    return f();
  } catch (err) {
    for (const t of made) if (!t.isDisposed) t.dispose();
    throw err;
  } finally {
    Object.assign(e, own);
  }
}

/** Every weight and Adam moment is a finite number (a step can leave NaN weights behind a finite loss). */
export function isFiniteCheckpoint(c: Checkpoint): boolean {
  for (const a of [c.theta, c.m, c.v]) {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  }
  return true;
}
