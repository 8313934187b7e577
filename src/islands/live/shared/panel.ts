/**
 * The control panel every training island shares: start/pause/resume and reset, the settings a
 * learner may change, a progress bar with step count, speed and time left, the backend badge, an
 * error box and a polite live region. Plain DOM; all text comes from `ctx.t`.
 */
import type { IslandContext } from './context';
import { latestQuery } from './latest';
import { errorMessage } from './messages';
import { fractionDone, secondsLeft } from './progress';

/** One setting: a number field or a choice. Labels are `island.field.<name>`. */
export type FieldSpec =
  | { name: string; kind: 'number'; min: number; max: number; step?: number; value: number }
  | { name: string; kind: 'select'; options: Array<{ value: number | string; label?: string }>; value: number | string };

export type Settings = Record<string, number | string>;

let uid = 0;

function button(text: string, cls: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `lf-btn ${cls}`;
  b.textContent = text;
  return b;
}

export class Panel {
  readonly el: HTMLElement;
  readonly primary: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly body: HTMLElement;
  readonly status: HTMLElement;
  /** Where the Trainer draws the loss/accuracy curves (uPlot), once training reports. */
  readonly chart: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly progressText: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly error: HTMLElement;
  private readonly live: HTMLElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();

  constructor(private readonly ctx: IslandContext, fields: FieldSpec[], saved: Settings = {}) {
    const { t, fmt } = ctx;
    const id = `lf${++uid}`;
    this.el = document.createElement('div');
    this.el.className = 'lf-panel';

    const bar = document.createElement('div');
    bar.className = 'lf-bar';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', t('controls'));
    this.primary = button(t('start'), 'lf-primary');
    this.reset = button(t('reset'), 'lf-reset');
    this.reset.disabled = true;
    this.badge = document.createElement('span');
    this.badge.className = 'lf-badge';
    this.badge.dataset.backend = '';
    bar.append(this.primary, this.reset, this.badge);

    const settings = document.createElement('fieldset');
    settings.className = 'lf-settings';
    const legend = document.createElement('legend');
    legend.textContent = t('settings');
    settings.append(legend);
    for (const f of fields) {
      const wrap = document.createElement('label');
      wrap.className = 'lf-field';
      const name = document.createElement('span');
      name.textContent = t(`field.${f.name}`);
      let input: HTMLInputElement | HTMLSelectElement;
      const value = saved[f.name] ?? f.value;
      if (f.kind === 'number') {
        const i = document.createElement('input');
        Object.assign(i, { type: 'number', min: String(f.min), max: String(f.max), step: String(f.step ?? 1), value: String(value) });
        i.dir = 'ltr';
        input = i;
      } else {
        const s = document.createElement('select');
        for (const o of f.options) {
          const opt = document.createElement('option');
          opt.value = String(o.value);
          opt.textContent = o.label ?? (typeof o.value === 'number' ? fmt.loss(o.value) : o.value);
          s.append(opt);
        }
        s.value = String(value);
        input = s;
      }
      input.name = f.name;
      input.id = `${id}-${f.name}`;
      this.inputs.set(f.name, input);
      wrap.append(name, input);
      settings.append(wrap);
    }

    const progress = document.createElement('div');
    progress.className = 'lf-progress';
    this.bar = document.createElement('progress');
    this.bar.max = 1;
    this.bar.value = 0;
    this.bar.id = `${id}-bar`;
    this.bar.setAttribute('aria-label', t('progressLabel'));
    this.progressText = document.createElement('span');
    this.progressText.className = 'lf-progress-text';
    progress.append(this.bar, this.progressText);

    this.metrics = document.createElement('p');
    this.metrics.className = 'lf-metrics';
    this.status = document.createElement('p');
    this.status.className = 'lf-status';
    this.error = document.createElement('p');
    this.error.className = 'lf-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.live = document.createElement('p');
    this.live.className = 'visually-hidden';
    this.live.setAttribute('aria-live', 'polite');
    this.chart = document.createElement('div');
    this.chart.className = 'lf-chart';
    this.body = document.createElement('div');
    this.body.className = 'lf-body';
    this.el.append(bar, settings, progress, this.metrics, this.chart, this.status, this.error, this.body, this.live);
    if (!fields.length) settings.hidden = true;
  }

  /** The settings as typed, numbers as numbers, clamped to their fields' ranges. */
  settings(): Settings {
    const out: Settings = {};
    for (const [name, input] of this.inputs) {
      if (input instanceof HTMLInputElement) {
        const n = Number(input.value);
        const lo = Number(input.min);
        const hi = Number(input.max);
        out[name] = Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
      } else {
        const n = Number(input.value);
        out[name] = input.value !== '' && Number.isFinite(n) ? n : input.value;
      }
    }
    return out;
  }

  lockSettings(locked: boolean): void {
    for (const input of this.inputs.values()) input.disabled = locked;
  }

  setBadge(label: string, fallback: boolean, backend: string): void {
    this.badge.textContent = label;
    this.badge.dataset.backend = backend;
    this.badge.classList.toggle('lf-badge-fallback', fallback);
  }

  setProgress(step: number, total: number, rate?: number): void {
    const { t, fmt } = this.ctx;
    this.bar.value = fractionDone(step, total);
    const parts = [t('progress', { step: fmt.int(step), total: fmt.int(total) })];
    if (rate && rate > 0) {
      parts.push(t('speed', { rate: fmt.rate(rate) }));
      const left = secondsLeft(step, total, rate);
      if (left !== undefined && step < total) parts.push(t('eta', { time: fmt.duration(left) }));
    }
    this.progressText.textContent = parts.join(' · ');
    this.el.dataset.step = String(step);
  }

  setMetrics(text: string): void {
    this.metrics.textContent = text;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  showError(text: string | null): void {
    this.error.hidden = !text;
    this.error.textContent = text ?? '';
  }

  /**
   * A request the reader makes of the model (show, predict, decode): one at a time, the newest
   * one kept (latestQuery), and an error it throws shown in the error line.
   */
  query<A extends unknown[]>(run: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
    return latestQuery(async (...args: A) => {
      try {
        await run(...args);
      } catch (e) {
        this.showError(errorMessage(this.ctx.t, e));
      }
    });
  }

  /** Polite announcement; callers announce start, quarters and the end only. */
  announce(text: string): void {
    this.live.textContent = text;
  }
}
