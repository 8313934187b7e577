/**
 * The DOM half of the heatmaps: an SVG (class `fig-svg`, so the static figures' colour classes
 * and type apply) and a visually hidden data table with the same numbers for screen readers.
 * Always left to right, also on right-to-left pages: axes of positions and dates read that way.
 * The data behind the drawing is kept on the element (`data-rows`, `data-cols`, `data-row-sums`)
 * so tests can check what is drawn.
 */
import { cellClass, heatmapLayout, labelChars, rowSums, tickEvery, type Scale } from './heatmap';

const SVG = 'http://www.w3.org/2000/svg';

export interface HeatmapData {
  rows: number;
  cols: number;
  /** Row-major [rows, cols]. */
  values: ArrayLike<number>;
  rowLabels: string[];
  colLabels: string[];
  scale: Scale;
  /** Symmetric range of a signed scale (default: 1). */
  max?: number;
  /** A row drawn with an outline (the decoder's current step). */
  highlightRow?: number;
  /** Rows after this one are drawn empty (steps not yet decoded). */
  visibleRows?: number;
}

export interface HeatmapText {
  /** Accessible name of the drawing and caption of the table. */
  title: string;
  rowHeader: string;
  colHeader: string;
  format(v: number): string;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/**
 * What a drawn heatmap keeps, so the next snapshot of the same shape updates classes and
 * numbers in place: a figure redraws several times a second while it trains, and rebuilding a
 * few hundred SVG nodes each time was a main-thread task of 40-70 ms on a loaded 2-core machine
 * (a phone is slower still).
 */
interface Drawn {
  key: string;
  svg: SVGSVGElement;
  rowLabels: SVGTextElement[];
  rects: SVGRectElement[];
  nums: SVGTextElement[];
  now: SVGRectElement | null;
  caption: HTMLTableCaptionElement;
  rowHeads: HTMLTableCellElement[];
  tds: HTMLTableCellElement[];
}

const drawn = new WeakMap<HTMLElement, Drawn>();

function setClass(e: Element, cls: string): void {
  if (e.getAttribute('class') !== cls) e.setAttribute('class', cls);
}

function setText(e: Node, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** Replace the contents of `host` with the heatmap of `d` (in place when its shape is unchanged). */
export function renderHeatmap(host: HTMLElement, d: HeatmapData, text: HeatmapText, width = 520): void {
  // Lay out at the width the host really has, so labels and numbers keep their size on phones.
  const room = host.clientWidth > 0 ? Math.min(width, host.clientWidth) : width;
  const L = heatmapLayout({ rows: d.rows, cols: d.cols, width: room, rowLabelChars: labelChars(d.rowLabels), colLabelChars: labelChars(d.colLabels) });
  const visible = d.visibleRows ?? d.rows;
  const key = JSON.stringify([L, visible, d.scale, d.colLabels, d.highlightRow === undefined]);
  let view = drawn.get(host);
  if (!view || view.key !== key || view.svg.parentNode !== host) {
    view = build(host, d, L, visible, key);
    drawn.set(host, view);
  }
  const rowTick = tickEvery(L.cell, 14);
  view.svg.setAttribute('aria-label', text.title);
  setText(view.caption, text.title);
  view.rowLabels.forEach((t, i) => setText(t, d.rowLabels[i * rowTick] ?? ''));
  for (let r = 0; r < visible; r++) {
    setText(view.rowHeads[r]!, d.rowLabels[r] ?? '');
    for (let c = 0; c < d.cols; c++) {
      const i = r * d.cols + c;
      const v = d.values[i]!;
      const { cls, strong } = cellClass(d.scale, v, d.max);
      setClass(view.rects[i]!, cls);
      const shown = text.format(v);
      const num = view.nums[i];
      if (num) {
        setClass(num, `f-num lf-hm-num${strong ? ' on-strong' : ''}`);
        setText(num, shown);
      }
      setText(view.tds[i]!, shown);
    }
  }
  if (view.now && d.highlightRow !== undefined) {
    const y = L.gridTop + d.highlightRow * L.cell - 1;
    view.now.setAttribute('y', String(y));
    view.now.style.display = d.highlightRow < d.rows ? '' : 'none';
  }
  host.dataset.rows = String(visible);
  host.dataset.cols = String(d.cols);
  host.dataset.rowSums = rowSums(d.values, visible, d.cols).map((s) => s.toFixed(4)).join(' ');
}

/** The nodes of a heatmap of this shape, with empty classes and texts that render then fills. */
function build(host: HTMLElement, d: HeatmapData, L: ReturnType<typeof heatmapLayout>, visible: number, key: string): Drawn {
  const svg = el('svg', { viewBox: `0 0 ${L.width} ${L.height}`, class: 'fig-svg lf-hm-svg', role: 'img' });
  svg.style.maxInlineSize = `${L.width}px`;
  // Horizontal labels need their own width between them; rotated ones only a line's height.
  const colTick = tickEvery(L.cell, L.rotateColLabels ? 14 : Math.max(16, labelChars(d.colLabels) * 8.5 + 4));
  const rowTick = tickEvery(L.cell, 14);

  d.colLabels.forEach((label, c) => {
    if (c % colTick) return;
    const x = L.gridLeft + c * L.cell + L.cell / 2;
    const t = el('text', L.rotateColLabels
      ? { x, y: L.gridTop - 6, class: 'f-lbl lf-hm-lbl', transform: `rotate(-90 ${x} ${L.gridTop - 6})`, 'dominant-baseline': 'central' }
      : { x, y: L.gridTop - 8, class: 'f-lbl lf-hm-lbl', 'text-anchor': 'middle' });
    t.textContent = label;
    svg.append(t);
  });
  const rowLabels: SVGTextElement[] = [];
  for (let r = 0; r < visible; r += rowTick) {
    // Rows not reached yet get no label: it would give the answer away.
    const t = el('text', { x: L.gridLeft - 6, y: L.gridTop + r * L.cell + L.cell / 2, class: 'f-lbl lf-hm-lbl', 'text-anchor': 'end', 'dominant-baseline': 'central' });
    rowLabels.push(t);
    svg.append(t);
  }

  const cells = el('g', { class: 'lf-hm-cells' });
  const rects: SVGRectElement[] = [];
  const nums: SVGTextElement[] = [];
  for (let r = 0; r < visible; r++) {
    for (let c = 0; c < d.cols; c++) {
      const x = L.gridLeft + c * L.cell;
      const y = L.gridTop + r * L.cell;
      const rect = el('rect', { x, y, width: L.cell, height: L.cell });
      rects.push(rect);
      cells.append(rect);
      if (L.showNumbers) {
        const t = el('text', { x: x + L.cell / 2, y: y + L.cell / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
        nums.push(t);
        cells.append(t);
      }
    }
  }
  svg.append(cells);
  svg.append(el('rect', { x: L.gridLeft, y: L.gridTop, width: L.cell * d.cols, height: L.cell * d.rows, class: 'lf-hm-frame' }));
  let now: SVGRectElement | null = null;
  if (d.highlightRow !== undefined) {
    now = el('rect', { x: L.gridLeft - 1, y: L.gridTop - 1, width: L.cell * d.cols + 2, height: L.cell + 2, class: 'lf-hm-now' });
    svg.append(now);
  }

  const table = document.createElement('table');
  table.className = 'lf-hm-table';
  const caption = table.createCaption();
  const head = table.createTHead().insertRow();
  const corner = document.createElement('td');
  head.append(corner);
  for (const label of d.colLabels) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const rowHeads: HTMLTableCellElement[] = [];
  const tds: HTMLTableCellElement[] = [];
  for (let r = 0; r < visible; r++) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    rowHeads.push(th);
    tr.append(th);
    for (let c = 0; c < d.cols; c++) tds.push(tr.insertCell());
  }

  host.dir = 'ltr';
  host.classList.add('lf-hm');
  // Hidden through a wrapper: a table never shrinks below its content's width, so hiding the
  // table itself would still push the page sideways on a phone.
  const hidden = document.createElement('div');
  hidden.className = 'visually-hidden';
  hidden.append(table);
  host.replaceChildren(svg, hidden);
  return { key, svg, rowLabels, rects, nums, now, caption, rowHeads, tds };
}
