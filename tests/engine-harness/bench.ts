// The bench page: scripts/bench.ts calls window.benchJob(backend, job) through Playwright; each
// backend gets its own worker, so backends never share a tfjs instance.
import type { Job } from './bench.worker';

const workers = new Map<string, Worker>();

function call(w: Worker, job: Job): Promise<unknown> {
  return new Promise((resolve, reject) => {
    w.onmessage = (e) => (e.data.ok ? resolve(e.data.result) : reject(new Error(e.data.error)));
    w.postMessage(job);
  });
}

declare global {
  interface Window {
    benchJob(backend: string, job: Job): Promise<unknown>;
    benchDone(backend: string): void;
  }
}

window.benchJob = async (backend, job) => {
  let w = workers.get(backend);
  if (!w) {
    w = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
    workers.set(backend, w);
    await call(w, { job: 'start', backend: backend as never, flags: (window as unknown as { benchFlags?: Record<string, boolean> }).benchFlags });
  }
  return call(w, job);
};

window.benchDone = (backend) => {
  workers.get(backend)?.terminate();
  workers.delete(backend);
};
