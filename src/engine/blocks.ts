import type * as tf from '@tensorflow/tfjs-core';
import { crossAttention, declareCrossAttention, declareSelfAttention, selfAttention } from './attention';
import type { TransformerConfig } from './config';
import { declareFeedForward, declareLayerNorm, feedForward, preNormResidual, residualLayerNorm } from './layers';
import type { ParamLayout, Params } from './params';

/**
 * Transformer encoder and decoder blocks: attention, feed-forward, residual connections and
 * layer norm, either 'post' (x = LN(x + f(x)), the 2017 paper) or 'pre' (x = x + f(LN(x))).
 */

/** A sublayer f with its residual connection and layer norm `name`: LN(x + f(x)) or x + f(LN(x)). */
function sublayer(P: Params, name: string, c: TransformerConfig, x: tf.Tensor3D, f: (h: tf.Tensor3D) => tf.Tensor3D): tf.Tensor3D {
  const g = (h: tf.Tensor) => f(h as tf.Tensor3D);
  return (c.norm === 'pre' ? preNormResidual(P, name, x, g) : residualLayerNorm(P, name, x, g)) as tf.Tensor3D; // [B, T, d]
}

export function declareEncoderBlock(L: ParamLayout, name: string, c: TransformerConfig): void {
  declareSelfAttention(L, `${name}.att`, c.dModel);
  declareLayerNorm(L, `${name}.ln1`, c.dModel);
  declareFeedForward(L, `${name}.ffn`, c.dModel, c.ffn);
  declareLayerNorm(L, `${name}.ln2`, c.dModel);
}

/** x [B, T, d], mask [B, 1, 1, T] → x [B, T, d], weights [B, H, T, T] */
export function encoderBlock(
  P: Params,
  name: string,
  c: TransformerConfig,
  x: tf.Tensor3D,
  mask?: tf.Tensor,
): { x: tf.Tensor3D; weights: tf.Tensor4D } {
  const sub = (x: tf.Tensor3D, ln: string, f: (h: tf.Tensor3D) => tf.Tensor3D) => sublayer(P, `${name}.${ln}`, c, x, f);
  let weights!: tf.Tensor4D;
  x = sub(x, 'ln1', (h) => {
    const a = selfAttention(P, `${name}.att`, h, c.heads, mask);
    weights = a.weights; // [B, H, T, T]
    return a.output; // [B, T, d]
  });
  x = sub(x, 'ln2', (h) => feedForward(P, `${name}.ffn`, h) as tf.Tensor3D); // [B, T, d]
  return { x, weights };
}

export function declareDecoderBlock(L: ParamLayout, name: string, c: TransformerConfig): void {
  declareSelfAttention(L, `${name}.self`, c.dModel);
  declareLayerNorm(L, `${name}.ln1`, c.dModel);
  declareCrossAttention(L, `${name}.cross`, c.dModel);
  declareLayerNorm(L, `${name}.ln2`, c.dModel);
  declareFeedForward(L, `${name}.ffn`, c.dModel, c.ffn);
  declareLayerNorm(L, `${name}.ln3`, c.dModel);
}

/**
 * y [B, Tt, d], memory [B, Ts, d], selfMask [B, 1, Tt, Tt] (causal + padding),
 * memoryMask [B, 1, 1, Ts] → y [B, Tt, d], self weights [B, H, Tt, Tt], cross weights [B, H, Tt, Ts]
 */
export function decoderBlock(
  P: Params,
  name: string,
  c: TransformerConfig,
  y: tf.Tensor3D,
  memory: tf.Tensor3D,
  selfMask: tf.Tensor,
  memoryMask?: tf.Tensor,
): { y: tf.Tensor3D; self: tf.Tensor4D; cross: tf.Tensor4D } {
  const sub = (x: tf.Tensor3D, ln: string, f: (h: tf.Tensor3D) => tf.Tensor3D) => sublayer(P, `${name}.${ln}`, c, x, f);
  let self!: tf.Tensor4D;
  let cross!: tf.Tensor4D;
  y = sub(y, 'ln1', (h) => {
    const a = selfAttention(P, `${name}.self`, h, c.heads, selfMask);
    self = a.weights; // [B, H, Tt, Tt]
    return a.output;
  });
  y = sub(y, 'ln2', (h) => {
    const a = crossAttention(P, `${name}.cross`, h, memory, c.heads, memoryMask);
    cross = a.weights; // [B, H, Tt, Ts]
    return a.output;
  });
  y = sub(y, 'ln3', (h) => feedForward(P, `${name}.ffn`, h) as tf.Tensor3D); // [B, Tt, d]
  return { y, self, cross };
}
