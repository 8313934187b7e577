import * as tf from '@tensorflow/tfjs-core';
import type { ParamLayout, Params } from './params';
import { dense as fusedDense, denseJoined as fusedDenseJoined, packedLayouts, type Layout } from './gpu/dense';
import { layerNorm as fusedLayerNorm, layerNormPacked, layerNormPacks } from './gpu/layernorm';
import { fork, residualAdd } from './gpu/fork';
import { crossEntropy as fusedCrossEntropy } from './gpu/loss';
import { fusedKernels, isPacked } from './gpu/run';

/**
 * The small building blocks every model uses. Each `declareX` adds weights to a layout; each
 * function computes with the named views. Shapes in comments: B batch, T length, d model width.
 */

export function declareDense(L: ParamLayout, name: string, nIn: number, nOut: number): void {
  L.addDense(name, nIn, nOut); // name.w [nIn, nOut], name.b [nOut]
}

/**
 * x @ W + b (one fused kernel), on the last axis of any rank. The weights are P[name.w] and
 * P[name.b], or P[name.wb] = [W; b] where the views were cut with joinDense (fused WebGL).
 * Joined layers can take and give other layouts than plain (gpu/dense.ts, Layout): `input`
 * 'ones' takes x [N, even(nIn + 1)] packed with its column of ones, `output` 'packed' or 'ones'
 * leaves [N, *] packed; callers use them only where joinedDense(P, name) says these run.
 */
export function dense(
  P: Params,
  name: string,
  x: tf.Tensor,
  activation: 'linear' | 'relu' = 'linear',
  input: 'plain' | 'ones' = 'plain',
  output: Layout = 'plain',
): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const wb = P[`${name}.wb`] as tf.Tensor2D | undefined; // [nIn + 1, nOut]
  if (wb && fusedKernels()) {
    const x2 = tf.reshape(x, [-1, x.shape[x.shape.length - 1]!]) as tf.Tensor2D; // [N, nIn] or [N, K]
    const y = fusedDenseJoined(x2, wb, activation, input, output); // [N, nOut] or [N, M]
    return tf.reshape(y, [...lead, y.shape[1]]); // [..., nOut] or [..., M]
  }
  if (input !== 'plain' || output !== 'plain') throw new Error(`dense ${name}: layouts other than plain need joined weights on fused WebGL`);
  // Joined views on another path (tests switching the fused kernels off): cut W and b from them.
  const w = (wb ? tf.slice(wb, [0, 0], [wb.shape[0] - 1, -1]) : P[`${name}.w`]) as tf.Tensor2D; // [nIn, nOut]
  const b = (wb ? tf.reshape(tf.slice(wb, [wb.shape[0] - 1, 0], [1, -1]), [-1]) : P[`${name}.b`]) as tf.Tensor1D; // [nOut]
  const x2 = tf.reshape(x, [-1, w.shape[0]]) as tf.Tensor2D; // [N, nIn]
  const y = fusedKernels()
    ? fusedDense(x2, w, b, activation) // [N, nOut]
    : tf.fused.matMul({ a: x2, b: w, bias: b, activation }); // [N, nOut]
  return tf.reshape(y, [...lead, w.shape[1]]); // [..., nOut]
}

export function declareLayerNorm(L: ParamLayout, name: string, d: number): void {
  L.add(`${name}.g`, [d], 'ones');
  L.add(`${name}.b`, [d], 'zeros');
}

/**
 * Layer normalisation over the last axis, with its gradient written out by hand: autodiff of the
 * forward below costs ~25 kernels, the closed form ~11, and on WebGL/WASM kernels are the cost.
 *   x̂ = (x - μ) / σ,  y = x̂·g + b
 *   dx = (1/σ)·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)),  dx̂ = dy·g,  dg = Σ dy·x̂,  db = Σ dy
 */
const layerNormOp = tf.customGrad(((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  const d = x.shape[x.shape.length - 1]!;
  const xc = tf.sub(x, tf.mean(x, -1, true)); // [..., d]
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), 1e-5)); // [..., 1]
  const xhat = tf.mul(xc, rstd); // [..., d]
  save([xhat, rstd, g]);
  return {
    value: tf.add(tf.mul(xhat, g), b), // [..., d]
    gradFunc: (dy: tf.Tensor, [xhat, rstd, g]: tf.Tensor[]) => {
      const dxhat = tf.mul(dy, g!); // [..., d]
      const proj = tf.mean(tf.mul(dxhat, xhat!), -1, true); // [..., 1]
      const dx = tf.mul(tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xhat!, proj)), rstd!); // [..., d]
      const dy2 = tf.reshape(dy, [-1, d]); // [N, d]
      return [dx, tf.sum(tf.mul(dy2, tf.reshape(xhat!, [-1, d])), 0), tf.sum(dy2, 0)]; // [..., d], [d], [d]
    },
  };
}) as never) as unknown as (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Layer normalisation over the last axis (ε = 1e-5). */
export function layerNorm(P: Params, name: string, x: tf.Tensor): tf.Tensor {
  if (fusedKernels()) {
    const ln = packedLayouts() && layerNormPacks(x, null) ? layerNormPacked : fusedLayerNorm;
    return ln(x, null, P[`${name}.g`]!, P[`${name}.b`]!);
  }
  return layerNormOp(x, P[`${name}.g`]!, P[`${name}.b`]!);
}

/** LN(x + r): the residual connection and the normalisation after it (post-norm blocks). */
export function addLayerNorm(P: Params, name: string, x: tf.Tensor, r: tf.Tensor): tf.Tensor {
  if (fusedKernels()) {
    const ln = packedLayouts() && layerNormPacks(x, r) ? layerNormPacked : fusedLayerNorm;
    return ln(x, r, P[`${name}.g`]!, P[`${name}.b`]!);
  }
  return layerNormOp(tf.add(x, r), P[`${name}.g`]!, P[`${name}.b`]!);
}

/**
 * LN(x + f(x)), a post-norm sublayer. Where x is packed (fused WebGL), x goes to f and to the
 * norm through fork(), so its two gradients meet in one packed add instead of tfjs's add,
 * which would unpack both first.
 */
export function residualLayerNorm(P: Params, name: string, x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (fusedKernels() && packedLayouts() && layerNormPacks(x, null)) {
    const [xf, xr] = fork(x);
    return addLayerNorm(P, name, xr!, f(xf!));
  }
  return addLayerNorm(P, name, x, f(x));
}

/**
 * x + f(LN(x)), a pre-norm sublayer. Where x is packed (fused WebGL), x goes to the norm and to
 * the sum through fork(), and where f's output is packed too the sum is one packed program
 * (residualAdd): the residual stream stays packed, as in residualLayerNorm.
 */
export function preNormResidual(P: Params, name: string, x: tf.Tensor, f: (h: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (fusedKernels() && packedLayouts() && layerNormPacks(x, null)) {
    const [xn, xr] = fork(x);
    const y = f(layerNorm(P, name, xn!));
    return isPacked(y) && y.size === x.size ? residualAdd(xr!, y) : tf.add(xr!, y);
  }
  return tf.add(x, f(layerNorm(P, name, x)));
}

export function declareFeedForward(L: ParamLayout, name: string, d: number, hidden: number): void {
  declareDense(L, `${name}.in`, d, hidden);
  declareDense(L, `${name}.out`, hidden, d);
}

/** Whether dense layer `name` runs joined (fused WebGL), where layouts other than plain exist. */
export function joinedDense(P: Params, name: string): boolean {
  return P[`${name}.wb`] !== undefined && fusedKernels();
}

/**
 * Position-wise feed-forward: relu(x W1 + b1) W2 + b2, two fused kernels. Joined (WebGL), the
 * hidden layer stays packed with its column of ones between the two matmuls: no crop, no pad.
 */
export function feedForward(P: Params, name: string, x: tf.Tensor): tf.Tensor {
  // Even T: packed [B, T, *] ↔ [B·T, *] reshapes are then free.
  const ones = packedLayouts() && joinedDense(P, `${name}.in`) && joinedDense(P, `${name}.out`) && x.shape[x.shape.length - 2]! % 2 === 0;
  const h = dense(P, `${name}.in`, x, 'relu', 'plain', ones ? 'ones' : 'plain'); // [B, T, ffn] (or [B, T, even(ffn + 1)])
  const d = x.shape[x.shape.length - 1]!;
  return dense(P, `${name}.out`, h, 'linear', ones ? 'ones' : 'plain', ones && d % 2 === 0 ? 'packed' : 'plain'); // [B, T, d]
}

/**
 * How token ids become vectors. `gather` is the usual lookup, but its gradient needs the
 * `UnsortedSegmentSum` kernel, which the WASM backend lacks; `onehot` multiplies a one-hot
 * matrix by the table instead, which every backend can differentiate and, for the small
 * vocabularies of these toy tasks, costs about the same.
 */
export type EmbeddingMode = 'gather' | 'onehot';

export function embedding(
  table: tf.Tensor2D, // [V, d]
  ids: tf.Tensor2D, // [B, T] int32
  mode: EmbeddingMode,
): tf.Tensor3D {
  const [B, T] = ids.shape;
  const [V, d] = table.shape;
  if (mode === 'gather') return tf.reshape(tf.gather(table, ids), [B, T, d]); // [B, T, d]
  const oh = tf.oneHot(tf.reshape(ids, [-1]), V) as tf.Tensor2D; // [B*T, V]
  return tf.reshape(tf.matMul(oh, table), [B, T, d]); // [B, T, d]
}

/**
 * `onehot` for the small vocabularies of the toy tasks (measured on tfjs-cpu: the gradient of
 * gather, UnsortedSegmentSum, took 235 ms of a 836 ms step; the one-hot matmul a few ms), and
 * wherever gather's gradient is missing (WASM). `gather` for large vocabularies elsewhere.
 */
export function bestEmbeddingMode(vocab: number): EmbeddingMode {
  if (!tf.getKernel('UnsortedSegmentSum', tf.getBackend())) return 'onehot';
  return vocab <= 1024 ? 'onehot' : 'gather';
}

/** Cross-entropy of sequence logits [B, T, V] against target ids [B, T], padding (id 0) left out. */
export function sequenceCrossEntropy(logits: tf.Tensor, targets: tf.Tensor2D, withAccuracy = true): { loss: tf.Scalar; accuracy?: tf.Scalar } {
  const flat = tf.reshape(logits, [-1, logits.shape[2]!]) as tf.Tensor2D; // [B*T, V]
  const labels = tf.reshape(targets, [-1]) as tf.Tensor1D; // [B*T]
  const w = tf.cast(tf.notEqual(labels, 0), 'float32') as tf.Tensor1D; // [B*T]
  return maskedCrossEntropy(flat, labels, w, withAccuracy);
}

/**
 * Mean cross-entropy over the positions where `weights` is 1, and the accuracy there.
 * logits [N, C], labels [N] int32, weights [N] float (0 for padding).
 */
export function maskedCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  weights: tf.Tensor1D,
  withAccuracy = true,
): { loss: tf.Scalar; accuracy?: tf.Scalar } {
  if (fusedKernels()) return fusedCrossEntropy(logits, labels, weights, withAccuracy);
  const C = logits.shape[1];
  const oh = tf.oneHot(labels, C); // [N, C]
  const total = tf.maximum(tf.sum(weights), 1); // []
  const w = tf.div(weights, total); // [N] each position's share of the mean
  // The gradient in closed form, softmax − one-hot, instead of autodiff through logSoftmax.
  // oh and w go in as inputs (saved for the backward pass; their own gradients are unused zeros).
  const ce = tf.customGrad(((z: tf.Tensor, oh: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(z); // [N, C]
    save([logp, oh, w]);
    return {
      value: tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(logp, oh), -1), w))), // []
      gradFunc: (dy: tf.Tensor, [logp, oh, w]: tf.Tensor[]) => [
        tf.mul(tf.sub(tf.exp(logp!), oh!), tf.mul(tf.expandDims(w!, -1), dy)), // [N, C]
        tf.zerosLike(oh!),
        tf.zerosLike(w!),
      ],
    };
  }) as never) as unknown as (z: tf.Tensor, oh: tf.Tensor, w: tf.Tensor) => tf.Tensor;
  const loss = ce(logits, oh, w) as tf.Scalar; // []
  if (!withAccuracy) return { loss };
  const hit = tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'); // [N]
  const accuracy = tf.sum(tf.mul(hit, w)) as tf.Scalar; // []
  return { loss, accuracy };
}
