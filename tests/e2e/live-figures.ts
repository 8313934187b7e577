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
