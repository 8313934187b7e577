/**
 * Self-attention, head by head: a two-layer encoder learns the pronoun task in the page's
 * language (templates from content/<tag>/data/pronouns.json); the reader picks or writes a
 * sentence, hovers or focuses a word, and sees where each head of each layer looks from it,
 * with the model's answer for the pronoun ("it" → animal / street).
 */
import type { AttentionMatrix, ModelHandle, PredictResult, PronounTemplates } from '../../../worker/client';
import type { IslandContext, IslandModule } from '../shared/context';
import { h, onAsk } from '../shared/dom';
import { renderHeatmap } from '../shared/heatmap-view';
import { Panel, type FieldSpec } from '../shared/panel';
import { Trainer } from '../shared/trainer';
import { unknownPositions } from '../shared/guesses';
import { renderGuesses } from '../shared/guesses-view';
import { argmaxPerHead, encoderLayers, exampleSentences, queryRows } from './pronoun';
import './selfattn.css';

const FIELDS: FieldSpec[] = [
  { name: 'seed', kind: 'number', min: 1, max: 9999, value: 1 },
  { name: 'steps', kind: 'number', min: 10, max: 3000, step: 10, value: 300 },
  { name: 'heads', kind: 'select', options: [{ value: 1 }, { value: 2 }, { value: 4 }], value: 2 },
  { name: 'learningRate', kind: 'select', options: [{ value: 0.003 }, { value: 0.005 }, { value: 0.01 }], value: 0.01 },
];

// One lazy chunk per locale: a page fetches only its own templates.
const TEMPLATES = import.meta.glob<PronounTemplates>('../../../../content/*/data/pronouns.json', { import: 'default' });

export async function loadTemplates(locale: string): Promise<PronounTemplates | undefined> {
  return (TEMPLATES[`../../../../content/${locale}/data/pronouns.json`] ?? TEMPLATES['../../../../content/en/data/pronouns.json'])?.();
}

export const island: IslandModule = {
  async mount(ctx: IslandContext, { autostart }) {
    const { t, fmt } = ctx;
    const templates = await loadTemplates(ctx.locale);
    const examples = templates ? exampleSentences(templates, 6) : [];
    const panel = new Panel(ctx, FIELDS, Trainer.savedSettings(ctx));
    const uid = `lf-sa-${ctx.locale}`;
    const input = h('input', { type: 'text', id: `${uid}-in`, list: `${uid}-list`, value: examples[0]?.text ?? '', autocomplete: 'off', class: 'lf-text lfm-wide' });
    const list = h('datalist', { id: `${uid}-list` }, ...examples.map((e) => h('option', { value: e.text })));
    const show = h('button', { type: 'button', class: 'lf-btn' }, t('selfattn.show'));
    const answer = h('div', { class: 'lfm-answer', 'data-answer': '' });
    const tokenBar = h('div', { class: 'lfm-tokens', role: 'toolbar', 'aria-label': t('selfattn.tokens') });
    const unknown = h('p', { class: 'lf-hint' });
    const maps = h('div', { class: 'lfm-layers' });
    const score = h('p', { class: 'lf-score' });
    panel.body.append(
      h('div', { class: 'lf-row' }, h('label', { for: input.id }, t('selfattn.input')), input, list, show),
      h('p', { class: 'lf-hint' }, t('selfattn.hint')),
      answer, tokenBar, unknown, maps, score,
    );
    ctx.mount.append(panel.el);

    let model: ModelHandle | undefined;
    let result: PredictResult | undefined;
    let query = -1;
    let lastStep = 0;

    const drawHeads = () => {
      if (!result) return;
      const layers = encoderLayers(result.attention);
      const token = result.tokens[query] ?? '';
      maps.replaceChildren(...layers.map((m: AttentionMatrix, li) => {
        const rows = queryRows(m, query);
        const host = h('div', { class: 'lf-map', 'data-heatmap': `selfattn-${li}` });
        renderHeatmap(host, {
          rows: m.heads, cols: m.cols, values: rows, scale: 'weight',
          rowLabels: Array.from({ length: m.heads }, (_, i) => t('selfattn.headN', { n: fmt.int(i + 1) })),
          colLabels: m.colTokens,
        }, {
          title: t('selfattn.title', { layer: fmt.int(li + 1), token }),
          rowHeader: t('selfattn.head'), colHeader: t('axis.input'), format: fmt.weight,
        }, 560);
        const top = argmaxPerHead(rows, m.heads, m.cols).map((c, i) => t('selfattn.looksAt', { n: fmt.int(i + 1), token: m.colTokens[c] ?? '' }));
        return h('section', { class: 'lfm-layer', 'aria-label': t('selfattn.layerN', { n: fmt.int(li + 1) }) },
          h('h4', { class: 'lf-subhead' }, t('selfattn.layerN', { n: fmt.int(li + 1) })),
          host,
          h('p', { class: 'lf-hint lfm-looks' }, top.join(' · ')));
      }));
      for (const b of tokenBar.querySelectorAll<HTMLButtonElement>('button')) {
        const on = Number(b.dataset.pos) === query;
        b.setAttribute('aria-pressed', String(on));
        b.tabIndex = on ? 0 : -1;
      }
      ctx.root.dataset.query = String(query);
    };

    const select = (pos: number, focus = false) => {
      if (!result) return;
      query = Math.max(0, Math.min(result.tokens.length - 1, pos));
      drawHeads();
      if (focus) tokenBar.querySelector<HTMLButtonElement>(`button[data-pos="${query}"]`)?.focus();
    };

    const draw = (r: PredictResult, step: number) => {
      const sameSentence = result?.input === r.input;
      result = r;
      const pred = r.predictions[0];
      const pronounAt = pred?.position ?? -1;
      if (!sameSentence || query < 0 || query >= r.tokens.length) query = pronounAt >= 0 ? pronounAt : 0;
      const unk = new Set(model ? unknownPositions(r.tokens, model.info.srcTokens) : []);
      tokenBar.replaceChildren(...r.tokens.map((tok, i) => {
        const b = h('button', { type: 'button', class: `lfm-tok${i === pronounAt ? ' lfm-pronoun' : ''}${unk.has(i) ? ' lfm-unknown' : ''}`, 'data-pos': String(i) }, tok);
        if (unk.has(i)) b.title = t('selfattn.unknownWord');
        return b;
      }));
      unknown.textContent = unk.size ? t('selfattn.unknown', { words: [...unk].map((i) => r.tokens[i]).join(', ') }) : '';
      if (pred) {
        const expected = examples.find((e) => e.text === r.input)?.referent;
        answer.replaceChildren(
          h('p', {}, t('selfattn.answer', { pronoun: r.tokens[pronounAt] ?? '', step: fmt.int(step) })),
          h('div', {}),
          ...(expected ? [h('p', { class: 'lf-hint' }, t('selfattn.expected', { referent: expected }))] : []),
        );
        renderGuesses(answer.children[1] as HTMLElement, pred.top, 3, fmt.percent, (s) => s);
        ctx.root.dataset.answer = pred.top[0]?.token ?? '';
      } else {
        answer.replaceChildren(h('p', { class: 'lf-error' }, t('selfattn.noPronoun', { pronoun: templates?.pronoun ?? '' })));
        delete ctx.root.dataset.answer;
      }
      drawHeads();
      if (ctx.figure) ctx.figure.hidden = true;
    };

    const refresh = panel.query(async (step: number) => {
      if (!model) return panel.setStatus(t('selfattn.trainFirst'));
      const [r] = await model.predict([input.value.trim()]);
      if (r) draw(r, step);
      panel.showError(null);
    });

    tokenBar.addEventListener('mouseover', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-pos]');
      if (b && Number(b.dataset.pos) !== query) select(Number(b.dataset.pos));
    });
    tokenBar.addEventListener('focusin', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-pos]');
      if (b && Number(b.dataset.pos) !== query) select(Number(b.dataset.pos));
    });
    // A toolbar is one tab stop: arrows move between words (in reading order, also right to left).
    tokenBar.addEventListener('keydown', (e) => {
      if (!result) return;
      const fwd = ctx.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
      const back = ctx.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
      const to = e.key === fwd ? query + 1 : e.key === back ? query - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? result.tokens.length - 1 : undefined;
      if (to === undefined) return;
      e.preventDefault();
      select(to, true);
    });

    const trainer = new Trainer({
      ctx, panel,
      totalSteps: (s) => Number(s.steps),
      modelOptions: (s) => ({
        task: { task: 'pronoun', locale: ctx.locale, templates },
        model: { kind: 'tagger', heads: Number(s.heads) },
        train: { batchSize: 32, learningRate: Number(s.learningRate) },
        seed: Number(s.seed),
      }),
      trainOptions: { reportEvery: 5, snapshotEvery: 20, evaluateEvery: 25 },
      follow: {
        kind: 'predict', input, score, draw, refresh, onStep: (n) => (lastStep = n),
        scoreText: (x, n) => t('selfattn.score', { score: fmt.percent(x), step: fmt.int(n) }),
      },
      async onModel(m, step) {
        model = m;
        lastStep = step;
        await refresh(step);
      },
      onProgress(p) {
        lastStep = p.step;
        ctx.root.dataset.accuracy = p.accuracy.toFixed(4);
      },
      onState(s) {
        if (s === 'done' || s === 'paused') void refresh(lastStep);
      },
      onReset() {
        model = undefined;
        result = undefined;
        query = -1;
        maps.replaceChildren();
        tokenBar.replaceChildren();
        answer.replaceChildren();
        unknown.textContent = '';
        score.textContent = '';
        delete ctx.root.dataset.accuracy;
        delete ctx.root.dataset.answer;
        if (ctx.figure) ctx.figure.hidden = false;
      },
    });
    const redraw = () => void refresh(lastStep);
    onAsk(show, input, redraw);
    input.addEventListener('change', redraw);
    if (autostart) void trainer.start();
  },
};
