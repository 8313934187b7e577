// The harness page: exposes the engine client and a long-task log to Playwright and the bench.
// Islands will use the client exactly like this; nothing here touches tfjs on the main thread.
import { createEngineClient, type EngineClient } from '../../src/worker/client';
import { observeLongTasks, type LongFrame, type LongTask } from '../long-tasks';

declare global {
  interface Window {
    engine: EngineClient;
    makeEngine: typeof createEngineClient;
    longTasks: LongTask[];
    longFrames: LongFrame[];
    harnessReady: boolean;
  }
}

observeLongTasks();

window.makeEngine = createEngineClient;
window.engine = createEngineClient(); // honours ?backend=
window.harnessReady = true;
document.getElementById('status')!.textContent = 'ready';
