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

/** Any thrown value as an EngineError: tfjs's own OOM and device messages get their codes here. */
export function toEngineError(e: unknown, backend = ''): EngineError {
  if (e instanceof EngineError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  if (/out of memory|OOM|allocat|exceeds.*(limit|size)|CONTEXT_LOST/i.test(detail)) {
    return new EngineError('out-of-memory', { backend, detail }, detail);
  }
  if (/device.*lost|lost.*device|GPUDevice/i.test(detail)) {
    return new EngineError('device-lost', { backend, detail }, detail);
  }
  return new EngineError('internal', { detail }, detail);
}

export function serializeError(e: unknown, backend = ''): SerializedError {
  const err = toEngineError(e, backend);
  return { code: err.code, params: err.params, message: err.message };
}
