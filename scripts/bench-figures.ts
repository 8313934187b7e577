/**
 * `npm run bench:figures`: how long a reader waits for each live figure of the lesson, on the
 * built site (`npm run build` first), in headless Chromium, default settings, pressing Start as a
 * reader would. Per figure and locale, one row per way of running it, side by side in one run:
 *   auto            browser defaults (no WebGPU adapter here), the engine's measured choice, first visit
 *   auto+webgpu     the same with --enable-unsafe-webgpu (a software WebGPU adapter is offered)
 *   auto (2nd)      a second visit with the verdict the first one remembered
 *   wasm|webgl|cpu|webgpu   forced with ?backend= (webgpu with the flag)
 * Columns: the backend it ended on and why (the badge's data), time from Start to the first
 * picture (the first progress report drawn), time to the figure's readable score (held-out exact
 * match ≥ its target, or the run done for the positional figure), steps per second up to then.
 * A benchmark, not a test: it prints figures, it asserts nothing.
 *
 * BENCH_LOCALES=pt-BR,ja  BENCH_FIGURES=self-attention,…  BENCH_MODES=auto,auto+webgpu,wasm,…
 * BENCH_LIMIT_S=60 (per run)  BENCH_PORT=4351. Results: bench-results/figures-<time>.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS, WEBGPU_FLAGS } from '../tests/chromium';

const PORT = Number(process.env.BENCH_PORT ?? 4351);
const OUT_DIR = process.env.OUT_DIR ?? 'dist';
const LIMIT_MS = 1000 * Number(process.env.BENCH_LIMIT_S ?? 60);
const list = (v: string | undefined, d: string) => (v ?? d).split(',').map((s) => s.trim()).filter(Boolean);
const LOCALES = list(process.env.BENCH_LOCALES, 'pt-BR,ja');
/** Each figure's readable score: held-out exact match at least this (undefined: the run done). */
const TARGETS: Record<string, number | undefined> = {
  alignment: 0.9, 'position-embedding': undefined, 'self-attention': 0.9, classifier: 0.75, 'cross-attention': 0.9, 'masked-words': 0.5,
};
const FIGURES = list(process.env.BENCH_FIGURES, Object.keys(TARGETS).join(','));
const MODES = list(process.env.BENCH_MODES, 'auto,auto+webgpu,auto (2nd),wasm,webgl,cpu,webgpu');

interface Row {
  locale: string; figure: string; mode: string;
  backend: string; why: string; badge: string;
  firstPictureMs: number | null; targetMs: number | null; score: number | null; steps: number | null; stepsPerSec: number | null;
  error?: string;
}

async function runOne(browser: Browser, locale: string, figure: string, mode: string, storage?: unknown): Promise<{ row: Row; storage: unknown }> {
  const forced = ['wasm', 'webgl', 'cpu', 'webgpu'].includes(mode) ? mode : undefined;
  const context = await browser.newContext({ storageState: storage as never });
  const page = await context.newPage();
  const row: Row = { locale, figure, mode, backend: '', why: '', badge: '', firstPictureMs: null, targetMs: null, score: null, steps: null, stepsPerSec: null };
  try {
    await page.goto(`http://127.0.0.1:${PORT}/${locale.toLowerCase()}/${forced ? `?backend=${forced}` : ''}`);
    const f = page.locator(`live-figure[data-island="${figure}"]`);
    await f.scrollIntoViewIfNeeded();
    await f.locator('.lf-panel').waitFor({ timeout: 20_000 });
    const target = TARGETS[figure];
    // Timed in the page, from the click's event to each change: what the reader sees.
    await f.evaluate((el, target) => {
      const w = window as unknown as { benchT: Record<string, number> };
      w.benchT = {};
      const btn = el.querySelector<HTMLButtonElement>('.lf-panel > .lf-bar .lf-primary')!;
      btn.addEventListener('click', () => (w.benchT.start = performance.now()), { capture: true, once: true });
      new MutationObserver(() => {
        const t = performance.now();
        const d = (el as HTMLElement).dataset;
        if (d.step && w.benchT.first === undefined) w.benchT.first = t;
        const reached = target === null ? d.state === 'done' : Number(d.exactMatch ?? -1) >= target;
        if (reached && w.benchT.target === undefined) {
          w.benchT.target = t;
          w.benchT.steps = Number(d.step ?? 0);
        }
        if (d.state === 'failed') w.benchT.failed = t;
      }).observe(el, { attributes: true });
    }, target ?? null);
    await f.locator('.lf-panel > .lf-bar .lf-primary').click();
    await page.waitForFunction(() => {
      const b = (window as unknown as { benchT: Record<string, number> }).benchT;
      return b.target !== undefined || b.failed !== undefined;
    }, undefined, { timeout: LIMIT_MS, polling: 100 }).catch(() => undefined);
    const t = await page.evaluate(() => (window as unknown as { benchT: Record<string, number> }).benchT);
    const d: Record<string, string | undefined> = await f.evaluate((el) => ({ ...(el as HTMLElement).dataset, badge: el.querySelector('.lf-badge')?.textContent ?? '' }));
    row.backend = d.backend ?? '';
    row.why = d.backendReason ?? '';
    row.badge = d.badge ?? '';
    row.score = d.exactMatch !== undefined ? Number(d.exactMatch) : null;
    if (t.first !== undefined) row.firstPictureMs = t.first - t.start!;
    if (t.target !== undefined) {
      row.targetMs = t.target - t.start!;
      row.steps = t.steps!;
      row.stepsPerSec = t.steps! / (row.targetMs / 1000);
    }
    if (d.error) row.error = d.error;
    // A reader stays on the page: let the measurement finish, so its verdict is remembered.
    if (mode === 'auto') {
      await page.waitForFunction((fig) => {
        const el = document.querySelector<HTMLElement>(`live-figure[data-island="${fig}"]`);
        return el?.dataset.backendReason !== 'measuring' && el?.dataset.backendReason !== 'starter';
      }, figure, { timeout: 30_000, polling: 200 }).catch(() => undefined);
      const after: Record<string, string | undefined> = await f.evaluate((el) => ({ ...(el as HTMLElement).dataset, badge: el.querySelector('.lf-badge')?.textContent ?? '' }));
      if (after.backendReason !== row.why || after.backend !== row.backend) {
        row.why = `${row.backend}, ${row.why} at the score; then ${after.backend}, ${after.backendReason}`;
        row.backend = after.backend ?? '';
        row.badge = after.badge ?? '';
      }
    }
    // Only the backend verdicts travel to the second visit (not the figure's saved run).
    const state = await context.storageState();
    for (const o of state.origins) o.localStorage = o.localStorage.filter((e) => e.name.includes(':backend:'));
    return { row, storage: state };
  } catch (e) {
    row.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { row, storage };
  } finally {
    await context.close();
  }
}

const secs = (ms: number | null) => (ms === null ? `> ${LIMIT_MS / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

async function main() {
  if (!existsSync(`${OUT_DIR}/index.html`)) throw new Error(`no built site in ${OUT_DIR}/: run npm run build first`);
  const server = spawn('npx', ['astro', 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(PORT)], {
    stdio: 'ignore', detached: true, env: { ...process.env, OUT_DIR },
  });
  const plain = await chromium.launch({ executablePath: chromiumExecutable(), args: QUIET_FLAGS });
  const withGpu = await chromium.launch({ executablePath: chromiumExecutable(), args: [...QUIET_FLAGS, ...WEBGPU_FLAGS] });
  const rows: Row[] = [];
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break;
      } catch (e) {
        if (i > 60) throw e;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log('| locale | figure | run | backend (why) | first picture | readable score | steps | steps/s | score | badge |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const locale of LOCALES) {
      for (const figure of FIGURES) {
        let remembered: unknown;
        for (const mode of MODES) {
          const browser = mode.includes('webgpu') ? withGpu : plain;
          const { row, storage } = await runOne(browser, locale, figure, mode, mode === 'auto (2nd)' ? remembered : undefined);
          if (mode === 'auto') remembered = storage;
          rows.push(row);
          console.log(`| ${locale} | ${figure} | ${mode} | ${row.backend} (${row.why}) | ${secs(row.firstPictureMs)} | ${secs(row.targetMs)} | ${row.steps ?? ''} | ${row.stepsPerSec?.toFixed(1) ?? ''} | ${row.score ?? ''} | ${row.error ? `error: ${row.error}` : row.badge} |`);
        }
      }
    }
  } finally {
    await plain.close();
    await withGpu.close();
    if (server.pid) process.kill(-server.pid);
  }
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/figures-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(rows, null, 2));
  console.log(`\n${file}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
