/**
 * Alignment matrix, live: the recurrent encoder-decoder with additive (Bahdanau) attention learns
 * to turn dates written in the page's language (Intl.DateTimeFormat) into ISO dates, and the
 * heatmap of α for a date the reader types or picks redraws while it trains.
 */
import type { DecodeResult, ModelHandle } from '../../../worker/client';
import type { IslandContext, IslandModule } from '../shared/context';
import { sampleDates } from '../shared/dates';
import { h, ltr, onAsk } from '../shared/dom';
import { renderHeatmap } from '../shared/heatmap-view';
import { Panel, type FieldSpec } from '../shared/panel';
import { Trainer } from '../shared/trainer';

const FIELDS: FieldSpec[] = [
  { name: 'seed', kind: 'number', min: 1, max: 9999, value: 1 },
  { name: 'steps', kind: 'number', min: 10, max: 3000, step: 10, value: 300 },
  { name: 'learningRate', kind: 'select', options: [{ value: 0.003 }, { value: 0.005 }, { value: 0.01 }, { value: 0.02 }], value: 0.02 },
  { name: 'hidden', kind: 'select', options: [{ value: 16 }, { value: 32 }, { value: 48 }, { value: 64 }], value: 32 },
];

export const island: IslandModule = {
  mount(ctx: IslandContext, { autostart }) {
    const { t, fmt } = ctx;
    const panel = new Panel(ctx, FIELDS, Trainer.savedSettings(ctx));
    const samples = sampleDates(ctx.locale);
    const listId = `lf-dates-${ctx.locale}`;
    const input = h('input', { type: 'text', id: `${listId}-in`, list: listId, value: samples[0]!, autocomplete: 'off', class: 'lf-text' });
    const list = h('datalist', { id: listId }, ...samples.map((s) => h('option', { value: s })));
    const show = h('button', { type: 'button', class: 'lf-btn' }, t('alignment.show'));
    const output = h('p', { class: 'lf-output', 'aria-live': 'off' });
    const score = h('p', { class: 'lf-score' });
    const map = h('div', { class: 'lf-map', 'data-heatmap': 'alignment' });
    panel.body.append(
      h('div', { class: 'lf-row' }, h('label', { for: input.id }, t('alignment.input')), input, list, show),
      h('p', { class: 'lf-hint' }, t('alignment.hint')),
      output, map, score,
    );
    ctx.mount.append(panel.el);

    let model: ModelHandle | undefined;
    let lastStep = 0;
    const draw = (r: DecodeResult, step: number) => {
      const a = r.attention.find((m) => m.name === 'additive') ?? r.attention[0];
      if (!a) return;
      const outLabels = [...r.outputTokens, t('alignment.end')].slice(0, a.rows);
      renderHeatmap(map, {
        rows: a.rows, cols: a.cols, values: a.data, rowLabels: outLabels, colLabels: a.colTokens, scale: 'weight',
      }, {
        title: t('alignment.title', { input: r.input, output: r.output, step: fmt.int(step) }),
        rowHeader: t('axis.output'), colHeader: t('axis.input'), format: fmt.weight,
      });
      output.replaceChildren(t('alignment.output', { step: fmt.int(step) }), ' ', ltr(r.output || '—'));
      if (ctx.figure) ctx.figure.hidden = true;
    };
    const refresh = panel.query(async (step: number) => {
      if (!model) return;
      const [r] = await model.decode([input.value.trim()]);
      if (r) draw(r, step);
      panel.showError(null);
    });

    const trainer = new Trainer({
      ctx, panel,
      totalSteps: (s) => Number(s.steps),
      modelOptions: (s) => ({
        task: { task: 'dates', locale: ctx.locale, tokenizer: 'word' },
        model: { kind: 'additive', hidden: Number(s.hidden) },
        train: { batchSize: 32, learningRate: Number(s.learningRate) },
        seed: Number(s.seed),
      }),
      trainOptions: { reportEvery: 5, snapshotEvery: 10, evaluateEvery: 20 },
      follow: {
        kind: 'decode', input, score, draw, refresh, onStep: (n) => (lastStep = n),
        scoreText: (x, n) => t('alignment.score', { score: fmt.percent(x), step: fmt.int(n) }),
      },
      async onModel(m, step) {
        model = m;
        lastStep = step;
        await refresh(step);
      },
      onProgress(p) {
        ctx.root.dataset.accuracy = p.accuracy.toFixed(4);
      },
      onReset() {
        model = undefined;
        map.replaceChildren();
        output.textContent = '';
        score.textContent = '';
        delete ctx.root.dataset.accuracy;
        if (ctx.figure) ctx.figure.hidden = false;
      },
    });
    onAsk(show, input, () => void refresh(lastStep));
    if (autostart) void trainer.start();
  },
};
