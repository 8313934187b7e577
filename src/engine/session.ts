import * as tf from '@tensorflow/tfjs-core';
import {
  DEFAULT_ADDITIVE, DEFAULT_TRAIN, DEFAULT_TRANSFORMER, validateAdditive, validateTrain, validateTransformer,
  type AdditiveConfig, type TrainConfig, type TransformerConfig,
} from './config';
import { EngineError } from './errors';
import { bestEmbeddingMode, type EmbeddingMode } from './layers';
import { buildAdditive } from './models/additive';
import { buildClassifier, buildTagger } from './models/encoder';
import { buildSeq2Seq } from './models/seq2seq';
import type { Model, ModelKind, TensorBatch } from './models/types';
import type { Params } from './params';
import { Rng } from './random';
import { adamStep } from './gpu/adam';
import { fusedKernels, onWebGL } from './gpu/run';
import { buildTask, type RawBatch, type Task, type TaskSpec } from './tasks';

let joinedDense = true;

/** Turn the joined dense layers off on WebGL (the bench compares both ways). */
export function setJoinedDense(on: boolean): void {
  joinedDense = on;
}

/** Dense layers get their W and b as one view (gpu/dense.ts denseJoined) on fused WebGL. */
const joinDense = (): boolean => joinedDense && fusedKernels() && onWebGL();

/**
 * A training session: one task, one model, its flat weights `theta` [P], Adam's moments and the
 * batch generator, all seeded. `step()` dispatches one training step and returns the loss and
 * accuracy as device scalars WITHOUT reading them back: the caller decides when to pay for a
 * read (every N steps, asynchronously), which on a GPU is what keeps the pipeline full.
 */
export interface SessionOptions {
  task: TaskSpec;
  /** The model family (default: the task's first) and config overrides. */
  model?: { kind?: ModelKind } & Partial<TransformerConfig> & Partial<AdditiveConfig>;
  train?: Partial<TrainConfig>;
  /** Same seed, same backend → same initial weights, batches and loss curve. */
  seed?: number;
}

/** Everything needed to resume training exactly: weights, Adam state, step, batch position. */
export interface Checkpoint {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
  step: number;
  rng: number;
}

export class Session {
  readonly task: Task;
  readonly model: Model;
  readonly train: TrainConfig;
  readonly seed: number;
  step = 0;
  private readonly rng: Rng;
  /** All weights in one flat variable [P], in layout order. */
  private theta: tf.Variable<tf.Rank.R1>;
  /** Named views of theta for inference, cut once per step that needs them. */
  private views: { step: number; joined: boolean; P: Params } | null = null;
  private m: tf.Variable<tf.Rank.R1>;
  private v: tf.Variable<tf.Rank.R1>;
  /** Adam's constants as device scalars, uploaded once (a JS number becomes an upload per use). */
  private constants: Record<'one' | 'clip' | 'tiny' | 'b1' | 'b1c' | 'b2' | 'b2c' | 'eps', tf.Scalar>;

  constructor(opts: SessionOptions) {
    this.seed = opts.seed ?? 1;
    this.task = buildTask(opts.task, this.seed);
    this.train = { ...DEFAULT_TRAIN, ...opts.train };
    validateTrain(this.train);
    this.model = buildModel(this.task, opts.model ?? {});
    const root = new Rng(this.seed);
    const init = this.model.layout.initialise(root.fork(1));
    this.rng = root.fork(2);
    const { beta1, beta2, epsilon, clipNorm } = this.train;
    this.constants = tf.tidy(() => {
      const c = { one: 1, clip: clipNorm, tiny: 1e-6, b1: beta1, b1c: 1 - beta1, b2: beta2, b2c: 1 - beta2, eps: epsilon };
      return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, tf.keep(tf.scalar(v))])) as Session['constants'];
    });
    // Inside tidy: the initial values are freed, the variables (never tidied) keep their copies.
    this.theta = tf.tidy(() => tf.variable(tf.tensor1d(init), true) as tf.Variable<tf.Rank.R1>);
    [this.m, this.v] = tf.tidy(() => [
      tf.variable(tf.zeros([init.length]), false) as tf.Variable<tf.Rank.R1>,
      tf.variable(tf.zeros([init.length]), false) as tf.Variable<tf.Rank.R1>,
    ]);
  }

  get paramCount(): number {
    return this.model.layout.size;
  }

  /** The next seeded batch, uploaded. Caller disposes (or calls inside tf.tidy). */
  nextBatch(): TensorBatch {
    return uploadBatch(this.task.batch(this.rng, this.train.batchSize, this.model.kind));
  }

  /**
   * One step of Adam on the flat parameter vector. Returns [loss, accuracy] scalars that the
   * caller must dispose; accuracy only when `withAccuracy` (else null): the worker asks for it
   * on the steps it reports. Clipping, bias correction and warm-up are a dozen kernels in all
   * (five draws on WebGL, where ./gpu/adam.ts fuses them).
   */
  trainStep(withAccuracy = true): [tf.Scalar, tf.Scalar | null] {
    const { beta1: b1, beta2: b2, clipNorm, learningRate, warmup } = this.train;
    const t = ++this.step;
    const raw = this.task.batch(this.rng, this.train.batchSize, this.model.kind);
    const k = this.constants;
    const out = tf.tidy((): tf.Tensor[] => {
      const batch = uploadBatch(raw);
      let accuracy: tf.Scalar | null = null;
      // The named weights are views of theta cut by one split: its gradient is one concat, so
      // the whole model's gradient arrives as one flat [P] vector, ready for Adam.
      const { value, grads } = tf.variableGrads(() => {
        const out = this.model.loss(this.model.layout.unpack(this.theta, joinDense()), batch, withAccuracy);
        if (out.accuracy) accuracy = tf.keep(out.accuracy);
        return out.loss;
      }, [this.theta]);
      const g0 = grads[this.theta.name] as tf.Tensor1D; // [P]
      const lr = (learningRate * Math.min(1, t / Math.max(1, warmup)) * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      if (fusedKernels()) {
        const next = adamStep(this.theta, g0, this.m, this.v, { ...this.train, lr });
        this.m.assign(next.m);
        this.v.assign(next.v);
        this.theta.assign(next.theta);
        return accuracy ? [value, accuracy] : [value];
      }
      let g = g0;
      if (clipNorm > 0) {
        const norm = tf.sqrt(tf.sum(tf.square(g))); // []
        g = tf.mul(g, tf.minimum(k.one, tf.div(k.clip, tf.add(norm, k.tiny)))); // [P]
      }
      const m = tf.add(tf.mul(this.m, k.b1), tf.mul(g, k.b1c)) as tf.Tensor1D; // [P]
      const v = tf.add(tf.mul(this.v, k.b2), tf.mul(tf.square(g), k.b2c)) as tf.Tensor1D; // [P]
      this.m.assign(m);
      this.v.assign(v);
      const update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), k.eps)), tf.scalar(lr)); // [P]
      this.theta.assign(tf.sub(this.theta, update)); // [P]
      return accuracy ? [value, accuracy] : [value];
    });
    return [out[0] as tf.Scalar, (out[1] as tf.Scalar | undefined) ?? null];
  }

  /** Run `n` steps reading the loss every step (tests, Node). Returns the losses. */
  fit(n: number): { losses: number[]; accuracies: number[] } {
    const losses: number[] = [];
    const accuracies: number[] = [];
    for (let i = 0; i < n; i++) {
      const [l, a] = this.trainStep();
      losses.push(l.dataSync()[0]!);
      accuracies.push(a!.dataSync()[0]!);
      tf.dispose([l, a!]);
    }
    return { losses, accuracies };
  }

  /** The named weights: views of theta, valid until the next step (never dispose them). */
  params(): Params {
    const joined = joinDense();
    if (this.views?.step !== this.step || this.views.joined !== joined) {
      if (this.views) tf.dispose(Object.values(this.views.P));
      const P = tf.tidy(() => {
        const views = this.model.layout.unpack(this.theta, joined);
        Object.values(views).forEach((t) => tf.keep(t));
        return views;
      });
      this.views = { step: this.step, joined, P };
    }
    return this.views.P;
  }

  async checkpoint(): Promise<Checkpoint> {
    const [theta, m, v] = (await Promise.all([this.theta.data(), this.m.data(), this.v.data()])) as Float32Array[];
    return { theta: theta!, m: m!, v: v!, step: this.step, rng: this.rng.position };
  }

  restore(c: Checkpoint): void {
    if (c.theta.length !== this.paramCount) {
      throw new EngineError('invalid-config', { field: 'checkpoint', value: c.theta.length, expected: String(this.paramCount) });
    }
    tf.tidy(() => {
      this.theta.assign(tf.tensor1d(c.theta));
      this.m.assign(tf.tensor1d(c.m));
      this.v.assign(tf.tensor1d(c.v));
    });
    this.step = c.step;
    if (this.views) tf.dispose(Object.values(this.views.P));
    this.views = null;
    this.rng.position = c.rng;
  }

  dispose(): void {
    tf.dispose(Object.values(this.constants));
    if (this.views) tf.dispose(Object.values(this.views.P));
    this.theta.dispose();
    this.m.dispose();
    this.v.dispose();
  }
}

function buildModel(task: Task, o: SessionOptions['model'] & object): Model {
  const kind = o.kind ?? task.kinds[0]!;
  if (!task.kinds.includes(kind)) {
    throw new EngineError('invalid-config', { field: 'model.kind', value: kind, expected: task.kinds.join('|') });
  }
  const need = Math.max(task.Ts, task.Tt);
  const pickMode = (m: EmbeddingMode | 'auto'): EmbeddingMode => (m === 'auto' ? bestEmbeddingMode(task.src.size) : m);
  if (kind === 'additive') {
    const c: AdditiveConfig = { ...DEFAULT_ADDITIVE, maxLen: Math.max(need, DEFAULT_ADDITIVE.maxLen), ...pick(o, DEFAULT_ADDITIVE) };
    validateAdditive(c);
    if (need > c.maxLen) throw new EngineError('sequence-too-long', { length: need, maxLen: c.maxLen });
    return buildAdditive(c, task.src.size, task.tgt!.size, pickMode(c.embedding));
  }
  const c: TransformerConfig = {
    ...DEFAULT_TRANSFORMER, maxLen: Math.max(need, DEFAULT_TRANSFORMER.maxLen), ...task.modelDefaults, ...pick(o, DEFAULT_TRANSFORMER),
  };
  validateTransformer(c, kind === 'seq2seq');
  if (need > c.maxLen) throw new EngineError('sequence-too-long', { length: need, maxLen: c.maxLen });
  const mode = pickMode(c.embedding);
  if (kind === 'seq2seq') return buildSeq2Seq(c, task.src.size, task.tgt!.size, mode);
  if (kind === 'classifier') return buildClassifier(c, task.src.size, task.classes!.length, mode);
  return buildTagger(c, task.src.size, mode);
}

/** The fields of `o` that `defaults` knows, so a transformer ignores GRU options and vice versa. */
function pick<T extends object>(o: object, defaults: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(defaults) as Array<keyof T>) {
    const v = (o as Partial<T>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function uploadBatch(b: RawBatch): TensorBatch {
  const out: TensorBatch = { src: tf.tensor2d(b.src, [b.B, b.Ts], 'int32') };
  if (b.tgtIn) out.tgtIn = tf.tensor2d(b.tgtIn, [b.B, b.Tt!], 'int32');
  if (b.tgtOut) out.tgtOut = tf.tensor2d(b.tgtOut, [b.B, b.Tt!], 'int32');
  if (b.labels) out.labels = tf.tensor1d(b.labels, 'int32');
  if (b.weights) out.weights = tf.tensor2d(b.weights, [b.B, b.Tt!]);
  return out;
}
