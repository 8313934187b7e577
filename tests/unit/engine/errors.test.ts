import { describe, expect, it } from 'vitest';
import { classifyError, EngineError, serializeError, toEngineError } from '../../../src/engine/errors';

/** The messages tfjs backends and browsers throw, and the code each one must get. */
describe('classifyError: thrown messages → codes', () => {
  it.each([
    // WebGL (tfjs-backend-webgl's checkWebGLError, texture limits, a context taken back)
    ['WebGL Error: OUT_OF_MEMORY'],
    ['WebGL Error: CONTEXT_LOST_WEBGL'],
    ['Requested texture size [16384x16385] greater than WebGL maximum on this browser / GPU [16384x16384].'],
    // WebGPU (error scopes, buffer-size validation)
    ['Out of memory'],
    ['Not enough memory left.'],
    ['Buffer size (4294967296) exceeds the max buffer size limit (268435456).'],
    ['Failed to allocate buffer of size 1073741824'],
    // WASM and plain JS allocations
    ['Cannot enlarge memory arrays to size 2147549184 bytes (OOM).'],
    ['Aborted(OOM)'],
    ['Array buffer allocation failed'],
    ['WebAssembly.Memory.grow(): Maximum memory size exceeded'],
  ])('%s → out-of-memory', (message) => {
    expect(classifyError(message)).toBe('out-of-memory');
  });

  it('the error class name alone is enough (WebGPU GPUOutOfMemoryError)', () => {
    expect(classifyError('', 'GPUOutOfMemoryError')).toBe('out-of-memory');
  });

  it.each([['GPUDevice was lost'], ['The WebGPU device was lost: destroyed'], ['lost the device']])('%s → device-lost', (message) => {
    expect(classifyError(message)).toBe('device-lost');
  });

  it.each([
    ['Tensor is disposed.'],
    ['No room for this word in the vocabulary'], // "room" is not OOM
    ['Zoom level too high'],
    ['Kernel \'Foo\' not registered for backend \'webgl\''],
    ['A validation error: binding size mismatch'],
    [''],
  ])('%s → internal', (message) => {
    expect(classifyError(message)).toBe('internal');
  });
});

describe('toEngineError', () => {
  it('keeps coded errors as they are', () => {
    const e = new EngineError('nan-loss', { step: 3, restoredStep: 2 });
    expect(toEngineError(e)).toBe(e);
  });

  it('gives OOM the backend and the original message as detail', () => {
    expect(serializeError(new Error('WebGL Error: OUT_OF_MEMORY'), 'webgl')).toEqual({
      code: 'out-of-memory',
      params: { backend: 'webgl', detail: 'WebGL Error: OUT_OF_MEMORY' },
      message: 'WebGL Error: OUT_OF_MEMORY',
    });
  });

  it('reads WebGPU GPUError objects, which are not Errors', () => {
    class GPUOutOfMemoryError {
      constructor(readonly message: string) {}
    }
    const e = toEngineError(new GPUOutOfMemoryError('createBuffer failed'), 'webgpu');
    expect(e.code).toBe('out-of-memory');
    expect(e.params).toEqual({ backend: 'webgpu', detail: 'createBuffer failed' });
  });

  it('anything else is internal, with the message as detail', () => {
    expect(serializeError('boom')).toEqual({ code: 'internal', params: { detail: 'boom' }, message: 'boom' });
  });
});
