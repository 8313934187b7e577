import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible } from './support';

/**
 * The eight exercises as a learner meets them, in pt-BR and in ja, on the backend the page picks
 * (no ?backend=): each starter runs and fails its check with the message for its mistake, in the
 * page's language; each solution passes. The wall time from pressing "Run and check" on the
 * solution to the verdict is logged (the figures in the report), not asserted. Plus the hints:
 * one per press, keyboard only. One page per locale (serial): the runner loads tfjs once per run.
 */
test.describe.configure({ mode: 'serial' });

/** The UI key of the message each starter must get: its learner's mistake. */
const STARTER_FAILS: Record<string, string> = {
  embedding: 'peValue',
  attention: 'maskIgnored',
  masks: 'futureLeaks',
  multihead: 'splitOrder',
  block: 'close',
  classifier: 'padCounted',
  mlm: 'mlmRate',
  decoder: 'notShifted',
};

const ui = (tag: string) => JSON.parse(readFileSync(`i18n/ui/${tag}.json`, 'utf8')) as Record<string, string>;
/** A UI template as a pattern: `{name}` matches whatever the check put there. */
const templateRe = (template: string) => new RegExp(template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('.+'));

for (const tag of ['pt-BR', 'ja']) {
  test.describe(tag, () => {
    const strings = ui(tag);
    let page: Page;
    test.beforeAll(async ({ browser }) => {
      // A page of its own context: axe (expectAccessible) needs one.
      page = await (await browser.newContext()).newPage();
    });
    test.afterAll(async () => page.context().close());

    async function open(id: string): Promise<Locator> {
      // ?limit=120: the run limit is lifted so a busy machine fails on speed nowhere but here.
      const url = `/${tag.toLowerCase()}/exercises/?limit=120`;
      if (!page.url().endsWith(url)) await page.goto(url);
      const ex = page.locator(`pg-exercise[data-id="${id}"]`);
      await ex.scrollIntoViewIfNeeded();
      await expect(ex).toHaveAttribute('data-ready', '');
      return ex;
    }

    async function check(ex: Locator): Promise<number> {
      const t0 = Date.now();
      await ex.locator('[data-check]').click();
      await expect(ex.locator('[data-run]')).toBeEnabled({ timeout: 200_000 });
      return (Date.now() - t0) / 1000;
    }

    for (const [id, key] of Object.entries(STARTER_FAILS)) {
      test(`${id}: the starter fails with its message in ${tag}, the solution passes`, async () => {
        test.setTimeout(420_000);
        const ex = await open(id);
        await ex.locator('[data-reset]').click();
        await check(ex);
        const out = ex.locator('[data-output]');
        await expect(out.locator('.pg-verdict')).toHaveClass(/pg-bad/);
        await expect(out.locator('li[data-pass="false"]').filter({ hasText: templateRe(strings[`playground.check.${key}`]!) })).not.toHaveCount(0);
        await ex.locator('[data-load-solution]').click();
        const seconds = await check(ex);
        await expect(out.locator('.pg-verdict')).toHaveText(strings['playground.check.allPassed']!);
        await expect(out.locator('.pg-error')).toHaveCount(0);
        await expect(out.locator('.pg-warn')).toHaveCount(0); // no tensor left in memory
        console.log(`[exercise] ${tag}/${id}: solution run and check ${seconds.toFixed(1)} s (page's backend)`);
      });
    }

    test('hints: one per press of the button, from the keyboard', async () => {
      const ex = page.locator('#attention');
      await page.goto(`/${tag.toLowerCase()}/exercises/`);
      const hints = ex.locator('ex-hints li');
      const total = await hints.count();
      expect(total).toBeGreaterThanOrEqual(2);
      await expect(hints.first()).toBeHidden();
      const button = ex.locator('[data-hint-next]');
      for (let n = 1; n <= total; n++) {
        await expect(button).toHaveText(strings['exercise.hintButton']!.replace('{n}', String(n)).replace('{total}', String(total)));
        await button.focus();
        await page.keyboard.press('Enter');
        await expect(hints.nth(n - 1)).toBeVisible();
        if (n < total) {
          await expect(hints.nth(n)).toBeHidden();
          await expect(button).toBeFocused();
        }
      }
      // After the last hint the button goes, and focus moves to that hint.
      await expect(button).toBeHidden();
      await expect(hints.nth(total - 1)).toBeFocused();
      await expectAccessible(page);
    });
  });
}
