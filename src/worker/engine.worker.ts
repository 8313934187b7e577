/// <reference lib="webworker" />
/**
 * The engine's Web Worker: owns tfjs, the backend, and every model of the page. Training runs
 * here in short slices (≤ SLICE_MS of dispatch), yielding to the message queue between slices,
 * so pause/stop/predict requests are handled promptly and the page's main thread never waits.
 * Messages: see ./protocol.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { destroyDevice, onDeviceLost, startBackend, type BackendInfo } from '../engine/backend';
import { EngineError, serializeError, toEngineError } from '../engine/errors';
import { decode, evaluate, predict } from '../engine/infer';
import { Session, type Checkpoint } from '../engine/session';
import { sinusoidalTable } from '../engine/sinusoid';
import { loadCheckpoint, saveCheckpoint } from '../engine/storage';
import type {
  EngineEvent, ModelInfo, ModelOptions, Progress, Reply, Request, Snapshot, TrainOptions, TrainState, TrainStateName,
} from './protocol';

const SLICE_MS = 25;
const scope = self as unknown as DedicatedWorkerGlobalScope;

interface Run {
  id: string;
  options: ModelOptions;
  session: Session;
  state: TrainStateName;
  opts: TrainOptions;
  until: number; // last step to run (Infinity: until stopped)
  loop?: Promise<void>;
  /** A CPU copy of the weights, refreshed at reports, to rebuild on another backend after a device loss. */
  lastGood?: Checkpoint;
  lastReport: { step: number; time: number };
  started: number;
  lastAccuracy: number;
  /** Training was cut short by a device loss and resumes on the next backend. */
  interrupted?: boolean;
}

const runs = new Map<string, Run>();
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

async function ensureBackend(force?: string | null): Promise<BackendInfo> {
  starting ??= startBackend({ force: (force || null) as never }).then((b) => (backend = b));
  return starting;
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
        last = r.session.trainStep(next % every === 0 || next >= r.until);
        if (r.session.step % every === 0 || performance.now() - t0 > SLICE_MS) break;
      }
      const step = r.session.step;
      if (last && (step % every === 0 || step >= r.until || r.state !== 'training')) await report(r, ...last);
      else tf.dispose(last as tf.Tensor[]);
      if (backend?.backend === 'webgpu' && step % (every * 5) === 0) r.lastGood = await r.session.checkpoint();
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
    setState(r, 'failed', toEngineError(e, backend?.backend));
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
  switch (m.type) {
    case 'init':
      return [await ensureBackend(m.backend)];
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
      const session = new Session(m.options);
      const r: Run = { id: m.modelId, options: m.options, session, state: 'idle', opts: {}, until: Infinity, lastReport: { step: 0, time: 0 }, started: performance.now(), lastAccuracy: 0 };
      runs.set(m.modelId, r);
      if (m.restore) {
        try {
          const c = await loadCheckpoint(m.restore);
          if (c.options === JSON.stringify(m.options)) session.restore(c);
        } catch (e) {
          if (toEngineError(e).code !== 'not-found') throw e;
        }
      }
      r.lastGood = await session.checkpoint();
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
      for (let i = 0; i < n; i++) {
        tf.dispose(last as tf.Tensor[]);
        last = r.session.trainStep(i === n - 1);
      }
      return [await report(r, ...last!)];
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
      const c = await r.session.checkpoint();
      await saveCheckpoint(m.key, { ...c, options: JSON.stringify(r.options), savedAt: Date.now() });
      return [{ key: m.key, step: c.step }];
    }
    case 'load': {
      const r = get(m.modelId);
      if (r.state === 'training') throw new EngineError('busy', { modelId: r.id, state: r.state });
      const c = await loadCheckpoint(m.key);
      if (c.options !== JSON.stringify(r.options)) {
        throw new EngineError('invalid-config', { field: 'checkpoint', value: m.key, expected: 'a checkpoint of this model' });
      }
      r.session.restore(c);
      return [{ key: m.key, step: c.step }];
    }
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
      return [destroyDevice()];
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
