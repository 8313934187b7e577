import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parse } from 'yaml';
import { getLocale } from '../../i18n/locales';
import { fill, progressKey } from '../../src/lib/quiz-progress';
import type { Quiz } from '../../src/schemas/quiz';

// Expected text comes from the same content and UI-string files the site is built from, so these
// tests follow translations instead of hard-coding them.
function quizFor(tag: string, kind: string): Quiz {
  return parse(readFileSync(new URL(`../../content/${tag}/quiz/${kind}.yaml`, import.meta.url), 'utf8'));
}
function stringsFor(tag: string): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`../../i18n/ui/${tag}.json`, import.meta.url), 'utf8'));
}

const cases = [
  { tag: 'pt-BR', kind: 'pre' },
  { tag: 'en', kind: 'post' },
] as const;

/** Fails the test on any uncaught error or CSP refusal (which would silently kill the island). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** Press Tab until focus is on or inside `target`: proves it is reachable by keyboard, in order. */
async function tabTo(page: Page, target: Locator, maxPresses = 80) {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((el) => el.contains(document.activeElement))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reached by ${maxPresses} Tab presses`);
}

/** An option's mark: an icon and a text, however the whitespace between them is rendered. */
function mark(icon: string, text: string): RegExp {
  return new RegExp(`${icon}\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

for (const { tag, kind } of cases) {
  const slug = getLocale(tag)!.slug;
  const url = `/${slug}/quiz/${kind}/`;
  const quiz = quizFor(tag, kind);
  const s = stringsFor(tag);
  const total = quiz.questions.length;
  const [q1, q2] = quiz.questions as [Quiz['questions'][number], Quiz['questions'][number]];
  const correctOf = (q: typeof q1) => q.options.findIndex((o) => o.correct);
  const score = (correct: number) => fill(s['quiz.score']!, { correct, total });
  const question = (page: Page, id: string) => page.locator(`#quiz-${kind}-${id}`);

  /** Keyboard only: Tab into the question's radios, pick `option` with arrows, Tab to "Check answer", press it. */
  async function answerWithKeyboard(page: Page, id: string, option: number) {
    const q = question(page, id);
    await tabTo(page, q.locator('fieldset'));
    await page.keyboard.press('Space');
    const at = await q.getByRole('radio').evaluateAll((rs) => rs.findIndex((r) => r === document.activeElement));
    for (let i = at; i < option; i++) await page.keyboard.press('ArrowDown');
    for (let i = at; i > option; i--) await page.keyboard.press('ArrowUp');
    await expect(q.getByRole('radio').nth(option)).toBeChecked();
    await page.keyboard.press('Tab');
    const check = q.getByRole('button', { name: s['quiz.check'] });
    await expect(check).toBeFocused();
    await expect(check).toHaveCSS('outline-style', 'solid'); // visible focus
    await page.keyboard.press('Enter');
  }

  test.describe(`${tag} ${kind} quiz`, () => {
    test('keyboard only: feedback, explanations, score, reload, try again', async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto(url);
      await expect(page.locator('[data-score]')).toHaveText(score(0));

      // Checking with nothing chosen asks for a choice instead of scoring.
      const q1El = question(page, q1.id);
      await tabTo(page, q1El.getByRole('button', { name: s['quiz.check'] }));
      await page.keyboard.press('Enter');
      await expect(q1El.locator('[data-feedback]')).toHaveText(s['quiz.chooseFirst']!);
      await expect(page.locator('[data-score]')).toHaveText(score(0));
      await page.keyboard.press('Shift+Tab'); // back into the radios (lands on the last one)

      // Q1 right.
      const right = correctOf(q1);
      await answerWithKeyboard(page, q1.id, right);
      const chosen1 = q1El.locator('[data-option]').nth(right);
      await expect(chosen1.locator('[data-mark]')).toHaveText(mark('✓', s['quiz.markChosenRight']!));
      await expect(q1El.locator('[data-feedback]')).toHaveText(s['quiz.feedbackRight']!);
      await expect(q1El.locator('[data-feedback]')).toBeFocused();
      for (const [i, o] of q1.options.entries()) {
        await expect(q1El.locator('[data-expl]').nth(i)).toBeVisible();
        await expect(q1El.locator('[data-expl]').nth(i)).toHaveText(o.explanation);
      }
      await expect(page.locator('[data-score]')).toHaveText(score(1));
      await expect(page.locator('[data-live]')).toHaveText(
        fill(s['quiz.announceRight']!, { number: 1, score: score(1) }),
      );

      // Q2 wrong: the chosen option says so, the right one is marked, the feedback names it.
      const wrong = (correctOf(q2) + 1) % q2.options.length;
      await answerWithKeyboard(page, q2.id, wrong);
      const q2El = question(page, q2.id);
      await expect(q2El.locator('[data-option]').nth(wrong).locator('[data-mark]')).toHaveText(
        mark('✗', s['quiz.markChosenWrong']!),
      );
      await expect(q2El.locator('[data-option]').nth(correctOf(q2)).locator('[data-mark]')).toHaveText(
        mark('✓', s['quiz.markAnswer']!),
      );
      await expect(q2El.locator('[data-feedback]')).toHaveText(
        fill(s['quiz.feedbackWrong']!, { answer: q2.options[correctOf(q2)]!.text }),
      );
      await expect(page.locator('[data-score]')).toHaveText(score(1));
      await expect(page.locator('[data-answered]')).toContainText(fill(s['quiz.answered']!, { answered: 2, total }));
      await expect(page.locator('[data-live]')).toHaveText(
        fill(s['quiz.announceWrong']!, { number: 2, score: score(1) }),
      );
      await expect(page.locator('[aria-live="polite"]')).toHaveCount(1);

      // Saved: a reload shows both answers, locked, with the same score.
      await page.reload();
      await expect(page.locator('[data-score]')).toHaveText(score(1));
      await expect(q1El.getByRole('radio').nth(right)).toBeChecked();
      await expect(q1El.getByRole('radio').nth(right)).toBeDisabled();
      await expect(q2El.locator('[data-option]').nth(wrong).locator('[data-mark]')).toBeVisible();
      await expect(q2El.getByRole('button', { name: s['quiz.check'] })).toBeHidden();

      // Try again: everything cleared, focus back on question 1, and it stays cleared after a reload.
      await tabTo(page, page.getByRole('button', { name: s['quiz.retry'] }), 200);
      await page.keyboard.press('Enter');
      await expect(page.locator('[data-score]')).toHaveText(score(0));
      await expect(q1El.getByRole('radio').first()).toBeFocused();
      await expect(q1El.getByRole('radio').nth(right)).not.toBeChecked();
      await expect(q1El.getByRole('radio').nth(right)).toBeEnabled();
      await expect(page.locator('[data-mark]:visible')).toHaveCount(0);
      await expect(page.locator('[data-expl]:visible')).toHaveCount(0);
      await expect(page.locator('[data-live]')).toHaveText(s['quiz.cleared']!);
      await page.reload();
      await expect(page.locator('[data-score]')).toHaveText(score(0));
      await expect(page.getByRole('button', { name: s['quiz.check'] })).toHaveCount(total);

      expect(errors).toEqual([]);
    });

    test('corrupt, old or foreign saved data is ignored', async ({ page }) => {
      const errors = watchErrors(page);
      const key = progressKey(kind, tag);
      const bad = [
        'not json {',
        JSON.stringify({ v: 0, answers: { [q1.id]: correctOf(q1) } }),
        JSON.stringify({ v: 1, answers: { [q1.id]: 99, [q2.id]: 'x' } }),
        JSON.stringify([1, 2, 3]),
      ];
      await page.goto(url);
      for (const value of bad) {
        await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [key, value]);
        await page.reload();
        await expect(page.locator('[data-score]'), value).toHaveText(score(0));
        await expect(question(page, q1.id).getByRole('radio').first()).toBeEnabled();
      }
      // And the quiz still works, overwriting the bad value with a good one.
      const q1El = question(page, q1.id);
      await q1El.getByRole('radio').nth(correctOf(q1)).check();
      await q1El.getByRole('button', { name: s['quiz.check'] }).click();
      await expect(page.locator('[data-score]')).toHaveText(score(1));
      const saved = await page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null'), key);
      expect(saved).toEqual({ v: 1, answers: { [q1.id]: correctOf(q1) } });
      expect(errors).toEqual([]);
    });

    for (const colorScheme of ['light', 'dark'] as const) {
      test(`answered state passes axe (${colorScheme})`, async ({ page }) => {
        // The site-wide axe pass sees quizzes unanswered; right/wrong colours only appear here.
        await page.emulateMedia({ colorScheme });
        await page.goto(url);
        for (const [q, option] of [
          [q1, correctOf(q1)],
          [q2, (correctOf(q2) + 1) % q2.options.length],
        ] as const) {
          await question(page, q.id).getByRole('radio').nth(option).check();
          await question(page, q.id).getByRole('button', { name: s['quiz.check'] }).click();
        }
        const { violations } = await new AxeBuilder({ page }).include('quiz-form').analyze();
        expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
      });
    }

    test('works when localStorage throws', async ({ page }) => {
      const errors = watchErrors(page);
      await page.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('blocked', 'SecurityError');
          },
        });
      });
      await page.goto(url);
      await expect(page.getByText(s['quiz.noStorage']!)).toBeVisible();
      const q1El = question(page, q1.id);
      await q1El.getByRole('radio').nth(correctOf(q1)).check();
      await q1El.getByRole('button', { name: s['quiz.check'] }).click();
      await expect(page.locator('[data-score]')).toHaveText(score(1));
      expect(errors).toEqual([]);
    });
  });

  test.describe(`${tag} ${kind} quiz without JavaScript`, () => {
    test.use({ javaScriptEnabled: false });

    test('shows every question and reveals answers with <details>', async ({ page }) => {
      await page.goto(url);
      await expect(page.locator('fieldset')).toHaveCount(total);
      await expect(page.getByRole('button', { name: s['quiz.check'] })).toHaveCount(0);
      await expect(page.locator('[data-expl]:visible')).toHaveCount(0);
      await expect(page.getByText(s['quiz.howtoStatic']!)).toBeVisible();

      const q1El = question(page, q1.id);
      await expect(q1El.getByRole('group', { name: q1.prompt })).toBeVisible();
      await q1El.getByRole('radio').nth(1).check();
      await expect(q1El.getByRole('radio').nth(1)).toBeChecked();

      const answer = q1.options[correctOf(q1)]!;
      const reveal = q1El.locator('details');
      await expect(reveal.getByText(answer.explanation)).toBeHidden();
      await reveal.getByText(s['quiz.showAnswer']!).focus();
      await page.keyboard.press('Enter');
      await expect(reveal).toHaveAttribute('open', '');
      await expect(reveal.getByText(`${s['quiz.markAnswer']}:`).first()).toBeVisible();
      for (const o of q1.options) await expect(reveal.getByText(o.explanation)).toBeVisible();
    });
  });
}
