/**
 * Masked words: a tiny BERT-like encoder learns to fill in hidden words of this very lesson
 * (the article's text in the page's language; zh-CN and ja segmented by the engine). Training
 * hides content words only (never punctuation or function words: src/engine/tasks/mlm-words.ts),
 * and the score line says how often the model's first guess is right for content words hidden
 * one at a time in windows of the lesson. The reader writes a sentence with the mask marker, or
 * picks one cut from the lesson, and sees the top guesses for every hidden word.
 */
import type { Evaluation, ModelHandle } from '../../../worker/client';
import type { IslandContext, IslandModule } from '../shared/context';
import { h, ltr, onAsk } from '../shared/dom';
import { Panel, type FieldSpec } from '../shared/panel';
import { Trainer } from '../shared/trainer';
import { renderGuesses } from '../shared/guesses-view';
import { cleanText, countTokens, MASK, maskExamples, parseMasks } from './mask';
import { isContentWord } from '../../../engine/tasks/mlm-words';
import './mlm.css';

/**
 * Defaults chosen for WASM, the backend of a reader without a GPU (scripts/bench-mlm.ts times
 * them): one layer of d_model 32, learning rate 0.01 and 64 windows a step pass a score of 50 %
 * in ~170-260 steps in every locale; two layers, d_model 64 or a lower rate took more steps and
 * cost more per step, 32 windows a step more steps for the same time. 300 steps end near
 * 60-80 %, and "More" goes on from there.
 */
const FIELDS: FieldSpec[] = [
  { name: 'seed', kind: 'number', min: 1, max: 9999, value: 1 },
  { name: 'steps', kind: 'number', min: 10, max: 3000, step: 10, value: 300 },
  { name: 'dModel', kind: 'select', options: [{ value: 32 }, { value: 64 }], value: 32 },
  { name: 'learningRate', kind: 'select', options: [{ value: 0.005 }, { value: 0.01 }, { value: 0.015 }, { value: 0.02 }], value: 0.015 },
];
/** Tokens per training window: the longest sentence the model reads. */
const WINDOW = 12;
/** Share of each window's content words hidden in training (island.mlm.corpus says "about half"). */
const MASK_RATE = 0.5;
/** Training windows per step. */
const BATCH = 64;
/**
 * Adam's first-moment decay. With 0.7 instead of the usual 0.9 (and a learning rate of 0.015),
 * the default model reached 50 % top-1 in 130-190 steps instead of 180-230 (pt-BR and ja, seeds
 * 1-2, wasm). Batches of 32 or 48 took more time to the score, not less.
 */
const BETA1 = 0.7;
/** How often (steps) the score is measured: one forward pass over its 100 windows. */
const EVALUATE_EVERY = 10;

/**
 * The lesson's prose: paragraphs, list items and headings of the article, without formulas,
 * code or the figures (live panels included), so the same page always gives the same text.
 */
export function lessonText(root: ParentNode, selector = ':scope > :is(p, h2, h3, ul, ol, blockquote)'): string {
  const article = root.querySelector('article') ?? document.body;
  const parts: string[] = [];
  for (const el of article.querySelectorAll<HTMLElement>(selector)) {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.katex, math, code, pre, figure, live-figure, .visually-hidden').forEach((n) => n.remove());
    parts.push(copy.textContent ?? '');
  }
  return cleanText(parts.join('\n'));
}

export const island: IslandModule = {
  mount(ctx: IslandContext, { autostart }) {
    const { t, fmt } = ctx;
    const text = lessonText(document);
    // Examples from the prose paragraphs (not headings or credits), hiding a word the text uses often.
    const examples = maskExamples(lessonText(document, ':scope > :is(p, ul, ol)'), ctx.locale, 4, WINDOW, 5, text,
      (w) => isContentWord(w.toLocaleLowerCase(ctx.locale), ctx.locale));
    const panel = new Panel(ctx, FIELDS, Trainer.savedSettings(ctx));
    const uid = `lf-mlm-${ctx.locale}`;
    const input = h('input', { type: 'text', id: `${uid}-in`, value: examples[0]?.text ?? `${MASK}`, autocomplete: 'off', class: 'lf-text lfm-wide' });
    const insert = h('button', { type: 'button', class: 'lf-btn', 'data-insert-mask': '' }, t('mlm.insert', { mask: MASK }));
    const predict = h('button', { type: 'button', class: 'lf-btn' }, t('mlm.predict'));
    const picks = h('div', { class: 'lf-row lfm-examples', role: 'group', 'aria-label': t('mlm.examples') },
      h('span', { class: 'lf-hint' }, t('mlm.examples')),
      ...examples.map((e) => {
        const b = h('button', { type: 'button', class: 'lf-btn lfm-example' }, e.text);
        b.addEventListener('click', () => {
          input.value = e.text;
          void run();
        });
        return b;
      }));
    const corpus = h('p', { class: 'lf-hint' }, t('mlm.corpus', { words: fmt.int(countTokens(text, ctx.locale)), window: fmt.int(WINDOW) }));
    const score = h('p', { class: 'lf-score', 'data-score': '' });
    const result = h('div', { class: 'lfm-masks', 'data-predictions': '' });
    panel.body.append(
      h('p', { class: 'lf-hint' }, t('mlm.marker'), ' ', h('code', { dir: 'ltr' }, MASK)),
      h('div', { class: 'lf-row' }, h('label', { for: input.id }, t('mlm.input')), input),
      h('div', { class: 'lf-row' }, insert, predict),
      picks, corpus, score, result,
    );
    ctx.mount.append(panel.el);

    let model: ModelHandle | undefined;
    let lastStep = 0;

    const showScore = (e: Evaluation, step: number) => {
      score.textContent = t('mlm.score', { score: fmt.percent(e.exactMatch), examples: fmt.int(e.examples), step: fmt.int(step) });
      ctx.root.dataset.exactMatch = e.exactMatch.toFixed(4);
    };

    const run = panel.query(async () => {
      const parsed = parseMasks(input.value);
      if (!parsed.masks) {
        panel.showError(t('mlm.noMask', { mask: MASK }));
        return;
      }
      input.value = parsed.text;
      panel.showError(null);
      if (!model) return panel.setStatus(t('mlm.trainFirst'));
      const [r] = await model.predict([parsed.text]);
      if (r) {
        result.replaceChildren(...r.predictions.map((p, i) => {
          const box = h('div', { class: 'lfm-mask' });
          const list = h('div', {});
          renderGuesses(list, p.top, 5, fmt.percent, (s) => t('mlm.special', { token: s }));
          box.append(h('p', { class: 'lfm-mask-head' }, t('mlm.guessesFor', { n: fmt.int(i + 1), step: fmt.int(lastStep) }), ' ', ltr(MASK)), list);
          return box;
        }));
        ctx.root.dataset.predictions = String(r.predictions.length);
        ctx.root.dataset.top = r.predictions.map((p) => p.top[0]?.token ?? '').join(' ');
      }
      panel.showError(null);
      if (ctx.figure) ctx.figure.hidden = true;
    });

    // The marker goes where the caret is, replacing a selected word.
    insert.addEventListener('click', () => {
      const a = input.selectionStart ?? input.value.length;
      const b = input.selectionEnd ?? a;
      input.setRangeText(MASK, a, b, 'end');
      input.focus();
    });
    onAsk(predict, input, () => void run());

    const trainer = new Trainer({
      ctx, panel,
      totalSteps: (s) => Number(s.steps),
      modelOptions: (s) => ({
        task: { task: 'mlm', locale: ctx.locale, text, window: WINDOW, maskRate: MASK_RATE },
        model: { kind: 'tagger', dModel: Number(s.dModel), heads: 2, ffn: 2 * Number(s.dModel), layers: 1 },
        train: { batchSize: BATCH, learningRate: Number(s.learningRate), beta1: BETA1 },
        seed: Number(s.seed),
      }),
      // The run goes on to its step count past any score: the guesses keep sharpening.
      trainOptions: { reportEvery: 5, snapshotEvery: 25, evaluateEvery: EVALUATE_EVERY },
      async onModel(m, step) {
        model = m;
        lastStep = step;
        m.on('snapshot', (s) => {
          lastStep = s.step;
          void run();
        });
        m.on('evaluation', (e) => showScore(e.evaluation, e.step));
        await run();
        // A restored run shows its score at once; a new one with its first evaluation.
        if (step > 0) showScore(await m.evaluate(), step);
      },
      onProgress(p) {
        lastStep = p.step;
        ctx.root.dataset.accuracy = p.accuracy.toFixed(4);
      },
      onState(s) {
        if (s === 'done' || s === 'paused') void run();
      },
      onReset() {
        model = undefined;
        lastStep = 0;
        result.replaceChildren();
        score.textContent = '';
        delete ctx.root.dataset.accuracy;
        delete ctx.root.dataset.exactMatch;
        delete ctx.root.dataset.predictions;
        delete ctx.root.dataset.top;
        if (ctx.figure) ctx.figure.hidden = false;
      },
    });
    if (autostart) void trainer.start();
  },
};
