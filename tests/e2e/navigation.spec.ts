import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoProblems, locales, watchPage } from './support';

test.describe('root "/"', () => {
  test('sends a Portuguese-speaking browser to /pt-br/', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ locale: 'pt-BR' });
    const page = await context.newPage();
    await page.goto(`${baseURL}/`);
    await expect(page).toHaveURL(`${baseURL}/pt-br/`);
    await context.close();
  });

  test('matches a regional variant by its base language (en-GB → /en/)', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${baseURL}/`);
    await expect(page).toHaveURL(`${baseURL}/en/`);
    await context.close();
  });

  test('a remembered choice wins over the browser language', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseURL}/en/`);
    await page.locator('.lang-picker summary').click();
    await page.locator('.lang-picker a[hreflang="pt-BR"]').click();
    await expect(page).toHaveURL(`${baseURL}/pt-br/`);
    await page.goto(`${baseURL}/`);
    await expect(page).toHaveURL(`${baseURL}/pt-br/`);
    await context.close();
  });

  test('corrupt saved language is ignored, not fatal', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseURL}/en/`);
    await page.evaluate(() => localStorage.setItem('atencao-transformers:locale:v1', '{not json'));
    const problems = watchPage(page, baseURL!);
    await page.goto(`${baseURL}/`);
    await expect(page).toHaveURL(`${baseURL}/en/`);
    expectNoProblems(problems);
    await context.close();
  });

  test('without JavaScript it is a list of every language', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const problems = watchPage(page, baseURL!);
    await page.goto(`${baseURL}/`);
    await expect(page).toHaveURL(`${baseURL}/`);
    for (const l of locales) {
      await expect(page.locator(`a[href="/${l.slug}/"]`)).toContainText(l.name);
    }
    expectNoProblems(problems);
    await context.close();
  });

  test('the language list is accessible', async ({ page }) => {
    // axe needs JS, and with JS "/" redirects: serve it with the redirect script taken out.
    await page.route('**/', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/location\.replace\(/, 'void (');
      await route.fulfill({ response, body });
    });
    await page.goto('/');
    await expect(page).toHaveURL(/\/$/);
    await expectAccessible(page);
  });
});

test('language picker keeps the reader on the same page, by keyboard, both ways', async ({ page }) => {
  await page.goto('/pt-br/quiz/post/');
  const summary = page.locator('.lang-picker summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const english = page.locator('.lang-picker a[hreflang="en"]');
  await expect(english).toBeVisible();
  await english.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/en\/quiz\/post\/$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.locator('.lang-picker summary').click();
  await page.locator('.lang-picker a[hreflang="pt-BR"]').click();
  await expect(page).toHaveURL(/\/pt-br\/quiz\/post\/$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
});

test('hreflang alternates name every locale and x-default', async ({ page }) => {
  await page.goto('/en/assignment/');
  for (const l of locales) {
    await expect(page.locator(`link[rel="alternate"][hreflang="${l.tag}"]`)).toHaveAttribute(
      'href',
      new RegExp(`/${l.slug}/assignment/$`),
    );
  }
  await expect(page.locator('link[rel="alternate"][hreflang="x-default"]')).toHaveCount(1);
});

test('previous/next follow pre-quiz → lesson → post-quiz → assignment', async ({ page }) => {
  await page.goto('/pt-br/quiz/pre/');
  const path = ['/pt-br/', '/pt-br/quiz/post/', '/pt-br/assignment/'];
  for (const next of path) {
    await page.locator('.page-nav a[rel="next"]').click();
    await expect(page).toHaveURL(new RegExp(`${next}$`));
  }
  await expect(page.locator('.page-nav a[rel="next"]')).toHaveCount(0);
  await page.locator('.page-nav a[rel="prev"]').click();
  await expect(page).toHaveURL(/\/pt-br\/quiz\/post\/$/);
});

test('skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/en/');
  await page.keyboard.press('Tab');
  const skip = page.locator('.skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator('main')).toBeFocused();
});

test('theme choice applies at once and survives a reload; corrupt value is ignored', async ({ page }) => {
  await page.goto('/pt-br/');
  const select = page.locator('theme-select select');
  await select.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(bg);
  await expect(select).toHaveValue('dark');

  await page.evaluate(() => localStorage.setItem('atencao-transformers:theme:v1', 'garbage{'));
  await page.reload();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
  await expect(select).toHaveValue('auto');
});

test('pages fit a 360 px wide phone without sideways scrolling, live figures included', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  for (const route of ['/pt-br/', '/en/', '/ar/', '/ja/', '/pt-br/quiz/pre/', '/de/assignment/', '/fr/exercises/']) {
    await page.goto(`${baseURL}${route}`);
    // Scroll through the page so every figure near the viewport activates and draws.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y < height; y += 600) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(500);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow on ${route}`).toBeLessThanOrEqual(0);
  }
  await context.close();
});

test('the sitemap lists every page of every locale with its alternates', async ({ request }) => {
  const index = await request.get('/sitemap-index.xml');
  expect(index.status()).toBe(200);
  const sitemapUrl = /<loc>([^<]+)<\/loc>/.exec(await index.text())![1];
  const sitemap = await (await request.get(new URL(sitemapUrl).pathname)).text();
  for (const l of locales) {
    for (const path of ['', 'quiz/pre/', 'quiz/post/', 'assignment/']) {
      expect(sitemap).toContain(`/${l.slug}/${path}</loc>`);
    }
    expect(sitemap).toContain(`hreflang="${l.tag}"`);
  }
});

test('an unknown address gets a 404 page that offers the lesson in every language', async ({ page }) => {
  const response = await page.goto('/nao-existe/');
  expect(response?.status()).toBe(404);
  for (const l of locales) await expect(page.locator(`a[href="/${l.slug}/"]`)).toHaveCount(1);
});

test('each translation says how it was made: by people or machine-assisted', async ({ page }) => {
  await page.goto('/pt-br/');
  await expect(page.locator('main .translation-note')).toHaveText('Traduzido por pessoas.');
  await expect(page.locator('main .notice')).toHaveCount(0);
  await page.goto('/es/');
  await expect(page.locator('main .notice-info')).toContainText('traducción');
  await expect(page.locator('main .translation-note')).toHaveCount(0);
  await page.goto('/en/');
  await expect(page.locator('main .notice, main .translation-note')).toHaveCount(0);
});
