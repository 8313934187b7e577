/**
 * Engine errors and backend choices as sentences in the reader's language. The engine reports
 * codes and params only (src/engine/errors.ts, src/engine/backend.ts); the sentences are the
 * `island.error.*`, `island.skip.*` and `island.backend.*` UI strings. Pure: unit-tested in
 * tests/unit/islands-messages.test.ts.
 */
import type { BackendInfo, BackendName, EngineErrorCode, ErrorParams, Timing } from '../../../worker/protocol';

type T = (key: string, params?: Record<string, string | number>) => string;

export const BACKEND_NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

const ERROR_KEYS: Partial<Record<EngineErrorCode, string>> = {
  'invalid-config': 'invalidConfig',
  'heads-not-divisor': 'headsNotDivisor',
  'sequence-too-long': 'sequenceTooLong',
  'nan-loss': 'nanLoss',
  'out-of-memory': 'outOfMemory',
  'backend-unavailable': 'backendUnavailable',
  'no-backend': 'noBackend',
  'device-lost': 'deviceLost',
  'storage-failed': 'storageFailed',
  busy: 'busy',
};

/** `{code, params}` → a sentence. Unknown codes read as the generic engine error. */
export function errorMessage(t: T, e: { code?: string; params?: ErrorParams } | unknown): string {
  const { code, params = {} } = (e ?? {}) as { code?: EngineErrorCode; params?: ErrorParams };
  // A NaN loss the engine recovered from says where the model went back to (nothing was lost).
  const key = code === 'nan-loss' && params.restoredStep !== undefined ? 'nanLossRestored' : code ? ERROR_KEYS[code] : undefined;
  const flat: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) flat[k] = Array.isArray(v) ? v.join(', ') : String(v);
  if (typeof flat.backend === 'string' && flat.backend in BACKEND_NAMES) flat.backend = BACKEND_NAMES[flat.backend as BackendName];
  return key ? t(`error.${key}`, flat) : t('error.internal');
}

const SKIP_KEYS: Record<string, string> = {
  'no-webgpu': 'noWebgpu',
  'no-adapter': 'noAdapter',
  'init-failed': 'initFailed',
  'missing-kernel': 'missingKernel',
  'smoke-test-failed': 'smokeTestFailed',
  'device-lost': 'deviceLost',
  excluded: 'initFailed',
  failed: 'failed',
};

/** A time per step as the badge prints it: one decimal under 10 ms, whole above. */
const msText = (ms: number, num: (n: number) => string) => num(ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms));

/** One measured candidate: "WebGL 14 ms", "WebGPU: fewer than 15 steps in 2 s", or why it was skipped. */
export function timingText(t: T, x: Timing, num: (n: number) => string = String): string {
  const backend = BACKEND_NAMES[x.backend];
  if (x.msPerStep !== undefined) return t('timing.ms', { backend, ms: msText(x.msPerStep, num) });
  if (x.budgetMs !== undefined && x.steps !== undefined) {
    return t('timing.tooSlow', { backend, steps: num(x.steps), seconds: num(Math.round(x.budgetMs / 100) / 10) });
  }
  return t(`skip.${SKIP_KEYS[x.skipped ?? 'failed'] ?? 'initFailed'}`, { backend });
}

/**
 * The badge: which backend runs, and why this one (measured fastest on this device, with every
 * other candidate's time; forced; started first while the others are measured; or what was
 * skipped). `num` formats numbers in the page's locale.
 */
export function backendBadge(t: T, b: BackendInfo, num: (n: number) => string = String): { label: string; fallback: boolean } {
  const backend = BACKEND_NAMES[b.backend];
  if (b.reason === 'forced') return { label: t('backend.forced', { backend }), fallback: false };
  if (b.measuring) return { label: t('backend.measuring', { backend }), fallback: false };
  if ((b.reason === 'measured' || b.reason === 'remembered') && b.timings) {
    const own = b.timings.find((x) => x.backend === b.backend);
    const others = b.timings.filter((x) => x !== own).map((x) => timingText(t, x, num)).join(', ');
    const key = b.reason === 'measured' ? 'backend.measured' : 'backend.remembered';
    const ms = own?.msPerStep !== undefined ? msText(own.msPerStep, num) : '?';
    return { label: t(key, { backend, ms, others: others || '—' }), fallback: false };
  }
  if (b.reason === 'starter') return { label: t('backend.starter', { backend }), fallback: false };
  if (b.reason === 'preferred') return { label: t('backend.preferred', { backend }), fallback: false };
  const skipped = b.skipped
    .map((s) => t(`skip.${SKIP_KEYS[s.reason] ?? 'initFailed'}`, { backend: BACKEND_NAMES[s.backend] }))
    .join('; ');
  return { label: t(b.reason === 'device-lost' ? 'backend.deviceLost' : 'backend.fallback', { backend, skipped }), fallback: true };
}
