/**
 * `npx tsx scripts/bench-sandbox.ts [origin]`: milliseconds from pressing Run on an exercise to
 * its first line of output, per tfjs backend, timed inside the page (click → first output node).
 * "first run" is the Run pressed as soon as the editor is ready (the spare sandbox may still be
 * loading tfjs); "next run" is one pressed after a run ended (its spare had time to start).
 * Needs a served build: `OUT_DIR=dist npx astro build && npx astro preview --port 4321`.
 * A measurement that prints figures, not a test.
 */
import { chromium, type Page } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS } from '../tests/chromium';

const origin = process.argv[2] ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 4321}`;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function timeRun(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve) => {
    const root = document.querySelector('pg-exercise[data-id="embedding"]')!;
    const output = root.querySelector('[data-output]')!;
    let t0 = 0;
    new MutationObserver((_, obs) => {
      if (output.querySelector('.pg-log')) {
        obs.disconnect();
        resolve(performance.now() - t0);
      }
    }).observe(output, { childList: true });
    t0 = performance.now();
    (root.querySelector('[data-run]') as HTMLButtonElement).click();
  }));
}

const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: QUIET_FLAGS });
for (const backend of ['wasm', 'cpu', 'webgl']) {
  const first: number[] = [];
  const next: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const page = await browser.newPage();
    await page.goto(`${origin}/en/exercises/?backend=${backend}`);
    const ex = page.locator('pg-exercise[data-id="embedding"]');
    await ex.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('pg-exercise[data-id="embedding"]')?.hasAttribute('data-ready'));
    await ex.locator('.cm-content').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText("console.log('first');\n");
    first.push(await timeRun(page));
    await page.waitForFunction(() => !(document.querySelector('pg-exercise[data-id="embedding"] [data-run]') as HTMLButtonElement).disabled);
    await page.waitForTimeout(3000); // the spare sandbox starts tfjs meanwhile
    next.push(await timeRun(page));
    await page.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${backend.padEnd(6)} first run ${median(first).toFixed(0).padStart(5)} ms   next run ${median(next).toFixed(0).padStart(5)} ms   (medians of ${ROUNDS}: ${first.map((x) => x.toFixed(0)).join('/')} · ${next.map((x) => x.toFixed(0)).join('/')})`);
}
await browser.close();
