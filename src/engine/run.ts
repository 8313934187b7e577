/**
 * One model's training run: its state (idle, training, paused…), the time-sliced loop, single
 * steps, and the last known-good state it goes back to after a NaN loss or a failed step.
 * No worker here: events go to `host.post`, so the same run is driven by the engine's Web Worker
 * in the browser and by Vitest on the cpu backend (tests/unit/engine/run.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './backend';
import { EngineError, serializeError, toEngineError } from './errors';
import { guarded, isFiniteCheckpoint } from './guard';
import { decode, evaluate, predict } from './infer';
import { Session, type Checkpoint } from './session';
import type { EngineEvent, ModelInfo, ModelOptions, Progress, Snapshot, TrainOptions, TrainState, TrainStateName } from '../worker/protocol';

/** How long one slice of the loop may dispatch steps before it yields to the message queue. */
const SLICE_MS = 25;
/** The good-state copy may cost at most 1/GOOD_RATIO of the training time (it reads every weight back). */
const GOOD_RATIO = 20;

type StepOut = [tf.Scalar, tf.Scalar | null];

/** What a run needs from whoever drives it. */
export interface RunHost {
  post(e: EngineEvent): void;
  /** The backend now in use (for error messages), if one has started. */
  backend(): BackendName | undefined;
  /** A device loss is being handled: a failed loop leaves its recovery to that. */
  deviceLost(): boolean;
  /** The run's session could not be restored and was freed: forget the run. */
  forget(r: TrainingRun): void;
}

const nextTick = () => new Promise<void>((r) => setTimeout(r, 0));

export class TrainingRun {
  state: TrainStateName = 'idle';
  opts: TrainOptions = {};
  /** Last step to run (Infinity: until stopped). */
  until = Infinity;
  loop?: Promise<void>;
  /**
   * The last known-good state (weights, Adam, step, batch position, all finite), a CPU copy
   * refreshed at reports whose loss was finite: a NaN loss or a failed step goes back to it, and
   * a device loss rebuilds the model from it on the next backend.
   */
  lastGood?: Checkpoint;
  /** When lastGood was taken, and what taking it cost (ms). */
  private goodAt = 0;
  private goodCostMs = 0;
  /** The error being handled was thrown by a training step (its state is half-updated). */
  private stepFailed = false;
  private lastReport = { step: 0, time: 0 };
  private started = performance.now();
  private lastAccuracy = 0;
  /** Training was cut short by a device loss and resumes on the next backend. */
  interrupted = false;

  constructor(
    readonly id: string,
    readonly options: ModelOptions,
    public session: Session,
    private readonly host: RunHost,
  ) {}

  stateOf(error?: unknown): TrainState {
    const e = error ? { error: serializeError(error, this.host.backend()) } : {};
    return { modelId: this.id, state: this.state, step: this.session.step, ...e };
  }

  private setState(state: TrainStateName, error?: unknown): void {
    this.state = state;
    this.host.post({ type: 'state', ...this.stateOf(error) });
  }

  info(backend: BackendName): ModelInfo {
    const s = this.session;
    return {
      modelId: this.id,
      kind: s.model.kind,
      paramCount: s.paramCount,
      config: s.model.config,
      train: s.train,
      srcTokens: s.task.src.tokens,
      tgtTokens: s.task.tgt?.tokens,
      classes: s.task.classes,
      maxInput: s.task.Ts,
      maxOutput: s.task.Tt,
      probe: s.task.probe,
      samples: s.task.heldOut.slice(0, 8).map((e) => ({ text: e.text, target: e.target })),
      step: s.step,
      backend,
    };
  }

  /** The probe example's attention now. */
  async snapshot(): Promise<Snapshot> {
    const s = this.session;
    const text = s.task.probe.text;
    if (s.model.kind === 'seq2seq' || s.model.kind === 'additive') {
      return { modelId: this.id, step: s.step, kind: 'decode', result: (await decode(s, [text]))[0]! };
    }
    return { modelId: this.id, step: s.step, kind: 'predict', result: (await predict(s, [text]))[0]! };
  }

  /** Read the loss of this step back (async), check it, post progress. */
  private async report(loss: tf.Scalar, acc: tf.Scalar | null): Promise<Progress> {
    const step = this.session.step;
    const [l, a] = await Promise.all([loss.data(), acc ? acc.data() : [this.lastAccuracy]]);
    tf.dispose([loss, acc!]);
    this.lastAccuracy = a[0]!;
    if (!Number.isFinite(l[0]!)) throw new EngineError('nan-loss', { step });
    const now = performance.now();
    const p: Progress = {
      modelId: this.id,
      step,
      loss: l[0]!,
      accuracy: a[0]!,
      stepsPerSec: ((step - this.lastReport.step) * 1000) / Math.max(1, now - this.lastReport.time),
      elapsedMs: now - this.started,
    };
    this.lastReport = { step, time: now };
    this.host.post({ type: 'progress', ...p });
    return p;
  }

  /**
   * After a report with a finite loss: refresh the model's good state. checkpoint() reads every
   * weight back, so it is taken only at reports, and (unless forced) only once the training since
   * the last copy is GOOD_RATIO times what that copy cost. A copy with a non-finite weight (a step
   * can leave NaN weights behind a finite loss) is not kept.
   */
  async keepGood(force = false): Promise<void> {
    const t0 = performance.now();
    if (!force && t0 - this.goodAt < GOOD_RATIO * this.goodCostMs) return;
    const c = await this.session.checkpoint();
    if (isFiniteCheckpoint(c)) this.lastGood = c;
    this.goodAt = performance.now();
    this.goodCostMs = this.goodAt - t0;
  }

  /** One training step; if it throws, nothing it allocated is left and the run knows it failed mid-step. */
  private runStep(withAccuracy: boolean): StepOut {
    try {
      return guarded('step', () => this.session.trainStep(withAccuracy));
    } catch (e) {
      this.stepFailed = true;
      throw e;
    }
  }

  /**
   * After a failed step or a non-finite loss: back to the last good state, so the reader loses
   * nothing and the model stays usable (train, predict, decode). Should even that fail (a device
   * that is gone), the model is freed. Returns the error to report, with `restoredStep` or
   * `disposed: true` added; other errors pass through unchanged.
   */
  private recover(e: unknown): EngineError {
    const err = toEngineError(e, this.host.backend());
    const midStep = this.stepFailed;
    this.stepFailed = false;
    if (!midStep && err.code !== 'nan-loss' && err.code !== 'out-of-memory') return err;
    const good = this.lastGood;
    try {
      if (!good) throw new Error('no good state');
      guarded('restore', () => this.session.restore(good));
      return new EngineError(err.code, { ...err.params, restoredStep: good.step }, err.message);
    } catch {
      this.host.forget(this);
      try {
        this.session.dispose();
      } catch {
        /* its device is gone */
      }
      return new EngineError(err.code, { ...err.params, disposed: true }, err.message);
    }
  }

  private async trainLoop(): Promise<void> {
    const every = Math.max(1, this.opts.reportEvery ?? 10);
    this.lastReport = { step: this.session.step, time: performance.now() };
    try {
      while (this.state === 'training' && this.session.step < this.until) {
        const t0 = performance.now();
        let last: StepOut | undefined;
        // Dispatch steps for one slice, up to the next report step (the only one that needs accuracy).
        while (this.state === 'training' && this.session.step < this.until) {
          tf.dispose(last as tf.Tensor[]);
          const next = this.session.step + 1;
          last = this.runStep(next % every === 0 || next >= this.until);
          if (this.session.step % every === 0 || performance.now() - t0 > SLICE_MS) break;
        }
        const step = this.session.step;
        if (last && (step % every === 0 || step >= this.until || this.state !== 'training')) {
          await this.report(...last);
          await this.keepGood();
        } else tf.dispose(last as tf.Tensor[]);
        if (this.opts.snapshotEvery && step % this.opts.snapshotEvery === 0) {
          this.host.post({ type: 'snapshot', ...(await this.snapshot()) });
        }
        if (this.opts.evaluateEvery && step % this.opts.evaluateEvery === 0) {
          const evaluation = await evaluate(this.session, 100);
          this.host.post({ type: 'evaluation', modelId: this.id, step, evaluation });
          if (this.opts.targetAccuracy !== undefined && evaluation.exactMatch >= this.opts.targetAccuracy) break;
        }
        await nextTick(); // let pause/stop/predict in
      }
      if (this.state === 'training') this.setState('done');
    } catch (e) {
      // A lost WebGPU device first shows up as a failed read, just before device.lost resolves:
      // give it a moment, and leave the run to the device-loss handler if that is what it was.
      if (this.host.backend() === 'webgpu') await new Promise((res) => setTimeout(res, 300));
      if (this.host.deviceLost()) {
        this.interrupted = true;
        return;
      }
      // A failed step or a NaN loss: back to the last good state; the reader sees the coded error.
      this.setState('failed', this.recover(e));
    }
  }

  /** (Re)start the loop from the current step. */
  startLoop(): void {
    this.state = 'training';
    this.host.post({ type: 'state', ...this.stateOf() });
    this.loop = this.trainLoop();
  }

  /** Throws 'busy' while the loop runs. */
  assertIdle(): void {
    if (this.state === 'training') throw new EngineError('busy', { modelId: this.id, state: this.state });
  }

  /** Train `opts.steps` more steps (or until stopped), in the background. */
  train(opts: TrainOptions): TrainState {
    this.assertIdle();
    this.opts = opts;
    this.until = opts.steps ? this.session.step + opts.steps : Infinity;
    this.started = performance.now();
    this.startLoop();
    return this.stateOf();
  }

  /** Pause (a training run) or stop (any run); resolves once the loop has seen the flag. */
  async halt(to: 'paused' | 'stopped'): Promise<TrainState> {
    if (this.state === 'training' || to === 'stopped') {
      this.state = to;
      await this.loop; // the loop sees the flag before its next step
      this.host.post({ type: 'state', ...this.stateOf() });
    }
    return this.stateOf();
  }

  resume(): TrainState {
    if (this.state === 'paused') this.startLoop();
    return this.stateOf();
  }

  /** `n` steps now (not training); reports the last, keeps it as the good state. */
  async step(n: number): Promise<Progress> {
    this.assertIdle();
    let last: StepOut | undefined;
    this.lastReport = { step: this.session.step, time: performance.now() };
    try {
      for (let i = 0; i < n; i++) {
        tf.dispose(last as tf.Tensor[]);
        last = this.runStep(i === n - 1);
      }
      const p = await this.report(...last!);
      await this.keepGood(true);
      return p;
    } catch (e) {
      throw this.recover(e);
    }
  }

  /**
   * Time training steps the way the loop runs them (a read of the loss every `every` steps):
   * `warmup` steps first (shader compilation, buffer pools), then `steps` timed ones.
   */
  async timeSteps(warmup: number, steps: number, every: number): Promise<{ warmupMs: number; msPerStep: number }> {
    this.assertIdle();
    const read = async (out: StepOut) => {
      await Promise.all(out.map((t) => t?.data()));
      tf.dispose(out as tf.Tensor[]);
    };
    const t0 = performance.now();
    for (let i = 1; i <= warmup; i++) {
      const out = this.runStep(i === warmup);
      if (i === warmup) await read(out);
      else tf.dispose(out as tf.Tensor[]);
    }
    const t1 = performance.now();
    for (let i = 1; i <= steps; i++) {
      const out = this.runStep(i % every === 0 || i === steps);
      if (i % every === 0 || i === steps) await read(out);
      else tf.dispose(out as tf.Tensor[]);
    }
    return { warmupMs: t1 - t0, msPerStep: (performance.now() - t1) / steps };
  }

  /** Run `f` with the loop held between two steps, then let a training run go on. */
  async whilePaused<T>(f: () => Promise<T>): Promise<T> {
    const training = this.state === 'training';
    if (training) {
      this.state = 'paused';
      await this.loop;
    }
    try {
      return await f();
    } finally {
      if (training) this.startLoop();
    }
  }

  /** A new session on the current backend from `state` (the old one's device may be gone). */
  rebuild(state: Checkpoint | undefined): void {
    const old = this.session;
    this.session = new Session(this.options);
    if (state) this.session.restore(state);
    try {
      old.dispose();
    } catch {
      /* its device is gone */
    }
  }

  /** Restore a stored checkpoint; a later rollback never goes back past it. */
  async load(c: Checkpoint): Promise<void> {
    this.assertIdle();
    this.session.restore(c);
    await this.keepGood(true);
  }

  /** What to store: the state now, or the last good one if the weights went NaN. */
  async saveable(): Promise<Checkpoint> {
    const c = await this.session.checkpoint();
    return !isFiniteCheckpoint(c) && this.lastGood ? this.lastGood : c;
  }

  /** Stop the loop and free the weights. */
  async dispose(): Promise<void> {
    this.state = 'stopped';
    await this.loop;
    this.session.dispose();
  }

  /** A failed state for a run the engine could not keep (no backend after a device loss). */
  fail(error: unknown): void {
    this.setState('failed', error);
  }
}
