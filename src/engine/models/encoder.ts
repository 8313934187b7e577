import * as tf from '@tensorflow/tfjs-core';
import { paddingMask } from '../attention';
import { declareEncoderBlock, encoderBlock } from '../blocks';
import type { TransformerConfig } from '../config';
import { declareDense, declareLayerNorm, dense, layerNorm, maskedCrossEntropy, type EmbeddingMode } from '../layers';
import { ParamLayout, type Params } from '../params';
import { declarePositional, embedPositioned } from '../positional';
import type { AttentionMap, Model, TensorBatch } from './types';

/** Token embedding + positions + N encoder blocks (+ a final norm when pre-LN). */
export function declareEncoder(L: ParamLayout, name: string, c: TransformerConfig, vocab: number): void {
  L.add(`${name}.tok`, [vocab, c.dModel], 'normal');
  declarePositional(L, `${name}.pos`, c.positional, c.maxLen, c.dModel);
  for (let i = 0; i < c.layers; i++) declareEncoderBlock(L, `${name}.${i}`, c);
  if (c.norm === 'pre') declareLayerNorm(L, `${name}.lnf`, c.dModel);
}

/** ids [B, T] → x [B, T, d], attention `enc{i}` [B, H, T, T], mask [B, 1, 1, T] */
export function encode(
  P: Params,
  name: string,
  c: TransformerConfig,
  ids: tf.Tensor2D,
  mode: EmbeddingMode,
  attention: AttentionMap,
): { x: tf.Tensor3D; mask: tf.Tensor4D } {
  const mask = paddingMask(ids); // [B, 1, 1, T]
  let x = embedPositioned(P, `${name}.tok`, `${name}.pos`, c.positional, c.maxLen, ids, mode); // [B, T, d]
  for (let i = 0; i < c.layers; i++) {
    const out = encoderBlock(P, `${name}.${i}`, c, x, mask);
    x = out.x; // [B, T, d]
    attention[`${name}${i}`] = out.weights; // [B, H, T, T]
  }
  if (c.norm === 'pre') x = layerNorm(P, `${name}.lnf`, x) as tf.Tensor3D; // [B, T, d]
  return { x, mask };
}

/** Encoder-only classifier: mean of the non-padding token vectors → linear → [B, C]. */
export function buildClassifier(c: TransformerConfig, vocab: number, classes: number, mode: EmbeddingMode): Model {
  const layout = new ParamLayout();
  declareEncoder(layout, 'enc', c, vocab);
  declareDense(layout, 'head', c.dModel, classes);
  const forward = (P: Params, b: TensorBatch) => {
    const attention: AttentionMap = {};
    const { x } = encode(P, 'enc', c, b.src, mode, attention); // [B, T, d]
    // Counted along the last axis: on WebGPU a cast from bool keeps an integer buffer, and a
    // reduction over a middle axis transposes it with a shader that then fails to compile.
    const keep = tf.cast(tf.notEqual(b.src, 0), 'float32'); // [B, T]
    const count = tf.maximum(tf.sum(keep, -1, true), 1); // [B, 1]
    const pooled = tf.div(tf.sum(tf.mul(x, tf.expandDims(keep, -1)), 1), count); // [B, d]
    return { logits: dense(P, 'head', pooled), attention }; // [B, C]
  };
  return {
    kind: 'classifier', config: c, layout, srcVocab: vocab, outSize: classes, embedding: mode, forward,
    loss(P, b, withAccuracy = true) {
      const { logits } = forward(P, b); // [B, C]
      const w = tf.ones([b.labels!.shape[0]]) as tf.Tensor1D; // [B]
      return { ...maskedCrossEntropy(logits as tf.Tensor2D, b.labels!, w, withAccuracy), logits };
    },
  };
}

/** Encoder-only tagger: a vocabulary head at every position (tiny BERT, pronoun task). */
export function buildTagger(c: TransformerConfig, vocab: number, mode: EmbeddingMode): Model {
  const layout = new ParamLayout();
  declareEncoder(layout, 'enc', c, vocab);
  declareDense(layout, 'head', c.dModel, vocab);
  const forward = (P: Params, b: TensorBatch) => {
    const attention: AttentionMap = {};
    const { x } = encode(P, 'enc', c, b.src, mode, attention); // [B, T, d]
    return { logits: dense(P, 'head', x), attention }; // [B, T, V]
  };
  return {
    kind: 'tagger', config: c, layout, srcVocab: vocab, outSize: vocab, embedding: mode, forward,
    loss(P, b, withAccuracy = true) {
      const { logits } = forward(P, b); // [B, T, V]
      const flat = tf.reshape(logits, [-1, vocab]) as tf.Tensor2D; // [B*T, V]
      const labels = tf.reshape(b.tgtOut!, [-1]) as tf.Tensor1D; // [B*T]
      const w = tf.reshape(b.weights!, [-1]) as tf.Tensor1D; // [B*T]
      return { ...maskedCrossEntropy(flat, labels, w, withAccuracy), logits };
    },
  };
}
