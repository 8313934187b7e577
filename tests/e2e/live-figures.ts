import { expect, type Locator, type Page } from '@playwright/test';

/** Helpers shared by the live-figure specs (islands.spec.ts, islands-more.spec.ts). */

export const fig = (page: Page, id: string) => page.locator(`live-figure[data-island="${id}"]`);

/** Scroll the figure near: the bootstrap mounts the island's panel without training. */
export async function mount(page: Page, id: string): Promise<Locator> {
  const f = fig(page, id);
  await f.scrollIntoViewIfNeeded();
  await expect(f.locator('.lf-panel')).toBeVisible();
  return f;
}

/** Set one of the panel's settings (a number field or a choice). */
export async function setField(f: Locator, name: string, value: string) {
  const input = f.locator(`.lf-settings [name="${name}"]`);
  if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value);
  else await input.fill(value);
}

/** Set the given settings, press the panel's Start, and wait until the model is done training. */
export async function train(f: Locator, settings: Record<string, string>, timeout = 120_000) {
  for (const [name, value] of Object.entries(settings)) await setField(f, name, value);
  await f.locator('.lf-panel > .lf-bar .lf-primary').click();
  await expect(f).toHaveAttribute('data-state', 'done', { timeout });
}
