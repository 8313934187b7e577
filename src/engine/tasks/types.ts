import type { TransformerConfig } from '../config';
import type { ModelKind } from '../models/types';
import type { Rng } from '../random';
import type { Vocab } from './vocab';

/** A batch in plain arrays, before upload. Shapes in comments. */
export interface RawBatch {
  B: number;
  Ts: number;
  src: Int32Array; // [B, Ts]
  Tt?: number;
  tgtIn?: Int32Array; // [B, Tt]
  tgtOut?: Int32Array; // [B, Tt]
  labels?: Int32Array; // [B]
  weights?: Float32Array; // [B, Tt]
}

/** One held-out example, for evaluation and for the figures' probes. */
export interface Example {
  /** The input as the reader would write it. */
  text: string;
  /** Its tokens, as the model sees them. */
  tokens: string[];
  /** What the model should answer: target tokens, class name, or referent word. */
  target: string[];
}

export interface Task {
  name: TaskName;
  /** The model families this task can train; the first is the default. */
  kinds: ModelKind[];
  /** Config this task needs unless the caller says otherwise (e.g. pronoun needs 2 layers). */
  modelDefaults?: Partial<TransformerConfig>;
  src: Vocab;
  /** Output vocabulary (seq2seq/additive) or tagger vocabulary (same as src). */
  tgt?: Vocab;
  /** Class names (classifier). */
  classes?: string[];
  /** Padded lengths: fixed per task, so GPU kernels compile once. */
  Ts: number;
  Tt: number;
  tokenize(text: string): string[];
  /** A seeded batch, shaped for the model family `kind` (most tasks serve one family). */
  batch(rng: Rng, B: number, kind?: ModelKind): RawBatch;
  /** Held-out examples (dates, reversal, classify) or a few samples (mlm, pronoun). */
  heldOut: Example[];
  /** The example whose attention the snapshots show. */
  probe: Example;
}

export type TaskName = 'dates' | 'reversal' | 'mlm' | 'classify' | 'pronoun';
