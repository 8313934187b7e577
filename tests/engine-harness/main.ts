// The harness page: exposes the engine client and a long-task log to Playwright and the bench.
// Islands will use the client exactly like this; nothing here touches tfjs on the main thread.
import { createEngineClient, type EngineClient } from '../../src/worker/client';

declare global {
  interface Window {
    engine: EngineClient;
    makeEngine: typeof createEngineClient;
    longTasks: Array<{ start: number; duration: number }>;
    /** Long animation frames: when, and the longest script run in each (ms). */
    longFrames: Array<{ start: number; end: number; script: number }>;
    harnessReady: boolean;
  }
}

window.longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
// A long task can also be the main thread waiting for a core on a loaded machine; the long
// animation frames say how long page script itself ran.
window.longFrames = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries() as Array<PerformanceEntry & { scripts: Array<{ duration: number }> }>) {
    window.longFrames.push({ start: e.startTime, end: e.startTime + e.duration, script: Math.max(0, ...e.scripts.map((x) => x.duration)) });
  }
}).observe({ type: 'long-animation-frame', buffered: true });

window.makeEngine = createEngineClient;
window.engine = createEngineClient(); // honours ?backend=
window.harnessReady = true;
document.getElementById('status')!.textContent = 'ready';
