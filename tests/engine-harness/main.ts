// The harness page: exposes the engine client to Playwright and the bench.
// Islands will use the client exactly like this; nothing here touches tfjs on the main thread.
import { createEngineClient, type EngineClient } from '../../src/worker/client';
import { sizeClass, withVerdict } from '../../src/engine/choice';
import { deviceKey, VERDICTS_KEY } from '../../src/worker/chooser';

declare global {
  interface Window {
    engine: EngineClient;
    makeEngine: typeof createEngineClient;
    harnessReady: boolean;
    /** The backend chooser's storage, for tests that plant a remembered verdict. */
    choice: { deviceKey: typeof deviceKey; key: string; sizeClass: typeof sizeClass; withVerdict: typeof withVerdict };
  }
}

window.makeEngine = createEngineClient;
window.choice = { deviceKey, key: VERDICTS_KEY, sizeClass, withVerdict };
window.engine = createEngineClient(); // honours ?backend=
window.harnessReady = true;
document.getElementById('status')!.textContent = 'ready';
