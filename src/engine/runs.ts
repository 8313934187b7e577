/**
 * Every training run of a page and the backend they share: starting it, moving all runs to a
 * faster one, and rebuilding them on the next one after a device loss. The engine's Web Worker
 * wraps this in its message dispatch; Vitest drives it directly on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { startBackend, type BackendInfo, type BackendName } from './backend';
import type { Timing } from './choice';
import { EngineError } from './errors';
import { guarded } from './guard';
import { TrainingRun } from './run';
import { Session, type Checkpoint } from './session';
import type { EngineEvent, ModelOptions } from '../worker/protocol';

export class Runs {
  private readonly runs = new Map<string, TrainingRun>();
  backend?: BackendInfo;
  private starting?: Promise<BackendInfo>;
  /** Set while the runs move to another backend: model requests wait for it. */
  private moving?: Promise<unknown>;
  private lost = false;
  private readonly host = {
    post: (e: EngineEvent) => this.post(e),
    backend: () => this.backend?.backend,
    deviceLost: () => this.lost,
    forget: (r: TrainingRun) => this.runs.get(r.id) === r && this.runs.delete(r.id),
  };

  /** `start` is startBackend, or a stand-in in tests. */
  constructor(
    private readonly post: (e: EngineEvent) => void,
    private readonly start: typeof startBackend = startBackend,
  ) {}

  ensureBackend(force?: BackendName | null, order?: readonly BackendName[]): Promise<BackendInfo> {
    this.starting ??= this.start({ force: force || null, order: force ? undefined : order }).then((b) => (this.backend = b));
    return this.starting;
  }

  get(modelId: string): TrainingRun {
    const r = this.runs.get(modelId);
    if (!r) throw new EngineError('unknown-model', { modelId });
    return r;
  }

  /**
   * A new run (re-creating a model id replaces it). `restore` may load stored weights into the
   * session before its first good state is taken.
   */
  async create(modelId: string, options: ModelOptions, restore?: (s: Session) => Promise<void>): Promise<TrainingRun> {
    await this.ensureBackend();
    await this.dispose(modelId);
    // Guarded: a model too big for the device fails here without leaving half its weights behind.
    const session = guarded('create', () => new Session(options));
    const r = new TrainingRun(modelId, options, session, this.host);
    this.runs.set(modelId, r);
    if (restore) await restore(session);
    await r.keepGood(true);
    return r;
  }

  async dispose(modelId: string): Promise<void> {
    const r = this.runs.get(modelId);
    if (!r) return;
    await r.dispose();
    this.runs.delete(modelId);
  }

  /** Resolves once no move is under way (model requests wait for one). */
  async settled(): Promise<void> {
    if (this.moving) await this.moving.catch(() => undefined);
  }

  /** Move every run to `name`; moves queue behind each other. */
  async switchTo(name: BackendName, reason: BackendInfo['reason'], timings?: Timing[]): Promise<BackendInfo> {
    const move = (this.moving ?? Promise.resolve()).catch(() => undefined).then(() => this.moveTo(name, reason, timings));
    this.moving = move;
    try {
      return await move;
    } finally {
      if (this.moving === move) this.moving = undefined;
    }
  }

  private announce(b: BackendInfo): BackendInfo {
    this.backend = b;
    this.starting = Promise.resolve(b);
    this.post({ type: 'backend', ...b });
    return b;
  }

  /** Pause every training run at a step boundary; returns the ones that were training. */
  private async pauseAll(): Promise<TrainingRun[]> {
    const training = [...this.runs.values()].filter((r) => r.state === 'training');
    for (const r of training) r.state = 'paused';
    await Promise.allSettled([...this.runs.values()].map((r) => r.loop));
    return training;
  }

  /**
   * Move every model to `name` (the page measured it faster, or remembered so): training pauses
   * at a step boundary, each model's full state (weights, Adam, step, batch position) is read
   * back, rebuilt on the new backend and training goes on from the same step. If the new backend
   * does not start, everything stays where it was and the error says why.
   */
  private async moveTo(name: BackendName, reason: BackendInfo['reason'], timings: Timing[] | undefined): Promise<BackendInfo> {
    const from = await this.ensureBackend();
    if (from.backend === name) return this.announce({ ...from, reason, timings, measuring: false });
    const training = await this.pauseAll();
    const states = new Map<TrainingRun, Checkpoint>();
    for (const r of this.runs.values()) states.set(r, await r.session.checkpoint());
    let next: BackendInfo;
    try {
      next = await this.start({ force: name });
    } catch (e) {
      await tf.setBackend(from.backend);
      for (const r of training) r.startLoop();
      throw e;
    }
    for (const [r, state] of states) r.rebuild(state);
    this.announce({ ...next, reason, timings, measuring: false });
    for (const r of training) r.startLoop();
    return this.backend!;
  }

  /**
   * The WebGPU device is gone: every run is rebuilt from its last good state on the next backend,
   * and the ones that were training go on. Should no backend start, every run fails.
   */
  async deviceLost(lostInfo: { reason: string; message: string }): Promise<void> {
    this.lost = true;
    const training = await this.pauseAll();
    const wasTraining = [...this.runs.values()].filter((r) => training.includes(r) || r.interrupted);
    try {
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      const b = await this.start({ exclude: ['webgpu'], afterLoss: true });
      b.skipped[0]!.detail = `${lostInfo.reason}: ${lostInfo.message}`;
      this.announce(b);
      for (const r of this.runs.values()) r.rebuild(r.lastGood);
      this.lost = false;
      for (const r of wasTraining) {
        r.interrupted = false;
        r.startLoop();
      }
    } catch (e) {
      for (const r of this.runs.values()) r.fail(new EngineError('device-lost', { backend: 'webgpu', detail: String(e) }));
    }
  }
}
