/// <reference lib="webworker" />
/**
 * The engine's Web Worker: owns tfjs, the backend, and every model of the page. Training runs
 * here in short slices (≤ SLICE_MS of dispatch), yielding to the message queue between slices,
 * so pause/stop/predict requests are handled promptly and the page's main thread never waits.
 * Messages: see ./protocol.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { destroyDevice, onDeviceLost, startBackend, type BackendInfo, type BackendName } from '../engine/backend';
import type { Timing } from '../engine/choice';
import { EngineError, serializeError, toEngineError } from '../engine/errors';
import { guarded, injectFailure, isFiniteCheckpoint } from '../engine/guard';
import { decode, evaluate, predict } from '../engine/infer';
import { Session, type Checkpoint } from '../engine/session';
import { sinusoidalTable } from '../engine/sinusoid';
import { deleteCheckpoint, loadCheckpoint, saveCheckpoint } from '../engine/storage';
import type {
  EngineEvent, ModelInfo, ModelOptions, Progress, Reply, Request, Snapshot, TrainOptions, TrainState, TrainStateName,
} from './protocol';

const SLICE_MS = 25;
/** The good-state copy may cost at most 1/GOOD_RATIO of the training time (it reads every weight back). */
const GOOD_RATIO = 20;
const scope = self as unknown as DedicatedWorkerGlobalScope;

interface Run {
  id: string;
  options: ModelOptions;
  session: Session;
  state: TrainStateName;
  opts: TrainOptions;
  until: number; // last step to run (Infinity: until stopped)
  loop?: Promise<void>;
  /**
   * The last known-good state (weights, Adam, step, batch position, all finite), a CPU copy
   * refreshed at reports whose loss was finite: a NaN loss or a failed step goes back to it, and
   * a device loss rebuilds the model from it on the next backend.
   */
  lastGood?: Checkpoint;
  /** When lastGood was taken, and what taking it cost (ms). */
  goodAt: number;
  goodCostMs: number;
  /** The error being handled was thrown by a training step (its state is half-updated). */
  stepFailed?: boolean;
  lastReport: { step: number; time: number };
  started: number;
  lastAccuracy: number;
  /** Training was cut short by a device loss and resumes on the next backend. */
  interrupted?: boolean;
}

const runs = new Map<string, Run>();
const storageQueue = new Map<string, Promise<unknown>>();
let backend: BackendInfo | undefined;
let starting: Promise<BackendInfo> | undefined;

const post = (m: Reply | EngineEvent, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const nextTick = () => new Promise<void>((r) => setTimeout(r, 0));

function get(modelId: string): Run {
  const r = runs.get(modelId);
  if (!r) throw new EngineError('unknown-model', { modelId });
  return r;
}

function stateOf(r: Run, error?: unknown): TrainState {
  return { modelId: r.id, state: r.state, step: r.session.step, ...(error ? { error: serializeError(error, backend?.backend) } : {}) };
}

function setState(r: Run, state: TrainStateName, error?: unknown): void {
  r.state = state;
  post({ type: 'state', ...stateOf(r, error) });
}

async function ensureBackend(force?: string | null, order?: readonly BackendName[]): Promise<BackendInfo> {
  starting ??= startBackend({ force: (force || null) as never, order: force ? undefined : order }).then((b) => (backend = b));
  return starting;
}

/** Set while the runs move to another backend: model requests wait for it. */
let moving: Promise<unknown> | undefined;

/**
 * Move every model to `name` (the page measured it faster, or remembered so): training pauses
 * at a step boundary, each model's full state (weights, Adam, step, batch position) is read
 * back, rebuilt on the new backend and training goes on from the same step. If the new backend
 * does not start, everything stays where it was and the error says why.
 */
async function moveTo(name: BackendName, reason: BackendInfo['reason'], timings: Timing[] | undefined): Promise<BackendInfo> {
  const from = await ensureBackend();
  if (from.backend === name) {
    backend = { ...from, reason, timings, measuring: false };
    starting = Promise.resolve(backend);
    post({ type: 'backend', ...backend });
    return backend;
  }
  const training = [...runs.values()].filter((r) => r.state === 'training');
  for (const r of training) r.state = 'paused';
  await Promise.allSettled(training.map((r) => r.loop));
  const states = new Map<Run, Checkpoint>();
  for (const r of runs.values()) states.set(r, await r.session.checkpoint());
  let next: BackendInfo;
  try {
    next = await startBackend({ force: name });
  } catch (e) {
    await tf.setBackend(from.backend);
    for (const r of training) startLoop(r);
    throw e;
  }
  backend = { ...next, reason, timings, measuring: false };
  starting = Promise.resolve(backend);
  for (const [r, state] of states) {
    const old = r.session;
    r.session = new Session(r.options);
    r.session.restore(state);
    old.dispose();
  }
  post({ type: 'backend', ...backend });
  for (const r of training) startLoop(r);
  return backend;
}

/**
 * Time training steps the way the loop runs them (a read of the loss every `every` steps):
 * `warmup` steps first (shader compilation, buffer pools), then `steps` timed ones.
 */
async function timeSteps(r: Run, warmup: number, steps: number, every: number): Promise<{ warmupMs: number; msPerStep: number }> {
  const read = async (out: [tf.Scalar, tf.Scalar | null]) => {
    await Promise.all(out.map((t) => t?.data()));
    tf.dispose(out as tf.Tensor[]);
  };
  const t0 = performance.now();
  for (let i = 1; i <= warmup; i++) {
    const out = runStep(r, i === warmup);
    if (i === warmup) await read(out);
    else tf.dispose(out as tf.Tensor[]);
  }
  const t1 = performance.now();
  for (let i = 1; i <= steps; i++) {
    const out = runStep(r, i % every === 0 || i === steps);
    if (i % every === 0 || i === steps) await read(out);
    else tf.dispose(out as tf.Tensor[]);
  }
  return { warmupMs: t1 - t0, msPerStep: (performance.now() - t1) / steps };
}

function info(r: Run): ModelInfo {
  const { session: s } = r;
  return {
    modelId: r.id, kind: s.model.kind, paramCount: s.paramCount, config: s.model.config, train: s.train,
    srcTokens: s.task.src.tokens, tgtTokens: s.task.tgt?.tokens, classes: s.task.classes,
    maxInput: s.task.Ts, maxOutput: s.task.Tt,
    probe: s.task.probe, samples: s.task.heldOut.slice(0, 8).map((e) => ({ text: e.text, target: e.target })),
    step: s.step, backend: backend!.backend,
  };
}

async function snapshot(r: Run): Promise<Snapshot> {
  const s = r.session;
  const text = s.task.probe.text;
  if (s.model.kind === 'seq2seq' || s.model.kind === 'additive') {
    return { modelId: r.id, step: s.step, kind: 'decode', result: (await decode(s, [text]))[0]! };
  }
  return { modelId: r.id, step: s.step, kind: 'predict', result: (await predict(s, [text]))[0]! };
}

/** Read the loss of this step back (async), check it, post progress. */
async function report(r: Run, loss: tf.Scalar, acc: tf.Scalar | null): Promise<Progress> {
  const step = r.session.step;
  const [l, a] = await Promise.all([loss.data(), acc ? acc.data() : [r.lastAccuracy]]);
  tf.dispose([loss, acc!]);
  r.lastAccuracy = a[0]!;
  if (!Number.isFinite(l[0]!)) throw new EngineError('nan-loss', { step });
  const now = performance.now();
  const p: Progress = {
    modelId: r.id, step, loss: l[0]!, accuracy: a[0]!,
    stepsPerSec: ((step - r.lastReport.step) * 1000) / Math.max(1, now - r.lastReport.time),
    elapsedMs: now - r.started,
  };
  r.lastReport = { step, time: now };
  post({ type: 'progress', ...p });
  return p;
}

/**
 * After a report with a finite loss: refresh the model's good state. checkpoint() reads every
 * weight back, so it is taken only at reports, and (unless forced) only once the training since
 * the last copy is GOOD_RATIO times what that copy cost. A copy with a non-finite weight (a step
 * can leave NaN weights behind a finite loss) is not kept.
 */
async function keepGood(r: Run, force = false): Promise<void> {
  const t0 = performance.now();
  if (!force && t0 - r.goodAt < GOOD_RATIO * r.goodCostMs) return;
  const c = await r.session.checkpoint();
  if (isFiniteCheckpoint(c)) r.lastGood = c;
  r.goodAt = performance.now();
  r.goodCostMs = r.goodAt - t0;
}

/** One training step; if it throws, nothing it allocated is left and the run knows it failed mid-step. */
function runStep(r: Run, withAccuracy: boolean): [tf.Scalar, tf.Scalar | null] {
  try {
    return guarded('step', () => r.session.trainStep(withAccuracy));
  } catch (e) {
    r.stepFailed = true;
    throw e;
  }
}

/**
 * After a failed step or a non-finite loss: back to the last good state, so the reader loses
 * nothing and the model stays usable (train, predict, decode). Should even that fail (a device
 * that is gone), the model is freed. Returns the error to report, with `restoredStep` or
 * `disposed: true` added; other errors pass through unchanged.
 */
function recover(r: Run, e: unknown): EngineError {
  const err = toEngineError(e, backend?.backend);
  const midStep = r.stepFailed;
  r.stepFailed = false;
  if (!midStep && err.code !== 'nan-loss' && err.code !== 'out-of-memory') return err;
  const good = r.lastGood;
  try {
    if (!good) throw new Error('no good state');
    guarded('restore', () => r.session.restore(good));
    return new EngineError(err.code, { ...err.params, restoredStep: good.step }, err.message);
  } catch {
    if (runs.get(r.id) === r) runs.delete(r.id);
    try {
      r.session.dispose();
    } catch {
      /* its device is gone */
    }
    return new EngineError(err.code, { ...err.params, disposed: true }, err.message);
  }
}

/** Storage requests on one key run in the order they arrived (a reset's delete after a save still in flight). */
function serial<T>(key: string, f: () => Promise<T>): Promise<T> {
  const next = (storageQueue.get(key) ?? Promise.resolve()).catch(() => undefined).then(f);
  storageQueue.set(key, next);
  void next.catch(() => undefined).then(() => storageQueue.get(key) === next && storageQueue.delete(key));
  return next;
}

async function trainLoop(r: Run): Promise<void> {
  const every = Math.max(1, r.opts.reportEvery ?? 10);
  r.lastReport = { step: r.session.step, time: performance.now() };
  try {
    while (r.state === 'training' && r.session.step < r.until) {
      const t0 = performance.now();
      let last: [tf.Scalar, tf.Scalar | null] | undefined;
      // Dispatch steps for one slice, up to the next report step (the only one that needs accuracy).
      while (r.state === 'training' && r.session.step < r.until) {
        tf.dispose(last as tf.Tensor[]);
        const next = r.session.step + 1;
        last = runStep(r, next % every === 0 || next >= r.until);
        if (r.session.step % every === 0 || performance.now() - t0 > SLICE_MS) break;
      }
      const step = r.session.step;
      if (last && (step % every === 0 || step >= r.until || r.state !== 'training')) {
        await report(r, ...last);
        await keepGood(r);
      } else tf.dispose(last as tf.Tensor[]);
      if (r.opts.snapshotEvery && step % r.opts.snapshotEvery === 0) post({ type: 'snapshot', ...(await snapshot(r)) });
      if (r.opts.evaluateEvery && step % r.opts.evaluateEvery === 0) {
        const evaluation = await evaluate(r.session, 100);
        post({ type: 'evaluation', modelId: r.id, step, evaluation });
        if (r.opts.targetAccuracy !== undefined && evaluation.exactMatch >= r.opts.targetAccuracy) break;
      }
      await nextTick(); // let pause/stop/predict in
    }
    if (r.state === 'training') setState(r, 'done');
  } catch (e) {
    // A lost WebGPU device first shows up as a failed read, just before device.lost resolves:
    // give it a moment, and leave the run to the device-loss handler if that is what it was.
    if (backend?.backend === 'webgpu') await new Promise((res) => setTimeout(res, 300));
    if (deviceLost) {
      r.interrupted = true;
      return;
    }
    // A failed step or a NaN loss: back to the last good state; the reader sees the coded error.
    setState(r, 'failed', recover(r, e));
  }
}

function startLoop(r: Run): void {
  r.state = 'training';
  post({ type: 'state', ...stateOf(r) });
  r.loop = trainLoop(r);
}

let deviceLost = false;
onDeviceLost(async (lostInfo) => {
  deviceLost = true;
  const training = [...runs.values()].filter((r) => r.state === 'training');
  for (const r of training) r.state = 'paused';
  await Promise.allSettled([...runs.values()].map((r) => r.loop));
  const wasTraining = [...runs.values()].filter((r) => training.includes(r) || r.interrupted);
  try {
    tf.removeBackend('webgpu');
    backend = await startBackend({ exclude: ['webgpu'], afterLoss: true });
    backend.skipped[0]!.detail = `${lostInfo.reason}: ${lostInfo.message}`;
    starting = Promise.resolve(backend);
    post({ type: 'backend', ...backend });
    for (const r of runs.values()) {
      const old = r.session;
      r.session = new Session(r.options);
      if (r.lastGood) r.session.restore(r.lastGood);
      try { old.dispose(); } catch { /* its device is gone */ }
    }
    deviceLost = false;
    for (const r of wasTraining) {
      r.interrupted = false;
      startLoop(r);
    }
  } catch (e) {
    for (const r of runs.values()) setState(r, 'failed', new EngineError('device-lost', { backend: 'webgpu', detail: String(e) }));
  }
});

async function handle(m: Request): Promise<[unknown, Transferable[]?]> {
  if (m.type === 'switch') {
    const move = (moving ?? Promise.resolve()).catch(() => undefined).then(() => moveTo(m.backend, m.reason, m.timings));
    moving = move;
    try {
      return [await move];
    } finally {
      if (moving === move) moving = undefined;
    }
  }
  if (moving && m.type !== 'init' && m.type !== 'memory') await moving.catch(() => undefined);
  switch (m.type) {
    case 'init':
      return [await ensureBackend(m.backend, m.order)];
    case 'time': {
      const r = get(m.modelId);
      if (r.state === 'training') throw new EngineError('busy', { modelId: r.id, state: r.state });
      return [await timeSteps(r, Math.max(1, m.warmup), Math.max(1, m.steps), Math.max(1, m.every ?? 10))];
    }
    case 'create': {
      await ensureBackend();
      const previous = runs.get(m.modelId);
      if (previous) {
        // Re-creating a model id replaces it: stop its loop first, then free its weights.
        previous.state = 'stopped';
        await previous.loop;
        previous.session.dispose();
        runs.delete(m.modelId);
      }
      // Guarded: a model too big for the device fails here without leaving half its weights behind.
      const session = guarded('create', () => new Session(m.options));
      const r: Run = {
        id: m.modelId, options: m.options, session, state: 'idle', opts: {}, until: Infinity, lastReport: { step: 0, time: 0 },
        started: performance.now(), lastAccuracy: 0, goodAt: 0, goodCostMs: 0,
      };
      runs.set(m.modelId, r);
      if (m.restore) {
        const key = m.restore;
        try {
          const c = await serial(key, () => loadCheckpoint(key));
          if (c.options === JSON.stringify(m.options)) session.restore(c);
        } catch (e) {
          if (toEngineError(e).code !== 'not-found') throw e;
        }
      }
      await keepGood(r, true);
      return [info(r)];
    }
    case 'train': {
      const r = get(m.modelId);
      if (r.state === 'training') throw new EngineError('busy', { modelId: r.id, state: r.state });
      r.opts = m;
      r.until = m.steps ? r.session.step + m.steps : Infinity;
      r.started = performance.now();
      startLoop(r);
      return [stateOf(r)];
    }
    case 'pause':
    case 'stop': {
      const r = get(m.modelId);
      if (r.state === 'training' || m.type === 'stop') {
        r.state = m.type === 'pause' ? 'paused' : 'stopped';
        await r.loop; // the loop sees the flag before its next step
        post({ type: 'state', ...stateOf(r) });
      }
      return [stateOf(r)];
    }
    case 'resume': {
      const r = get(m.modelId);
      if (r.state === 'paused') startLoop(r);
      return [stateOf(r)];
    }
    case 'step': {
      const r = get(m.modelId);
      if (r.state === 'training') throw new EngineError('busy', { modelId: r.id, state: r.state });
      let last: [tf.Scalar, tf.Scalar | null] | undefined;
      r.lastReport = { step: r.session.step, time: performance.now() };
      const n = Math.max(1, m.n ?? 1);
      try {
        for (let i = 0; i < n; i++) {
          tf.dispose(last as tf.Tensor[]);
          last = runStep(r, i === n - 1);
        }
        const p = await report(r, ...last!);
        await keepGood(r, true);
        return [p];
      } catch (e) {
        throw recover(r, e);
      }
    }
    case 'decode':
      return [await decode(get(m.modelId).session, m.inputs)];
    case 'predict':
      return [await predict(get(m.modelId).session, m.inputs)];
    case 'evaluate':
      return [await evaluate(get(m.modelId).session, m.limit)];
    case 'attention':
      return [await snapshot(get(m.modelId))];
    case 'positional': {
      if (m.modelId) {
        const s = get(m.modelId).session;
        const c = s.model.config as { positional?: string; dModel: number };
        if (c.positional === 'learned') {
          const t = tf.tidy(() => tf.slice(s.params()['enc.pos.table']!, [0, 0], [Math.min(m.length, s.task.Ts), c.dModel]));
          // A copy: on cpu/wasm a contiguous slice's data() is a view of the weights' own buffer,
          // and transferring that buffer would detach the model's weights mid-training.
          const data = ((await t.data()) as Float32Array).slice();
          const [rows, cols] = t.shape as [number, number];
          t.dispose();
          return [{ kind: 'learned', rows, cols, data }, [data.buffer]];
        }
        const data = sinusoidalTable(m.length, c.dModel);
        return [{ kind: 'sinusoidal', rows: m.length, cols: c.dModel, data }, [data.buffer]];
      }
      const d = m.dModel ?? 32;
      const data = sinusoidalTable(m.length, d);
      return [{ kind: 'sinusoidal', rows: m.length, cols: d, data }, [data.buffer]];
    }
    case 'save': {
      const r = get(m.modelId);
      const step = await serial(m.key, async () => {
        let c = await r.session.checkpoint();
        // Never store a broken model: one whose weights went NaN saves its last good state.
        if (!isFiniteCheckpoint(c) && r.lastGood) c = r.lastGood;
        await saveCheckpoint(m.key, { ...c, options: JSON.stringify(r.options), savedAt: Date.now() });
        return c.step;
      });
      return [{ key: m.key, step }];
    }
    case 'load': {
      const r = get(m.modelId);
      if (r.state === 'training') throw new EngineError('busy', { modelId: r.id, state: r.state });
      const c = await serial(m.key, () => loadCheckpoint(m.key));
      if (c.options !== JSON.stringify(r.options)) {
        throw new EngineError('invalid-config', { field: 'checkpoint', value: m.key, expected: 'a checkpoint of this model' });
      }
      r.session.restore(c);
      await keepGood(r, true); // a later rollback never goes back past a load
      return [{ key: m.key, step: c.step }];
    }
    case 'delete':
      return [{ key: m.key, deleted: await serial(m.key, () => deleteCheckpoint(m.key)) }];
    case 'dispose': {
      const r = runs.get(m.modelId);
      if (r) {
        r.state = 'stopped';
        await r.loop;
        r.session.dispose();
        runs.delete(m.modelId);
      }
      return [null];
    }
    case 'memory': {
      const mem = tf.memory();
      return [{ backend: backend?.backend ?? 'cpu', numTensors: mem.numTensors, numBytes: mem.numBytes }];
    }
    case 'debug':
      if (m.action === 'lose-device') return [destroyDevice()];
      if (m.action === 'poison-weights') {
        // Every weight to NaN (Adam, step and batch position kept): the next loss is NaN whatever
        // the model. A training loop is held between two steps meanwhile, then goes on.
        const r = get(m.modelId);
        const training = r.state === 'training';
        if (training) {
          r.state = 'paused';
          await r.loop;
        }
        const c = await r.session.checkpoint();
        r.session.restore({ ...c, theta: new Float32Array(c.theta.length).fill(NaN) });
        if (training) startLoop(r);
        return [true];
      }
      injectFailure(m.action === 'fail-next-create' ? 'create' : 'step', m.message, m.after);
      return [true];
  }
}

scope.onmessage = async (e: MessageEvent<Request>) => {
  const m = e.data;
  try {
    const [result, transfer] = await handle(m);
    post({ type: 'reply', id: m.id, ok: true, result }, transfer);
  } catch (err) {
    post({ type: 'reply', id: m.id, ok: false, error: serializeError(err, backend?.backend) });
  }
};
