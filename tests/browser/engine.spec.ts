import { expect, test } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS } from '../chromium';
import { longTasks, traceMainThread } from '../long-tasks';
import { openEngine, TINY } from './helpers';

test('without the WebGPU flag: the engine starts on a fast starter, measures, and says why WebGPU was not used', async ({ playwright, baseURL }) => {
  // A second browser, launched without --enable-unsafe-webgpu: requestAdapter() returns null.
  const browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: QUIET_FLAGS });
  try {
    const page = await browser.newPage({ baseURL });
    const info = await openEngine(page);
    expect(info).toMatchObject({ backend: 'wasm', reason: 'starter' });
    const measured = await page.evaluate(async (opts) => {
      const done = new Promise<{ reason: string; timings?: Array<{ backend: string; skipped?: string; detail?: string }> }>((res) =>
        window.engine.onBackend((b) => !b.measuring && b.reason === 'measured' && res(b)));
      const m = await window.engine.create(opts as never);
      await m.train({ reportEvery: 5 });
      const b = await done;
      await m.stop();
      return b;
    }, TINY);
    expect(measured.timings?.find((t) => t.backend === 'webgpu')).toMatchObject({ skipped: 'no-adapter' });
  } finally {
    await browser.close();
  }
});

test('the main thread runs no long task while a model trains; stop is fast and frees every step tensor', async ({ page, browser }) => {
  await openEngine(page, 'wasm');
  const stopTrace = await traceMainThread(browser, page);
  const r = await page.evaluate(async (opts) => {
    const m = await window.engine.create({ ...opts, train: { ...opts.train, batchSize: 32 } } as never);
    const created = (await window.engine.memory()).numTensors;
    let progress = 0;
    m.on('progress', () => progress++);
    await m.train({ reportEvery: 5 });
    await new Promise((res) => setTimeout(res, 2500));
    const t0 = performance.now();
    const state = await m.stop();
    const stopMs = performance.now() - t0;
    const after = (await window.engine.memory()).numTensors;
    return { stopMs, state, progress, created, after };
  }, TINY);
  const tasks = await stopTrace();
  const long = longTasks(tasks);
  console.log(JSON.stringify({ ...r, tasks: tasks.length, longest: Math.round(Math.max(...tasks.map((t) => t.cpu))), long }));
  expect(r.progress).toBeGreaterThan(3);
  // The page received the progress reports: the trace saw the main thread at work.
  expect(tasks.filter((t) => t.scripts.length > 0).length).toBeGreaterThan(3);
  expect(long, 'main-thread tasks with > 50 ms of CPU time').toEqual([]);
  expect(r.state.state).toBe('stopped');
  // Stop lands between two steps (~20 ms each here): 1-22 ms measured on an idle machine. The
  // bound is loose on purpose (a loaded 2-core CI box measured 276 ms once): this checks that stop
  // does not wait for the run to finish, it is not a speed test.
  expect(r.stopMs, 'stop → stopped, ms (main-thread wall clock)').toBeLessThan(1000);
  expect(r.after).toBe(r.created);
});

test('bad input gives a coded error and the worker stays usable', async ({ page }) => {
  await openEngine(page, 'cpu');
  const r = await page.evaluate(async (opts) => {
    const err = await window.engine.create({ ...opts, model: { dModel: 30, heads: 4 } } as never).catch((e) => ({ code: e.code, params: e.params }));
    const m = await window.engine.create(opts as never);
    const p = await m.step(2);
    const long = await m.decode(['a b c d e f a b c d e f']).catch((e) => e.code);
    return { err, step: p.step, long };
  }, TINY);
  expect(r.err).toEqual({ code: 'heads-not-divisor', params: { dModel: 30, heads: 4 } });
  expect(r.step).toBe(2);
  expect(r.long).toBe('sequence-too-long');
});

test('weights save to IndexedDB and a reload resumes from them', async ({ page }) => {
  await openEngine(page, 'cpu');
  const saved = await page.evaluate(async (opts) => {
    const m = await window.engine.create(opts as never);
    await m.step(6);
    await m.save('browser-test');
    return (await m.step(1)).loss; // the loss of step 7
  }, TINY);
  await page.reload();
  await openEngine(page, 'cpu');
  const resumed = await page.evaluate(async (opts) => {
    const m = await window.engine.create(opts as never, { restore: 'browser-test' });
    return { step: m.info.step, loss: (await m.step(1)).loss };
  }, TINY);
  expect(resumed.step).toBe(6);
  expect(resumed.loss).toBe(saved);
});

test('a lost WebGPU device moves training to the next backend', async ({ page }) => {
  // Forced: left to measure, the engine would not pick software WebGPU (the flag gives SwiftShader).
  const info = await openEngine(page, 'webgpu');
  expect(info.backend).toBe('webgpu');
  const r = await page.evaluate(async (opts) => {
    const m = await window.engine.create(opts as never);
    await m.step(2);
    const moved = new Promise<{ backend: string; reason: string }>((res) => window.engine.onBackend(res));
    await m.train({ reportEvery: 1 });
    await window.engine.loseDevice();
    const b = await moved;
    // Training goes on by itself on the new backend (after its own shader compile).
    const next = await new Promise<number>((res) => m.on('progress', (p) => res(p.step)));
    await m.stop();
    return { backend: b.backend, reason: b.reason, next, memory: await window.engine.memory() };
  }, TINY);
  expect(r.reason).toBe('device-lost');
  expect(r.backend).toBe('webgl');
  expect(r.next).toBeGreaterThan(0);
  expect(r.memory.backend).toBe('webgl');
});
