import * as tf from '@tensorflow/tfjs-core';
import type { Timing } from './choice';
import { EngineError } from './errors';

/**
 * Starting a backend. Which one is the page's measured choice (./choice.ts, src/worker/chooser.ts):
 * an unforced engine starts on the first of a starter order (WASM, CPU: no shaders to compile),
 * the others are timed on the real model, and the run moves to a clearly faster one. The fixed
 * order WebGPU → WebGL → WASM → CPU is what a lost GPU device falls back along. A backend is
 * skipped when it is absent (no navigator.gpu, no adapter), fails to start, lacks a kernel that
 * training needs, or fails a tiny forward+backward smoke test. Every skip is recorded, so the UI
 * can say which backend runs and why. Backend modules are imported only when tried.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Why a backend was skipped: a code for the UI, and a detail for developers. */
export interface BackendSkip {
  backend: BackendName;
  reason: 'no-webgpu' | 'no-adapter' | 'init-failed' | 'missing-kernel' | 'smoke-test-failed' | 'device-lost' | 'excluded';
  detail: string;
}

export interface BackendInfo {
  backend: BackendName;
  /**
   * forced: ?backend= or the caller asked · preferred: the first choice of a fixed order worked ·
   * fallback: earlier ones were skipped · device-lost: chosen after the GPU was lost ·
   * starter: started first because it starts fast, before any measurement (see ./choice.ts) ·
   * measured: fastest measured on this device for this model · remembered: measured so on an
   * earlier visit.
   */
  reason: 'forced' | 'preferred' | 'fallback' | 'device-lost' | 'starter' | 'measured' | 'remembered';
  skipped: BackendSkip[];
  /** WebGPU adapter (vendor/architecture) or WebGL renderer, WASM features, where known. */
  detail: string;
  /** measured / remembered: every candidate's time per step, or why it was skipped. */
  timings?: Timing[];
  /** The page is measuring the other backends now (the badge says so). */
  measuring?: boolean;
}

/** Kernels a training step needs on every backend (the embedding works without gather's gradient). */
const TRAINING_KERNELS = [
  'BatchMatMul', '_FusedMatMul', 'Softmax', 'SplitV', 'Concat', 'Transpose', 'Reshape', 'OneHot', 'Sum',
  'Mean', 'Max', 'Sub', 'Multiply', 'Add', 'RealDiv', 'Exp', 'Log', 'Rsqrt', 'Sqrt', 'Square', 'Relu',
  'Tanh', 'Sigmoid', 'Equal', 'NotEqual', 'ArgMax', 'Cast', 'Slice', 'Pack', 'Unpack', 'Maximum', 'Minimum',
];

let lostHandler: ((info: { reason: string; message: string }) => void) | undefined;

/** Called once if the WebGPU device is lost (driver reset, tab in background on some systems, destroy()). */
export function onDeviceLost(handler: (info: { reason: string; message: string }) => void): void {
  lostHandler = handler;
}

async function load(name: BackendName): Promise<string> {
  switch (name) {
    case 'webgpu': {
      const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } })?.gpu;
      if (!gpu) throw skip('no-webgpu', 'navigator.gpu is undefined');
      const adapter = (await gpu.requestAdapter()) as { info?: { vendor?: string; architecture?: string } } | null;
      if (!adapter) throw skip('no-adapter', 'requestAdapter() returned null');
      await import('@tensorflow/tfjs-backend-webgpu');
      return [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ');
    }
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return '';
    case 'wasm': {
      const [wasm, { wasmPaths }, { fasterWasmKernels }] = await Promise.all([
        import('@tensorflow/tfjs-backend-wasm'),
        import('./wasm-paths'),
        import('./wasm-kernels'),
      ]);
      wasm.setWasmPaths(wasmPaths);
      fasterWasmKernels();
      return '';
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return '';
  }
}

class Skip extends Error {
  constructor(readonly reason: BackendSkip['reason'], detail: string) {
    super(detail);
  }
}
const skip = (reason: BackendSkip['reason'], detail: string) => new Skip(reason, detail);

/** A tiny forward+backward through the ops a transformer uses; throws if anything is off. */
async function smokeTest(): Promise<void> {
  const g = tf.tidy(() => {
    const w = tf.tensor2d([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [2, 3]);
    return tf.grad((w: tf.Tensor) => {
      const x = tf.oneHot(tf.tensor1d([0, 1, 1], 'int32'), 2); // [3, 2]
      const h = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, activation: 'relu' }); // [3, 3]
      return tf.sum(tf.logSoftmax(tf.softmax(h)));
    })(w);
  });
  const values = await g.data(); // async: WebGPU cannot read synchronously
  g.dispose();
  if (!Array.from(values).every(Number.isFinite)) throw skip('smoke-test-failed', 'gradient not finite');
}

export type Flags = Record<string, boolean | number>;

async function tryBackend(name: BackendName, flags: Flags): Promise<string> {
  const detail = await load(name);
  // Flags exist once their backend module has registered them, and must be set before it starts.
  const registry = (tf.env() as unknown as { flagRegistry: Record<string, unknown> }).flagRegistry;
  for (const [k, v] of Object.entries(flags)) if (k in registry) tf.env().set(k, v);
  let started = false;
  try {
    started = await tf.setBackend(name);
  } catch (e) {
    throw skip('init-failed', e instanceof Error ? e.message : String(e));
  }
  if (!started) throw skip('init-failed', `tf.setBackend('${name}') returned false`);
  await tf.ready();
  const missing = TRAINING_KERNELS.filter((k) => !tf.getKernel(k, name));
  if (missing.length) throw skip('missing-kernel', missing.join(','));
  await smokeTest();
  if (name === 'webgpu') {
    const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason: string; message: string }> } }).device;
    void device?.lost?.then((info) => lostHandler?.({ reason: info.reason, message: info.message }));
  }
  if (name === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    return gl?.getParameter(gl.RENDERER) ?? '';
  }
  return detail;
}

/**
 * tfjs flags the engine sets, per backend. WebGL: unpacked textures make reshapes and slices free
 * and CPU forwarding off keeps small ops on the GPU next to their inputs; measured on the
 * reference model (SwiftShader), 57 → 45 ms a step. Lazy unpacking keeps a packed result (a
 * matmul's, or a fused kernel's packed gradient) packed until an unpacked reader needs it, so a
 * packed tensor that feeds matmuls is not unpacked and packed again (108 → 98 programs a step).
 * Callers may override any of them.
 */
export const DEFAULT_FLAGS: Partial<Record<BackendName, Flags>> = {
  webgl: { WEBGL_PACK: false, WEBGL_CPU_FORWARD: false, WEBGL_LAZILY_UNPACK: true },
};

/**
 * Start the first backend that works: `force` alone if given (an error if it cannot start),
 * otherwise `order` (default WebGPU → WebGL → WASM → CPU) minus `exclude`. With an `order`, the
 * first that works is the 'starter' (the page then measures the others: ./choice.ts).
 */
export async function startBackend(
  opts: { force?: BackendName | null; exclude?: BackendName[]; afterLoss?: boolean; flags?: Flags; order?: readonly BackendName[] } = {},
): Promise<BackendInfo> {
  const { force, exclude = [], flags = {} } = opts;
  if (force && !BACKENDS.includes(force)) {
    throw new EngineError('invalid-config', { field: 'backend', value: String(force), expected: BACKENDS.join('|') });
  }
  const order = force ? [force] : (opts.order ?? BACKENDS).filter((b) => !exclude.includes(b));
  const skipped: BackendSkip[] = exclude.map((b) => ({ backend: b, reason: opts.afterLoss ? 'device-lost' : 'excluded', detail: '' }));
  for (const name of order) {
    try {
      const detail = await tryBackend(name, { ...DEFAULT_FLAGS[name], ...flags });
      const reason = force ? 'forced' : opts.afterLoss ? 'device-lost' : opts.order ? 'starter' : skipped.length ? 'fallback' : 'preferred';
      return { backend: name, reason, skipped, detail };
    } catch (e) {
      const s = e instanceof Skip ? e : skip('init-failed', e instanceof Error ? e.message : String(e));
      skipped.push({ backend: name, reason: s.reason, detail: s.message });
      if (force) throw new EngineError('backend-unavailable', { backend: name, reason: s.reason, detail: s.message });
    }
  }
  throw new EngineError('no-backend', { tried: skipped.map((s) => `${s.backend}:${s.reason}`) });
}

/** Lose the WebGPU device on purpose (tests of the fallback path). */
export function destroyDevice(): boolean {
  const device = (tf.backend() as unknown as { device?: { destroy(): void } }).device;
  if (tf.getBackend() !== 'webgpu' || !device) return false;
  device.destroy();
  return true;
}
