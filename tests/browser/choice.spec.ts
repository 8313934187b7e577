import { expect, test } from '@playwright/test';
import { openEngine, TINY } from './helpers';

/**
 * The measured backend choice (src/engine/choice.ts, src/worker/chooser.ts) on real backends.
 * A remembered verdict that the run finds stale (planted here: CPU at 0.5 ms a step, which no
 * CPU does) is measured again, and the run moves to the fastest backend measured, mid-training:
 * weights, Adam's state and the batch position move with it, so the loss curve goes on where it
 * was and the run ends at exactly the step it was asked for.
 */
const MODEL = { ...TINY, model: { dModel: 32, heads: 2, ffn: 64 }, train: { ...TINY.train, batchSize: 64 } };

test('a stale remembered backend is measured again and the run moves mid-training without a jump', async ({ page }) => {
  // 400 steps, a third of them on the cpu backend, and the measuring: minutes on a loaded 2-core machine.
  test.setTimeout(420_000);
  const info = await openEngine(page);
  expect(info.reason).toBe('starter');
  const r = await page.evaluate(async (opts) => {
    // Learn the model's size class, then plant a verdict for it: CPU, remembered at 0.5 ms a step.
    const probe = await window.engine.create(opts as never);
    const size = window.choice.sizeClass({
      paramCount: probe.info.paramCount, tokensPerStep: probe.info.train.batchSize * Math.max(probe.info.maxInput, probe.info.maxOutput),
    });
    await probe.dispose();
    const planted = window.choice.withVerdict(undefined, window.choice.deviceKey(), size, {
      backend: 'cpu', timings: [{ backend: 'cpu', msPerStep: 0.5 }], at: Date.now(),
    });
    localStorage.setItem(window.choice.key, JSON.stringify(planted));

    const backends: Array<{ backend: string; reason: string; measuring?: boolean; timings?: unknown[] }> = [];
    window.engine.onBackend((b) => backends.push({ backend: b.backend, reason: b.reason, measuring: b.measuring, timings: b.timings }));
    const m = await window.engine.create(opts as never);
    const createdOn = m.info.backend;
    const progress: Array<{ step: number; loss: number; backend: string }> = [];
    m.on('progress', (p) => progress.push({ step: p.step, loss: p.loss, backend: window.engine.backend()!.backend }));
    const done = new Promise<number>((res) => m.on('state', (s) => s.state === 'done' && res(s.step)));
    await m.train({ steps: 400, reportEvery: 5 });
    const finalStep = await done;
    const stored = JSON.parse(localStorage.getItem(window.choice.key)!);
    return { createdOn, backends, progress, finalStep, stored, memory: await window.engine.memory() };
  }, MODEL);

  console.log(JSON.stringify(r.backends.map((b) => [b.backend, b.reason, b.measuring ?? false])), JSON.stringify(r.backends.at(-1)!.timings));
  // Created on the remembered backend; found stale; measured; moved (or confirmed) as measured.
  expect(r.createdOn).toBe('cpu');
  expect(r.backends[0]).toMatchObject({ backend: 'cpu', reason: 'remembered' });
  expect(r.backends.some((b) => b.measuring)).toBe(true);
  const final = r.backends.at(-1)!;
  expect(final.reason).toBe('measured');
  const timings = final.timings as Array<{ backend: string; msPerStep?: number }>;
  const measured = timings.filter((t) => t.msPerStep !== undefined);
  const cpu = timings.find((t) => t.backend === 'cpu')!;
  const best = measured.reduce((a, b) => (b.msPerStep! < a.msPerStep! ? b : a));
  // The rule: the fastest measured, unless within 20 % of the current one (CPU here; a CPU cut
  // off by its time budget counts as slower than any measured backend).
  expect(final.backend).toBe(best.msPerStep! <= 0.8 * (cpu.msPerStep ?? Infinity) ? best.backend : 'cpu');
  expect(final.backend).not.toBe('cpu'); // WASM runs these matmuls faster than plain JavaScript anywhere
  expect(r.memory.backend).toBe(final.backend);

  // One curve: steps only go forward (a report every 5, plus one where the run paused to move),
  // to exactly 400; the loss goes on where it was.
  expect(r.finalStep).toBe(400);
  const steps = r.progress.map((p) => p.step);
  for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBeGreaterThan(0);
  for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBeLessThanOrEqual(5);
  expect(steps.at(-1)).toBe(400);
  const at = r.progress.findIndex((p) => p.backend === final.backend && p.step > 5);
  expect(at).toBeGreaterThan(0);
  const before = r.progress[at - 1]!.loss;
  const after = r.progress[at]!.loss;
  const first = r.progress[0]!.loss;
  console.log(`moved at step ${r.progress[at]!.step}: loss ${before.toFixed(3)} -> ${after.toFixed(3)} (first ${first.toFixed(3)})`);
  expect(after).toBeLessThan(first);
  expect(Math.abs(after - before)).toBeLessThan(0.5 * Math.abs(first - before) + 0.05);
  // The new verdict replaced the planted one.
  expect(Object.values(r.stored.entries as Record<string, { backend: string }>).map((v) => v.backend)).toEqual([final.backend]);
});
