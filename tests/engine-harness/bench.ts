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

// tfjs's own defaults: the baseline runs with them, not with the engine's chosen flags.
const TFJS_DEFAULTS: Record<string, Record<string, boolean>> = { webgl: { WEBGL_PACK: true, WEBGL_CPU_FORWARD: true } };

window.benchJob = async (backend, job) => {
  // The baseline gets a worker of its own, so each side runs with its own flags.
  const key = job.job === 'naive' ? `${backend}:naive` : backend;
  let w = workers.get(key);
  if (!w) {
    w = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
    workers.set(key, w);
    const flags = job.job === 'naive' ? TFJS_DEFAULTS[backend] : (window as unknown as { benchFlags?: Record<string, boolean> }).benchFlags;
    await call(w, { job: 'start', backend: backend as never, flags });
  }
  return call(w, job);
};

window.benchDone = (backend) => {
  for (const key of [backend, `${backend}:naive`]) {
    workers.get(key)?.terminate();
    workers.delete(key);
  }
};
