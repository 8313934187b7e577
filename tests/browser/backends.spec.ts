import { expect, test } from '@playwright/test';
import { openEngine, TINY } from './helpers';

/**
 * Training runs on every backend, and agrees with the cpu backend. The first loss is the same
 * model on the same batch before any update: float32 summation order is all that differs, so it
 * agrees to 1e-4. After a few Adam steps differences grow (Adam normalises tiny gradients to
 * ±lr, so a sign that rounding flips moves a weight by a full step): 5e-2 relative there.
 */
const STEPS: Record<string, number> = { webgpu: 4, webgl: 8, wasm: 8, cpu: 8 };

for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
  test(`${backend}: trains, the loss falls, agrees with cpu, leaves no tensors`, async ({ page }) => {
    const info = await openEngine(page, backend);
    expect(info).toMatchObject({ backend, reason: 'forced' });
    const r = await page.evaluate(async ({ opts, steps }) => {
      const before = await window.engine.memory();
      const m = await window.engine.create(opts as never);
      const created = await window.engine.memory();
      const losses: number[] = [];
      for (let i = 0; i < steps; i++) losses.push((await m.step(1)).loss);
      await m.train({ steps: 5 });
      await m.stop();
      const afterStop = await window.engine.memory();
      await m.dispose();
      const disposed = await window.engine.memory();
      // The same model and seed on the cpu backend, in a second worker.
      const cpu = window.makeEngine({ backend: 'cpu' });
      const mc = await cpu.create(opts as never);
      const cpuLosses: number[] = [];
      for (let i = 0; i < Math.min(steps, 3); i++) cpuLosses.push((await mc.step(1)).loss);
      cpu.terminate();
      return { losses, cpuLosses, before: before.numTensors, created: created.numTensors, afterStop: afterStop.numTensors, disposed: disposed.numTensors };
    }, { opts: TINY, steps: STEPS[backend]! });
    console.log(backend, JSON.stringify(r));
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!);
    expect(Math.abs(r.losses[0]! - r.cpuLosses[0]!)).toBeLessThan(1e-4);
    for (let i = 1; i < r.cpuLosses.length; i++) {
      expect(Math.abs(r.losses[i]! - r.cpuLosses[i]!) / r.cpuLosses[i]!).toBeLessThan(5e-2);
    }
    expect(r.afterStop).toBe(r.created);
    expect(r.disposed).toBe(r.before);
  });
}
