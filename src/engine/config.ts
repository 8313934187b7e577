import { EngineError } from './errors';
import type { PositionalKind } from './positional';

/**
 * Model configurations: plain objects, defaults overridden by what the caller passes.
 * `validate*` turns a bad value into an EngineError with a code and params, never a tfjs crash.
 */
export interface TransformerConfig {
  /** Width of every token vector. */
  dModel: number;
  /** Attention heads per layer; must divide dModel. */
  heads: number;
  /** Hidden width of the position-wise feed-forward layer. */
  ffn: number;
  /** Encoder blocks. */
  layers: number;
  /** Decoder blocks (encoder-decoder models only). */
  decoderLayers: number;
  /** Longest sequence the positional table covers. */
  maxLen: number;
  positional: PositionalKind;
  /** Where layer norm sits: 'post' as in the 2017 paper, 'pre' as most models since (trains more easily). */
  norm: 'pre' | 'post';
  /** 'auto' picks gather where its gradient exists on the backend, one-hot matmul elsewhere. */
  embedding: 'auto' | 'gather' | 'onehot';
}

export const DEFAULT_TRANSFORMER: TransformerConfig = {
  dModel: 32,
  heads: 2,
  ffn: 64,
  layers: 1,
  decoderLayers: 1,
  maxLen: 32,
  positional: 'sinusoidal',
  norm: 'pre',
  embedding: 'auto',
};

/** The recurrent encoder-decoder with additive (Bahdanau) attention. */
export interface AdditiveConfig {
  /** Token embedding width. */
  embed: number;
  /** GRU state width (encoder and decoder). */
  hidden: number;
  /** Width of the attention MLP: e = vᵀ tanh(W s + U h). */
  attention: number;
  maxLen: number;
  embedding: 'auto' | 'gather' | 'onehot';
}

export const DEFAULT_ADDITIVE: AdditiveConfig = {
  embed: 16,
  hidden: 48,
  attention: 32,
  maxLen: 40,
  embedding: 'auto',
};

function positiveInt(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new EngineError('invalid-config', { field, value: String(value), expected: 'integer >= 1' });
  }
}

function oneOf(field: string, value: unknown, allowed: string[]): void {
  if (!allowed.includes(value as string)) {
    throw new EngineError('invalid-config', { field, value: String(value), expected: allowed.join('|') });
  }
}

export function validateTransformer(c: TransformerConfig, needsDecoder: boolean): void {
  for (const f of ['dModel', 'heads', 'ffn', 'layers', 'maxLen'] as const) positiveInt(f, c[f]);
  if (needsDecoder) positiveInt('decoderLayers', c.decoderLayers);
  if (c.dModel % c.heads !== 0) {
    throw new EngineError('heads-not-divisor', { dModel: c.dModel, heads: c.heads });
  }
  oneOf('positional', c.positional, ['sinusoidal', 'learned']);
  oneOf('norm', c.norm, ['pre', 'post']);
  oneOf('embedding', c.embedding, ['auto', 'gather', 'onehot']);
}

export function validateAdditive(c: AdditiveConfig): void {
  for (const f of ['embed', 'hidden', 'attention', 'maxLen'] as const) positiveInt(f, c[f]);
  oneOf('embedding', c.embedding, ['auto', 'gather', 'onehot']);
}

/** Training settings. */
export interface TrainConfig {
  batchSize: number;
  learningRate: number;
  /** Adam's β1, β2, ε. */
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Clip the gradient's global norm to this (0: no clipping). */
  clipNorm: number;
  /** Learning-rate warm-up steps (linear from 0). */
  warmup: number;
}

export const DEFAULT_TRAIN: TrainConfig = {
  batchSize: 64,
  learningRate: 3e-3,
  beta1: 0.9,
  beta2: 0.98,
  epsilon: 1e-9,
  clipNorm: 1,
  warmup: 20,
};

export function validateTrain(c: TrainConfig): void {
  positiveInt('batchSize', c.batchSize);
  if (!(c.learningRate > 0 && c.learningRate < 1)) {
    throw new EngineError('invalid-config', { field: 'learningRate', value: String(c.learningRate), expected: '0 < lr < 1' });
  }
}
