import type { FromRunner } from '../../playground/protocol';

/**
 * The page's side of the sandbox: one fresh worker per run (a spare is started as soon as a run
 * ends, so the next Run does not wait for tfjs to load). Stop and the time limit terminate the
 * worker — the only way to end `while (true) {}` — and the next run simply takes a new one.
 */
export interface RunHandlers {
  onMessage(m: FromRunner): void;
  /** The run ended without 'done': stopped, over the hard limit, or the worker died. */
  onEnd(reason: 'stopped' | 'timeLimit' | 'crashed', detail?: string): void;
}

/** Grace after the visible limit: the worker's own loop guard usually ends the run first, with its line. */
const HARD_LIMIT_GRACE_MS = 1500;

export class RunnerClient {
  #spare: Worker | undefined;
  #current: { worker: Worker; timer: number; handlers: RunHandlers } | undefined;
  #nextId = 1;

  constructor(private readonly backend: string) {}

  #spawn(): Worker {
    const w = new Worker(new URL('../../playground/runner.worker.ts', import.meta.url), { type: 'module' });
    w.postMessage({ type: 'init', backend: this.backend });
    return w;
  }

  /** Start a worker now so the first Run is quick. */
  warm(): void {
    this.#spare ??= this.#spawn();
  }

  get running(): boolean {
    return !!this.#current;
  }

  run(code: string, limitMs: number, check: string | undefined, handlers: RunHandlers): void {
    this.stop('stopped', false);
    const worker = this.#spare ?? this.#spawn();
    this.#spare = undefined;
    const id = this.#nextId++;
    const end = (reason: 'stopped' | 'timeLimit' | 'crashed', detail?: string) => {
      if (this.#current?.worker !== worker) return;
      this.#finish();
      handlers.onEnd(reason, detail);
    };
    worker.onmessage = (e: MessageEvent<FromRunner>) => {
      const m = e.data;
      if ('id' in m && m.id !== id && m.id !== -1) return;
      if (m.type === 'broken') return end('crashed', m.detail);
      handlers.onMessage(m);
      if (m.type === 'done' && this.#current?.worker === worker) this.#finish();
    };
    // A script error that escaped the worker's own handlers, or a worker that could not load.
    worker.onerror = (e) => {
      e.preventDefault();
      end('crashed', e.message);
    };
    const timer = window.setTimeout(() => end('timeLimit'), limitMs + HARD_LIMIT_GRACE_MS);
    this.#current = { worker, timer, handlers };
    worker.postMessage({ type: 'run', id, code, check, limitMs });
  }

  #finish() {
    const c = this.#current;
    if (!c) return;
    window.clearTimeout(c.timer);
    c.worker.terminate();
    this.#current = undefined;
    this.warm();
  }

  /** Terminate the running worker (if any); `notify` tells its handlers. */
  stop(reason: 'stopped' = 'stopped', notify = true): void {
    const c = this.#current;
    if (!c) return;
    this.#finish();
    if (notify) c.handlers.onEnd(reason);
  }

  dispose(): void {
    this.stop('stopped', false);
    this.#spare?.terminate();
    this.#spare = undefined;
  }
}
