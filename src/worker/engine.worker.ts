/// <reference lib="webworker" />
/**
 * The engine's Web Worker: owns tfjs, the backend, and every model of the page, and dispatches
 * the page's requests (./protocol.ts) to them. The runs themselves (the time-sliced loop,
 * pause/stop, rollback to the last good state, moving to another backend) are ../engine/run.ts
 * and ../engine/runs.ts; what stays here is the dispatch, the storage queue and the debug hooks.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { destroyDevice, onDeviceLost } from '../engine/backend';
import { EngineError, serializeError, toEngineError } from '../engine/errors';
import { injectFailure } from '../engine/guard';
import { decode, evaluate, predict } from '../engine/infer';
import { Runs } from '../engine/runs';
import type { Session } from '../engine/session';
import { sinusoidalTable } from '../engine/sinusoid';
import { deleteCheckpoint, loadCheckpoint, saveCheckpoint } from '../engine/storage';
import type { EngineEvent, PositionalTable, Reply, Request } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: Reply | EngineEvent, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const runs = new Runs(post);
onDeviceLost((lost) => void runs.deviceLost(lost));

const storageQueue = new Map<string, Promise<unknown>>();

/** Storage requests on one key run in the order they arrived (a reset's delete after a save still in flight). */
function serial<T>(key: string, f: () => Promise<T>): Promise<T> {
  const next = (storageQueue.get(key) ?? Promise.resolve()).catch(() => undefined).then(f);
  storageQueue.set(key, next);
  void next.catch(() => undefined).then(() => storageQueue.get(key) === next && storageQueue.delete(key));
  return next;
}

/** The positional table a figure draws: a model's learned one, or the sinusoidal formula. */
async function positional(m: Extract<Request, { type: 'positional' }>): Promise<[PositionalTable, Transferable[]]> {
  let d = m.dModel ?? 32;
  if (m.modelId) {
    const s = runs.get(m.modelId).session;
    const c = s.model.config as { positional?: string; dModel: number };
    d = c.dModel;
    if (c.positional === 'learned') {
      const t = tf.tidy(() => tf.slice(s.params()['enc.pos.table']!, [0, 0], [Math.min(m.length, s.task.Ts), c.dModel]));
      // A copy: on cpu/wasm a contiguous slice's data() is a view of the weights' own buffer,
      // and transferring that buffer would detach the model's weights mid-training.
      const data = ((await t.data()) as Float32Array).slice();
      const [rows, cols] = t.shape as [number, number];
      t.dispose();
      return [{ kind: 'learned', rows, cols, data }, [data.buffer]];
    }
  }
  const data = sinusoidalTable(m.length, d);
  return [{ kind: 'sinusoidal', rows: m.length, cols: d, data }, [data.buffer]];
}

async function handle(m: Request): Promise<[unknown, Transferable[]?]> {
  if (m.type === 'switch') return [await runs.switchTo(m.backend, m.reason, m.timings)];
  if (m.type !== 'init' && m.type !== 'memory') await runs.settled();
  switch (m.type) {
    case 'init':
      return [await runs.ensureBackend(m.backend, m.order)];
    case 'time':
      return [await runs.get(m.modelId).timeSteps(Math.max(1, m.warmup), Math.max(1, m.steps), Math.max(1, m.every ?? 10))];
    case 'create': {
      const key = m.restore;
      const restore = key
        ? async (session: Session) => {
            try {
              const c = await serial(key, () => loadCheckpoint(key));
              if (c.options === JSON.stringify(m.options)) session.restore(c);
            } catch (e) {
              if (toEngineError(e).code !== 'not-found') throw e;
            }
          }
        : undefined;
      const r = await runs.create(m.modelId, m.options, restore);
      return [r.info(runs.backend!.backend)];
    }
    case 'train':
      return [runs.get(m.modelId).train(m)];
    case 'pause':
    case 'stop':
      return [await runs.get(m.modelId).halt(m.type === 'pause' ? 'paused' : 'stopped')];
    case 'resume':
      return [runs.get(m.modelId).resume()];
    case 'step':
      return [await runs.get(m.modelId).step(Math.max(1, m.n ?? 1))];
    case 'decode':
      return [await decode(runs.get(m.modelId).session, m.inputs)];
    case 'predict':
      return [await predict(runs.get(m.modelId).session, m.inputs)];
    case 'evaluate':
      return [await evaluate(runs.get(m.modelId).session, m.limit)];
    case 'attention':
      return [await runs.get(m.modelId).snapshot()];
    case 'positional':
      return positional(m);
    case 'save': {
      const r = runs.get(m.modelId);
      const step = await serial(m.key, async () => {
        // Never store a broken model: one whose weights went NaN saves its last good state.
        const c = await r.saveable();
        await saveCheckpoint(m.key, { ...c, options: JSON.stringify(r.options), savedAt: Date.now() });
        return c.step;
      });
      return [{ key: m.key, step }];
    }
    case 'load': {
      const r = runs.get(m.modelId);
      r.assertIdle();
      const c = await serial(m.key, () => loadCheckpoint(m.key));
      if (c.options !== JSON.stringify(r.options)) {
        throw new EngineError('invalid-config', { field: 'checkpoint', value: m.key, expected: 'a checkpoint of this model' });
      }
      await r.load(c);
      return [{ key: m.key, step: c.step }];
    }
    case 'delete':
      return [{ key: m.key, deleted: await serial(m.key, () => deleteCheckpoint(m.key)) }];
    case 'dispose':
      await runs.dispose(m.modelId);
      return [null];
    case 'memory': {
      const mem = tf.memory();
      return [{ backend: runs.backend?.backend ?? 'cpu', numTensors: mem.numTensors, numBytes: mem.numBytes }];
    }
    case 'debug':
      if (m.action === 'lose-device') return [destroyDevice()];
      if (m.action === 'poison-weights') {
        // Every weight to NaN (Adam, step and batch position kept): the next loss is NaN whatever
        // the model. A training loop is held between two steps meanwhile, then goes on.
        const r = runs.get(m.modelId);
        await r.whilePaused(async () => {
          const c = await r.session.checkpoint();
          r.session.restore({ ...c, theta: new Float32Array(c.theta.length).fill(NaN) });
        });
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
    post({ type: 'reply', id: m.id, ok: false, error: serializeError(err, runs.backend?.backend) });
  }
};
