import { expect, test } from '@playwright/test';
import { expectNoProblems, watchPage } from './support';

// Pagefind's index is built from dist/ at build time; each locale searches its own text.
// zh-CN and ja have no spaces between words: Pagefind's extended build segments them.
const cases = [
  { slug: 'pt-br', query: 'autoatenção', expectPage: '/pt-br/' },
  { slug: 'en', query: 'self-attention', expectPage: '/en/' },
  { slug: 'es', query: 'autoatención', expectPage: '/es/' },
  { slug: 'fr', query: 'auto-attention', expectPage: '/fr/' },
  { slug: 'de', query: 'Selbstaufmerksamkeit', expectPage: '/de/' },
  { slug: 'ar', query: 'الانتباه', expectPage: '/ar/' },
  { slug: 'zh-cn', query: '自注意力', expectPage: '/zh-cn/' },
  { slug: 'ja', query: '自己注意', expectPage: '/ja/' },
];

for (const { slug, query, expectPage } of cases) {
  test(`search in /${slug}/ finds "${query}" in the lesson`, async ({ page, baseURL }) => {
    const problems = watchPage(page, baseURL!);
    await page.goto(`/${slug}/`);
    const box = page.locator('.search-form input[type="search"]');
    await box.fill(query);
    await box.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/${slug}/search/\\?q=`));
    const first = page.locator('site-search .results li a').first();
    await expect(first).toBeVisible();
    const hrefs = await page.locator('site-search .results li a').evaluateAll((as) =>
      as.map((a) => new URL((a as HTMLAnchorElement).href).pathname),
    );
    expect(hrefs).toContain(expectPage);
    // Only this locale's pages come back.
    expect(hrefs.every((h) => h.startsWith(`/${slug}/`))).toBe(true);
    await expect(page.locator('site-search .status')).not.toBeEmpty();
    await expect(page.locator('site-search mark').first()).toBeVisible();
    expectNoProblems(problems);
  });
}

test('a search with no hits says so in the page language', async ({ page }) => {
  await page.goto('/pt-br/search/?q=zzzqqqxxx');
  await expect(page.locator('site-search .status')).toContainText('Nenhum resultado');
});
