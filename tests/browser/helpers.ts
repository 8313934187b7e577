import type { Page } from '@playwright/test';

/** Open the harness with a forced backend (or none) and wait for the engine to start. */
export async function openEngine(page: Page, backend?: string) {
  await page.goto(backend ? `/?backend=${backend}` : '/');
  await page.waitForFunction(() => window.harnessReady);
  return page.evaluate(() => window.engine.ready);
}

/** A tiny model for browser tests: reversal, d_model 16, 2 heads, batch 16. */
export const TINY = {
  task: { task: 'reversal', symbols: 6, minLength: 3, maxLength: 5 },
  model: { dModel: 16, heads: 2, ffn: 32 },
  train: { batchSize: 16, learningRate: 1e-2, warmup: 1 },
  seed: 7,
} as const;
