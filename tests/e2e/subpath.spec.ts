import { expect, test } from '@playwright/test';
import { allRoutes, expectNoProblems, watchPage } from './support';
import { SUBPATH } from '../../playwright.config';

/**
 * The site built for a project page (`BASE_PATH=/sub/path/ npm run build`, playwright.config.ts)
 * and served ONLY under that path: any link, asset, worker, WASM file or index fetched from the
 * root would fail here. Pages, links, hreflang, the sitemap, search, the root redirect, the 404
 * page, a live figure (worker + WASM) and the exercises' runner.
 */
const under = (route: string) => SUBPATH.replace(/\/$/, '') + route;
const routes = allRoutes().filter((r) => r !== '/').map(under);

test('every page of every locale loads under the base path, and every link and alternate stays under it', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const origin = new URL(baseURL!).origin;
  for (const route of routes) {
    const problems = watchPage(page, origin);
    const res = await page.goto(origin + route);
    expect(res?.status(), route).toBe(200);
    const links = await page.locator('a[href^="/"], link[href^="/"], script[src^="/"]').evaluateAll((els) =>
      els.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
    for (const l of links) expect(l, `${route}: ${l}`).toMatch(new RegExp(`^${SUBPATH}`));
    const alternates = await page.locator('link[rel="alternate"], link[rel="canonical"]').evaluateAll((els) => els.map((e) => (e as HTMLLinkElement).href));
    for (const a of alternates) expect(new URL(a).pathname, `${route}: ${a}`).toMatch(new RegExp(`^${SUBPATH}`));
    expectNoProblems(problems);
  }
});

test('the root redirects to the reader language under the base path; unknown addresses get the 404 page', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  await page.goto(origin + SUBPATH);
  await expect(page).toHaveURL(new RegExp(`${SUBPATH}en/$`));
  const res = await page.goto(origin + under('/no-such-page/'));
  expect(res?.status()).toBe(404);
  const hrefs = await page.locator('main a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const h of hrefs) expect(h).toMatch(new RegExp(`^${SUBPATH}[a-z-]+/$`));
});

test('the sitemap lists every page under the base path', async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const xml = await (await request.get(origin + under('/sitemap-0.xml'))).text();
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  expect(locs.length).toBe(routes.length + 1);
  for (const l of locs) expect(l).toMatch(new RegExp(`^${SUBPATH}`));
});

test('search finds the lesson, and its results open under the base path', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const problems = watchPage(page, origin);
  await page.goto(origin + under('/pt-br/search/?q=aten%C3%A7%C3%A3o'));
  const first = page.locator('.results a').first();
  await expect(first).toBeVisible({ timeout: 20_000 });
  expect(await first.getAttribute('href')).toMatch(new RegExp(`^${SUBPATH}pt-br/`));
  await first.click();
  await expect(page.locator('article')).toBeVisible();
  expectNoProblems(problems);
});

test('a live figure loads its worker and WASM under the base path and trains; an exercise runs', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  const problems = watchPage(page, origin);
  await page.goto(origin + under('/en/?backend=wasm'));
  const f = page.locator('live-figure[data-island="alignment"]');
  await f.scrollIntoViewIfNeeded();
  await f.locator('.lf-settings [name="steps"]').fill('10');
  await f.locator('.lf-panel > .lf-bar .lf-primary').click();
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(f).toHaveAttribute('data-backend', 'wasm');

  await page.goto(origin + under('/en/exercises/?backend=wasm'));
  const ex = page.locator('pg-exercise').first();
  await ex.scrollIntoViewIfNeeded();
  await expect(ex).toHaveAttribute('data-ready', '', { timeout: 30_000 });
  await ex.locator('[data-run]').click();
  await expect(ex.locator('[data-run]')).toBeEnabled({ timeout: 120_000 });
  await expect(ex.locator('[data-output]')).not.toBeEmpty();
  expectNoProblems(problems);
});
