import { describe, expect, it } from 'vitest';
import { guarded, injectFailure, isFiniteCheckpoint } from '../../../src/engine/guard';
import { Session } from '../../../src/engine/session';
import { TINY, tf } from './tf';

describe('guarded: a failed operation leaves no tensors behind', () => {
  it('tfjs alone leaks the tape of a step that throws halfway; guarded() frees it', () => {
    const w = tf.variable(tf.ones([4, 4]));
    const failingStep = () =>
      tf.tidy(() =>
        tf.variableGrads(() => {
          const y = tf.sum(tf.matMul(w, w)); // the tape keeps copies of matMul's inputs
          tf.keep(tf.scalar(1)); // and a kept tensor escapes tidy
          throw new Error('WebGL Error: OUT_OF_MEMORY');
          // biome-ignore lint/correctness/noUnreachable: gives the callback variableGrads' type
          return y as tf.Scalar;
        }),
      );
    const before = tf.memory().numTensors;
    expect(failingStep).toThrow('OUT_OF_MEMORY');
    const leaked = tf.memory().numTensors - before;
    expect(leaked, 'tfjs leaks without the guard (else this test proves nothing)').toBeGreaterThan(0);

    const guardedBefore = tf.memory().numTensors;
    expect(() => guarded('step', failingStep)).toThrow('OUT_OF_MEMORY');
    expect(tf.memory().numTensors).toBe(guardedBefore);
    expect(w.isDisposed).toBe(false); // an existing variable stays
    w.dispose();
  });

  it('an injected failure in a training step: the error surfaces, nothing leaks, the weights stay usable', () => {
    const s = new Session(TINY as never);
    s.trainStep()!.forEach((t) => t?.dispose());
    const before = tf.memory().numTensors;
    for (const after of [5, 40, 200]) {
      injectFailure('step', 'Failed to allocate texture', after);
      expect(() => guarded('step', () => s.trainStep(true))).toThrow('Failed to allocate texture');
      expect(tf.memory().numTensors, `failure at allocation ${after}`).toBe(before);
    }
    const [loss, acc] = guarded('step', () => s.trainStep(true));
    expect(Number.isFinite(loss.dataSync()[0]!)).toBe(true);
    tf.dispose([loss, acc!]);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  it('a constructor that fails frees the variables it had made', () => {
    const before = tf.memory().numTensors;
    const vars = Object.keys(tf.engine().registeredVariables).length;
    injectFailure('create', 'Out of memory', 6);
    expect(() => guarded('create', () => new Session(TINY as never))).toThrow('Out of memory');
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(vars);
    // The injected failure is spent: the next create works.
    const s = guarded('create', () => new Session(TINY as never));
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('isFiniteCheckpoint', () => {
  it('rejects a NaN or an Infinity anywhere', () => {
    const c = { theta: new Float32Array([1, 2]), m: new Float32Array(2), v: new Float32Array(2), step: 1, rng: 0 };
    expect(isFiniteCheckpoint(c)).toBe(true);
    expect(isFiniteCheckpoint({ ...c, theta: new Float32Array([1, NaN]) })).toBe(false);
    expect(isFiniteCheckpoint({ ...c, v: new Float32Array([Infinity, 0]) })).toBe(false);
  });
});
