import { expect, test } from '@playwright/test';
import {
  expectAccessible,
  expectNoMojibake,
  expectNoProblems,
  localeOfRoute,
  localeRoutes,
  locales,
  watchPage,
} from './support';

// Every page of every locale, as a reader gets it: served, clean console, nothing broken or
// leaving the site, right language and direction, no mojibake, and accessible.
for (const route of localeRoutes) {
  test(`${route} renders cleanly and accessibly`, async ({ page, baseURL }) => {
    const problems = watchPage(page, baseURL!);
    const response = await page.goto(route);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');

    const locale = localeOfRoute(route);
    await expect(page.locator('html')).toHaveAttribute('lang', locale.tag);
    await expect(page.locator('html')).toHaveAttribute('dir', locale.dir);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', new RegExp(`${route}$`));
    await expectNoMojibake(page);
    await expectAccessible(page);
    expectNoProblems(problems);
  });
}

for (const locale of locales) {
  test(`every /${locale.slug}/ page is accessible in the dark theme too`, async ({ browser, baseURL }) => {
    // Every page of the locale in one test, axe on each (the exercises page with its editors
    // mounted first): more than the default minute on a busy two-core machine.
    test.setTimeout(180_000);
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    for (const route of localeRoutes.filter((r) => r.startsWith(`/${locale.slug}/`))) {
      const problems = watchPage(page, baseURL!);
      await page.goto(`${baseURL}${route}`);
      await expectAccessible(page);
      expectNoProblems(problems);
    }
    await context.close();
  });
}

test('every internal link, asset and in-page anchor resolves', async ({ page, request, baseURL }) => {
  test.setTimeout(240_000);
  const seen = new Map<string, string>(); // url → page it was found on
  for (const route of localeRoutes) {
    await page.goto(route, { waitUntil: 'domcontentloaded' });
    const found = await page.evaluate(() => {
      const attrs = [
        ...[...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
        ...[...document.querySelectorAll('link[href]')].map((l) => (l as HTMLLinkElement).href),
        ...[...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src),
        ...[...document.querySelectorAll('img[src]')].map((i) => (i as HTMLImageElement).src),
      ];
      const missingAnchors = [...document.querySelectorAll('a[href^="#"]')]
        .map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1)))
        .filter((id) => id && !document.getElementById(id));
      return { attrs, missingAnchors };
    });
    expect(found.missingAnchors, `in-page anchors without a target on ${route}`).toEqual([]);
    for (const url of found.attrs) {
      if (url.startsWith(baseURL!) && !seen.has(url.split('#')[0])) seen.set(url.split('#')[0], route);
    }
  }
  const broken: string[] = [];
  for (const [url, from] of seen) {
    // Canonical and hreflang alternates point at the published origin, not this server.
    const res = await request.get(url);
    if (res.status() !== 200) broken.push(`${url} (${res.status()}) linked from ${from}`);
  }
  expect(broken).toEqual([]);
  expect(seen.size).toBeGreaterThan(10);
});
