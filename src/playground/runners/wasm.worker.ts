/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { startRunner } from '../runner';

/**
 * The runner with the WASM backend only. The frame's CSP forbids fetching from the site, so the
 * page sends the binary (SIMD or not, as tfjs detects here; never the threaded one: a sandboxed
 * frame is not cross-origin isolated) and tfjs loads it from a blob: URL of this worker's own.
 */
startRunner(async (ask) => {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const bytes = await ask(simd ? 'wasm-simd' : 'wasm');
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
  setWasmPaths({ 'tfjs-backend-wasm.wasm': url, 'tfjs-backend-wasm-simd.wasm': url, 'tfjs-backend-wasm-threaded-simd.wasm': url });
});
