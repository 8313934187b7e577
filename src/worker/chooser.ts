/**
 * The page side of the measured backend choice (rules in src/engine/choice.ts). Main thread only:
 * it reads and writes the remembered verdicts in localStorage, and measures each candidate in a
 * probe worker of its own (a second engine worker, thrown away after), so the reader's run goes
 * on while the others are timed, and no backend's state leaks into another.
 *
 *   unforced page → the engine starts on WASM (fast to start) → a model is created:
 *     verdict remembered for this device and size → move there before training;
 *     none → train at once, and meanwhile time every candidate on this very model → move the
 *     run (same step, same weights and Adam state) if one is clearly faster → remember.
 *   A remembered winner that the run finds far slower than remembered is measured again.
 */
import {
  fastest, isStale, measureAll, parseStored, readVerdict, sizeClass, STARTERS, withVerdict, type Timing, type Verdict,
} from '../engine/choice';
import { safeStorage, storageKey, type SafeStorage } from '../lib/storage';
import type { BackendInfo, BackendName, ModelInfo, ModelOptions, Progress } from './protocol';

export const VERDICTS_KEY = storageKey('backend', 1, 'verdicts');

/** Warm-up and timed steps of one candidate in the probe. */
export const PROBE_WARMUP = 3;
export const PROBE_STEPS = 12;
/** How long a probe's backend may take to start (worker, module, adapter, self-test). */
export const PROBE_START_LIMIT_MS = 10_000;

/** What the chooser needs from the engine client (kept narrow for tests). */
export interface ChooserHost {
  current(): BackendInfo | undefined;
  /** Move every model of the page's engine to `backend`. */
  move(backend: BackendName, reason: 'measured' | 'remembered', timings: Timing[]): Promise<BackendInfo>;
  /** The badge changes without a move (measuring started, or measured and staying). */
  announce(info: BackendInfo): void;
  /** Time `options` on `backend` in a throwaway engine; resolves its Timing within `budgetMs`. */
  probe(backend: BackendName, options: ModelOptions, budgetMs: number): Promise<Timing>;
  /** Models now training (a move for one model's verdict would move them too). */
  busy(except: string): boolean;
}

/** Identifies this device for the verdicts: browser, cores. (A GPU change shows up as a stale verdict.) */
export function deviceKey(): string {
  const nav = globalThis.navigator;
  const text = `${nav?.userAgent ?? ''}|${nav?.hardwareConcurrency ?? 0}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** The newest verdict on this device, whatever the model's size: for code that trains models like the lesson's (the exercises' runner). */
export function rememberedBackend(store: SafeStorage = safeStorage()): BackendName | undefined {
  const device = deviceKey();
  const mine = Object.entries(parseStored(store.getJSON(VERDICTS_KEY)).entries).filter(([k]) => k.startsWith(`${device}|`));
  return mine.sort((a, b) => b[1].at - a[1].at)[0]?.[1].backend;
}

export class BackendChooser {
  private measuring?: Promise<void>;
  private readonly device = deviceKey();

  constructor(
    private readonly host: ChooserHost,
    private readonly store: SafeStorage = safeStorage(),
  ) {}

  /** The starter order the engine is initialised with. */
  static readonly order: BackendName[] = [...STARTERS];

  private size(info: ModelInfo): string {
    return sizeClass({ paramCount: info.paramCount, tokensPerStep: info.train.batchSize * Math.max(info.maxInput, info.maxOutput) });
  }

  private remembered(info: ModelInfo): Verdict | undefined {
    return readVerdict(this.store.getJSON(VERDICTS_KEY), this.device, this.size(info));
  }

  /** A model was created: if this device has a verdict for its size, run there (unless others train). */
  async created(info: ModelInfo): Promise<void> {
    const v = this.remembered(info);
    const now = this.host.current();
    if (!v || !now || this.host.busy(info.modelId)) return;
    if (now.backend !== v.backend || now.reason !== 'remembered') await this.host.move(v.backend, 'remembered', v.timings).catch(() => undefined);
  }

  /**
   * Training starts (or goes on): measure if this size has no verdict, or once the run shows the
   * remembered one is stale. `progress` subscribes to the run's reports.
   */
  training(info: ModelInfo, options: ModelOptions, progress: (f: (p: Progress) => void) => () => void): void {
    const v = this.remembered(info);
    let reports = 0;
    const off = progress((p) => {
      // No verdict: measure from the first report on, so the figure's first picture comes first.
      if (!v) {
        off();
        void this.measure(info, options);
        return;
      }
      // The first report includes the start (shaders, buffers): judge from the second on.
      if (++reports < 2 || p.stepsPerSec <= 0) return;
      off();
      if (isStale(v, 1000 / p.stepsPerSec)) void this.measure(info, options);
    });
  }

  /** Time every candidate on this model, move if one is clearly faster, remember the verdict. */
  measure(info: ModelInfo, options: ModelOptions): Promise<void> {
    this.measuring ??= (async () => {
      const now = this.host.current();
      if (!now) return;
      this.host.announce({ ...now, measuring: true });
      const timings = await measureAll(now.backend, (b, budget) => this.host.probe(b, options, budget));
      const winner = fastest(timings, now.backend);
      const verdict: Verdict = { backend: winner, timings, at: Date.now() };
      this.store.setJSON(VERDICTS_KEY, withVerdict(this.store.getJSON(VERDICTS_KEY), this.device, this.size(info), verdict));
      try {
        await this.host.move(winner, 'measured', timings);
      } catch {
        this.host.announce({ ...(this.host.current() ?? now), measuring: false });
      }
    })().finally(() => (this.measuring = undefined));
    return this.measuring;
  }
}
