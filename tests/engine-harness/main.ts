// The harness page: exposes the engine client and a long-task log to Playwright and the bench.
// Islands will use the client exactly like this; nothing here touches tfjs on the main thread.
import { createEngineClient, type EngineClient } from '../../src/worker/client';

declare global {
  interface Window {
    engine: EngineClient;
    makeEngine: typeof createEngineClient;
    longTasks: number[];
    harnessReady: boolean;
  }
}

window.longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

window.makeEngine = createEngineClient;
window.engine = createEngineClient(); // honours ?backend=
window.harnessReady = true;
document.getElementById('status')!.textContent = 'ready';
