/**
 * The engine client: what islands use to train and query models. No tfjs here — the worker
 * (and tfjs inside it) is only fetched when `createEngineClient()` / `getEngineClient()` runs,
 * so pages without a live figure ship none of it. Load this module lazily too:
 *
 *   const { getEngineClient } = await import('../../worker/client');
 *   const engine = getEngineClient();              // one shared worker per page
 *   const info = await engine.ready;              // {backend: 'webgpu', reason: 'preferred', skipped: [...]}
 *
 * Date model (alignment heatmap; kind 'additive' = Bahdanau α, or 'seq2seq' = transformer):
 *   const m = await engine.create({ task: { task: 'dates', locale: 'pt-BR' }, model: { kind: 'additive' }, seed: 1 });
 *   m.on('progress', (p) => chart.add(p.step, p.loss, p.accuracy));
 *   m.on('snapshot', (s) => s.kind === 'decode' && heatmap.draw(s.result.attention[0]));   // α rows × input tokens
 *   await m.train({ steps: 2000, reportEvery: 10, snapshotEvery: 50 });   // resolves when started
 *   const [r] = await m.decode(['27 de novembro de 2026']);   // r.output '2026-11-27', r.steps (top guesses per step),
 *                                                              // r.attention: 'additive' or 'dec0.cross' + 'dec0.self'
 * Encoder-decoder step by step: `decode` returns every step's top-5 guesses and the cross-attention
 *   row of every step (row i of 'decN.cross' = output token i), per head.
 * Pronoun encoder (self-attention per head):
 *   const m = await engine.create({ task: { task: 'pronoun', locale: 'en' } });   // 2 layers by default
 *   await m.train({ steps: 300, snapshotEvery: 25 });
 *   const [r] = await m.predict(["The animal didn't cross the street because it was too wide."]);
 *   // r.predictions[0] = {position: <index of "it">, top: [{token:'street', p}…]}; r.attention: 'enc0', 'enc1' [heads, T, T]
 * Classifier (loss/accuracy/confusion matrix):
 *   const m = await engine.create({ task: { task: 'classify', locale: 'pt-BR' } });   // or examples: [{text, label}]
 *   m.on('evaluation', (e) => matrix.draw(e.evaluation.confusion, e.evaluation.classes));
 *   await m.train({ steps: 200, reportEvery: 5, evaluateEvery: 50 });
 * Masked LM (tiny BERT on the lesson's own text):
 *   const m = await engine.create({ task: { task: 'mlm', locale, text: lessonText } });
 *   const [r] = await m.predict(['o modelo [MASK] para as palavras']);   // r.predictions: top-5 per [MASK]
 * Positional-encoding explorer: `sinusoidalTable()` from src/engine/sinusoid.ts needs no worker;
 *   `engine.positional(64, 32)` or `m.positional(32)` (a learned table once trained).
 * Control: m.pause(), m.resume(), m.step(n), m.stop() (takes effect before the next step),
 *   m.save(key) / engine.create(opts, {restore: key}) to resume after a reload, m.dispose(),
 *   engine.deleteCheckpoint(key) to forget a saved run (a reset).
 * A NaN loss or a failed step (out of memory) sends the model back to its last good state:
 *   the error (state 'failed', or the rejected step()) has params.restoredStep; train() goes on from there.
 * Errors reject with EngineClientError {code, params} (see src/engine/errors.ts) — localise from code.
 * `?backend=webgpu|webgl|wasm|cpu` in the page URL forces a backend.
 */
import type {
  BackendInfo, BackendName, DecodeResult, EngineEvent, EngineErrorCode, ErrorParams, Evaluation, MemoryInfo, ModelInfo,
  ModelOptions, PositionalTable, PredictResult, Progress, Request, RequestType, Results, SerializedError, Snapshot,
  Timing, TrainOptions, TrainState, WorkerMessage,
} from './protocol';

import { BackendChooser, PROBE_START_LIMIT_MS, PROBE_STEPS, PROBE_WARMUP } from './chooser';

export type * from './protocol';

export class EngineClientError extends Error {
  readonly code: EngineErrorCode;
  readonly params: ErrorParams;
  constructor(e: SerializedError) {
    super(e.message);
    this.name = 'EngineClientError';
    this.code = e.code;
    this.params = e.params;
  }
}

type Events = {
  progress: Progress;
  snapshot: Snapshot;
  evaluation: { modelId: string; step: number; evaluation: Evaluation };
  state: TrainState;
};
type Listener<K extends keyof Events> = (e: Events[K]) => void;

/** A request's fields but id and type (per variant: debug's actions take different fields). */
type Body<T extends RequestType> = Extract<Request, { type: T }> extends infer R ? (R extends unknown ? Omit<R, 'id' | 'type'> : never) : never;

export interface ModelHandle {
  readonly info: ModelInfo;
  /** Subscribe; returns an unsubscribe function. */
  on<K extends keyof Events>(event: K, listener: Listener<K>): () => void;
  train(options?: TrainOptions): Promise<TrainState>;
  pause(): Promise<TrainState>;
  resume(): Promise<TrainState>;
  stop(): Promise<TrainState>;
  step(n?: number): Promise<Progress>;
  /** Time training steps (warm-up first): what the backend chooser's probe measures. */
  time(warmup: number, steps: number): Promise<{ warmupMs: number; msPerStep: number }>;
  decode(inputs: string[]): Promise<DecodeResult[]>;
  predict(inputs: string[]): Promise<PredictResult[]>;
  evaluate(limit?: number): Promise<Evaluation>;
  attention(): Promise<Snapshot>;
  positional(length: number): Promise<PositionalTable>;
  save(key: string): Promise<{ key: string; step: number }>;
  load(key: string): Promise<{ key: string; step: number }>;
  dispose(): Promise<null>;
}

export interface EngineClient {
  /** Resolves once a backend runs: which one, and why (the others' skip reasons). */
  readonly ready: Promise<BackendInfo>;
  /** The backend now (changes after a WebGPU device loss; see onBackend). */
  backend(): BackendInfo | undefined;
  onBackend(listener: (b: BackendInfo) => void): () => void;
  create(options: ModelOptions, opts?: { restore?: string; modelId?: string }): Promise<ModelHandle>;
  positional(length: number, dModel: number): Promise<PositionalTable>;
  memory(): Promise<MemoryInfo>;
  /** Remove a saved checkpoint (a reset): resolves `deleted: false` if there was none. */
  deleteCheckpoint(key: string): Promise<{ key: string; deleted: boolean }>;
  /** Tests only: destroy the WebGPU device to exercise the fallback. */
  loseDevice(): Promise<boolean>;
  /** Tests only: set a model's weights to NaN, so its next loss is NaN. */
  poisonWeights(modelId: string): Promise<boolean>;
  /** Tests only: the next training step (or create) throws `message` at its `after`-th tensor allocation. */
  failNext(op: 'step' | 'create', message: string, after?: number): Promise<boolean>;
  terminate(): void;
}

/** `?backend=` from the page URL, if valid. */
export function backendFromUrl(): BackendName | null {
  if (typeof location === 'undefined') return null;
  const b = new URLSearchParams(location.search).get('backend');
  return b === 'webgpu' || b === 'webgl' || b === 'wasm' || b === 'cpu' ? b : null;
}

/**
 * An engine in a worker of its own. With no backend forced (argument or `?backend=`), it starts on
 * a backend that starts fast and measures the others on the first model it trains (./chooser.ts);
 * `measure: false` turns that off (the chooser's own probe engines).
 */
export function createEngineClient(opts: { backend?: BackendName | null; worker?: Worker; measure?: boolean } = {}): EngineClient {
  const worker = opts.worker ?? new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  const forced = opts.backend ?? backendFromUrl();
  let nextId = 1;
  let nextModel = 1;
  let current: BackendInfo | undefined;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(e: unknown) => void>>();
  const backendListeners = new Set<(b: BackendInfo) => void>();
  const states = new Map<string, TrainState['state']>();
  const setCurrent = (b: BackendInfo) => {
    current = b;
    backendListeners.forEach((l) => l(b));
  };

  worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
    const m = e.data;
    if (m.type === 'reply') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new EngineClientError(m.error));
      return;
    }
    if (m.type === 'backend') {
      const { type: _, ...b } = m;
      setCurrent(b);
      return;
    }
    const { type, ...payload } = m as Exclude<EngineEvent, { type: 'backend' }>;
    if (m.type === 'state') states.set(m.modelId, m.state);
    listeners.get(`${type}:${payload.modelId}`)?.forEach((l) => l(payload));
  };

  function call<T extends RequestType>(type: T, body: Body<T>): Promise<Results[T]> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...body, type, id });
    });
  }

  const measure = !forced && opts.measure !== false;
  const ready = call('init', { backend: forced, order: measure ? BackendChooser.order : undefined }).then((b) => (current = b));
  const chooser = measure
    ? new BackendChooser({
        current: () => current,
        move: (backend, reason, timings) => call('switch', { backend, reason, timings }),
        announce: setCurrent,
        probe: (backend, options, budget) => probeBackend(backend, options, budget),
        busy: (except) => [...states].some(([id, s]) => id !== except && s === 'training'),
      })
    : undefined;

  return {
    ready,
    backend: () => current,
    onBackend(l) {
      backendListeners.add(l);
      return () => backendListeners.delete(l);
    },
    async create(options, o = {}) {
      await ready;
      const modelId = o.modelId ?? `m${nextModel++}`;
      const info = await call('create', { modelId, options, restore: o.restore });
      await chooser?.created(info);
      if (current) info.backend = current.backend;
      const M = { modelId };
      const handle: ModelHandle = {
        info,
        on(event, listener) {
          const key = `${event}:${modelId}`;
          if (!listeners.has(key)) listeners.set(key, new Set());
          listeners.get(key)!.add(listener as (e: unknown) => void);
          return () => listeners.get(key)?.delete(listener as (e: unknown) => void);
        },
        async train(t = {}) {
          const state = await call('train', { ...t, ...M });
          chooser?.training(info, options, (f) => handle.on('progress', f));
          return state;
        },
        time: (warmup, steps) => call('time', { ...M, warmup, steps }),
        pause: () => call('pause', M),
        resume: () => call('resume', M),
        stop: () => call('stop', M),
        step: (n = 1) => call('step', { ...M, n }),
        decode: (inputs) => call('decode', { ...M, inputs }),
        predict: (inputs) => call('predict', { ...M, inputs }),
        evaluate: (limit) => call('evaluate', { ...M, limit }),
        attention: () => call('attention', M),
        positional: (length) => call('positional', { ...M, length }),
        save: (key) => call('save', { ...M, key }),
        load: (key) => call('load', { ...M, key }),
        dispose: () => {
          for (const k of [...listeners.keys()]) if (k.endsWith(`:${modelId}`)) listeners.delete(k);
          return call('dispose', M);
        },
      };
      return handle;
    },
    positional: (length, dModel) => call('positional', { length, dModel }),
    memory: () => call('memory', {}),
    deleteCheckpoint: (key) => call('delete', { key }),
    loseDevice: () => call('debug', { action: 'lose-device' }),
    poisonWeights: (modelId) => call('debug', { action: 'poison-weights', modelId }),
    failNext: (op, message, after) => call('debug', { action: op === 'create' ? 'fail-next-create' : 'fail-next-step', message, after }),
    terminate() {
      worker.terminate();
      for (const p of pending.values()) p.reject(new EngineClientError({ code: 'internal', params: { detail: 'terminated' }, message: 'engine terminated' }));
      pending.clear();
    },
  };
}

/**
 * Time `options` on `backend` in a throwaway engine worker: start, build the model, a few
 * warm-up steps, then timed ones. Past `budgetMs` the worker is terminated and the backend is
 * reported as at least as slow as the time spent per step so far; a backend that cannot start
 * is skipped with the engine's reason.
 */
export async function probeBackend(backend: BackendName, options: ModelOptions, budgetMs: number): Promise<Timing> {
  // A device without WebGPU says so at once, here: no probe worker to start (under load its
  // start-up alone could pass the start limit and read as "too slow" instead of "no adapter").
  if (backend === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return { backend, skipped: 'no-webgpu', detail: 'navigator.gpu is undefined' };
    if (!(await gpu.requestAdapter().catch(() => null))) return { backend, skipped: 'no-adapter', detail: 'requestAdapter() returned null' };
  }
  const probe = createEngineClient({ backend, measure: false, worker: new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine-probe' }) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let t0 = performance.now();
  // The budget starts once the backend answers (it has or has no adapter, it started or not): the
  // probe worker's own start-up is the page's, not the backend's. Starting gets a limit of its own.
  let limit = PROBE_START_LIMIT_MS;
  const expired = () => {
    const atLeastMs = (performance.now() - t0) / (PROBE_WARMUP + PROBE_STEPS);
    return { backend, atLeastMs, budgetMs: limit, steps: PROBE_WARMUP + PROBE_STEPS, skipped: 'too-slow' as const, detail: `stopped after ${Math.round(limit)} ms` };
  };
  let expire: (t: Timing) => void = () => {};
  const timeout = new Promise<Timing>((resolve) => (expire = resolve));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => expire(expired()), limit);
  };
  arm();
  const run = (async (): Promise<Timing> => {
    let info: BackendInfo;
    try {
      info = await probe.ready;
    } catch (e) {
      const p = (e as EngineClientError).params ?? {};
      return { backend, skipped: (p.reason as Timing['skipped']) ?? 'failed', detail: String(p.detail ?? (e as Error).message) };
    }
    t0 = performance.now();
    limit = budgetMs;
    arm();
    const m = await probe.create(options);
    const t = await m.time(PROBE_WARMUP, PROBE_STEPS);
    return { backend, msPerStep: t.msPerStep, detail: info.detail };
  })();
  run.catch(() => undefined); // rejected by terminate() once the budget ran out
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    probe.terminate();
  }
}

let shared: EngineClient | undefined;

/** One engine per page: every figure shares the worker, its backend and its GPU memory. */
export function getEngineClient(): EngineClient {
  return (shared ??= createEngineClient());
}
