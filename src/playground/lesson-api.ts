import * as tf from '@tensorflow/tfjs-core';
import { causalMask, MASKED, paddingMask, scaledDotProductAttention, selfAttention, declareSelfAttention } from '../engine/attention';
import { encoderBlock, declareEncoderBlock } from '../engine/blocks';
import { DEFAULT_TRANSFORMER, type TransformerConfig } from '../engine/config';
import { declareFeedForward, declareLayerNorm, feedForward, layerNorm } from '../engine/layers';
import { evaluate, predict } from '../engine/infer';
import { ParamLayout, type Params } from '../engine/params';
import { Rng } from '../engine/random';
import { Session } from '../engine/session';
import { sinusoidalTable } from '../engine/sinusoid';
import { buildTask } from '../engine/tasks';
import { MASK, PAD, SPECIALS } from '../engine/tasks/vocab';

/**
 * `import { … } from 'lesson'` in the exercises. A small, stable facade over src/engine: the
 * names and shapes documented on the exercises page stay the same when the engine is refactored
 * (only this file follows it). Everything returns tfjs tensors the learner owns and disposes;
 * layers hold their weights as one tf.Variable, so `tf.train.adam().minimize()` trains them.
 * Every `apply` runs inside tf.tidy: only the returned tensors stay allocated.
 * Shapes: B batch, T length, d model width, H heads.
 */

export { scaledDotProductAttention, paddingMask, causalMask, MASKED, Rng };

/** Id of the padding token (every vocabulary) and of the [MASK] token (masked-LM tasks). */
export const PAD_ID = PAD;
export const MASK_ID = MASK;
export const SPECIAL_TOKENS: readonly string[] = SPECIALS;

/** The sinusoidal table of "Attention Is All You Need" as a tensor [length, dim]. */
export function positionalEncoding(length: number, dim: number): tf.Tensor2D {
  return tf.tensor2d(sinusoidalTable(length, dim), [length, dim]);
}

/** A layer's weights: one trainable variable, cut into named views on each call. */
class Weights {
  readonly theta: tf.Variable;
  constructor(readonly layout: ParamLayout, seed: number) {
    // Inside tidy: the initial tensor is freed, the variable keeps its own copy (no leak).
    this.theta = tf.tidy(() => tf.variable(tf.tensor1d(layout.initialise(new Rng(seed))), true));
  }
  views(): Params {
    return this.layout.unpack(this.theta as tf.Tensor1D);
  }
  get count(): number {
    return this.layout.size;
  }
  dispose(): void {
    this.theta.dispose();
  }
}

export interface LayerOptions {
  dModel: number;
  heads?: number;
  ffn?: number;
  seed?: number;
}

/** A random token-embedding table [vocabSize, dModel] (N(0, 0.5²), seeded). */
export function embeddingTable(vocabSize: number, dModel: number, seed = 1): tf.Variable {
  const L = new ParamLayout();
  L.add('tok', [vocabSize, dModel], 'normal');
  return tf.tidy(() => tf.variable(tf.tensor2d(L.initialise(new Rng(seed)), [vocabSize, dModel]), true));
}

/** Multi-head self-attention: x [B, T, d] → { output [B, T, d], weights [B, H, T, T] }. */
export function createMultiHeadAttention(o: LayerOptions) {
  const heads = o.heads ?? 2;
  const L = new ParamLayout();
  declareSelfAttention(L, 'att', o.dModel);
  const w = new Weights(L, o.seed ?? 1);
  return {
    heads,
    paramCount: w.count,
    variable: w.theta,
    apply: (x: tf.Tensor3D, mask?: tf.Tensor) => tf.tidy(() => selfAttention(w.views(), 'att', x, heads, mask)),
    dispose: () => w.dispose(),
  };
}

/** Position-wise feed-forward: x [B, T, d] → [B, T, d]. */
export function createFeedForward(o: LayerOptions) {
  const L = new ParamLayout();
  declareFeedForward(L, 'ffn', o.dModel, o.ffn ?? 4 * o.dModel);
  const w = new Weights(L, o.seed ?? 1);
  return {
    paramCount: w.count,
    variable: w.theta,
    apply: (x: tf.Tensor3D) => tf.tidy(() => feedForward(w.views(), 'ffn', x) as tf.Tensor3D),
    dispose: () => w.dispose(),
  };
}

/** Layer normalisation over the last axis (learned gain and bias, starting at 1 and 0). */
export function createLayerNorm(dModel: number) {
  const L = new ParamLayout();
  declareLayerNorm(L, 'ln', dModel);
  const w = new Weights(L, 1);
  return {
    variable: w.theta,
    apply: <T extends tf.Tensor>(x: T) => tf.tidy(() => layerNorm(w.views(), 'ln', x) as T),
    dispose: () => w.dispose(),
  };
}

/**
 * A pre-norm transformer encoder block (x + att(LN(x)), then x + ffn(LN(x))), plus the same
 * weights as separate sub-layers so an exercise can assemble the block itself and compare:
 * `attention`, `feedForward`, `norm1`, `norm2` share the block's variable.
 */
export function createTransformerBlock(o: LayerOptions & { norm?: 'pre' | 'post' }) {
  const c: TransformerConfig = { ...DEFAULT_TRANSFORMER, dModel: o.dModel, heads: o.heads ?? 2, ffn: o.ffn ?? 4 * o.dModel, norm: o.norm ?? 'pre' };
  const L = new ParamLayout();
  declareEncoderBlock(L, 'b', c);
  const w = new Weights(L, o.seed ?? 1);
  return {
    config: { dModel: c.dModel, heads: c.heads, ffn: c.ffn, norm: c.norm },
    paramCount: w.count,
    variable: w.theta,
    /** x [B, T, d] → { x [B, T, d], weights [B, H, T, T] } */
    apply: (x: tf.Tensor3D, mask?: tf.Tensor) => tf.tidy(() => encoderBlock(w.views(), 'b', c, x, mask)),
    attention: (x: tf.Tensor3D, mask?: tf.Tensor) => tf.tidy(() => selfAttention(w.views(), 'b.att', x, c.heads, mask)),
    feedForward: (x: tf.Tensor3D) => tf.tidy(() => feedForward(w.views(), 'b.ffn', x) as tf.Tensor3D),
    norm1: <T extends tf.Tensor>(x: T) => tf.tidy(() => layerNorm(w.views(), 'b.ln1', x) as T),
    norm2: <T extends tf.Tensor>(x: T) => tf.tidy(() => layerNorm(w.views(), 'b.ln2', x) as T),
    dispose: () => w.dispose(),
  };
}

/** Model settings an exercise may change; anything left out keeps the engine's defaults. */
export interface ModelOptions {
  dModel?: number;
  heads?: number;
  ffn?: number;
  layers?: number;
  positional?: 'sinusoidal' | 'learned';
  learningRate?: number;
  batchSize?: number;
  seed?: number;
}

function wrapSession(s: Session) {
  return {
    paramCount: s.paramCount,
    vocabulary: s.task.src.tokens,
    classes: s.task.classes ?? [],
    tokenize: (text: string) => s.task.tokenize(text),
    /** One Adam step; resolves to the batch's loss and accuracy. */
    async step(): Promise<{ loss: number; accuracy: number }> {
      const [l, a] = s.trainStep();
      const [loss, accuracy] = [(await l.data())[0]!, (await a.data())[0]!];
      tf.dispose([l, a]);
      return { loss, accuracy };
    },
    /** Predictions for texts (write a hidden word as [MASK]): top guesses per asked position. */
    async predict(texts: string[]) {
      const r = await predict(s, texts);
      return r.map((p) => ({ input: p.input, tokens: p.tokens, predictions: p.predictions }));
    },
    /** Accuracy on held-out examples the model never trained on. */
    async evaluate(): Promise<{ examples: number; accuracy: number }> {
      const e = await evaluate(s);
      return { examples: e.examples, accuracy: e.tokenAccuracy };
    },
    dispose: () => s.dispose(),
  };
}

const sessionOpts = (o: ModelOptions) => ({
  model: { dModel: o.dModel, heads: o.heads, ffn: o.ffn, layers: o.layers, positional: o.positional },
  train: { ...(o.learningRate ? { learningRate: o.learningRate } : {}), ...(o.batchSize ? { batchSize: o.batchSize } : {}) },
  seed: o.seed ?? 1,
});

/** The lesson's topic classifier on its toy sentences (locales with a shipped set: en, pt-BR). */
export function createTopicClassifier(o: ModelOptions & { locale?: string; examples?: Array<{ text: string; label: string }> } = {}) {
  const locale = o.locale ?? 'en';
  return wrapSession(new Session({ task: { task: 'classify', locale, examples: o.examples }, ...sessionOpts(o) }));
}

/** A tiny masked language model ("BERT in miniature") trained on `text`. */
export function createMaskedLM(text: string, o: ModelOptions & { locale?: string; window?: number; maskRate?: number } = {}) {
  const spec = { task: 'mlm' as const, locale: o.locale ?? 'en', text, window: o.window, maskRate: o.maskRate };
  return wrapSession(new Session({ task: spec, ...sessionOpts(o) }));
}

/**
 * The topic data as tensors, for exercises that write their own model: `batch(B)` gives
 * ids [B, T] int32 (0 = padding) and labels [B] int32.
 */
export function topicData(o: { locale?: string; seed?: number } = {}) {
  const task = buildTask({ task: 'classify', locale: o.locale ?? 'en' }, o.seed ?? 1);
  const rng = new Rng(o.seed ?? 1);
  return {
    vocabSize: task.src.size,
    length: task.Ts,
    classes: task.classes ?? [],
    tokenize: (text: string) => task.tokenize(text),
    ids: (text: string) => task.src.ids(task.tokenize(text)),
    batch(B: number): { ids: tf.Tensor2D; labels: tf.Tensor1D } {
      const b = task.batch(rng, B);
      return { ids: tf.tensor2d(b.src, [B, b.Ts], 'int32'), labels: tf.tensor1d(b.labels!, 'int32') };
    },
  };
}

/** What createTransformerBlock returns: the block and its four sub-layers. */
export type TransformerBlock = ReturnType<typeof createTransformerBlock>;
