import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// A bare page that loads the engine client, for the `engine` Playwright project and the bench.
// Built once, served by `vite preview` from localhost (a secure context: WebGPU is offered).
// ISOLATED=1 adds COOP/COEP headers, which make the page crossOriginIsolated, so the WASM
// backend can use its threaded build (SharedArrayBuffer).
const isolated = process.env.ISOLATED === '1';
const headers: Record<string, string> = isolated
  ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
  : {};
// The strictest Content-Security-Policy the engine is known to work under (see the engine
// report): the page and the worker script both get it. ENGINE_CSP=0 turns it off.
if (process.env.ENGINE_CSP !== '0') {
  headers['Content-Security-Policy'] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:";
}

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    // The bench builds into its own folder, so it can run while engine tests use dist/.
    outDir: process.env.HARNESS_OUT ?? 'dist',
    minify: process.env.HARNESS_MINIFY !== '0',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { index: `${root}index.html`, bench: `${root}bench.html` } },
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', strictPort: true, headers },
});
