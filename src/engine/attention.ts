import * as tf from '@tensorflow/tfjs-core';
import { declareDense, dense, joinedDense } from './layers';
import type { ParamLayout, Params } from './params';
import { crossAttentionCore, paddingMaskCore, selfAttentionCore, selfAttentionPacks } from './gpu/attention';
import { packedLayouts } from './gpu/dense';
import { fusedKernels, onWebGL } from './gpu/run';

/**
 * Scaled dot-product and multi-head attention.
 * Masks are ADDITIVE: 0 where a key may be seen, MASKED (-1e4) where not, added to the scores
 * before the softmax. -1e4 rather than -Infinity: exp underflows to exactly 0 all the same, a row
 * can never turn into NaN, and the value survives float16 textures on WebGL.
 */
export const MASKED = -1e4;

/**
 * softmax(q kᵀ / √d_k + mask) v.
 * q [B, H, Tq, dk], k [B, H, Tk, dk], v [B, H, Tk, dv], mask broadcastable to [B, H, Tq, Tk].
 * Returns the output [B, H, Tq, dv] and the weights [B, H, Tq, Tk] (each row sums to 1).
 */
export function scaledDotProductAttention(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  mask?: tf.Tensor,
): { output: tf.Tensor4D; weights: tf.Tensor4D } {
  const dk = q.shape[3];
  let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dk)); // [B, H, Tq, Tk]
  if (mask) scores = tf.add(scores, mask); // [B, H, Tq, Tk]
  const weights = tf.softmax(scores) as tf.Tensor4D; // [B, H, Tq, Tk]
  const output = tf.matMul(weights, v) as tf.Tensor4D; // [B, H, Tq, dv]
  return { output, weights };
}

/** Additive padding mask from key ids: [B, 1, 1, Tk], MASKED where ids === padId. */
export function paddingMask(ids: tf.Tensor2D, padId = 0): tf.Tensor4D {
  const [B, T] = ids.shape;
  // WebGL: one program, not three. (WebGPU computes the stock ops on the CPU, where the ids are.)
  if (fusedKernels() && onWebGL()) return tf.reshape(paddingMaskCore(ids, padId, MASKED), [B, 1, 1, T]);
  const isPad = tf.cast(tf.equal(ids, padId), 'float32'); // [B, Tk]
  return tf.reshape(tf.mul(isPad, MASKED), [B, 1, 1, T]); // [B, 1, 1, Tk]
}

/** Additive causal mask [1, 1, T, T]: query i sees keys 0..i only. Built on the CPU, uploaded once. */
export function causalMask(T: number): tf.Tensor4D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = MASKED;
  return tf.tensor4d(m, [1, 1, T, T]); // [1, 1, T, T]
}

/** [B, T, H*dk] → [B, H, T, dk] */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [B, T, d] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [B, T, heads, d / heads]), [0, 2, 1, 3]); // [B, H, T, dk]
}

/** [B, H, T, dk] → [B, T, H*dk] */
function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [B, H, T, dk] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B, T, H * dk]); // [B, T, d]
}

export function declareSelfAttention(L: ParamLayout, name: string, d: number): void {
  declareDense(L, `${name}.qkv`, d, 3 * d); // the three projections in one matrix
  declareDense(L, `${name}.o`, d, d);
}

export function declareCrossAttention(L: ParamLayout, name: string, d: number): void {
  declareDense(L, `${name}.q`, d, d);
  declareDense(L, `${name}.kv`, d, 2 * d);
  declareDense(L, `${name}.o`, d, d);
}

/**
 * Multi-head self-attention. All heads run in one batched matmul: Q, K and V come out of one
 * projection [d, 3d], are cut into heads by reshape/transpose, never by per-head ops.
 * x [B, T, d] → output [B, T, d], weights [B, H, T, T].
 */
export function selfAttention(
  P: Params,
  name: string,
  x: tf.Tensor3D,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor3D; weights: tf.Tensor4D } {
  const [B, T, d] = x.shape;
  if (fusedKernels()) {
    // Packed from the qkv projection's matmul to the output projection's (gpu/attention.ts attendPacked).
    const packed = packedLayouts() && joinedDense(P, `${name}.qkv`) && joinedDense(P, `${name}.o`) && selfAttentionPacks(T, d, heads);
    const qkv = dense(P, `${name}.qkv`, x, 'linear', 'plain', packed ? 'packed' : 'plain') as tf.Tensor3D; // [B, T, 3d]
    const { output, weights } = selfAttentionCore(qkv, heads, mask, packed); // [B, T, d] (or [B, T, d + 2]), [B, H, T, T]
    return { output: dense(P, `${name}.o`, output, 'linear', packed ? 'ones' : 'plain', packed ? 'packed' : 'plain') as tf.Tensor3D, weights }; // [B, T, d]
  }
  // Rank-4 transpose, then a split: rank-5 transposes take a slow generic path on WASM and CPU.
  const qkv = tf.reshape(dense(P, `${name}.qkv`, x), [B, T, 3 * heads, d / heads]); // [B, T, 3H, dk]
  const [q, k, v] = tf.split(tf.transpose(qkv, [0, 2, 1, 3]), 3, 1) as tf.Tensor4D[]; // 3 × [B, H, T, dk]
  const { output, weights } = scaledDotProductAttention(q!, k!, v!, mask); // [B, H, T, dk], [B, H, T, T]
  return { output: dense(P, `${name}.o`, mergeHeads(output)) as tf.Tensor3D, weights }; // [B, T, d]
}

/**
 * Multi-head cross-attention: queries from the decoder x [B, Tq, d], keys and values from the
 * encoder's memory [B, Tk, d]. → output [B, Tq, d], weights [B, H, Tq, Tk].
 */
export function crossAttention(
  P: Params,
  name: string,
  x: tf.Tensor3D,
  memory: tf.Tensor3D,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor3D; weights: tf.Tensor4D } {
  const [B, Tk, d] = memory.shape;
  if (fusedKernels()) {
    const q = dense(P, `${name}.q`, x) as tf.Tensor3D; // [B, Tq, d]
    const kv = dense(P, `${name}.kv`, memory) as tf.Tensor3D; // [B, Tk, 2d]
    const { output, weights } = crossAttentionCore(q, kv, heads, mask); // [B, Tq, d], [B, H, Tq, Tk]
    return { output: dense(P, `${name}.o`, output) as tf.Tensor3D, weights }; // [B, Tq, d]
  }
  const q = splitHeads(dense(P, `${name}.q`, x), heads); // [B, H, Tq, dk]
  const kv = tf.reshape(dense(P, `${name}.kv`, memory), [B, Tk, 2 * heads, d / heads]); // [B, Tk, 2H, dk]
  const [k, v] = tf.split(tf.transpose(kv, [0, 2, 1, 3]), 2, 1) as tf.Tensor4D[]; // 2 × [B, H, Tk, dk]
  const { output, weights } = scaledDotProductAttention(q, k!, v!, mask); // [B, H, Tq, dk]
  return { output: dense(P, `${name}.o`, mergeHeads(output)) as tf.Tensor3D, weights }; // [B, Tq, d]
}
