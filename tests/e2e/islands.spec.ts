import { chromium, expect, test, type Locator, type Page } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS } from '../chromium';
import { expectAccessible, expectNoProblems, watchPage } from './support';
import { mount, setField, train } from './live-figures';
import { longTasks, traceMainThread } from '../long-tasks';

/**
 * The live figures (src/islands/live): each activates, trains a tiny model in the worker and
 * draws its result; pause/resume/reset; keyboard; saved runs; the backend badge; axe; no long
 * tasks on the main thread. Lean on 2 shared cores: ?backend=cpu, few steps, small models.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);




function rowSums(attr: string | null): number[] {
  return (attr ?? '').split(' ').filter(Boolean).map(Number);
}

async function expectRowsSumToOne(map: Locator) {
  const sums = rowSums(await map.getAttribute('data-row-sums'));
  expect(sums.length).toBeGreaterThan(0);
  for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-3);
}

test('pt-BR alignment: trains, draws α rows that sum to 1, pauses, resumes, saves, resets', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/pt-br/?backend=cpu');
  const f = await mount(page, 'alignment');
  await setField(f, 'steps', '40'); // the figure evaluates every 20 steps: at 20 and 40
  await setField(f, 'hidden', '16');
  const start = f.locator('.lf-primary').first();
  // Keyboard: the start button is reachable and works with Enter.
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(f.locator('.lf-badge')).toContainText('CPU');
  await expect(f).toHaveAttribute('data-state', 'training');
  await expect(f).toHaveAttribute('data-accuracy', /./, { timeout: 60_000 });
  const first = Number(await f.getAttribute('data-accuracy'));

  await start.click(); // pause
  await expect(f).toHaveAttribute('data-state', 'paused');
  const pausedAt = Number(await f.locator('.lf-panel').getAttribute('data-step'));
  await page.waitForTimeout(1200);
  expect(Number(await f.locator('.lf-panel').getAttribute('data-step'))).toBe(pausedAt);
  await start.click(); // resume
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  expect(Number(await f.getAttribute('data-accuracy'))).toBeGreaterThan(first);

  const map = f.locator('[data-heatmap="alignment"]');
  await expect(map.locator('rect.w0, rect.w1, rect.w2, rect.w3, rect.w4, rect.w5').first()).toBeAttached();
  await expectRowsSumToOne(map);
  await expect(map.locator('table th[scope="col"]').first()).toBeAttached();
  await expect(f.locator('figure')).toBeHidden();
  await expect(f.locator('.lf-status')).toContainText('40');
  // The evaluation at step 40 gives the score line (exact match on held-out dates).
  await expect(f).toHaveAttribute('data-exact-match', /^(0|1|0\.\d+)$/);
  await expect(f.locator('.lf-score')).toContainText('40');
  await expect(f.locator('.lf-score')).toContainText('%');
  await expectAccessible(page);

  // A reload keeps the run: the saved weights come back from IndexedDB.
  await page.reload();
  const g = await mount(page, 'alignment');
  await expect(g.locator('.lf-status')).toContainText('40');
  await g.locator('.lf-primary').first().click();
  await expect(g).toHaveAttribute('data-state', 'done');
  await expect(g.locator('[data-heatmap="alignment"] rect').first()).toBeAttached();

  expect(await savedWeights(page)).toHaveLength(1);

  await g.locator('.lf-reset').click();
  await expect(g).toHaveAttribute('data-state', 'idle');
  await expect(g.locator('figure')).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':island:')))).toEqual([]);
  // Reset deletes the saved weights too, so a reload starts from step 0 with nothing to resume.
  await expect.poll(() => savedWeights(page)).toEqual([]);
  await page.reload();
  const h = await mount(page, 'alignment');
  await expect(h.locator('.lf-panel')).toHaveAttribute('data-step', '0');
  await expect(h.locator('.lf-status')).not.toContainText('40');
  expect(await savedWeights(page)).toEqual([]);
  expectNoProblems(problems);
});

/** The islands' checkpoint keys in the engine's IndexedDB store (what a reload could resume). */
function savedWeights(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('attention-engine');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('checkpoints')) return db.close(), resolve([]);
          const keys = db.transaction('checkpoints').objectStore('checkpoints').getAllKeys();
          keys.onsuccess = () => (db.close(), resolve((keys.result as string[]).filter((k) => k.includes(':island:'))));
          keys.onerror = () => (db.close(), reject(keys.error));
        };
      }),
  );
}

test('pt-BR positional explorer: sinusoidal without the engine, then a learned table', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  const workers: string[] = [];
  page.on('request', (r) => r.url().includes('worker') && workers.push(r.url()));
  await page.goto('/pt-br/?backend=cpu');
  const f = await mount(page, 'position-embedding');
  const table = f.locator('[data-heatmap="positional"]');
  await expect(table).toHaveAttribute('data-rows', '24');
  await expect(table).toHaveAttribute('data-cols', '32');
  await f.locator('input[type="range"]').fill('10');
  await f.locator('select').last().selectOption('16');
  await expect(table).toHaveAttribute('data-rows', '10');
  await expect(table).toHaveAttribute('data-cols', '16');
  const sim = f.locator('[data-heatmap="similarity"]');
  await expect(sim).toHaveAttribute('data-cols', '10');
  expect(workers, 'no engine for the sinusoidal table').toEqual([]);

  await setField(f, 'steps', '20');
  await setField(f, 'dModel', '16');
  await f.locator('.lf-primary').first().click();
  await expect(f).toHaveAttribute('data-table', 'learned', { timeout: 60_000 });
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(f.locator('[data-positional-note]')).toContainText('20');
  await expect(table).toHaveAttribute('data-cols', '16');
  // "Train more" after a finished run: as many steps again, from where it stopped.
  await f.locator('.lf-primary').first().click();
  await expect(f.locator('.lf-panel')).toHaveAttribute('data-step', '40', { timeout: 120_000 });
  await expect(f).toHaveAttribute('data-state', 'done');
  await expect(f.locator('[data-positional-note]')).toContainText('40');
  await f.locator('.lf-reset').click();
  await expect(f).toHaveAttribute('data-state', 'idle');
  expectNoProblems(problems);
});

test('es cross-attention stepper: decodes step by step, keyboard back and forward, axe passes', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/es/?backend=cpu');
  const f = await mount(page, 'cross-attention');
  await train(f, { steps: '30', dModel: '16' });
  const map = f.locator('[data-heatmap="cross"]');
  await expect(map).toHaveAttribute('data-rows', /\d/);
  await expectRowsSumToOne(map);
  const forward = f.locator('[data-step="forward"]');
  const back = f.locator('[data-step="back"]');
  const at = async () => Number(await f.getAttribute('data-stepper-at'));
  const before = await at();
  await back.focus();
  if (before > 0) {
    await page.keyboard.press('Enter');
    await expect(f).toHaveAttribute('data-stepper-at', String(before - 1));
  }
  await forward.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  expect(await at()).toBeGreaterThan(Math.max(0, before - 1));
  await expect(map).toHaveAttribute('data-rows', String((await at()) + 1));
  await expectRowsSumToOne(map);
  await expect(map.locator('.lf-hm-now')).toHaveCount(1);
  await f.locator('[data-step="play"]').click();
  await expect(f.locator('[data-step="play"]')).toHaveAttribute('aria-pressed', 'true');
  await f.locator('[data-step="play"]').click();
  await expect(f.locator('[data-step="play"]')).toHaveAttribute('aria-pressed', 'false');
  await expectAccessible(page);
  expectNoProblems(problems);
});

/**
 * Long tasks while a figure trains, by the main thread's CPU time in each task (tests/long-tasks.ts):
 * wall time on a loaded 2-core machine counts the waits for a core too.
 */
test('no main-thread long task (> 50 ms of its CPU time) while a figure trains', async ({ page, browser }, testInfo) => {
  await page.goto('/en/?backend=cpu');
  const f = await mount(page, 'alignment');
  await setField(f, 'steps', '30');
  await setField(f, 'hidden', '16');
  await f.locator('.lf-primary').first().click();
  // From the first progress report and the loss chart on: compiling the engine's module and
  // evaluating uPlot's lazy chunk are one-off costs of "start"; training itself is measured.
  await expect(f).toHaveAttribute('data-accuracy', /./, { timeout: 60_000 });
  await expect(f.locator('.uplot').first()).toBeVisible({ timeout: 30_000 });
  const stop = await traceMainThread(browser, page);
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const tasks = await stop();
  // Training redraws the chart, the heatmap and the status many times: the trace must see them.
  expect(tasks.filter((t) => t.scripts.length > 0).length).toBeGreaterThan(10);
  const worst = [...tasks].sort((a, b) => b.cpu - a.cpu).slice(0, 5);
  testInfo.annotations.push({ type: 'longest tasks (cpu / wall ms)', description: JSON.stringify(worst.map((t) => [Math.round(t.cpu), Math.round(t.wall)])) });
  expect(longTasks(tasks), 'main-thread tasks with > 50 ms of CPU time').toEqual([]);
});

test('with a software WebGPU adapter: a figure measures every backend and ends on the fastest (WASM here), and the badge says so', async ({ page }) => {
  // This browser has --enable-unsafe-webgpu: SwiftShader WebGPU is offered, and must not win by rank.
  await page.goto('/pt-br/');
  const f = await mount(page, 'self-attention');
  await f.locator('.lf-primary').first().click();
  await expect(f.locator('.lf-badge')).toContainText('ele inicia rápido');
  await expect(f).toHaveAttribute('data-backend-reason', 'measured', { timeout: 120_000 });
  const timings = JSON.parse((await f.getAttribute('data-backend-timings'))!) as Array<[string, number | string | null]>;
  console.log('measured', JSON.stringify(timings));
  const ms = Object.fromEntries(timings.filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  // Every GPU backend measured, software or not; the cpu backend only where WASM could not be.
  expect(Object.keys(Object.fromEntries(timings))).toEqual(expect.arrayContaining(['wasm', 'webgl', 'webgpu']));
  // It started on WASM and moved only to a backend measured at most 0.8x WASM's time a step.
  // On a machine loaded enough that no candidate makes its 15 steps in time, the run stays put.
  const best = Object.entries(ms).reduce<[string, number] | undefined>((a, b) => (!a || b[1] < a[1] ? b : a), undefined);
  const expected = !best ? 'wasm' : ms.wasm === undefined || best[1] <= 0.8 * ms.wasm ? best[0] : 'wasm';
  await expect(f).toHaveAttribute('data-backend', expected);
  // Software WebGPU (SwiftShader) steps are far slower than WASM's on a CPU: it never runs the figure.
  expect(expected).not.toBe('webgpu');
  const name = { wasm: 'WebAssembly', webgl: 'WebGL', cpu: 'CPU' }[expected as 'wasm' | 'webgl' | 'cpu'];
  await expect(f.locator('.lf-badge')).toContainText(`${name}: o mais rápido medido neste dispositivo`);
  await expect(f.locator('.lf-badge')).toContainText('WebGPU');
});

test('ar: the panel mirrors, heatmaps and numbers stay left to right', async ({ page }) => {
  await page.goto('/ar/');
  const f = await mount(page, 'position-embedding');
  const panel = f.locator('.lf-panel');
  expect(await panel.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
  const map = f.locator('[data-heatmap="positional"]');
  await expect(map).toHaveAttribute('dir', 'ltr');
  expect(await map.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
  // The badge sits at the inline end: on the left in Arabic.
  const bar = await f.locator('.lf-bar').boundingBox();
  const start = await f.locator('.lf-primary').first().boundingBox();
  expect(start!.x + start!.width).toBeGreaterThan(bar!.x + bar!.width / 2);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
});

test('without WebGPU: the badge says which backend runs, that it was measured fastest, and why WebGPU was not; forcing it gives a localized error', async ({ baseURL }) => {
  // A browser launched without --enable-unsafe-webgpu: navigator.gpu exists, requestAdapter() gives null.
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: QUIET_FLAGS });
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto('/en/');
    const f = await mount(page, 'alignment');
    await setField(f, 'steps', '10');
    await setField(f, 'hidden', '16');
    await f.locator('.lf-primary').first().click();
    const badge = f.locator('.lf-badge');
    await expect(badge).toContainText('it starts fast');
    await expect(f).toHaveAttribute('data-backend-reason', 'measured', { timeout: 90_000 });
    await expect(badge).toContainText('fastest measured on this device');
    await expect(badge).toContainText('no WebGPU adapter on this device');
    await f.locator('.lf-reset').click();

    // Forcing the missing backend: a localized error, back to idle, the reader's settings kept.
    await page.goto('/pt-br/?backend=webgpu');
    const g = await mount(page, 'alignment');
    await setField(g, 'steps', '70');
    await g.locator('.lf-primary').first().click();
    await expect(g.locator('.lf-error')).toContainText('WebGPU não consegue iniciar aqui');
    await expect(g).toHaveAttribute('data-state', 'idle');
    await expect(g.locator('[name="steps"]')).toHaveValue('70');
    await expect(g.locator('[name="steps"]')).toBeEnabled();
  } finally {
    await browser.close();
  }
});
