import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors';
import type { ParamLayout, Params } from './params';
import { sinusoidalTable } from './sinusoid';

/** How a model knows where a token sits: a fixed sinusoidal table or a learned one. */
export type PositionalKind = 'sinusoidal' | 'learned';

export function declarePositional(
  L: ParamLayout,
  name: string,
  kind: PositionalKind,
  maxLen: number,
  d: number,
): void {
  if (kind === 'learned') L.add(`${name}.table`, [maxLen, d], 'normal');
}

/**
 * x [B, T, d] + PE[0..T) → [B, T, d]. A sinusoidal table is a constant made per call (tiny);
 * a learned one is a slice of the parameters, so it trains.
 */
export function addPositional(
  P: Params,
  name: string,
  kind: PositionalKind,
  maxLen: number,
  x: tf.Tensor3D,
): tf.Tensor3D {
  const [, T, d] = x.shape;
  if (T > maxLen) throw new EngineError('sequence-too-long', { length: T, maxLen });
  const table =
    kind === 'learned'
      ? tf.slice(P[`${name}.table`]!, [0, 0], [T, d]) // [T, d]
      : tf.tensor2d(sinusoidalTable(T, d), [T, d]); // [T, d]
  return tf.add(x, table); // [B, T, d]
}
