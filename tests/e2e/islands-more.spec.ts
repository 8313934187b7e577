import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, expectNoProblems, watchPage } from './support';
import { mount, setField, train } from './live-figures';
import { isContentWord } from '../../src/engine/tasks/mlm-words';

/**
 * The three extra live figures: self-attention head by head (pronoun task), the topic
 * classifier (curves, confusion matrix, the reader's sentence) and masked words (a tiny MLM on
 * the lesson's own text). Each activates, trains a tiny model in the worker on ?backend=cpu
 * with few steps, shows its result, pauses/resumes/resets, works from the keyboard; axe with
 * the islands active. Lean on 2 shared cores: small models, few steps.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);




async function expectRowsSumToOne(map: Locator) {
  const sums = ((await map.getAttribute('data-row-sums')) ?? '').split(' ').filter(Boolean).map(Number);
  expect(sums.length).toBeGreaterThan(0);
  for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-3);
}

/** Set the classifier's training knobs for a quick run and press Start. */
async function startClassifier(c: Locator, steps: string) {
  await setField(c, 'steps', steps);
  await setField(c, 'dModel', '16');
  await setField(c, 'learningRate', '0.01');
  await c.locator('.lf-bar .lf-primary').click();
}

/** Type the reader's sentence into the classifier; its four topic probabilities, as shown, summing to 1. */
async function classify(c: Locator, sentence: string): Promise<number[]> {
  const input = c.locator('.lfm-try input');
  await input.fill(sentence);
  await input.press('Enter');
  const guesses = c.locator('[data-classified] .lfm-guess');
  await expect(guesses).toHaveCount(4);
  const ps = await guesses.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.p)));
  expect(Math.abs(ps.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);
  return ps;
}

/** Pause, check the step holds still, resume. */
async function pauseResume(page: Page, f: Locator) {
  const primary = f.locator('.lf-bar .lf-primary');
  await expect(f).toHaveAttribute('data-accuracy', /./, { timeout: 60_000 });
  await primary.click();
  await expect(f).toHaveAttribute('data-state', 'paused');
  const at = await f.locator('.lf-panel').getAttribute('data-step');
  await page.waitForTimeout(800);
  expect(await f.locator('.lf-panel').getAttribute('data-step')).toBe(at);
  await primary.click();
  await expect(f).toHaveAttribute('data-state', /training|done/);
}

test('pt-BR self-attention: heads side by side for the hovered or focused word, the model’s answer, keyboard', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/pt-br/?backend=cpu');
  const f = await mount(page, 'self-attention');
  await setField(f, 'steps', '40');
  await setField(f, 'heads', '2');
  const start = f.locator('.lf-bar .lf-primary');
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(f.locator('.lf-badge')).toContainText('CPU');
  await pauseResume(page, f);
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });

  // One heatmap per layer, one row per head, each row a softmax.
  const maps = f.locator('[data-heatmap^="selfattn-"]');
  await expect(maps).toHaveCount(2);
  for (const m of await maps.all()) {
    await expect(m).toHaveAttribute('data-rows', '2');
    await expectRowsSumToOne(m);
    await expect(m.locator('table th[scope="row"]')).toHaveCount(2);
  }
  await expect(f.locator('[data-answer] .lfm-guess').first()).toBeVisible();
  await expect(f).toHaveAttribute('data-answer', /./);
  await expect(f.locator('figure')).toBeHidden();

  // The pronoun is the query at first; arrows move the query word, focus follows.
  const pronounAt = Number(await f.getAttribute('data-query'));
  await expect(f.locator('.lfm-tok[aria-pressed="true"]')).toHaveText('ele');
  await f.locator('.lfm-tok[aria-pressed="true"]').focus();
  await page.keyboard.press('ArrowRight');
  await expect(f).toHaveAttribute('data-query', String(pronounAt + 1));
  await expect(f.locator('.lfm-tok:focus')).toHaveAttribute('aria-pressed', 'true');
  await expectRowsSumToOne(maps.first());
  // Hover picks a word too.
  await f.locator('.lfm-tok').first().hover();
  await expect(f).toHaveAttribute('data-query', '0');

  // Another sentence from the list redraws; a sentence without the pronoun says so.
  const input = f.locator('input[list]');
  await input.fill('O cavalo não atravessou o rio porque ele estava largo demais.');
  await input.press('Enter');
  await expect(f.locator('.lfm-tok').nth(6)).toHaveText('porque');
  await f.locator('.lf-reset').click();
  await expect(f).toHaveAttribute('data-state', 'idle');
  await expect(f.locator('figure')).toBeVisible();
  expectNoProblems(problems);
});

test('pt-BR classifier: loss and accuracy curves, confusion matrix, the reader’s sentence; a reload resumes', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/pt-br/?backend=cpu');
  const f = await mount(page, 'classifier');
  await expect(f.locator('figure table tbody tr')).toHaveCount(4); // the static preview: one sentence per topic
  await startClassifier(f, '60');
  await expect(f).toHaveAttribute('data-accuracy', /./, { timeout: 60_000 });
  const first = Number(await f.getAttribute('data-accuracy'));
  await pauseResume(page, f);
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  expect(Number(await f.getAttribute('data-accuracy'))).toBeGreaterThan(first);

  await expect(f.locator('[data-chart="loss"] canvas')).toBeAttached();
  await expect(f.locator('[data-chart="accuracy"] canvas')).toBeAttached();
  await expect(f.locator('[data-summary] td').first()).toHaveText('60');
  const matrix = f.locator('[data-heatmap="confusion"]');
  await expect(matrix).toHaveAttribute('data-rows', '4');
  await expectRowsSumToOne(matrix);
  await expect(f).toHaveAttribute('data-exact-match', /./);

  const ps = await classify(f, 'O atacante fez três gols na final do campeonato.');
  expect(ps).toEqual([...ps].sort((a, b) => b - a));

  await page.reload();
  const g = await mount(page, 'classifier');
  await expect(g.locator('.lf-status')).toContainText('60');
  await g.locator('.lf-bar .lf-primary').click();
  await expect(g).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(g.locator('[data-heatmap="confusion"]')).toHaveAttribute('data-rows', '4');
  await g.locator('.lf-reset').click();
  await expect(g).toHaveAttribute('data-state', 'idle');
  await expect(g.locator('figure')).toBeVisible();
  expectNoProblems(problems);
});

test('es masked words: trains on the lesson, guesses each [MASK], keyboard, axe with the islands active', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/es/?backend=cpu');
  const f = await mount(page, 'masked-words');
  await expect(f.locator('figure code')).toHaveText('[MASK]');
  // A vocabulary of the whole lesson makes each cpu step slow (~1-3 s on shared cores): 10 steps.
  await setField(f, 'steps', '10');
  const start = f.locator('.lf-bar .lf-primary');
  await start.focus();
  await page.keyboard.press('Enter');
  await pauseResume(page, f);
  await expect(f).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(f.locator('[data-predictions] .lfm-guess')).toHaveCount(5 * Number(await f.getAttribute('data-predictions')));

  // The reader's own sentence, with the marker typed loosely: it is written back exactly.
  const input = f.locator('.lf-panel input[type="text"]');
  await input.fill('El modelo ve el [mask] de la [ MASK ] entera.');
  await input.press('Enter');
  await expect(input).toHaveValue('El modelo ve el [MASK] de la [MASK] entera.');
  await expect(f).toHaveAttribute('data-predictions', '2');
  await expect(f.locator('.lfm-mask')).toHaveCount(2);
  // Too long for the model's window: the engine's error, in Spanish.
  await input.fill('La atención permite al modelo ver el [MASK] de la frase y la oración entera.');
  await input.press('Enter');
  await expect(f.locator('.lf-error')).toContainText('12');
  // No marker: a localized hint, not an engine error.
  await input.fill('Sin marcador');
  await input.press('Enter');
  await expect(f.locator('.lf-error')).toContainText('[MASK]');
  // The insert button writes the marker at the caret, from the keyboard.
  await input.fill('El ');
  await f.locator('[data-insert-mask]').focus();
  await page.keyboard.press('Enter');
  await expect(input).toHaveValue('El [MASK]');
  // An example sentence from the lesson.
  await f.locator('.lfm-example').first().click();
  await expect(f.locator('.lf-error')).toBeHidden();

  // The other two islands mounted as well, then axe over the whole page.
  await mount(page, 'self-attention');
  await mount(page, 'classifier');
  await expectAccessible(page);
  await f.locator('.lf-reset').click();
  await expect(f).toHaveAttribute('data-state', 'idle');
  expectNoProblems(problems);
});

/**
 * What the figure is for: at its default settings (seed 1) on WASM, the backend a reader without
 * a GPU gets, the model learns the lesson's content words. Its score, the share of content words
 * hidden one at a time in windows of the lesson that its first guess gets right, reaches 50 % by
 * the end of the run, and a sentence of the lesson gets a content word back, not a comma.
 */
test('pt-BR masked words: at the default settings the score reaches 50 % and a lesson sentence gets its content word', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/pt-br/?backend=wasm');
  const f = await mount(page, 'masked-words');
  await train(f, {}, 170_000);
  await expect(f.locator('.lf-badge')).toContainText('WebAssembly');
  const score = Number(await f.getAttribute('data-exact-match'));
  expect(score).toBeGreaterThanOrEqual(0.5);
  await expect(f.locator('[data-score]')).toContainText('100');
  const input = f.locator('.lf-panel input[type="text"]');
  await input.fill('Esta é a [MASK] que consideramos aqui.');
  await input.press('Enter');
  await expect(f).toHaveAttribute('data-predictions', '1');
  const top = (await f.getAttribute('data-top')) ?? '';
  expect(isContentWord(top, 'pt-BR'), `top guess "${top}"`).toBe(true);
  await expect(f.locator('[data-predictions] .lfm-guess').filter({ hasText: 'abordagem' })).toHaveCount(1);
  // Reset clears the score with the model.
  await f.locator('.lf-reset').click();
  await expect(f).not.toHaveAttribute('data-exact-match', /./);
  await expect(f.locator('[data-score]')).toBeEmpty();
  expectNoProblems(problems);
});

test('ar: the three panels mirror, heatmaps and probabilities stay left to right, axe passes', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/ar/?backend=cpu');
  const f = await mount(page, 'self-attention');
  await train(f, { steps: '20' });
  expect(await f.locator('.lf-panel').evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
  const map = f.locator('[data-heatmap="selfattn-0"]');
  await expect(map).toHaveAttribute('dir', 'ltr');
  await expectRowsSumToOne(map);
  await expect(f.locator('.lfm-p').first()).toHaveAttribute('dir', 'ltr');
  // Arrow keys follow reading order: ArrowLeft is "next word" on a right-to-left page.
  const q = Number(await f.getAttribute('data-query'));
  await f.locator('.lfm-tok[aria-pressed="true"]').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(f).toHaveAttribute('data-query', String(q + 1));
  await mount(page, 'classifier');
  await mount(page, 'masked-words');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
  await f.locator('.lf-reset').click();
  expectNoProblems(problems);
});

/**
 * On WebGL the engine runs its fused kernels (src/engine/gpu/): the same islands train there
 * and draw what they draw on the cpu backend. Software WebGL here: small models, few steps.
 */
test('WebGL (fused kernels): self-attention and the classifier train and draw on ?backend=webgl', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/en/?backend=webgl');
  const s = await mount(page, 'self-attention');
  await train(s, { steps: '30', heads: '2' });
  await expect(s.locator('.lf-badge')).toContainText('WebGL');
  const maps = s.locator('[data-heatmap^="selfattn-"]');
  await expect(maps).toHaveCount(2);
  for (const m of await maps.all()) await expectRowsSumToOne(m);
  await expect(s).toHaveAttribute('data-answer', /./);

  const c = await mount(page, 'classifier');
  await startClassifier(c, '40');
  await expect(c).toHaveAttribute('data-accuracy', /./, { timeout: 60_000 });
  const first = Number(await c.getAttribute('data-accuracy'));
  await expect(c).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  expect(Number(await c.getAttribute('data-accuracy'))).toBeGreaterThan(first);
  await expectRowsSumToOne(c.locator('[data-heatmap="confusion"]'));
  await classify(c, 'The striker scored three goals in the final.');
  expectNoProblems(problems);
});

/**
 * Masked words on WebGL: the lesson's whole vocabulary (a one-hot embedding and a wide output
 * layer through the fused dense kernels), two encoder layers; it trains and guesses each [MASK].
 */
test('WebGL (fused kernels): masked words train and guess on ?backend=webgl', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/pt-br/?backend=webgl');
  const f = await mount(page, 'masked-words');
  await train(f, { steps: '20' });
  await expect(f.locator('.lf-badge')).toContainText('WebGL');
  const masks = Number(await f.getAttribute('data-predictions'));
  expect(masks).toBeGreaterThan(0);
  await expect(f.locator('[data-predictions] .lfm-guess')).toHaveCount(5 * masks);
  await expect(f.locator('.lf-error')).toBeHidden();
  expectNoProblems(problems);
});

/**
 * WebGPU is what most readers' browsers pick first. The classifier once failed there (a tfjs
 * WebGPU shader for a reduction did not compile); it trains and answers on ?backend=webgpu
 * (software WebGPU here: a small model, few steps).
 */
test('WebGPU (fused kernels): the classifier trains and answers on ?backend=webgpu', async ({ page, baseURL }) => {
  const problems = watchPage(page, baseURL!);
  await page.goto('/en/?backend=webgpu');
  const c = await mount(page, 'classifier');
  await startClassifier(c, '20');
  await expect(c.locator('.lf-badge')).toContainText('WebGPU');
  await expect(c).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await expectRowsSumToOne(c.locator('[data-heatmap="confusion"]'));
  await classify(c, 'The striker scored three goals in the final.');
  expectNoProblems(problems);
});
