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
import type { LabelledSentence } from '../engine/data';
import { charTokens, MASK, PAD, SPECIALS, Vocab, wordTokens } from '../engine/tasks/vocab';

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
      const [l, a] = s.trainStep(); // a: null for tasks without an accuracy
      const [loss, accuracy] = [(await l.data())[0]!, a ? (await a.data())[0]! : Number.NaN];
      tf.dispose(a ? [l, a] : [l]);
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

// --- Building blocks for the exercises that train a model of their own ---------------------
// The learner writes the idea (pooling, masking, shifting, sampling) and the training loop; these
// give the parts already written in earlier exercises, as trainable variables.

/** Every locale's topic sentences (content/<tag>/data/topics.json), bundled with the sandbox. */
const topicFiles = import.meta.glob<LabelledSentence[]>('../../content/*/data/topics.json', { eager: true, import: 'default' });
const topicsOf = (locale: string): LabelledSentence[] | undefined =>
  Object.entries(topicFiles).find(([path]) => path.split('/').at(-3) === locale)?.[1];

/** The topic sentences of `locale` (the page's language), as tensors; a quarter is held out. */
export function topicSentences(o: { locale?: string; seed?: number } = {}) {
  const locale = o.locale ?? 'en';
  const examples = topicsOf(locale) ?? topicsOf('en')!;
  const task = buildTask({ task: 'classify', locale, examples }, o.seed ?? 1);
  const rng = new Rng(o.seed ?? 1);
  const T = task.Ts;
  const classes = task.classes ?? [];
  const pad = (ids: number[]) => Array.from({ length: T }, (_, j) => ids[j] ?? PAD);
  const encode = (texts: string[]): tf.Tensor2D => tf.tensor2d(texts.map((t) => pad(task.src.ids(task.tokenize(t)))), [texts.length, T], 'int32');
  return {
    vocabSize: task.src.size,
    /** Longest sentence in tokens: every batch is padded to it. */
    length: T,
    classes,
    tokenize: (text: string) => task.tokenize(text),
    /** Sentences → ids [N, length] int32, padded with PAD_ID (0); unknown words become <unk>. */
    encode,
    /** A random training batch: ids [B, length] int32, labels [B] int32 (index into `classes`). */
    batch(B: number): { ids: tf.Tensor2D; labels: tf.Tensor1D } {
      const b = task.batch(rng, B);
      return { ids: tf.tensor2d(b.src, [B, T], 'int32'), labels: tf.tensor1d(b.labels!, 'int32') };
    },
    /** The held-out sentences the model never trains on: ids [N, length], labels [N]. */
    heldOut(): { ids: tf.Tensor2D; labels: tf.Tensor1D; texts: string[] } {
      const h = task.heldOut;
      return { ids: encode(h.map((e) => e.text!)), labels: tf.tensor1d(h.map((e) => classes.indexOf(e.target[0]!)), 'int32'), texts: h.map((e) => e.text!) };
    },
  };
}

/**
 * A text cut into tokens, for the masked and the next-token models: `unit: 'word'` uses the
 * locale's word segmenter (Intl.Segmenter: it finds words in zh-CN and ja too, lower-cased),
 * `unit: 'char'` one token per character. Ids 0-4 are PAD_ID, <s>, </s>, <unk> and MASK_ID.
 */
export function textData(text: string, o: { locale?: string; unit?: 'word' | 'char' } = {}) {
  const locale = o.locale ?? 'en';
  const unit = o.unit ?? 'word';
  const cut = (t: string) => (unit === 'char' ? charTokens(t) : wordTokens(t, locale));
  const tokens = cut(text);
  const vocab = new Vocab(tokens, 'text');
  const ids = vocab.ids(tokens);
  // Words are joined by spaces, except in the languages written without them.
  const joiner = unit === 'char' || /^(zh|ja)/.test(locale) ? '' : ' ';
  return {
    vocabSize: vocab.size,
    vocabulary: vocab.tokens as readonly string[],
    /** The whole text as ids. */
    ids,
    /** Text → ids; `[MASK]` in the text becomes MASK_ID. */
    encode: (t: string): number[] => t.split('[MASK]').flatMap((part, i) => [...(i > 0 ? [MASK] : []), ...vocab.ids(cut(part))]),
    /** Ids → text (special tokens are written as they are named: [MASK], <unk>). */
    decode: (xs: ArrayLike<number>): string => Array.from(xs, (id) => (id === MASK ? '[MASK]' : vocab.tokens[id] ?? '<unk>')).join(joiner),
    /** `B` windows of `length` consecutive ids, at random places in the text. */
    windows(B: number, length: number, rng: Rng): number[][] {
      const last = Math.max(1, ids.length - length + 1);
      return Array.from({ length: B }, () => {
        const start = rng.int(0, last);
        return Array.from({ length }, (_, j) => ids[start + j] ?? PAD);
      });
    },
  };
}

/** A dense layer x [..., nIn] → [..., nOut] (weight and bias in one trainable variable). */
export function createDense(nIn: number, nOut: number, seed = 1) {
  const L = new ParamLayout();
  L.add('w', [nIn, nOut], 'glorot');
  L.add('b', [nOut], 'zeros');
  const w = new Weights(L, seed);
  return {
    variable: w.theta,
    apply: <T extends tf.Tensor>(x: T): T =>
      tf.tidy(() => {
        const v = w.views();
        const flat = tf.reshape(x, [-1, nIn]);
        return tf.reshape(tf.add(tf.matMul(flat, v.w as tf.Tensor2D), v.b!), [...x.shape.slice(0, -1), nOut]) as T;
      }),
    dispose: () => w.dispose(),
  };
}

/**
 * The body of a tiny transformer, in plain tfjs so it can be read: `embed(ids)` looks ids up in a
 * trainable table and adds the sinusoidal positions (exercise 1); `layer(x, mask)` is one pre-norm
 * transformer block (exercise 5) whose multi-head attention (exercise 4) uses the mask you pass
 * (exercise 3). Every weight is a trainable tf.Variable: tf.train.adam().minimize() trains them.
 */
export function createTinyTransformer(o: { vocabSize: number; dModel?: number; heads?: number; ffn?: number; seed?: number }) {
  const d = o.dModel ?? 32;
  const H = o.heads ?? 2;
  const f = o.ffn ?? 2 * d;
  const rng = new Rng(o.seed ?? 1);
  // Inside tidy: the initial tensor is freed, the variable keeps its own copy.
  const normal = (shape: [number, number], std: number) =>
    tf.tidy(() => tf.variable(tf.tensor2d(Array.from({ length: shape[0] * shape[1] }, () => rng.normal() * std), shape), true));
  const fill = (n: number, v: number) => tf.tidy(() => tf.variable(tf.fill([n], v), true));
  const w = {
    table: normal([o.vocabSize, d], 0.5), // [V, d]
    wq: normal([d, d], 1 / Math.sqrt(d)), wk: normal([d, d], 1 / Math.sqrt(d)), wv: normal([d, d], 1 / Math.sqrt(d)), wo: normal([d, d], 1 / Math.sqrt(d)),
    g1: fill(d, 1), b1: fill(d, 0), g2: fill(d, 1), b2: fill(d, 0), // layer-norm gains and biases
    w1: normal([d, f], Math.sqrt(2 / d)), c1: fill(f, 0), w2: normal([f, d], 1 / Math.sqrt(f)), c2: fill(d, 0), // feed-forward
  };
  /** x [B, T, n] · m [n, k] → [B, T, k] */
  const dense = (x: tf.Tensor, m: tf.Tensor2D, bias?: tf.Tensor1D) => {
    const [B, T, n] = x.shape as [number, number, number];
    const y = tf.reshape(tf.matMul(tf.reshape(x, [B * T, n]), m), [B, T, m.shape[1]]);
    return bias ? tf.add(y, bias) : y;
  };
  const norm = (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => {
    const { mean, variance } = tf.moments(x, -1, true); // per token
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
  };
  /** [B, T, d] ↔ [B, H, T, d/H] */
  const split = (x: tf.Tensor, B: number, T: number) => tf.transpose(tf.reshape(x, [B, T, H, d / H]), [0, 2, 1, 3]) as tf.Tensor4D;
  const combine = (x: tf.Tensor, B: number, T: number) => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B, T, d]);
  return {
    dModel: d,
    /** ids [B, T] int32 → vectors [B, T, d] (token embedding + sinusoidal position). */
    embed: (ids: tf.Tensor2D): tf.Tensor3D =>
      tf.tidy(() => {
        const [B, T] = ids.shape;
        // The lookup as a one-hot product, which is what tf.gather(table, ids) computes: gather's
        // gradient (a segment sum) took 1.7 s per step on the cpu backend, this one milliseconds.
        const rows = tf.matMul(tf.oneHot(tf.reshape(ids, [B * T]), o.vocabSize), w.table as tf.Tensor2D); // [B·T, d]
        return tf.add(tf.reshape(rows, [B, T, d]), positionalEncoding(T, d)) as tf.Tensor3D;
      }),
    /** x [B, T, d], additive mask (broadcastable to [B, H, T, T]) → output [B, T, d], weights [B, H, T, T]. */
    layer(x: tf.Tensor3D, mask?: tf.Tensor): { output: tf.Tensor3D; weights: tf.Tensor4D } {
      return tf.tidy(() => {
        const [B, T] = x.shape;
        const n1 = norm(x, w.g1 as tf.Tensor1D, w.b1 as tf.Tensor1D); // pre-norm: x + att(LN(x))
        const a = scaledDotProductAttention(split(dense(n1, w.wq as tf.Tensor2D), B, T), split(dense(n1, w.wk as tf.Tensor2D), B, T), split(dense(n1, w.wv as tf.Tensor2D), B, T), mask);
        const h = tf.add(x, dense(combine(a.output, B, T), w.wo as tf.Tensor2D)); // [B, T, d]
        const n2 = norm(h, w.g2 as tf.Tensor1D, w.b2 as tf.Tensor1D); // h + ffn(LN(h))
        const ffn = dense(tf.relu(dense(n2, w.w1 as tf.Tensor2D, w.c1 as tf.Tensor1D)), w.w2 as tf.Tensor2D, w.c2 as tf.Tensor1D);
        return { output: tf.add(h, ffn) as tf.Tensor3D, weights: a.weights };
      });
    },
    dispose: () => tf.dispose(Object.values(w)),
  };
}

/** Random projections for multi-head attention: wq, wk, wv, wo, each [dModel, dModel] (N(0, 1/dModel)). */
export function attentionWeights(dModel: number, seed = 1): { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D; wo: tf.Tensor2D } {
  const rng = new Rng(seed);
  const m = () => tf.tensor2d(Array.from({ length: dModel * dModel }, () => rng.normal() / Math.sqrt(dModel)), [dModel, dModel]);
  return { wq: m(), wk: m(), wv: m(), wo: m() };
}
