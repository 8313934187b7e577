/**
 * Train a transformer: the notebook's small classifier, trained here on the topic sentences of
 * the page's language (content/<tag>/data/topics.json). Live loss and accuracy curves (uPlot),
 * a table of the latest values, the held-out confusion matrix as a heatmap (with its table),
 * then the reader's own sentence classified with every topic's probability.
 */
import type { Evaluation, LabelledSentence, ModelHandle } from '../../../worker/client';
import type { IslandContext, IslandModule } from '../shared/context';
import { h, onAsk } from '../shared/dom';
import { renderHeatmap } from '../shared/heatmap-view';
import { Panel, type FieldSpec } from '../shared/panel';
import { Trainer } from '../shared/trainer';
import { unknownPositions } from '../shared/guesses';
import { renderGuesses } from '../shared/guesses-view';
import type { Curves } from './charts';
import { addPoint, attachHeldOut, normalizeRows, type CurvePoint } from './confusion';
import './classifier.css';

const FIELDS: FieldSpec[] = [
  { name: 'seed', kind: 'number', min: 1, max: 9999, value: 1 },
  { name: 'steps', kind: 'number', min: 10, max: 2000, step: 10, value: 200 },
  { name: 'dModel', kind: 'select', options: [{ value: 16 }, { value: 32 }, { value: 64 }], value: 32 },
  { name: 'learningRate', kind: 'select', options: [{ value: 0.003 }, { value: 0.005 }, { value: 0.01 }], value: 0.005 },
];

const TOPICS = import.meta.glob<LabelledSentence[]>('../../../../content/*/data/topics.json', { import: 'default' });

async function loadTopics(locale: string): Promise<LabelledSentence[] | undefined> {
  return (TOPICS[`../../../../content/${locale}/data/topics.json`] ?? TOPICS['../../../../content/en/data/topics.json'])?.();
}

export const island: IslandModule = {
  async mount(ctx: IslandContext, { autostart }) {
    const { t, fmt } = ctx;
    const examples = await loadTopics(ctx.locale);
    const panel = new Panel(ctx, FIELDS, Trainer.savedSettings(ctx));
    const uid = `lf-cls-${ctx.locale}`;

    const key = (cls: string, label: string) => h('span', { class: `lfm-key ${cls}` }, label);
    const lossHost = h('div', { class: 'lfm-chart', 'data-chart': 'loss' });
    const accHost = h('div', { class: 'lfm-chart', 'data-chart': 'accuracy' });
    const charts = h('div', { class: 'lfm-charts', dir: 'ltr' },
      h('div', { class: 'lfm-chart-box', role: 'img', 'aria-label': t('classifier.lossChart') },
        h('p', { class: 'lfm-chart-title', 'aria-hidden': 'true' }, key('lfm-key-loss', t('classifier.loss'))), lossHost),
      h('div', { class: 'lfm-chart-box', role: 'img', 'aria-label': t('classifier.accChart') },
        h('p', { class: 'lfm-chart-title', 'aria-hidden': 'true' }, key('lfm-key-acc', t('classifier.accuracy')), ' ', key('lfm-key-held', t('classifier.heldOut'))), accHost));
    charts.hidden = true;

    const cells = { step: h('td', {}), loss: h('td', {}), accuracy: h('td', {}), heldOut: h('td', {}) };
    const row = (label: string, cell: HTMLElement) => h('tr', {}, h('th', { scope: 'row' }, label), cell);
    const summary = h('table', { class: 'lfm-summary', 'data-summary': '' },
      h('caption', {}, t('classifier.summary')),
      h('tbody', {}, row(t('classifier.step'), cells.step), row(t('classifier.loss'), cells.loss),
        row(t('classifier.accuracy'), cells.accuracy), row(t('classifier.heldOut'), cells.heldOut)));
    summary.hidden = true;

    const matrixHead = h('h4', { class: 'lf-subhead' }, t('classifier.confusion'));
    const matrixHint = h('p', { class: 'lf-hint' });
    const matrix = h('div', { class: 'lf-map', 'data-heatmap': 'confusion' });
    const matrixBox = h('section', { class: 'lfm-confusion' }, matrixHead, matrixHint, matrix);
    matrixBox.hidden = true;

    const input = h('input', { type: 'text', id: `${uid}-in`, list: `${uid}-list`, autocomplete: 'off', class: 'lf-text lfm-wide' });
    const list = h('datalist', { id: `${uid}-list` });
    const classify = h('button', { type: 'button', class: 'lf-btn' }, t('classifier.classify'));
    const result = h('div', { class: 'lfm-result', 'data-classified': '' });
    const unknown = h('p', { class: 'lf-hint' });
    const tryIt = h('section', { class: 'lfm-try' },
      h('h4', { class: 'lf-subhead' }, t('classifier.tryHead')),
      h('div', { class: 'lf-row' }, h('label', { for: input.id }, t('classifier.input')), input, list, classify),
      h('p', { class: 'lf-hint' }, t('classifier.hint')), result, unknown);
    tryIt.hidden = true;

    panel.body.append(charts, summary, matrixBox, tryIt);
    // This figure draws its own curves (with the held-out accuracy): not the panel's generic one.
    (panel as { chart?: HTMLElement }).chart?.setAttribute('hidden', '');
    ctx.mount.append(panel.el);

    let model: ModelHandle | undefined;
    let curves: Curves | undefined;
    let points: CurvePoint[] = [];
    let drawQueued = false;

    const drawCurves = () => {
      if (drawQueued) return;
      drawQueued = true;
      requestAnimationFrame(() => {
        drawQueued = false;
        curves?.update(points);
      });
    };
    const showEvaluation = (e: Evaluation, step: number) => {
      if (!e.confusion || !e.classes) return;
      const n = e.classes.length;
      renderHeatmap(matrix, {
        rows: n, cols: n, values: normalizeRows(e.confusion), rowLabels: e.classes, colLabels: e.classes, scale: 'weight',
      }, {
        title: t('classifier.confusionTitle', { step: fmt.int(step), examples: fmt.int(e.examples) }),
        rowHeader: t('classifier.trueClass'), colHeader: t('classifier.predicted'), format: fmt.percent,
      }, 420);
      matrixHint.textContent = t('classifier.confusionHint', { examples: fmt.int(e.examples), score: fmt.percent(e.exactMatch) });
      cells.heldOut.textContent = fmt.percent(e.exactMatch);
      matrixBox.hidden = false;
      summary.hidden = false;
      ctx.root.dataset.exactMatch = e.exactMatch.toFixed(4);
    };
    const run = panel.query(async () => {
      if (!model) return;
      const text = input.value.trim();
      if (!text) return;
      const [r] = await model.predict([text]);
      if (r?.predictions[0]) {
        renderGuesses(result, r.predictions[0].top, r.predictions[0].top.length, fmt.percent);
        ctx.root.dataset.classified = r.predictions[0].top[0]?.token ?? '';
        const unk = unknownPositions(r.tokens, model.info.srcTokens);
        unknown.textContent = unk.length ? t('classifier.unknown', { count: fmt.int(unk.length), total: fmt.int(r.tokens.length) }) : '';
      }
      panel.showError(null);
    });

    const trainer = new Trainer({
      ctx, panel,
      totalSteps: (s) => Number(s.steps),
      modelOptions: (s) => ({
        task: { task: 'classify', locale: ctx.locale, examples },
        model: { kind: 'classifier', dModel: Number(s.dModel), heads: 2, ffn: 2 * Number(s.dModel), layers: 1 },
        train: { batchSize: 32, learningRate: Number(s.learningRate) },
        seed: Number(s.seed),
      }),
      trainOptions: { reportEvery: 5, evaluateEvery: 20 },
      async onModel(m) {
        model = m;
        points = [];
        list.replaceChildren(...m.info.samples.map((x) => h('option', { value: x.text })));
        if (!input.value) input.value = m.info.samples[0]?.text ?? '';
        // uPlot (and its CSS) come with the first run, not with the page or the island.
        const { Curves } = await import('./charts');
        charts.hidden = false;
        curves ??= new Curves(lossHost, accHost, {
          step: t('classifier.step'), loss: t('classifier.loss'), accuracy: t('classifier.accuracy'), heldOut: t('classifier.heldOut'),
        }, fmt);
        curves.update(points);
        tryIt.hidden = false;
        if (ctx.figure) ctx.figure.hidden = true;
        m.on('evaluation', (e) => {
          attachHeldOut(points, e.step, e.evaluation.exactMatch);
          drawCurves();
          showEvaluation(e.evaluation, e.step);
        });
        showEvaluation(await m.evaluate(), m.info.step);
        await run();
      },
      onProgress(p) {
        addPoint(points, { step: p.step, loss: p.loss, accuracy: p.accuracy });
        drawCurves();
        cells.step.textContent = fmt.int(p.step);
        cells.loss.textContent = fmt.loss(p.loss);
        cells.accuracy.textContent = fmt.percent(p.accuracy);
        summary.hidden = false;
        ctx.root.dataset.accuracy = p.accuracy.toFixed(4);
      },
      onState(s) {
        if (s === 'done' || s === 'paused') void run();
      },
      onReset() {
        model = undefined;
        points = [];
        curves?.update(points);
        charts.hidden = true;
        summary.hidden = true;
        matrixBox.hidden = true;
        tryIt.hidden = true;
        Object.values(cells).forEach((c) => (c.textContent = ''));
        matrix.replaceChildren();
        result.replaceChildren();
        unknown.textContent = '';
        delete ctx.root.dataset.accuracy;
        delete ctx.root.dataset.exactMatch;
        delete ctx.root.dataset.classified;
        if (ctx.figure) ctx.figure.hidden = false;
      },
    });
    onAsk(classify, input, () => void run());
    if (autostart) void trainer.start();
  },
};
