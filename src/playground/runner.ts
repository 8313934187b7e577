/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as lesson from './lesson-api';
import { checks } from './checks';
import { formatTensor, formatValue } from './format';
import { GUARD, instrumentLoops } from './guard';
import { lockDown } from './lockdown';
import type { Display, FromRunner, Place, Printed, ToRunner } from './protocol';
import { transpile } from './transpile';

/**
 * The exercise runner: a dedicated worker started from a blob: URL inside the sandbox
 * frame (sandbox.html: opaque origin, no network, no storage), one per run — the page throws the
 * whole frame away after each run, so no state, tensor or monkey-patch survives into the next.
 * One bundle per tfjs backend (runners/*.worker.ts), each a single self-contained file run as a
 * classic script, since a blob worker in an opaque origin cannot fetch chunks from the site. It
 * talks to the page over the MessagePort the frame hands it first, never to the frame. Order matters: tfjs and the
 * backend (and the WASM binary, sent by the page) load first, THEN lockDown() removes the
 * network, storage, workers and string compilation (a second wall behind the frame's CSP),
 * THEN learner code runs with `require` limited to a few names.
 */
let port: MessagePort | undefined;
const post = (m: FromRunner) => port?.postMessage(m);
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
const now = () => performance.now();

/** Documented module names → what `require` returns. Nothing else resolves. */
const modules: Record<string, unknown> = { '@tensorflow/tfjs': tf, '@tensorflow/tfjs-core': tf, lesson };

/** Lines the Function constructor puts before the body, measured rather than assumed. */
let lineOffset = 2;
function calibrate() {
  try {
    new AsyncFunction('a', 'throw new Error()\n//# sourceURL=exercise.ts')().catch((e: Error) => {
      const m = /exercise\.ts:(\d+):\d+/.exec(String(e.stack));
      if (m) lineOffset = Number(m[1]) - 1;
    });
  } catch {
    /* keep the default */
  }
}

class SandboxLimit extends Error {
  constructor(readonly limit: 'time' | 'memory') {
    super(limit);
  }
}

// --- Limits: see guard.ts for why loops call GUARD. ---------------------------------------
const MAX_ELEMENTS = 1.2e8; // array elements pushed/filled in one run (~0.5-1 GB of JS heap)
const MAX_TENSOR_BYTES = 1.5e9;
let deadline = Infinity;
let elements = 0;
let tripped: SandboxLimit | undefined;
let calls = 0;
function guard(): true {
  if (tripped) throw tripped;
  // Counts, every call (a loop making big tensors reaches the WASM heap's end in few turns);
  // the clock every 1024th.
  if (elements > MAX_ELEMENTS || tf.engine().state.numBytes > MAX_TENSOR_BYTES) tripped = new SandboxLimit('memory');
  else if (++calls % 1024 === 0 && now() > deadline) tripped = new SandboxLimit('time');
  if (tripped) throw tripped;
  return true;
}
/**
 * Typed arrays and ArrayBuffers live outside the JS heap, so a loop of `new Float64Array(1e7)`
 * can take gigabytes of the machine before V8 notices. Buffers of 1 MiB or more are tallied
 * while they live (a FinalizationRegistry takes back the ones collected); past the limit the
 * constructor throws. Also counts the ones tfjs's cpu backend makes for tensors.
 */
const MAX_BUFFER_BYTES = 2e9;
const TRACKED_MIN = 1 << 20;
let bufferBytes = 0;
const tracked = new WeakSet<object>();
const collected = new FinalizationRegistry<number>((n) => (bufferBytes -= n));
function track(buffer: ArrayBufferLike | undefined) {
  if (!buffer || buffer.byteLength < TRACKED_MIN || tracked.has(buffer)) return;
  tracked.add(buffer);
  bufferBytes += buffer.byteLength;
  collected.register(buffer, buffer.byteLength);
  if (bufferBytes > MAX_BUFFER_BYTES) throw (tripped = new SandboxLimit('memory'));
}
const BUFFER_KINDS = [
  'ArrayBuffer', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;

function countAllocations() {
  const g = globalThis as unknown as Record<string, new (...a: unknown[]) => object>;
  for (const name of BUFFER_KINDS) {
    const kind = g[name];
    if (typeof kind !== 'function') continue;
    g[name] = new Proxy(kind, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget) as ArrayBufferLike | ArrayBufferView;
        track(ArrayBuffer.isView(made) ? made.buffer : made);
        return made;
      },
    });
  }
  const push = Array.prototype.push;
  const fill = Array.prototype.fill;
  Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
    elements += items.length;
    return push.apply(this, items);
  };
  Array.prototype.fill = function (this: unknown[], ...args: Parameters<typeof fill>) {
    elements += this.length;
    return fill.apply(this, args);
  } as typeof fill;
}

// --- Printing --------------------------------------------------------------------------------
const PREVIEW_MAX = 100_000;
function printed(v: unknown): Printed {
  if (v instanceof tf.Tensor) {
    if (v.isDisposed) return { kind: 'tensor', text: `Tensor ${v.dtype} [${v.shape.join(', ')}] (disposed)` };
    const values = v.size <= PREVIEW_MAX ? (v.dataSync() as ArrayLike<number>) : [];
    const text = v.size <= PREVIEW_MAX ? formatTensor({ shape: v.shape, dtype: v.dtype, values }) : `Tensor ${v.dtype} [${v.shape.join(', ')}]`;
    return { kind: 'tensor', text };
  }
  return { kind: 'text', text: formatValue(v) };
}

function toMatrix(v: unknown): number[][] {
  if (v instanceof tf.Tensor) {
    // Higher ranks: the first [0, 0, …] slice of the last two axes (e.g. batch 0, head 0).
    const m = tf.tidy(() => {
      let t = v as tf.Tensor;
      while (t.rank > 2) t = tf.gather(t, 0);
      return t.rank === 1 ? tf.expandDims(t, 0) : t;
    });
    const rows = m.arraySync() as number[][];
    // A rank-2 tensor comes back as itself: it is the learner's, and stays theirs.
    if (m !== v) m.dispose();
    return rows;
  }
  if (Array.isArray(v) && v.every(Array.isArray)) return (v as unknown[][]).map((r) => r.map(Number));
  throw new TypeError('show.heatmap needs a tensor or an array of rows of numbers');
}

const toList = (v: unknown): number[] =>
  v instanceof tf.Tensor ? Array.from(v.dataSync() as ArrayLike<number>) : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>, Number) : [];

function makeShow(id: number) {
  const send = (display: Display) => post({ type: 'display', id, display });
  return {
    /** show.line([…]) · show.line({ series: { loss: […], accuracy: […] } }) */
    line(data: unknown, o: { title?: string } = {}) {
      const obj = data as { series?: Record<string, unknown> };
      const series = obj && !Array.isArray(data) && !(data instanceof tf.Tensor) && obj.series
        ? Object.entries(obj.series).map(([name, values]) => ({ name, values: toList(values).slice(0, 5000) }))
        : [{ name: '', values: toList(data).slice(0, 5000) }];
      send({ kind: 'line', series, title: o.title });
    },
    heatmap(data: unknown, o: { rowLabels?: string[]; colLabels?: string[]; title?: string } = {}) {
      const rows = toMatrix(data).slice(0, 64).map((r) => r.slice(0, 64));
      send({ kind: 'heatmap', rows, rowLabels: (o.rowLabels ?? []).map(String), colLabels: (o.colLabels ?? []).map(String), title: o.title });
    },
    /** show.table([{ a: 1, b: 2 }, …]) or show.table([[1, 2], …], { head: ['a', 'b'] }) */
    table(data: unknown, o: { head?: string[]; title?: string } = {}) {
      const list = (Array.isArray(data) ? data : []).slice(0, 200);
      const objects = list.length > 0 && !Array.isArray(list[0]);
      const head = o.head ?? (objects ? Object.keys(list[0] as object) : []);
      const rows = list.map((r) => (objects ? head.map((h) => formatValue((r as Record<string, unknown>)[h], 1)) : (r as unknown[]).map((c) => formatValue(c, 1))));
      send({ kind: 'table', head: head.map(String), rows, title: o.title });
    },
  };
}

function makeConsole(id: number) {
  const out = (level: 'log' | 'info' | 'warn' | 'error') => (...args: unknown[]) =>
    post({ type: 'console', id, level, parts: args.map(printed) });
  return { log: out('log'), info: out('info'), warn: out('warn'), error: out('error'), debug: out('log') };
}

/** Learner-file places from a stack: frames in exercise.ts, lines shifted by the wrapper. */
function placesOf(stack: string): Place[] {
  return [...stack.matchAll(/exercise\.ts:(\d+):(\d+)/g)].map((m) => ({ line: Number(m[1]) - lineOffset, column: Number(m[2]) }));
}

function requireFor(name: unknown): unknown {
  if (typeof name === 'string' && name in modules) return modules[name];
  throw Object.assign(new Error(String(name)), { moduleUnknown: true });
}

// --- Running ---------------------------------------------------------------------------------
let ready: Promise<boolean> | undefined;

/** What a backend needs before it starts (the WASM backend: its binary, asked of the page). */
export type Prepare = (ask: (what: 'wasm-simd' | 'wasm') => Promise<ArrayBuffer>) => Promise<void>;
let prepare: Prepare = async () => {};
const asked = new Map<string, (b: ArrayBuffer) => void>();

async function init(backend: string): Promise<boolean> {
  try {
    await prepare((what) => new Promise((resolve) => {
      asked.set(what, resolve);
      post({ type: 'need', what });
    }));
    // The page's measured choice; should it not start, the cpu backend where this bundle has it.
    const started = await tf.setBackend(backend).catch(() => false);
    if (!started && !(tf.findBackendFactory('cpu') && (await tf.setBackend('cpu')))) throw new Error(`backend ${backend} did not start`);
    await tf.ready();
    calibrate();
    const left = lockDown();
    if (left.length) throw new Error(`could not remove ${left.join(', ')}`);
    countAllocations();
    post({ type: 'ready', backend: tf.getBackend() });
    return true;
  } catch (e) {
    post({ type: 'broken', detail: e instanceof Error ? e.message : String(e) });
    return false;
  }
}

function reportError(id: number, e: unknown) {
  if (e instanceof SandboxLimit) {
    post({ type: 'refused', id, key: e.limit === 'time' ? 'timeLimit' : 'memoryLimit' });
    return;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const stack = placesOf(String(err.stack ?? ''));
  if ((err as { moduleUnknown?: boolean }).moduleUnknown) {
    post({ type: 'refused', id, key: 'moduleUnknown', params: { name: err.message, known: Object.keys(modules).join(', ') }, place: stack[0] });
    return;
  }
  // The WASM heap grew under a view tfjs still held (a run allocating hundreds of MB there).
  const wasmGrew = err instanceof TypeError && /detached/.test(err.message) && tf.getBackend() === 'wasm';
  if (wasmGrew || (err instanceof RangeError && /allocation|Invalid array length|Invalid typed array length|Invalid string length|Array buffer|maximum size/i.test(err.message))) {
    post({ type: 'refused', id, key: 'memoryLimit', place: stack[0] });
    return;
  }
  post({ type: 'runtime-error', id, name: err.name, message: err.message, place: stack[0], stack });
}

async function run(id: number, source: string, limitMs: number, check?: string) {
  const t0 = now();
  const t = transpile(source);
  if (!t.ok) {
    if (t.kind === 'syntax') post({ type: 'syntax-error', id, message: t.message, place: t.place });
    else post({ type: 'refused', id, key: 'dynamicImport', place: t.place });
    post({ type: 'done', id, ms: now() - t0, leakedTensors: 0, transpileMs: now() - t0 });
    return;
  }
  const guarded = transpile(instrumentLoops(source));
  const code = guarded.ok ? guarded.code : t.code;
  const before = tf.memory().numTensors;
  deadline = t0 + limitMs;
  const exports: Record<string, unknown> = {};
  const console = makeConsole(id);
  let failed = false;
  try {
    const fn = new AsyncFunction('require', 'exports', 'module', 'console', 'show', GUARD, `${code}\n//# sourceURL=exercise.ts`);
    await fn(requireFor, exports, { exports }, console, makeShow(id), guard);
  } catch (e) {
    failed = true;
    reportError(id, e);
  }
  if (!failed && check && checks[check]) {
    try {
      post({ type: 'checks', id, results: await checks[check]!(exports) });
    } catch (e) {
      reportError(id, e);
    }
  }
  post({ type: 'done', id, ms: now() - t0, leakedTensors: Math.max(0, tf.memory().numTensors - before), transpileMs: t.ms });
}

function onPortMessage(e: MessageEvent<ToRunner>) {
  const m = e.data;
  if (m.type === 'init') ready ??= init(m.backend);
  else if (m.type === 'bytes') asked.get(m.what)?.(m.bytes);
  else if (m.type === 'run') {
    void (ready ?? Promise.resolve(false)).then((ok) => (ok ? run(m.id, m.code, m.limitMs, m.check) : undefined));
  }
}

/** Starts this worker: the frame's first message carries the port to the page. */
export function startRunner(before?: Prepare): void {
  if (before) prepare = before;
  const onConnect = (e: MessageEvent) => {
    if (port || !e.ports[0]) return;
    self.removeEventListener('message', onConnect);
    port = e.ports[0];
    port.onmessage = onPortMessage;
  };
  self.addEventListener('message', onConnect);
  // Errors thrown later (in a timer, an un-awaited promise) still belong to the current run.
  self.addEventListener('error', (e) => {
    e.preventDefault();
    reportError(-1, e.error ?? e.message);
  });
  self.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    reportError(-1, e.reason);
  });
}
