import type { Display } from '../../playground/protocol';

/**
 * Draws show.line / show.heatmap / show.table from plain data, on the main thread, as SVG and
 * HTML tables. Colours are token variables (theme-aware); every chart has a text alternative:
 * a heatmap's numbers are also a (visually collapsed) data table, a line chart's summary is its
 * accessible name. Pure DOM building; no learner string is ever parsed as HTML.
 */
const SVG = 'http://www.w3.org/2000/svg';
type S = (key: string, params?: Record<string, string | number>) => string;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.01) ? v.toExponential(2) : v.toFixed(3)) : String(v));

function table(head: string[], rows: string[][], caption?: string, rowHeads = false): HTMLTableElement {
  const t = el('table', undefined, 'pg-table');
  if (caption) t.append(el('caption', caption));
  if (head.length) {
    const tr = el('tr');
    head.forEach((h) => {
      // The corner above row headings has no heading of its own: a plain cell, not an empty <th>.
      if (!h) return void tr.append(el('td'));
      const th = el('th', h);
      th.scope = 'col';
      tr.append(th);
    });
    t.appendChild(el('thead')).append(tr);
  }
  const body = t.appendChild(el('tbody'));
  for (const r of rows) {
    const tr = body.appendChild(el('tr'));
    r.forEach((c, i) => {
      const cell = rowHeads && i === 0 ? el('th', c) : el('td', c);
      if (cell instanceof HTMLTableCellElement && rowHeads && i === 0) (cell as HTMLTableCellElement).scope = 'row';
      tr.append(cell);
    });
  }
  return t;
}

function line(d: Extract<Display, { kind: 'line' }>, s: S): HTMLElement {
  const fig = el('figure', undefined, 'pg-chart');
  const W = 480, H = 200, P = 36;
  const all = d.series.flatMap((x) => x.values).filter(Number.isFinite);
  const lo = Math.min(...all, 0 < Math.min(...all) ? Math.min(...all) : Infinity);
  const hi = Math.max(...all);
  const n = Math.max(...d.series.map((x) => x.values.length), 2);
  const sx = (i: number) => P + (i / (n - 1)) * (W - P - 8);
  const sy = (v: number) => H - P + 8 - ((v - lo) / (hi - lo || 1)) * (H - P - 8);
  const summary = d.series
    .map((x) => s('playground.show.lineSummary', { name: x.name || '—', count: x.values.length, first: fmt(x.values[0] ?? NaN), last: fmt(x.values.at(-1) ?? NaN) }))
    .join(' ');
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${d.title ? `${d.title}. ` : ''}${summary}`, class: 'pg-svg' });
  root.append(svg('line', { x1: P, y1: H - P + 8, x2: W - 8, y2: H - P + 8, class: 'pg-axis' }), svg('line', { x1: P, y1: 8, x2: P, y2: H - P + 8, class: 'pg-axis' }));
  for (const [v, y] of [[hi, sy(hi)], [lo, sy(lo)]] as const) {
    const t = svg('text', { x: P - 4, y: y + 4, 'text-anchor': 'end', class: 'pg-tick' });
    t.textContent = fmt(v);
    root.append(t);
  }
  const last = svg('text', { x: W - 8, y: H - 6, 'text-anchor': 'end', class: 'pg-tick' });
  last.textContent = String(n - 1);
  root.append(last);
  d.series.forEach((x, k) => {
    const pts = x.values.map((v, i) => `${sx(i).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points: pts, fill: 'none', stroke: `var(--cat-${(k % 5) + 1})`, 'stroke-width': 2 }));
  });
  fig.append(root);
  if (d.title || d.series.some((x) => x.name)) {
    const cap = el('figcaption');
    if (d.title) cap.append(el('strong', d.title), ' ');
    d.series.forEach((x, k) => {
      if (!x.name) return;
      const key = el('span', x.name, 'pg-key');
      key.style.setProperty('--key', `var(--cat-${(k % 5) + 1})`);
      cap.append(key, ' ');
    });
    fig.append(cap);
  }
  return fig;
}

function heatmap(d: Extract<Display, { kind: 'heatmap' }>, s: S): HTMLElement {
  const fig = el('figure', undefined, 'pg-chart');
  const R = d.rows.length, C = Math.max(...d.rows.map((r) => r.length), 1);
  const all = d.rows.flat().filter(Number.isFinite);
  const lo = Math.min(...all), hi = Math.max(...all);
  const cell = Math.max(10, Math.min(36, Math.floor(420 / C)));
  const L = d.rowLabels.length ? 72 : 4, T = d.colLabels.length ? 64 : 4;
  const root = svg('svg', { viewBox: `0 0 ${L + C * cell + 4} ${T + R * cell + 4}`, 'aria-hidden': 'true', class: 'pg-svg pg-heat' });
  d.rows.forEach((r, i) =>
    r.forEach((v, j) => {
      const a = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      const rect = svg('rect', { x: L + j * cell, y: T + i * cell, width: cell - 1, height: cell - 1, fill: 'var(--cat-1)', 'fill-opacity': (0.05 + 0.95 * a).toFixed(3) });
      const tip = svg('title', {});
      tip.textContent = `${d.rowLabels[i] ?? i} → ${d.colLabels[j] ?? j}: ${fmt(v)}`;
      rect.append(tip);
      root.append(rect);
    }),
  );
  d.rowLabels.slice(0, R).forEach((l, i) => {
    const t = svg('text', { x: L - 4, y: T + i * cell + cell * 0.65, 'text-anchor': 'end', class: 'pg-tick' });
    t.textContent = l;
    root.append(t);
  });
  d.colLabels.slice(0, C).forEach((l, j) => {
    const x = L + j * cell + cell * 0.6;
    const t = svg('text', { x, y: T - 4, transform: `rotate(-60 ${x} ${T - 4})`, class: 'pg-tick' });
    t.textContent = l;
    root.append(t);
  });
  fig.append(root);
  const caption = d.title ?? s('playground.show.heatmap');
  const rows = d.rows.map((r, i) => [d.rowLabels[i] ?? String(i + 1), ...r.map(fmt)]);
  const head = ['', ...Array.from({ length: C }, (_, j) => d.colLabels[j] ?? String(j + 1))];
  const data = table(head, rows, `${caption} (${s('playground.show.range', { lo: fmt(lo), hi: fmt(hi) })})`, true);
  data.className = 'pg-table';
  // Hidden through a wrapper: a table never shrinks below its content, even at 1px wide.
  const hidden = el('div', undefined, 'visually-hidden');
  hidden.append(data);
  fig.append(el('figcaption', `${caption} · ${s('playground.show.range', { lo: fmt(lo), hi: fmt(hi) })}`), hidden);
  return fig;
}

export function renderDisplay(d: Display, s: S): HTMLElement {
  if (d.kind === 'line') return line(d, s);
  if (d.kind === 'heatmap') return heatmap(d, s);
  const wrap = el('div', undefined, 'pg-table-wrap');
  wrap.append(table(d.head, d.rows, d.title));
  return wrap;
}
