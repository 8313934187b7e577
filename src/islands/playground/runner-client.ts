import type { FromRunner, ToRunner } from '../../playground/protocol';
import { withBase } from '../../lib/base';
import cpuRunner from '../../playground/runners/cpu.worker.ts?worker&url';
import wasmRunner from '../../playground/runners/wasm.worker.ts?worker&url';
import webglRunner from '../../playground/runners/webgl.worker.ts?worker&url';
import webgpuRunner from '../../playground/runners/webgpu.worker.ts?worker&url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';

/**
 * The page's side of the sandbox. Each run gets a fresh sandbox frame (src/playground/frame.ts:
 * opaque origin, no network) with a runner worker inside; a spare is started as soon as a run
 * ends, so the next Run does not wait for tfjs. Ending a run (done, Stop, the time limit, a dead
 * frame) removes the frame, which ends its worker: the only way to end `while (true) {}`, and
 * quick (Stop takes well under a second).
 *
 * The heartbeat: the page pings the frame every 250 ms. The frame's own thread does nothing but
 * answer (the learner's code runs in its worker), so a frame that misses PINGS_LOST pings in a
 * row has died, almost always because the code ran out of memory and took the frame's process
 * with it (Chromium gives a sandboxed frame its own process; see the README for other browsers).
 * Pings are counted, not timed, so a page that was itself busy does not declare the frame dead.
 */
export interface RunHandlers {
  onMessage(m: FromRunner): void;
  /** The run ended without 'done': stopped, over the hard limit, the frame died, or the runner broke. */
  onEnd(reason: 'stopped' | 'timeLimit' | 'lost' | 'crashed', detail?: string): void;
}

/** Grace after the visible limit: the worker's own loop guard usually ends the run first, with its line. */
const HARD_LIMIT_GRACE_MS = 1500;
const PING_MS = 250;
const PINGS_LOST = 8;

const RUNNERS: Record<string, string> = { cpu: cpuRunner, wasm: wasmRunner, webgl: webglRunner, webgpu: webgpuRunner };
const WASM: Record<'wasm-simd' | 'wasm', string> = { 'wasm-simd': wasmSimd, wasm: wasmPlain };

/** Fetched once per page (same origin: the page may fetch, the frame may not). */
const once = new Map<string, Promise<Response>>();
const fetchOnce = (url: string) => {
  let p = once.get(url);
  if (!p) once.set(url, (p = fetch(url).then((r) => (r.ok ? r : Promise.reject(new Error(`${url}: ${r.status}`))))));
  return p.then((r) => r.clone());
};

type End = (reason: 'lost' | 'crashed', detail?: string) => void;

/** One sandbox frame and the runner worker inside it. */
class Sandbox {
  readonly frame = document.createElement('iframe');
  readonly port: MessagePort;
  #sent = 0;
  #answered = 0;
  #timer: number;
  #gone = false;
  #loaded = false;
  /** Who hears about a dead frame: the run, or (while spare) the client, which replaces it. */
  onEnd: End;

  constructor(backend: string, title: string, onEnd: End) {
    this.onEnd = onEnd;
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.onmessage = (e: MessageEvent<FromRunner>) => {
      const m = e.data;
      if (m.type === 'need') {
        void fetchOnce(WASM[m.what]).then((r) => r.arrayBuffer()).then(
          (bytes) => this.post({ type: 'bytes', what: m.what, bytes }, [bytes]),
          (err: Error) => this.#end('crashed', err.message),
        );
      } else this.listener?.(m);
    };
    const f = this.frame;
    f.setAttribute('sandbox', 'allow-scripts');
    f.src = withBase('sandbox.html');
    f.title = title;
    f.tabIndex = -1;
    f.setAttribute('aria-hidden', 'true');
    f.dataset.sandbox = backend;
    // Not display:none (a hidden cross-origin frame may be throttled): 1 px, transparent, inert.
    f.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;border:0;opacity:0;pointer-events:none';
    const code = fetchOnce(RUNNERS[backend] ?? wasmRunner).then((r) => r.text());
    const onFrame = (e: MessageEvent) => {
      if (e.source !== f.contentWindow || this.#gone) return;
      const m = e.data as { type?: string; n?: number; message?: string };
      if (m?.type === 'pong' && typeof m.n === 'number') this.#answered = Math.max(this.#answered, m.n);
      else if (m?.type === 'loaded') {
        this.#loaded = true;
        void code.then(
          (text) => f.contentWindow?.postMessage({ type: 'start', code: text }, '*', [channel.port2]),
          (err: Error) => this.#end('crashed', err.message),
        );
      } else if (m?.type === 'worker-error') this.#end('crashed', String(m.message));
    };
    window.addEventListener('message', onFrame);
    this.#timer = window.setInterval(() => {
      if (!this.#loaded) return;
      if (this.#sent - this.#answered >= PINGS_LOST) return this.#end('lost');
      f.contentWindow?.postMessage({ type: 'ping', n: ++this.#sent }, '*');
    }, PING_MS);
    this.dispose = () => {
      this.#gone = true;
      window.clearInterval(this.#timer);
      window.removeEventListener('message', onFrame);
      this.port.close();
      f.remove();
    };
    document.body.append(f);
    this.post({ type: 'init', backend });
  }

  listener: ((m: FromRunner) => void) | undefined;
  dispose: () => void;

  post(m: ToRunner, transfer: Transferable[] = []) {
    this.port.postMessage(m, transfer);
  }

  #end(reason: 'lost' | 'crashed', detail?: string) {
    if (this.#gone) return;
    this.dispose();
    this.onEnd(reason, detail);
  }
}

export class RunnerClient {
  #spare: Sandbox | undefined;
  #current: { box: Sandbox; timer: number; handlers: RunHandlers } | undefined;
  #nextId = 1;
  #backend: string;

  constructor(backend: string, private readonly title: string) {
    this.#backend = backend in RUNNERS ? backend : 'wasm';
  }

  #spawn(): Sandbox {
    const box: Sandbox = new Sandbox(this.#backend, this.title, () => {
      // A spare that died (or broke) before any run: replace it quietly.
      if (this.#spare === box) {
        this.#spare = undefined;
        this.warm();
      }
    });
    box.listener = (m) => {
      // A backend that does not start on this device: the cpu runner for the rest of the visit.
      if (m.type === 'broken' && this.#backend !== 'cpu' && this.#spare === box) {
        this.#backend = 'cpu';
        box.dispose();
        this.#spare = undefined;
        this.warm();
      }
    };
    return box;
  }

  /** Start a sandbox now so the first Run is quick. */
  warm(): void {
    this.#spare ??= this.#spawn();
  }

  get running(): boolean {
    return !!this.#current;
  }

  run(code: string, limitMs: number, check: string | undefined, handlers: RunHandlers): void {
    this.stop('stopped', false);
    const box = this.#spare ?? this.#spawn();
    this.#spare = undefined;
    const id = this.#nextId++;
    const end = (reason: 'stopped' | 'timeLimit' | 'lost' | 'crashed', detail?: string) => {
      if (this.#current?.box !== box) return;
      // Chromium groups a site's sandboxed frames in one process: the spare died with this one.
      if (reason === 'lost') {
        this.#spare?.dispose();
        this.#spare = undefined;
      }
      this.#finish();
      handlers.onEnd(reason, detail);
    };
    box.onEnd = end;
    box.listener = (m) => {
      if ('id' in m && m.id !== id && m.id !== -1) return;
      if (m.type === 'broken') {
        if (this.#backend === 'cpu') return end('crashed', m.detail);
        // The backend does not start on this device (no WebGPU adapter, no WebGL): the same run
        // again on the cpu runner, and cpu for the rest of the visit.
        this.#backend = 'cpu';
        if (this.#current?.box !== box) return;
        this.#current = undefined;
        window.clearTimeout(timer);
        box.dispose();
        this.#spare?.dispose();
        this.#spare = undefined;
        return this.run(code, limitMs, check, handlers);
      }
      handlers.onMessage(m);
      if (m.type === 'done' && this.#current?.box === box) this.#finish();
    };
    const timer = window.setTimeout(() => end('timeLimit'), limitMs + HARD_LIMIT_GRACE_MS);
    this.#current = { box, timer, handlers };
    box.post({ type: 'run', id, code, check, limitMs });
  }

  #finish() {
    const c = this.#current;
    if (!c) return;
    window.clearTimeout(c.timer);
    c.box.dispose();
    this.#current = undefined;
    this.warm();
  }

  /** End the running sandbox (if any); `notify` tells its handlers. */
  stop(reason: 'stopped' = 'stopped', notify = true): void {
    const c = this.#current;
    if (!c) return;
    this.#finish();
    if (notify) c.handlers.onEnd(reason);
  }

  dispose(): void {
    this.stop('stopped', false);
    this.#spare?.dispose();
    this.#spare = undefined;
  }
}
