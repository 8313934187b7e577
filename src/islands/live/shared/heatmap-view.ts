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

/** Replace the contents of `host` with the heatmap of `d`. */
export function renderHeatmap(host: HTMLElement, d: HeatmapData, text: HeatmapText, width = 520): void {
  // Lay out at the width the host really has, so labels and numbers keep their size on phones.
  const room = host.clientWidth > 0 ? Math.min(width, host.clientWidth) : width;
  const L = heatmapLayout({ rows: d.rows, cols: d.cols, width: room, rowLabelChars: labelChars(d.rowLabels), colLabelChars: labelChars(d.colLabels) });
  const visible = d.visibleRows ?? d.rows;
  const svg = el('svg', { viewBox: `0 0 ${L.width} ${L.height}`, class: 'fig-svg lf-hm-svg', role: 'img', 'aria-label': text.title });
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
  d.rowLabels.forEach((label, r) => {
    if (r % rowTick || r >= visible) return; // rows not reached yet would give the answer away
    const t = el('text', { x: L.gridLeft - 6, y: L.gridTop + r * L.cell + L.cell / 2, class: 'f-lbl lf-hm-lbl', 'text-anchor': 'end', 'dominant-baseline': 'central' });
    t.textContent = label;
    svg.append(t);
  });

  const cells = el('g', { class: 'lf-hm-cells' });
  for (let r = 0; r < visible; r++) {
    for (let c = 0; c < d.cols; c++) {
      const v = d.values[r * d.cols + c]!;
      const { cls, strong } = cellClass(d.scale, v, d.max);
      const x = L.gridLeft + c * L.cell;
      const y = L.gridTop + r * L.cell;
      cells.append(el('rect', { x, y, width: L.cell, height: L.cell, class: cls }));
      if (L.showNumbers) {
        const t = el('text', { x: x + L.cell / 2, y: y + L.cell / 2, class: `f-num lf-hm-num${strong ? ' on-strong' : ''}`, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
        t.textContent = text.format(v);
        cells.append(t);
      }
    }
  }
  svg.append(cells);
  svg.append(el('rect', { x: L.gridLeft, y: L.gridTop, width: L.cell * d.cols, height: L.cell * d.rows, class: 'lf-hm-frame' }));
  if (d.highlightRow !== undefined && d.highlightRow < d.rows) {
    svg.append(el('rect', { x: L.gridLeft - 1, y: L.gridTop + d.highlightRow * L.cell - 1, width: L.cell * d.cols + 2, height: L.cell + 2, class: 'lf-hm-now' }));
  }

  const table = document.createElement('table');
  table.className = 'lf-hm-table';
  const cap = table.createCaption();
  cap.textContent = text.title;
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
  for (let r = 0; r < visible; r++) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = d.rowLabels[r] ?? '';
    tr.append(th);
    for (let c = 0; c < d.cols; c++) tr.insertCell().textContent = text.format(d.values[r * d.cols + c]!);
  }

  host.dir = 'ltr';
  host.classList.add('lf-hm');
  host.dataset.rows = String(visible);
  host.dataset.cols = String(d.cols);
  host.dataset.rowSums = rowSums(d.values, visible, d.cols).map((s) => s.toFixed(4)).join(' ');
  // Hidden through a wrapper: a table never shrinks below its content's width, so hiding the
  // table itself would still push the page sideways on a phone.
  const hidden = document.createElement('div');
  hidden.className = 'visually-hidden';
  hidden.append(table);
  host.replaceChildren(svg, hidden);
}
