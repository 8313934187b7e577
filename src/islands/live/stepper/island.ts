/**
 * Encoder-decoder attention, step by step: a small transformer encoder-decoder learns the date
 * task in the page's language, then decodes a date one token at a time. Play, pause, step back
 * and forward; each step shows the token written, the model's top guesses, and the
 * cross-attention row of that step (one head or their mean) over the input tokens.
 */
import type { DecodeResult, ModelHandle } from '../../../worker/client';
import type { IslandContext, IslandModule } from '../shared/context';
import { sampleDates } from '../shared/dates';
import { h, ltr, onAsk } from '../shared/dom';
import { headSlice } from '../shared/heatmap';
import { renderHeatmap } from '../shared/heatmap-view';
import { Panel, type FieldSpec } from '../shared/panel';
import { Trainer } from '../shared/trainer';

const FIELDS: FieldSpec[] = [
  { name: 'seed', kind: 'number', min: 1, max: 9999, value: 1 },
  { name: 'steps', kind: 'number', min: 10, max: 3000, step: 10, value: 200 },
  { name: 'dModel', kind: 'select', options: [{ value: 16 }, { value: 32 }, { value: 64 }], value: 32 },
  { name: 'heads', kind: 'select', options: [{ value: 1 }, { value: 2 }, { value: 4 }], value: 2 },
];
const PLAY_MS = 900;

export const island: IslandModule = {
  mount(ctx: IslandContext, { autostart }) {
    const { t, fmt } = ctx;
    const panel = new Panel(ctx, FIELDS, Trainer.savedSettings(ctx));
    const uid = `lf-step-${ctx.locale}`;
    const samples = sampleDates(ctx.locale);
    const input = h('input', { type: 'text', id: `${uid}-in`, list: `${uid}-list`, value: samples[0]!, autocomplete: 'off', class: 'lf-text' });
    const list = h('datalist', { id: `${uid}-list` }, ...samples.map((s) => h('option', { value: s })));
    const decodeBtn = h('button', { type: 'button', class: 'lf-btn' }, t('stepper.decode'));
    const back = h('button', { type: 'button', class: 'lf-btn', 'data-step': 'back' }, t('stepper.back'));
    const play = h('button', { type: 'button', class: 'lf-btn lf-primary', 'data-step': 'play', 'aria-pressed': 'false' }, t('stepper.play'));
    const forward = h('button', { type: 'button', class: 'lf-btn', 'data-step': 'forward' }, t('stepper.forward'));
    const head = h('select', { id: `${uid}-head` });
    const stepLabel = h('p', { class: 'lf-step-label', 'data-stepper-label': '' });
    const written = h('p', { class: 'lf-output' });
    const guesses = h('p', { class: 'lf-guesses' });
    const map = h('div', { class: 'lf-map', 'data-heatmap': 'cross' });
    const transport = h('div', { class: 'lf-row lf-transport', role: 'group', 'aria-label': t('stepper.playback') }, back, play, forward,
      h('span', { class: 'lf-inline' }, h('label', { for: head.id }, t('stepper.head')), head));
    panel.body.append(
      h('div', { class: 'lf-row' }, h('label', { for: input.id }, t('stepper.input')), input, list, decodeBtn),
      transport, stepLabel, written, guesses, map,
    );
    ctx.mount.append(panel.el);

    let model: ModelHandle | undefined;
    let result: DecodeResult | undefined;
    let at = 0; // output step shown, 0-based
    let timer: ReturnType<typeof setInterval> | undefined;
    const setEnabled = () => {
      const n = result ? result.steps.length : 0;
      back.disabled = !result || at <= 0;
      forward.disabled = !result || at >= n - 1;
      play.disabled = !result;
      head.disabled = !result;
    };
    const stop = () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      play.textContent = t('stepper.play');
      play.setAttribute('aria-pressed', 'false');
    };
    const show = () => {
      setEnabled();
      if (!result) {
        stepLabel.textContent = t('stepper.trainFirst');
        written.textContent = '';
        guesses.textContent = '';
        map.replaceChildren();
        return;
      }
      const last = lastDecoder(result);
      const cross = result.attention.find((a) => a.name === `dec${last}.cross`)!;
      const n = result.steps.length;
      const outTokens = [...result.outputTokens, t('stepper.end')];
      const token = outTokens[at] ?? '';
      stepLabel.replaceChildren(t('stepper.step', { n: fmt.int(at + 1), total: fmt.int(n) }));
      written.replaceChildren(t('stepper.written'), ' ', ltr(result.outputTokens.slice(0, at + 1).join('') || '—'));
      guesses.replaceChildren(t('stepper.guesses', { token }), ' ',
        ltr(result.steps[at]!.slice(0, 3).map((g) => `${g.token} (${fmt.percent(g.p)})`).join(' · ')));
      const which = head.value === 'mean' ? 'mean' : Number(head.value);
      renderHeatmap(map, {
        rows: cross.rows, cols: cross.cols, values: headSlice(cross.data, cross.heads, cross.rows, cross.cols, which),
        rowLabels: outTokens.slice(0, cross.rows), colLabels: cross.colTokens, scale: 'weight', highlightRow: at, visibleRows: at + 1,
      }, {
        title: t('stepper.title', { n: fmt.int(at + 1), token }), rowHeader: t('axis.output'), colHeader: t('axis.input'), format: fmt.weight,
      });
      ctx.root.dataset.stepperAt = String(at);
      if (ctx.figure) ctx.figure.hidden = true;
    };
    const go = (i: number) => {
      if (!result) return;
      at = Math.max(0, Math.min(result.steps.length - 1, i));
      show();
    };
    const decode = panel.query(async () => {
      if (!model) return;
      const [r] = await model.decode([input.value.trim()]);
      result = r;
      if (r) {
        const heads = r.attention.find((a) => a.name.endsWith('.cross'))?.heads ?? 1;
        const keep = head.value;
        head.replaceChildren(h('option', { value: 'mean' }, t('stepper.headMean')),
          ...Array.from({ length: heads }, (_, i) => h('option', { value: String(i) }, t('stepper.headN', { n: fmt.int(i + 1) }))));
        if ([...head.options].some((o) => o.value === keep)) head.value = keep;
        at = Math.min(at, r.steps.length - 1);
      }
      panel.showError(null);
      show();
    });

    back.addEventListener('click', () => (stop(), go(at - 1)));
    forward.addEventListener('click', () => (stop(), go(at + 1)));
    play.addEventListener('click', () => {
      if (timer) return stop();
      if (!result) return;
      if (at >= result.steps.length - 1) go(0);
      play.textContent = t('pause');
      play.setAttribute('aria-pressed', 'true');
      timer = setInterval(() => {
        if (!result || at >= result.steps.length - 1) return stop();
        go(at + 1);
      }, PLAY_MS);
    });
    head.addEventListener('change', show);
    onAsk(decodeBtn, input, () => void decode());

    const trainer = new Trainer({
      ctx, panel,
      totalSteps: (s) => Number(s.steps),
      modelOptions: (s) => ({
        task: { task: 'dates', locale: ctx.locale, tokenizer: 'word' },
        model: { kind: 'seq2seq', dModel: Number(s.dModel), heads: Number(s.heads), ffn: 2 * Number(s.dModel) },
        train: { batchSize: 32, learningRate: 5e-3 },
        seed: Number(s.seed),
      }),
      trainOptions: { reportEvery: 5, snapshotEvery: 25, evaluateEvery: 50 },
      async onModel(m) {
        model = m;
        m.on('snapshot', () => void decode());
        m.on('evaluation', (e) => (ctx.root.dataset.exactMatch = String(e.evaluation.exactMatch)));
        await decode();
      },
      onProgress(p) {
        ctx.root.dataset.accuracy = p.accuracy.toFixed(4);
      },
      onState(s) {
        if (s === 'done' || s === 'paused') void decode();
      },
      onReset() {
        stop();
        model = undefined;
        result = undefined;
        at = 0;
        delete ctx.root.dataset.accuracy;
        show();
        if (ctx.figure) ctx.figure.hidden = false;
      },
    });
    show();
    if (autostart) void trainer.start();
  },
};

/** The last decoder layer's cross-attention is the one that decides the next token. */
function lastDecoder(r: DecodeResult): number {
  return Math.max(0, ...r.attention.filter((a) => a.name.endsWith('.cross')).map((a) => Number(a.name.slice(3, a.name.indexOf('.')))));
}
