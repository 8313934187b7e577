/**
 * The typed message protocol between islands (main thread) and the engine worker.
 * Islands normally use `src/worker/client.ts`, which wraps these messages in promises and
 * events; this file is the contract both sides compile against. It imports types only: no tfjs.
 *
 * ── Requests (main → worker) ─ every request has an `id`; the worker answers with one `reply`
 *   init       {backend?, order?}              → BackendInfo       start a backend (once; ?backend= forces one; else the
 *                                                                  first of `order` that works: the 'starter')
 *   switch     {backend, reason, timings?}     → BackendInfo       move every model to this backend (measured faster):
 *                                                                  training pauses, state moves, goes on at the same step
 *   time       {modelId, warmup, steps, every?} → {warmupMs, msPerStep}  time training steps (the page's probe worker)
 *   create     {modelId, options, restore?}    → ModelInfo         build task + model (+ resume from IndexedDB key)
 *   train      {modelId, steps?, reportEvery?, snapshotEvery?, evaluateEvery?, targetAccuracy?}
 *                                              → TrainState        start training; progress/snapshot/state events follow
 *   pause | resume | stop {modelId}            → TrainState        stop: the loop ends before its next step (< 200 ms)
 *   step       {modelId, n?}                   → Progress          n steps while paused/idle, then a progress report
 *   decode     {modelId, inputs}               → DecodeResult[]    greedy decoding + cross-attention of every step
 *   predict    {modelId, inputs}               → PredictResult[]   classifier / masked LM / pronoun + attention
 *   evaluate   {modelId, limit?}               → Evaluation        held-out scores (+ confusion matrix)
 *   attention  {modelId}                       → Snapshot          the probe example's attention, now
 *   positional {modelId?, length, dModel?}     → PositionalTable   sinusoidal table, or the model's learned one
 *   save | load {modelId, key}                 → {key, step}       IndexedDB checkpoint (weights + Adam + step)
 *   delete     {modelId?, key}                 → {key, deleted}    remove that checkpoint (deleted: there was one);
 *                                                                  runs after any save/load of the key sent before it
 *   dispose    {modelId}                       → null
 *   memory     {}                              → MemoryInfo        tf.memory(): numTensors, numBytes
 *   debug      {action: 'lose-device'}         → boolean           tests only: destroy the WebGPU device
 *              {action: 'poison-weights', modelId}                 tests only: set the model's weights to NaN
 *              {action: 'fail-next-step' | 'fail-next-create', message, after?}
 *                                                                  tests only: the next step (create) throws
 *                                                                  `message` at its `after`-th allocation
 *
 * ── Events (worker → main), pushed while training or when the backend changes
 *   progress  {modelId, step, loss, accuracy, stepsPerSec, elapsedMs}   every `reportEvery` steps
 *   snapshot  {modelId, step, ...Snapshot}                              every `snapshotEvery` steps
 *   evaluation{modelId, step, evaluation}                               every `evaluateEvery` steps
 *   state     {modelId, state, step, error?}                            training/paused/stopped/done/failed
 *   backend   BackendInfo                                               after a device loss moved the engine
 *
 * Errors are `{code, params, message}` (see src/engine/errors.ts): UIs localise them from
 * `code` + `params`; `message` is English for logs. The worker survives every error.
 * A step that fails (out-of-memory…) or a non-finite loss (nan-loss, found at a report) leaves
 * nothing allocated and sends the model back to its last good state, a copy of weights + Adam +
 * step + batch position taken at earlier reports: the error's params say `restoredStep`, and
 * training can go on from there. Only if even that fails is the model freed (`disposed: true`).
 */
import type { BackendInfo, BackendName } from '../engine/backend';
import type { Timing } from '../engine/choice';
import type { AdditiveConfig, TrainConfig, TransformerConfig } from '../engine/config';
import type { ErrorParams, EngineErrorCode, SerializedError } from '../engine/errors';
import type { AttentionMatrix, DecodeResult, Evaluation, PredictResult, TokenGuess } from '../engine/infer';
import type { ModelKind } from '../engine/models/types';
import type { TaskSpec } from '../engine/tasks';
import type { SessionOptions } from '../engine/session';

export type { Timing };
export type { AttentionMatrix, BackendInfo, BackendName, DecodeResult, EngineErrorCode, ErrorParams, Evaluation, ModelKind, PredictResult, SerializedError, TaskSpec, TokenGuess };
export type { ClassifySpec, DatesSpec, MlmSpec, PronounSpec, ReversalSpec } from '../engine/tasks';
export type { LabelledSentence, PronounTemplates } from '../engine/data/types';

/** What `create` takes: the task, the model family and config overrides, training settings, seed (a Session's options). */
export type ModelOptions = SessionOptions;

export interface ModelInfo {
  modelId: string;
  kind: ModelKind;
  paramCount: number;
  /** Resolved config (defaults filled in). */
  config: TransformerConfig | AdditiveConfig;
  train: TrainConfig;
  /** Input and output vocabularies, class names (classifier). */
  srcTokens: string[];
  tgtTokens?: string[];
  classes?: string[];
  /** Padded input/output lengths. */
  maxInput: number;
  maxOutput: number;
  /** The example the snapshots show, and a few held-out ones to offer readers. */
  probe: { text: string; tokens: string[]; target: string[] };
  samples: Array<{ text: string; target: string[] }>;
  /** Steps already trained (non-zero after a restore). */
  step: number;
  backend: BackendName;
}

export type TrainStateName = 'idle' | 'training' | 'paused' | 'stopped' | 'done' | 'failed';

export interface TrainState {
  modelId: string;
  state: TrainStateName;
  step: number;
  /** Set when state is 'failed' (nan-loss, out-of-memory, device-lost…). */
  error?: SerializedError;
}

export interface Progress {
  modelId: string;
  step: number;
  /** Loss and accuracy of the training batch at `step` (accuracy: token-level for sequences). */
  loss: number;
  accuracy: number;
  /** Measured over the steps since the previous report. */
  stepsPerSec: number;
  elapsedMs: number;
}

/** The probe example's attention: `decode` for encoder-decoders, `predict` for the others. */
export type Snapshot =
  | { modelId: string; step: number; kind: 'decode'; result: DecodeResult }
  | { modelId: string; step: number; kind: 'predict'; result: PredictResult };

export interface PositionalTable {
  kind: 'sinusoidal' | 'learned';
  rows: number;
  cols: number;
  data: Float32Array; // [rows, cols]
}

export interface MemoryInfo {
  backend: BackendName;
  numTensors: number;
  numBytes: number;
}

export interface TrainOptions {
  /** Stop after this many more steps (default: until stopped). */
  steps?: number;
  /** Read loss/accuracy back every N steps (default 10). Reading back is what costs on a GPU. */
  reportEvery?: number;
  /** Post the probe's attention every N steps (default 0: never). */
  snapshotEvery?: number;
  /** Evaluate on held-out data every N steps (default 0: never). */
  evaluateEvery?: number;
  /** Finish ('done') once a held-out evaluation reaches this exact-match score. */
  targetAccuracy?: number;
}

type WithId<T> = T & { id: number };
type M = { modelId: string };

export type Request = WithId<
  | { type: 'init'; backend?: BackendName | null; order?: BackendName[] }
  | { type: 'switch'; backend: BackendName; reason: 'measured' | 'remembered'; timings?: Timing[] }
  | ({ type: 'time'; warmup: number; steps: number; every?: number } & M)
  | ({ type: 'create'; options: ModelOptions; restore?: string } & M)
  | ({ type: 'train' } & TrainOptions & M)
  | ({ type: 'pause' } & M)
  | ({ type: 'resume' } & M)
  | ({ type: 'stop' } & M)
  | ({ type: 'step'; n?: number } & M)
  | ({ type: 'decode'; inputs: string[] } & M)
  | ({ type: 'predict'; inputs: string[] } & M)
  | ({ type: 'evaluate'; limit?: number } & M)
  | ({ type: 'attention' } & M)
  | { type: 'positional'; modelId?: string; length: number; dModel?: number }
  | ({ type: 'save'; key: string } & M)
  | ({ type: 'load'; key: string } & M)
  | { type: 'delete'; modelId?: string; key: string }
  | ({ type: 'dispose' } & M)
  | { type: 'memory' }
  | { type: 'debug'; action: 'lose-device' }
  | ({ type: 'debug'; action: 'poison-weights' } & M)
  | { type: 'debug'; action: 'fail-next-step' | 'fail-next-create'; message: string; after?: number }
>;

export type RequestType = Request['type'];

/** What each request resolves to. */
export interface Results {
  init: BackendInfo;
  switch: BackendInfo;
  time: { warmupMs: number; msPerStep: number };
  create: ModelInfo;
  train: TrainState;
  pause: TrainState;
  resume: TrainState;
  stop: TrainState;
  step: Progress;
  decode: DecodeResult[];
  predict: PredictResult[];
  evaluate: Evaluation;
  attention: Snapshot;
  positional: PositionalTable;
  save: { key: string; step: number };
  load: { key: string; step: number };
  delete: { key: string; deleted: boolean };
  dispose: null;
  memory: MemoryInfo;
  debug: boolean;
}

export type Reply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: SerializedError };

export type EngineEvent =
  | ({ type: 'progress' } & Progress)
  | ({ type: 'snapshot' } & Snapshot)
  | { type: 'evaluation'; modelId: string; step: number; evaluation: Evaluation }
  | ({ type: 'state' } & TrainState)
  | ({ type: 'backend' } & BackendInfo);

export type WorkerMessage = Reply | EngineEvent;
