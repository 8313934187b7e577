/**
 * Errors the engine reports. The engine has no UI strings: every error carries a stable `code`
 * and the `params` a UI needs to write a sentence in the reader's language
 * (`heads-not-divisor` + {dModel: 30, heads: 4} → "d_model 30 is not divisible by 4 heads").
 * `message` is an English sentence for developers and logs only.
 */
export type EngineErrorCode =
  | 'invalid-config' // a config field has a value outside its range: {field, value, expected}
  | 'heads-not-divisor' // dModel % heads !== 0: {dModel, heads}
  | 'empty-vocabulary' // a task produced no tokens: {task}
  | 'sequence-too-long' // a sequence exceeds the positional table: {length, maxLen}
  | 'empty-dataset' // the caller passed no examples: {task}
  | 'unknown-task' // {task}
  | 'unknown-model' // no model with this id in the worker: {modelId}
  | 'wrong-model-kind' // e.g. decode() on a classifier: {modelId, kind, expected}
  | 'nan-loss' // training diverged: {step}
  | 'out-of-memory' // the device ran out of memory: {backend, detail}
  | 'backend-unavailable' // a forced backend could not start: {backend, reason}
  | 'no-backend' // no backend at all could start: {tried}
  | 'device-lost' // the GPU device was lost and no fallback worked: {backend, detail}
  | 'storage-failed' // IndexedDB save/load failed: {key, detail}
  | 'not-found' // nothing saved under this key: {key}
  | 'busy' // an operation needs the model idle (e.g. load while training): {modelId, state}
  | 'internal'; // anything else: {detail}

export type ErrorParams = Record<string, string | number | boolean | null | string[]>;

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly params: ErrorParams;
  constructor(code: EngineErrorCode, params: ErrorParams = {}, message?: string) {
    super(message ?? `${code}: ${JSON.stringify(params)}`);
    this.name = 'EngineError';
    this.code = code;
    this.params = params;
  }
}

/** The plain-object form that crosses the worker boundary. */
export interface SerializedError {
  code: EngineErrorCode;
  params: ErrorParams;
  message: string;
}

const OUT_OF_MEMORY = [
  /out[ _]of[ _]memory/i,
  /\bOOM\b/i,
  /not enough memory/i,
  /\ballocat/i,
  /enlarge memory/i,
  /memory size exceeded/i,
  /exceeds? .*\b(limit|maximum)\b/i,
  /greater than (the )?(WebGL )?maximum/i,
  /CONTEXT_LOST/i,
];

/**
 * What a thrown message means, for the codes the engine cannot raise itself: tfjs and the
 * browser report running out of memory and losing the GPU as plain errors. Pure (unit-tested in
 * tests/unit/engine/errors.test.ts). `name` is the error's class name where it has one
 * (WebGPU's GPUOutOfMemoryError, a RangeError for a failed ArrayBuffer allocation).
 *  - WebGL: 'WebGL Error: OUT_OF_MEMORY', 'CONTEXT_LOST_WEBGL' (a context is most often taken
 *    back under memory pressure), 'Requested texture size [a x b] greater than WebGL maximum';
 *  - WebGPU: GPUOutOfMemoryError, 'Out of memory', validation errors on a buffer size that
 *    'exceeds the max buffer size limit';
 *  - WASM / JS: 'Cannot enlarge memory arrays', 'Aborted(OOM)', 'Array buffer allocation failed',
 *    'WebAssembly.Memory.grow(): Maximum memory size exceeded'.
 */
export function classifyError(message: string, name = ''): 'out-of-memory' | 'device-lost' | 'internal' {
  if (/OutOfMemory/i.test(name)) return 'out-of-memory';
  if (OUT_OF_MEMORY.some((re) => re.test(message))) return 'out-of-memory';
  if (/device.*lost|lost.*device|GPUDevice/i.test(message)) return 'device-lost';
  return 'internal';
}

/** Any thrown value as an EngineError: tfjs's own OOM and device messages get their codes here. */
export function toEngineError(e: unknown, backend = ''): EngineError {
  if (e instanceof EngineError) return e;
  // WebGPU's GPUError objects are not Errors: read their message and class name too.
  const o = (typeof e === 'object' && e) as { message?: unknown; name?: unknown; constructor?: { name?: string } } | false;
  const detail = o && typeof o.message === 'string' ? o.message : String(e);
  const name = o ? (typeof o.name === 'string' ? o.name : o.constructor?.name ?? '') : '';
  const code = classifyError(detail, name);
  if (code === 'out-of-memory') return new EngineError('out-of-memory', { backend, detail }, detail);
  if (code === 'device-lost') return new EngineError('device-lost', { backend, detail }, detail);
  return new EngineError('internal', { detail }, detail);
}

export function serializeError(e: unknown, backend = ''): SerializedError {
  const err = toEngineError(e, backend);
  return { code: err.code, params: err.params, message: err.message };
}
