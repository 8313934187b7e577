import * as tf from '@tensorflow/tfjs-core';
import { MASKED } from '../attention';
import type { AdditiveConfig } from '../config';
import { declareDense, dense, embedding, sequenceCrossEntropy, type EmbeddingMode } from '../layers';
import { ParamLayout, type Params } from '../params';
import type { Model, TensorBatch } from './types';

/**
 * A recurrent encoder-decoder with additive attention (Bahdanau, Cho & Bengio 2015): a GRU reads
 * the source; at every output step the decoder scores each source state h_j against its own
 * previous state s with  e_j = vᵀ tanh(W s + U h_j),  α = softmax(e),  c = Σ α_j h_j,
 * then updates s from [y_prev; c]. The α of every step form the alignment matrix.
 * B batch, Ts / Tt source / target length, e embedding, h state, a attention width.
 */

function declareGru(L: ParamLayout, name: string, nIn: number, h: number): void {
  L.add(`${name}.wx`, [nIn, 3 * h]);
  L.add(`${name}.wh`, [h, 3 * h]);
  L.add(`${name}.b`, [3 * h], 'zeros');
}

/** One GRU step. xw = x Wx + b precomputed [B, 3h]; s [B, h] → [B, h] */
function gruStep(P: Params, name: string, xw: tf.Tensor2D, s: tf.Tensor2D): tf.Tensor2D {
  const [xz, xr, xn] = tf.split(xw, 3, 1); // 3 × [B, h]
  const [hz, hr, hn] = tf.split(tf.matMul(s, P[`${name}.wh`] as tf.Tensor2D), 3, 1); // 3 × [B, h]
  const z = tf.sigmoid(tf.add(xz!, hz!)); // [B, h]
  const r = tf.sigmoid(tf.add(xr!, hr!)); // [B, h]
  const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!))); // [B, h]
  return tf.add(n, tf.mul(z, tf.sub(s, n))); // [B, h]   (1-z)·n + z·s
}

export type AdditiveState = {
  H: tf.Tensor3D; // [B, Ts, h] encoder states
  UH: tf.Tensor3D; // [B, Ts, a] their attention keys, computed once
  maskAdd: tf.Tensor2D; // [B, Ts] 0 / MASKED
  s: tf.Tensor2D; // [B, h] decoder state
};

export function buildAdditive(c: AdditiveConfig, srcVocab: number, tgtVocab: number, mode: EmbeddingMode): Model & {
  start(P: Params, src: tf.Tensor2D): AdditiveState;
  step(P: Params, st: AdditiveState, prev: tf.Tensor1D): { state: AdditiveState; logits: tf.Tensor2D; alpha: tf.Tensor2D };
} {
  const L = new ParamLayout();
  L.add('enc.tok', [srcVocab, c.embed], 'normal');
  declareGru(L, 'enc.gru', c.embed, c.hidden);
  L.add('dec.tok', [tgtVocab, c.embed], 'normal');
  declareGru(L, 'dec.gru', c.embed + c.hidden, c.hidden);
  L.add('att.W', [c.hidden, c.attention]);
  L.add('att.U', [c.hidden, c.attention]);
  L.add('att.v', [c.attention, 1]);
  declareDense(L, 'out', 2 * c.hidden, tgtVocab);

  const start = (P: Params, src: tf.Tensor2D): AdditiveState => {
    const [B, Ts] = src.shape;
    const h = c.hidden;
    const x = embedding(P['enc.tok'] as tf.Tensor2D, src, mode); // [B, Ts, e]
    const xw = tf.reshape(dense({ 'w.w': P['enc.gru.wx']!, 'w.b': P['enc.gru.b']! }, 'w', x), [B, Ts, 3 * h]); // [B, Ts, 3h]
    const steps = tf.unstack(xw, 1) as tf.Tensor2D[]; // Ts × [B, 3h]
    let s = tf.zeros([B, h]) as tf.Tensor2D; // [B, h]
    const states: tf.Tensor2D[] = [];
    for (const xt of steps) states.push((s = gruStep(P, 'enc.gru', xt, s))); // [B, h]
    const H = tf.stack(states, 1) as tf.Tensor3D; // [B, Ts, h]
    const keep = tf.cast(tf.notEqual(src, 0), 'float32'); // [B, Ts]
    const maskAdd = tf.mul(tf.sub(1, keep), MASKED) as tf.Tensor2D; // [B, Ts]
    const UH = tf.reshape(tf.matMul(tf.reshape(H, [-1, h]), P['att.U'] as tf.Tensor2D), [B, Ts, c.attention]) as tf.Tensor3D; // [B, Ts, a]
    // The decoder starts from the mean of the real (non-padding) encoder states.
    const s0 = tf.div(tf.sum(tf.mul(H, tf.expandDims(keep, -1)), 1), tf.maximum(tf.sum(keep, 1, true), 1)) as tf.Tensor2D; // [B, h]
    return { H, UH, maskAdd, s: s0 };
  };

  const step = (P: Params, st: AdditiveState, prev: tf.Tensor1D) => {
    const [B, Ts, a] = st.UH.shape;
    const Ws = tf.reshape(tf.matMul(st.s, P['att.W'] as tf.Tensor2D), [B, 1, a]); // [B, 1, a]
    const e = tf.reshape(tf.matMul(tf.reshape(tf.tanh(tf.add(st.UH, Ws)), [-1, a]), P['att.v'] as tf.Tensor2D), [B, Ts]); // [B, Ts]
    const alpha = tf.softmax(tf.add(e, st.maskAdd)) as tf.Tensor2D; // [B, Ts]
    const ctx = tf.reshape(tf.matMul(tf.expandDims(alpha, 1), st.H), [B, c.hidden]) as tf.Tensor2D; // [B, h]
    const y = tf.reshape(embedding(P['dec.tok'] as tf.Tensor2D, tf.reshape(prev, [B, 1]) as tf.Tensor2D, mode), [B, c.embed]); // [B, e]
    const xw: tf.Tensor2D = tf.fused.matMul({ a: tf.concat([y, ctx], 1) as tf.Tensor2D, b: P['dec.gru.wx'] as tf.Tensor2D, bias: P['dec.gru.b'] }) as tf.Tensor2D; // [B, 3h]
    const s = gruStep(P, 'dec.gru', xw, st.s); // [B, h]
    const logits = dense(P, 'out', tf.concat([s, ctx], 1)) as tf.Tensor2D; // [B, V]
    return { state: { ...st, s }, logits, alpha };
  };

  const forward = (P: Params, b: TensorBatch) => {
    let st = start(P, b.src);
    const logits: tf.Tensor2D[] = [];
    const alphas: tf.Tensor2D[] = [];
    for (const prev of tf.unstack(b.tgtIn!, 1) as tf.Tensor1D[]) {
      const out = step(P, st, prev); // teacher forcing: the true previous token
      st = out.state;
      logits.push(out.logits); // [B, V]
      alphas.push(out.alpha); // [B, Ts]
    }
    const alpha = tf.expandDims(tf.stack(alphas, 1), 1) as tf.Tensor4D; // [B, 1, Tt, Ts]
    return { logits: tf.stack(logits, 1), attention: { additive: alpha } }; // [B, Tt, V]
  };

  return {
    kind: 'additive', config: c, layout: L, srcVocab, outSize: tgtVocab, embedding: mode, forward, start, step,
    loss(P, b, withAccuracy = true) {
      const { logits } = forward(P, b); // [B, Tt, V]
      return { ...sequenceCrossEntropy(logits, b.tgtOut!, withAccuracy), logits };
    },
  };
}
