/**
 * A training run behind a Panel: starts the shared engine worker (lazily: this is where
 * TensorFlow.js is first fetched), builds the model, trains, pauses, resumes and resets it, keeps
 * the badge, progress, announcements and errors up to date, and saves the run so a reload
 * resumes it (weights in IndexedDB through the worker, settings + step in localStorage).
 *
 * Islands give it their model options and hooks; see src/islands/live/README.md.
 */
import type { EngineClient, ModelHandle, ModelOptions, Progress, TrainOptions, TrainState } from '../../../worker/client';
import { safeStorage, storageKey } from '../../../lib/storage';
import type { IslandContext } from './context';
import { followModel, type Follow, type FollowSpec } from './follow';
import { BACKEND_NAMES, backendBadge, errorMessage } from './messages';
import type { Panel, Settings } from './panel';
import { milestoneCrossed, smoothRate } from './progress';

export interface TrainerSpec {
  ctx: IslandContext;
  panel: Panel;
  /** The model to build from the panel's settings. Same settings must give the same options (restores compare them). */
  modelOptions(s: Settings): ModelOptions;
  /** Steps in a full run. */
  totalSteps(s: Settings): number;
  /** Report/snapshot/evaluation cadence. */
  trainOptions?: Omit<TrainOptions, 'steps'>;
  /**
   * Draw the reader's sentence from the model's snapshots and keep the score line (followModel);
   * subscribed for each new or restored model, before onModel.
   */
  follow?: FollowSpec;
  /** A model exists (new or restored): subscribe to snapshots and evaluations here. */
  onModel?(m: ModelHandle, restoredStep: number): void | Promise<void>;
  onProgress?(p: Progress): void;
  onState?(s: TrainState['state']): void;
  /** Back to the untrained picture. */
  onReset?(): void;
}

interface SavedRun {
  settings: Settings;
  step: number;
}

type Phase = 'idle' | 'starting' | 'training' | 'paused' | 'done' | 'failed';

let enginePromise: Promise<EngineClient> | undefined;

/** The page's one engine client; the dynamic import keeps tfjs out of the first page load. */
export function engine(): Promise<EngineClient> {
  enginePromise ??= import('../../../worker/client').then((m) => m.getEngineClient());
  return enginePromise;
}

export class Trainer {
  model?: ModelHandle;
  phase: Phase = 'idle';
  private rate?: number;
  private total = 0;
  private lastStep = 0;
  private unsubscribe: Array<() => void> = [];
  private curve?: Promise<import('./curve').Curve>;
  private readonly store = safeStorage();
  readonly key: string;

  constructor(private readonly spec: TrainerSpec) {
    const { ctx, panel } = spec;
    this.key = storageKey('island', 1, ctx.locale, ctx.id);
    const saved = this.saved();
    if (saved && saved.step > 0) {
      panel.setStatus(ctx.t('status.savedRun', { step: ctx.fmt.int(saved.step) }));
      panel.setProgress(saved.step, spec.totalSteps(saved.settings));
    } else {
      panel.setProgress(0, spec.totalSteps(panel.settings()));
    }
    panel.primary.addEventListener('click', () => void this.toggle());
    panel.reset.addEventListener('click', () => void this.reset());
    this.setPhase('idle');
  }

  /** Settings saved by an earlier visit (the Panel is built with them). */
  static savedSettings(ctx: IslandContext): Settings | undefined {
    const v = safeStorage().getJSON(storageKey('island', 1, ctx.locale, ctx.id)) as SavedRun | undefined;
    return v && typeof v === 'object' && v.settings && typeof v.settings === 'object' ? v.settings : undefined;
  }

  private saved(): SavedRun | undefined {
    const v = this.store.getJSON(this.key) as SavedRun | undefined;
    return v && typeof v === 'object' && typeof v.step === 'number' && v.settings ? v : undefined;
  }

  private setPhase(p: Phase): void {
    const { panel, ctx } = this.spec;
    this.phase = p;
    ctx.root.dataset.state = p;
    panel.primary.disabled = p === 'starting' || p === 'failed';
    panel.primary.textContent = ctx.t(p === 'training' ? 'pause' : p === 'paused' ? 'resume' : p === 'done' ? 'more' : 'start');
    panel.primary.setAttribute('aria-pressed', String(p === 'training'));
    panel.reset.disabled = p === 'idle' || p === 'starting';
    panel.lockSettings(p !== 'idle');
  }

  async toggle(): Promise<void> {
    if (this.phase === 'idle') return this.start();
    if (this.phase === 'training') return this.pause();
    if (this.phase === 'paused') return this.resume();
    if (this.phase === 'done') return this.more();
  }

  /** After a finished run: as many steps again as the settings ask for, from where it stopped. */
  async more(): Promise<void> {
    if (this.phase !== 'done' || !this.model) return;
    const { ctx, panel } = this.spec;
    const extra = this.spec.totalSteps(panel.settings());
    const from = this.lastStep;
    this.total = from + extra;
    panel.setProgress(from, this.total);
    panel.announce(ctx.t('live.start', { total: ctx.fmt.int(extra), backend: BACKEND_NAMES[this.model.info.backend] }));
    this.setPhase('training');
    try {
      await this.model.train({ reportEvery: 10, ...this.spec.trainOptions, steps: extra });
    } catch (e) {
      this.fail(e);
    }
  }

  async start(): Promise<void> {
    if (this.phase !== 'idle') return;
    const { ctx, panel } = this.spec;
    const spec = this.spec;
    const settings = panel.settings();
    this.total = spec.totalSteps(settings);
    this.setPhase('starting');
    panel.showError(null);
    panel.setStatus(ctx.t('status.starting'));
    try {
      const client = await engine();
      const info = await client.ready;
      this.showBadge(info);
      this.unsubscribe.push(client.onBackend((b) => this.showBadge(b)));
      const saved = this.saved();
      const restore = saved && JSON.stringify(saved.settings) === JSON.stringify(settings) ? this.key : undefined;
      const m = await client.create(spec.modelOptions(settings), { restore, modelId: `${ctx.id}-${ctx.locale}` });
      this.model = m;
      this.lastStep = m.info.step;
      this.unsubscribe.push(
        m.on('progress', (p) => this.onProgress(p)),
        m.on('state', (s) => void this.onState(s)),
        ...(spec.follow ? followModel(m, { ctx, ...spec.follow } as Follow<'decode'>) : []),
      );
      await spec.onModel?.(m, m.info.step);
      panel.setStatus(m.info.step > 0 ? ctx.t('status.restored', { step: ctx.fmt.int(m.info.step) }) : '');
      panel.setProgress(m.info.step, this.total);
      if (m.info.step >= this.total) {
        this.setPhase('done');
        return;
      }
      this.store.setJSON(this.key, { settings, step: m.info.step } satisfies SavedRun);
      panel.announce(ctx.t('live.start', { total: ctx.fmt.int(this.total), backend: BACKEND_NAMES[m.info.backend] }));
      this.setPhase('training');
      await m.train({ reportEvery: 10, ...spec.trainOptions, steps: this.total - m.info.step });
    } catch (e) {
      this.fail(e);
    }
  }

  async pause(): Promise<void> {
    if (this.phase !== 'training' || !this.model) return;
    try {
      const s = await this.model.pause();
      this.setPhase('paused');
      this.spec.panel.announce(this.spec.ctx.t('live.paused', { step: this.spec.ctx.fmt.int(s.step) }));
      await this.save();
    } catch (e) {
      this.fail(e);
    }
  }

  async resume(): Promise<void> {
    if (this.phase !== 'paused' || !this.model) return;
    try {
      this.setPhase('training');
      await this.model.resume();
    } catch (e) {
      this.fail(e);
    }
  }

  async reset(): Promise<void> {
    const m = this.model;
    this.model = undefined;
    this.unsubscribe.forEach((u) => u());
    this.unsubscribe = [];
    this.rate = undefined;
    this.lastStep = 0;
    this.store.remove(this.key);
    const { panel, ctx } = this.spec;
    const spec = this.spec;
    this.setPhase('idle');
    panel.showError(null);
    panel.setStatus('');
    panel.setMetrics('');
    delete ctx.root.dataset.step;
    void this.curve?.then((c) => c.clear());
    panel.setProgress(0, spec.totalSteps(panel.settings()));
    panel.announce(ctx.t('live.reset'));
    spec.onReset?.();
    try {
      await m?.dispose();
    } catch {
      /* a model already gone is reset enough */
    }
    // The weights in IndexedDB go too, so a reload after Reset starts from step 0. The worker runs
    // this after any save of the key still in flight. No engine yet (never started): nothing saved
    // by this page to wait for, and an earlier visit's copy is never restored without the record.
    try {
      await (await enginePromise)?.deleteCheckpoint(this.key);
    } catch {
      /* storage unavailable: the localStorage record is gone, so nothing restores it */
    }
  }

  private showBadge(info: Parameters<typeof backendBadge>[1]): void {
    const b = backendBadge(this.spec.ctx.t, info, this.spec.ctx.fmt.rate);
    this.spec.panel.setBadge(b.label, b.fallback, info.backend);
    // What runs and why, for scripts (the bench) and tests: the label is the reader's.
    const root = this.spec.ctx.root.dataset;
    root.backend = info.backend;
    root.backendReason = info.measuring ? 'measuring' : info.reason;
    if (info.timings) root.backendTimings = JSON.stringify(info.timings.map((x) => [x.backend, x.msPerStep ?? x.skipped ?? null]));
  }

  private onProgress(p: Progress): void {
    const { panel, ctx } = this.spec;
    const spec = this.spec;
    this.rate = smoothRate(this.rate, p.stepsPerSec);
    panel.setProgress(p.step, this.total, this.rate);
    panel.setMetrics(ctx.t('metrics', { loss: ctx.fmt.loss(p.loss), accuracy: ctx.fmt.percent(p.accuracy) }));
    const q = milestoneCrossed(this.lastStep, p.step, this.total);
    if (q) {
      panel.announce(ctx.t('live.quarter', { percent: ctx.fmt.percent(q / 4) }));
      void this.save();
    }
    this.lastStep = p.step;
    ctx.root.dataset.step = String(p.step);
    // uPlot comes with the first report, in its own chunk.
    this.curve ??= import('./curve').then(({ Curve }) => new Curve(ctx, panel.chart));
    void this.curve.then((c) => c.add(p.step, p.loss, p.accuracy));
    spec.onProgress?.(p);
  }

  private async onState(s: TrainState): Promise<void> {
    const { panel, ctx } = this.spec;
    const spec = this.spec;
    spec.onState?.(s.state);
    if (s.state === 'done') {
      this.setPhase('done');
      panel.setProgress(s.step, this.total);
      panel.announce(ctx.t('live.done', { step: ctx.fmt.int(s.step) }));
      await this.save();
    } else if (s.state === 'failed') {
      this.fail(s.error);
    }
  }

  /** Weights to IndexedDB (through the worker), settings + step to localStorage. */
  private async save(): Promise<void> {
    const { panel, ctx } = this.spec;
    const m = this.model;
    if (!m) return;
    try {
      const r = await m.save(this.key);
      if (this.model !== m) return; // reset meanwhile: its delete follows this save; keep no record
      this.store.setJSON(this.key, { settings: panel.settings(), step: r.step } satisfies SavedRun);
      panel.setStatus(ctx.t('status.saved', { step: ctx.fmt.int(r.step) }));
    } catch (e) {
      if (this.model === m) panel.setStatus(errorMessage(ctx.t, e));
    }
  }

  private fail(e: unknown): void {
    const { panel, ctx } = this.spec;
    panel.showError(errorMessage(ctx.t, e));
    // The engine's English message, for developers (and bug reports): never shown as text.
    ctx.root.dataset.error = `${(e as { code?: string })?.code ?? 'internal'}: ${(e as { message?: string })?.message ?? String(e)}`;
    panel.setStatus('');
    // Without a model nothing was lost: the reader may simply try again (their settings stay).
    this.setPhase(this.model ? 'failed' : 'idle');
  }
}
