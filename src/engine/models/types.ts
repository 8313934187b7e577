import type * as tf from '@tensorflow/tfjs-core';
import type { AdditiveConfig, TransformerConfig } from '../config';
import type { EmbeddingMode } from '../layers';
import type { ParamLayout, Params } from '../params';

/**
 * seq2seq: transformer encoder-decoder · additive: GRU encoder-decoder with Bahdanau attention ·
 * classifier: encoder + mean-pool + linear · tagger: encoder + a vocabulary head at every position
 * (the masked language model and the pronoun task).
 */
export type ModelKind = 'seq2seq' | 'additive' | 'classifier' | 'tagger';

/** A batch on the device. Id 0 is padding in every vocabulary. */
export interface TensorBatch {
  src: tf.Tensor2D; // [B, Ts] int32
  tgtIn?: tf.Tensor2D; // [B, Tt] int32: BOS y1 … (seq2seq, additive)
  tgtOut?: tf.Tensor2D; // [B, Tt] int32: y1 … EOS (seq2seq, additive); targets (tagger)
  labels?: tf.Tensor1D; // [B] int32 (classifier)
  weights?: tf.Tensor2D; // [B, Tt] float: which positions count in the loss (tagger)
}

/**
 * Attention weights by name: `enc0` … [B, H, Ts, Ts] (self), `dec0.self` [B, H, Tt, Tt],
 * `dec0.cross` [B, H, Tt, Ts], `additive` [B, 1, Tt, Ts] (α, one "head").
 */
export type AttentionMap = Record<string, tf.Tensor4D>;

export interface ForwardResult {
  logits: tf.Tensor; // [B, Tt, V] (seq2seq, additive, tagger) or [B, C] (classifier)
  attention: AttentionMap;
}

export interface Model {
  kind: ModelKind;
  config: TransformerConfig | AdditiveConfig;
  layout: ParamLayout;
  srcVocab: number;
  /** Output classes: target vocabulary, class count, or vocabulary for the tagger. */
  outSize: number;
  embedding: EmbeddingMode;
  forward(P: Params, batch: TensorBatch): ForwardResult;
  /** Mean loss; accuracy only when asked (it costs kernels every step otherwise). */
  loss(P: Params, batch: TensorBatch, withAccuracy?: boolean): { loss: tf.Scalar; accuracy?: tf.Scalar; logits: tf.Tensor };
}
