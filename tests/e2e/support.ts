import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { locales } from '../../i18n/locales';
import { allRoutes } from '../../src/lib/pages';
import { findMojibake } from '../../src/lib/mojibake';

export { locales, allRoutes };

/** Every locale-scoped route (everything but "/", which redirects when JS runs). */
export const localeRoutes = allRoutes().filter((r) => r !== '/');

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  externalRequests: string[];
}

/**
 * Records what a reader would suffer without seeing it: console errors (CSP violations land
 * here too), uncaught exceptions, failed or 4xx/5xx requests, and any request that leaves the
 * site (no CDN, no analytics: everything is served from our own origin).
 */
export function watchPage(page: Page, origin: string): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], externalRequests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(err.message));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    // A page that navigates on load ("/" redirecting to a language) aborts its own document
    // request when the next navigation starts: that is the redirect working, not a failure.
    if (req.isNavigationRequest() && error === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${req.url()} (${error})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.failedRequests.push(`${res.url()} (${res.status()})`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.externalRequests.push(url);
    }
  });
  return problems;
}

export function expectNoProblems(problems: PageProblems) {
  expect(problems.pageErrors, 'uncaught exceptions').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.failedRequests, 'failed requests').toEqual([]);
  expect(problems.externalRequests, 'requests leaving the site').toEqual([]);
}

/**
 * Mounts every exercise editor on the page and waits until each is up (<pg-exercise> sets
 * data-ready). Each mounts on its own when scrolled near, so without this which editors exist
 * while axe runs, and whether one swaps its static code for CodeMirror in the middle of the run,
 * depends on the layout and the timing.
 */
export async function mountEditors(page: Page) {
  const exercises = page.locator('pg-exercise');
  if ((await exercises.count()) === 0) return;
  await exercises.evaluateAll(async (elements) => {
    await customElements.whenDefined('pg-exercise');
    for (const el of elements) void (el as HTMLElement & { activate(focus: boolean): Promise<void> }).activate(false);
  });
  await expect(page.locator('pg-exercise:not([data-ready])')).toHaveCount(0, { timeout: 30_000 });
}

/** axe-core on the page, its editors mounted: no violation of any of axe's default rules (WCAG 2.x A/AA and best practices), whatever its impact. */
export async function expectAccessible(page: Page) {
  await mountEditors(page);
  // axe's full default rule set (WCAG A/AA and its best practices), every impact.
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, 'axe violations').toEqual([]);
}

/** The rendered text a reader sees has no UTF-8-read-as-Latin-1/Mac-Roman damage. */
export async function expectNoMojibake(page: Page) {
  const text = await page.locator('body').innerText();
  const found = findMojibake(text).map((m) => `${m.snippet} → ${m.fixed} (line ${m.line})`);
  expect(found, 'mojibake in rendered text').toEqual([]);
}

export function localeOfRoute(route: string) {
  const slug = route.split('/')[1];
  return locales.find((l) => l.slug === slug)!;
}
