/**
 * Loss and accuracy curves while a figure trains, drawn by uPlot: a small (≈20 KB gz), well-kept
 * canvas charting library that appends thousands of points without redrawing the DOM, which a
 * hand-written SVG line chart would do on every report. Loaded with the first progress report,
 * never before. Colours come from the tokens (re-read when the theme changes); the accuracy line
 * is dashed so the two series differ without colour. The canvas is hidden from screen readers:
 * the panel's metrics line and the polite milestones carry the same numbers in text.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { IslandContext } from './context';

export class Curve {
  private readonly steps: number[] = [];
  private readonly loss: number[] = [];
  private readonly acc: number[] = [];
  private plot?: uPlot;
  private frame = 0;
  private readonly host: HTMLElement;

  constructor(private readonly ctx: IslandContext, parent: HTMLElement) {
    this.host = document.createElement('div');
    this.host.className = 'lf-curve';
    this.host.dir = 'ltr';
    this.host.setAttribute('aria-hidden', 'true');
    parent.append(this.host);
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(parent);
    // The theme toggle sets <html data-theme>; the system theme changes the media query.
    new MutationObserver(() => this.rebuild()).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.rebuild());
  }

  private size() {
    return { width: Math.max(240, Math.min(560, this.host.parentElement!.clientWidth)), height: 150 };
  }

  private rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.draw();
  }

  private create(): uPlot {
    const css = getComputedStyle(this.ctx.root);
    const v = (name: string) => css.getPropertyValue(name).trim();
    const { t, fmt } = this.ctx;
    const axis = { stroke: v('--muted'), grid: { stroke: v('--surface-2'), width: 1 }, ticks: { stroke: v('--border'), width: 1 }, font: '12px system-ui, sans-serif' };
    return new uPlot({
      ...this.size(),
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: false }, acc: { range: [0, 1] } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((x) => fmt.int(x)) },
        { ...axis, scale: 'loss', values: (_u, ticks) => ticks.map((x) => fmt.loss(x)), size: 44 },
        { ...axis, scale: 'acc', side: 1, grid: { show: false }, values: (_u, ticks) => ticks.map((x) => fmt.percent(x)), size: 48 },
      ],
      series: [
        { label: t('curve.step') },
        { label: t('curve.loss'), scale: 'loss', stroke: v('--cat-1'), width: 2 },
        { label: t('curve.accuracy'), scale: 'acc', stroke: v('--cat-2'), width: 2, dash: [6, 4] },
      ],
    }, [this.steps, this.loss, this.acc], this.host);
  }

  private draw(): void {
    if (!this.steps.length) return;
    this.plot ??= this.create();
    this.plot.setData([this.steps, this.loss, this.acc]);
  }

  add(step: number, loss: number, accuracy: number): void {
    this.steps.push(step);
    this.loss.push(loss);
    this.acc.push(accuracy);
    // At most one redraw per frame, whatever the report rate.
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  clear(): void {
    this.steps.length = this.loss.length = this.acc.length = 0;
    this.plot?.destroy();
    this.plot = undefined;
  }
}
