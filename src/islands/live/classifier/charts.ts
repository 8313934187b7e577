/**
 * Loss and accuracy curves on uPlot (a small, well-kept canvas chart library, fetched with the
 * first training run, not with the page). The canvas is decoration for sighted readers: the
 * host has a text name and the island keeps a table of the latest values beside it. Colours
 * are the page's tokens, read again when the theme changes.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Formatters } from '../shared/format';
import { toColumns, type CurvePoint } from './confusion';

export interface CurveLabels {
  step: string;
  loss: string;
  accuracy: string;
  heldOut: string;
}

const token = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export class Curves {
  private readonly loss: uPlot;
  private readonly acc: uPlot;
  private readonly stop: Array<() => void> = [];

  constructor(lossHost: HTMLElement, accHost: HTMLElement, labels: CurveLabels, fmt: Formatters) {
    const width = (el: HTMLElement) => Math.max(220, Math.min(520, el.clientWidth || 300));
    const axis = (values: (v: number) => string): uPlot.Axis => ({
      stroke: () => token('--muted'),
      grid: { stroke: () => token('--border'), width: 1 },
      ticks: { stroke: () => token('--border'), width: 1 },
      values: (_u, splits) => splits.map(values),
      font: '12px system-ui, sans-serif',
    });
    const base = (el: HTMLElement): Omit<uPlot.Options, 'series' | 'axes' | 'scales'> => ({
      width: width(el),
      height: 170,
      legend: { show: false },
      cursor: { show: false },
    });
    this.loss = new uPlot({
      ...base(lossHost),
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(0.1, max * 1.05)] } },
      series: [{ label: labels.step }, { label: labels.loss, stroke: () => token('--cat-2'), width: 2 }],
      axes: [axis((v) => fmt.int(v)), axis((v) => fmt.loss(v))],
    }, [[], []], lossHost);
    this.acc = new uPlot({
      ...base(accHost),
      scales: { x: { time: false }, y: { range: [0, 1] } },
      series: [
        { label: labels.step },
        { label: labels.accuracy, stroke: () => token('--cat-1'), width: 2 },
        { label: labels.heldOut, stroke: () => token('--cat-3'), width: 2, dash: [6, 4], spanGaps: true, points: { show: true, size: 5 } },
      ],
      axes: [axis((v) => fmt.int(v)), axis((v) => fmt.percent(v))],
    }, [[], [], []], accHost);

    const redraw = () => [this.loss, this.acc].forEach((u) => u.redraw(false, true));
    const mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', redraw);
    const mo = new MutationObserver(redraw);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const ro = new ResizeObserver(() => {
      this.loss.setSize({ width: width(lossHost), height: 170 });
      this.acc.setSize({ width: width(accHost), height: 170 });
    });
    ro.observe(lossHost.parentElement ?? lossHost);
    this.stop.push(() => mq.removeEventListener('change', redraw), () => mo.disconnect(), () => ro.disconnect());
  }

  update(points: CurvePoint[]): void {
    const [x, loss, acc, held] = toColumns(points);
    this.loss.setData([x, loss]);
    this.acc.setData([x, acc, held] as uPlot.AlignedData);
  }

  destroy(): void {
    this.stop.forEach((f) => f());
    this.loss.destroy();
    this.acc.destroy();
  }
}
