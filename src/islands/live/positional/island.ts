/**
 * Positional-encoding explorer: the sinusoidal table (plain TypeScript, no model, no tfjs) or the
 * learned table of a small transformer trained here on the date task, as a heatmap over
 * positions × dimensions, with the cosine similarity between positions. The reader changes the
 * number of positions and dimensions. The note under the heatmaps always says which table is
 * shown: the formula, a learned table before training (random), or after N steps.
 */
import { sinusoidalTable } from '../../../engine/sinusoid';
import type { ModelHandle, ModelOptions, PositionalTable } from '../../../worker/client';
import type { IslandContext, IslandModule } from '../shared/context';
import { h } from '../shared/dom';
import { maxAbs } from '../shared/heatmap';
import { renderHeatmap } from '../shared/heatmap-view';
import { errorMessage } from '../shared/messages';
import { Panel, type FieldSpec, type Settings } from '../shared/panel';
import { cosineSimilarity } from '../shared/similarity';
import { engine, Trainer } from '../shared/trainer';

const FIELDS: FieldSpec[] = [
  { name: 'seed', kind: 'number', min: 1, max: 9999, value: 1 },
  { name: 'steps', kind: 'number', min: 10, max: 3000, step: 10, value: 200 },
  { name: 'dModel', kind: 'select', options: [{ value: 16 }, { value: 32 }, { value: 64 }], value: 32 },
];
const DIMS = [8, 16, 32, 64, 128];

export const island: IslandModule = {
  mount(ctx: IslandContext, { autostart }) {
    const { t, fmt } = ctx;
    const panel = new Panel(ctx, FIELDS, Trainer.savedSettings(ctx));
    const uid = `lf-pos-${ctx.locale}`;
    const radio = (value: string, checked: boolean) => {
      const r = h('input', { type: 'radio', name: `${uid}-kind`, value, id: `${uid}-${value}` });
      r.checked = checked;
      return h('label', { class: 'lf-choice', for: r.id }, r, ' ', t(`positional.${value}`));
    };
    const kind = h('fieldset', { class: 'lf-kind' }, h('legend', {}, t('positional.kind')), radio('sinusoidal', true), radio('learned', false));
    const length = h('input', { type: 'range', min: '4', max: '64', value: '24', id: `${uid}-len`, dir: 'ltr' });
    const lengthOut = h('output', { for: length.id, dir: 'ltr' });
    const dims = h('select', { id: `${uid}-dim` }, ...DIMS.map((d) => h('option', { value: String(d) }, fmt.int(d))));
    dims.value = '32';
    const note = h('p', { class: 'lf-note', 'data-positional-note': '' });
    const table = h('div', { class: 'lf-map', 'data-heatmap': 'positional' });
    const sim = h('div', { class: 'lf-map', 'data-heatmap': 'similarity' });
    panel.body.append(
      kind,
      h('div', { class: 'lf-row' }, h('label', { for: length.id }, t('positional.length')), length, lengthOut),
      h('div', { class: 'lf-row' }, h('label', { for: dims.id }, t('positional.dims')), dims),
      note,
      h('h4', { class: 'lf-subhead' }, t('positional.tableHead')), table,
      h('h4', { class: 'lf-subhead' }, t('positional.simHead')), sim,
    );
    ctx.mount.append(panel.el);

    let model: ModelHandle | undefined;
    let trainedStep = 0;
    let learnedMax = 64;
    let busy = false;
    const selected = () => (kind.querySelector<HTMLInputElement>('input:checked')?.value ?? 'sinusoidal') as 'sinusoidal' | 'learned';

    const draw = (tbl: PositionalTable, noteText: string) => {
      const pos = Array.from({ length: tbl.rows }, (_, i) => fmt.int(i));
      const dimLabels = Array.from({ length: tbl.cols }, (_, i) => fmt.int(i));
      renderHeatmap(table, { rows: tbl.rows, cols: tbl.cols, values: tbl.data, rowLabels: pos, colLabels: dimLabels, scale: 'signed', max: maxAbs(tbl.data) }, {
        title: t('positional.tableTitle', { rows: fmt.int(tbl.rows), cols: fmt.int(tbl.cols) }),
        rowHeader: t('positional.axisPos'), colHeader: t('positional.axisDim'), format: fmt.signed,
      });
      renderHeatmap(sim, { rows: tbl.rows, cols: tbl.rows, values: cosineSimilarity(tbl.data, tbl.rows, tbl.cols), rowLabels: pos, colLabels: pos, scale: 'signed' }, {
        title: t('positional.simTitle', { rows: fmt.int(tbl.rows) }),
        rowHeader: t('positional.axisPos'), colHeader: t('positional.axisPos'), format: fmt.signed,
      }, 420);
      note.textContent = noteText;
      ctx.root.dataset.table = tbl.kind;
    };

    const update = async () => {
      const n = Number(length.value);
      const learned = selected() === 'learned';
      dims.disabled = learned;
      if (!learned) {
        length.max = '64';
        lengthOut.textContent = fmt.int(n);
        const d = Number(dims.value);
        draw({ kind: 'sinusoidal', rows: n, cols: d, data: sinusoidalTable(n, d) }, t('positional.noteSinusoidal'));
        return;
      }
      length.max = String(learnedMax);
      const m = Math.min(n, learnedMax);
      lengthOut.textContent = fmt.int(m);
      if (!model) {
        note.textContent = t('positional.trainToSee');
        table.replaceChildren();
        sim.replaceChildren();
        delete ctx.root.dataset.table;
        return;
      }
      if (busy) return;
      busy = true;
      try {
        const tbl = await readLearned(model, m);
        draw(tbl, trainedStep > 0 ? t('positional.noteTrained', { step: fmt.int(trainedStep) }) : t('positional.noteUntrained'));
      } catch (e) {
        panel.showError(errorMessage(t, e));
      } finally {
        busy = false;
      }
    };

    const options = (s: Settings): ModelOptions => ({
      task: { task: 'dates', locale: ctx.locale, tokenizer: 'char' },
      model: { kind: 'seq2seq', dModel: Number(s.dModel), heads: 2, ffn: 2 * Number(s.dModel), positional: 'learned' },
      train: { batchSize: 32, learningRate: 5e-3 },
      seed: Number(s.seed),
    });
    /**
     * The learned table. Workaround: on the cpu and wasm backends the worker's `positional` reply
     * transfers a buffer tfjs still uses for the weights (a contiguous slice is a view), which
     * breaks further training. There, read it from a copy of the model restored from a checkpoint.
     */
    const readLearned = async (m: ModelHandle, n: number): Promise<PositionalTable> => {
      if (m.info.backend === 'webgl' || m.info.backend === 'webgpu') return m.positional(n);
      const key = `${trainer.key}:reader`;
      await m.save(key);
      const reader = await (await engine()).create(options(panel.settings()), { restore: key, modelId: `${ctx.id}-reader` });
      try {
        return await reader.positional(n);
      } finally {
        await reader.dispose();
      }
    };

    const trainer = new Trainer({
      ctx, panel,
      totalSteps: (s) => Number(s.steps),
      modelOptions: options,
      trainOptions: { reportEvery: 10 },
      async onModel(m, step) {
        model = m;
        trainedStep = step;
        learnedMax = m.info.maxInput;
        const learned = kind.querySelector<HTMLInputElement>('input[value="learned"]')!;
        learned.checked = true;
        await update();
      },
      onProgress(p) {
        trainedStep = p.step;
        ctx.root.dataset.accuracy = p.accuracy.toFixed(4);
        if (p.step % 20 === 0 && selected() === 'learned') void update();
      },
      onState(s) {
        if (s === 'done' || s === 'paused') void update();
      },
      onReset() {
        model = undefined;
        trainedStep = 0;
        delete ctx.root.dataset.accuracy;
        void update();
      },
    });
    kind.addEventListener('change', () => void update());
    length.addEventListener('input', () => void update());
    dims.addEventListener('change', () => void update());
    void update();
    if (autostart) void trainer.start();
  },
};
