import { expect, test } from '@playwright/test';
import { locales } from './support';

/**
 * A phone's first screen shows the lesson: at 390 × 780 the lesson's first paragraph starts in
 * the top 500 px in every locale, nothing scrolls sideways, and "On this page" waits closed
 * (on a wide screen it is an open sidebar).
 */
test.use({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });

for (const l of locales) {
  test(`${l.tag}: on a phone the lesson starts on the first screen`, async ({ page }) => {
    await page.goto(`/${l.slug}/`);
    const top = await page.locator('article p').first().evaluate((p) => p.getBoundingClientRect().top);
    console.log(`${l.tag}: first paragraph at ${Math.round(top)} px`);
    expect(top).toBeLessThanOrEqual(500);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const toc = page.locator('.toc-narrow details');
    await expect(toc).toBeVisible();
    await expect(toc).not.toHaveAttribute('open');
    await expect(page.locator('.toc-wide')).toBeHidden();
    // The contents are one tap away, and lead to the section.
    await toc.locator('summary').click();
    const second = toc.locator('a').nth(1);
    await second.click();
    await expect(page).toHaveURL(/#.+/);
    // The search button goes to the search page, whose own field takes the query.
    await page.locator('.site-header .search-form button').click();
    await expect(page).toHaveURL(new RegExp(`/${l.slug}/search/`));
    await expect(page.locator('#search-page-q')).toBeVisible();
  });
}

test('on a wide screen the contents are an open sidebar', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/pt-br/');
  await expect(page.locator('.toc-wide')).toBeVisible();
  await expect(page.locator('.toc-narrow')).toBeHidden();
  await expect(page.locator('.toc-wide a').first()).toBeVisible();
});
