import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors';
import { embedding, type EmbeddingMode } from './layers';
import { embed, embedFits } from './gpu/embedding';
import { fusedKernels } from './gpu/run';
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

/**
 * Token vectors plus positions, ids [B, T] → [B, T, d]: `embedding` then `addPositional`, or on
 * WebGL and WebGPU for small vocabularies one fused kernel (src/engine/gpu/embedding.ts).
 */
export function embedPositioned(
  P: Params,
  tokName: string,
  posName: string,
  kind: PositionalKind,
  maxLen: number,
  ids: tf.Tensor2D,
  mode: EmbeddingMode,
): tf.Tensor3D {
  const table = P[tokName] as tf.Tensor2D; // [V, d]
  const [B, T] = ids.shape;
  const d = table.shape[1];
  if (fusedKernels() && embedFits(table.shape[0], B * T)) {
    if (T > maxLen) throw new EngineError('sequence-too-long', { length: T, maxLen });
    if (kind === 'learned') return embed(table, ids, P[`${posName}.table`] as tf.Tensor2D, true); // [B, T, d]
    return embed(table, ids, tf.tensor2d(sinusoidalTable(T, d), [T, d]), false); // [B, T, d]
  }
  return addPositional(P, posName, kind, maxLen, embedding(table, ids, mode)); // [B, T, d]
}
