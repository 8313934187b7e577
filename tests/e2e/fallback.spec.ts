import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoProblems, watchPage } from './support';

// Served from a build of the real site with content/pt-BR/assignment.mdx left out
// (CONTENT_OMIT, playwright.config.ts): what a reader sees while a translation is missing.
test('an untranslated page is served from the source with a notice in the reader language', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  const response = await page.goto('/pt-br/assignment/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
  const notice = page.locator('main .notice');
  await expect(notice).toContainText('ainda não foi traduzida');
  await expect(notice).toContainText('English');
  // The text itself is the English source, marked as such for screen readers.
  await expect(page.locator('article')).toHaveAttribute('lang', 'en');
  // Navigation stays in the reader's language.
  await expect(page.locator('.page-nav')).toContainText('Anterior');
  await expectAccessible(page);
  expectNoProblems(problems);

  // A translated page has no notice.
  await page.goto('/pt-br/');
  await expect(page.locator('main .notice')).toHaveCount(0);
});
