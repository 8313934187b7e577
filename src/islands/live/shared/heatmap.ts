/**
 * The pure half of the islands' heatmaps: colour bins, geometry, axis thinning and the numbers
 * the tests read back. No DOM here (see heatmap-view.ts); unit-tested in
 * tests/unit/islands-heatmap.test.ts.
 *
 * Colour: attention weights use the static figures' sequential single-hue scale (WEIGHT_BINS and
 * the `w0`…`w5` classes of Figure.astro), so a live heatmap reads exactly like the picture it
 * replaces. Signed values (encodings, cosine similarity) use a blue/orange diverging scale
 * (`dn4`…`dp4`, tokens --cat-1 and --cat-2): a pair that stays distinct for the common
 * colour-vision deficiencies, in both themes.
 */
import { isStrongBin, WEIGHT_BINS, weightBin } from '../../../components/figures/layout';

export { WEIGHT_BINS, weightBin, isStrongBin };

export type Scale = 'weight' | 'signed';

/** Diverging bins for v in [-max, max]: -4 … 4, 0 around zero (|v| < max/10). */
export const SIGNED_LEVELS = 4;
export function signedBin(v: number, max = 1): number {
  if (!Number.isFinite(v) || !(max > 0)) return 0;
  const x = Math.max(-1, Math.min(1, v / max));
  if (Math.abs(x) < 0.1) return 0;
  return Math.sign(x) * Math.min(SIGNED_LEVELS, Math.ceil(((Math.abs(x) - 0.1) / 0.9) * SIGNED_LEVELS));
}

/** The CSS class of a cell, and whether its printed number needs the light-on-dark colour. */
export function cellClass(scale: Scale, v: number, max = 1): { cls: string; strong: boolean } {
  if (scale === 'weight') {
    const bin = weightBin(v);
    return { cls: `w${bin}`, strong: isStrongBin(bin) };
  }
  const bin = signedBin(v, max);
  return { cls: bin < 0 ? `dn${-bin}` : `dp${bin}`, strong: Math.abs(bin) >= 3 };
}

export interface LayoutInput {
  rows: number;
  cols: number;
  /** Width available for the whole drawing, in SVG units (the viewBox scales it). */
  width: number;
  /** Longest row label, in average Latin characters (see labelChars); longest column label. */
  rowLabelChars: number;
  colLabelChars: number;
  /** Largest cell side; cells shrink to fit `width`, never below `minCell`. */
  maxCell?: number;
  minCell?: number;
}

export interface Layout {
  cell: number;
  gridLeft: number;
  gridTop: number;
  width: number;
  height: number;
  /** Numbers fit inside cells only when cells are big enough to read them. */
  showNumbers: boolean;
  /** Column labels turn vertical when they would not fit across a cell. */
  rotateColLabels: boolean;
}

const CHAR_W = 8.5; // average glyph width at the labels' 14px size

/** East Asian wide and fullwidth characters (CJK, kana, Hangul, fullwidth forms): a full em each. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/**
 * How wide the longest label is, in average Latin characters: a wide character (ja, zh) takes
 * a full em, 14 / 8.5 of them. Counted as one each, Japanese labels were cut off at the edge.
 */
export function labelChars(labels: string[]): number {
  const width = (label: string) => [...label].reduce((w, ch) => w + (WIDE.test(ch) ? 14 / CHAR_W : 1), 0);
  return Math.max(1, ...labels.map(width));
}

export function heatmapLayout(i: LayoutInput): Layout {
  const maxCell = i.maxCell ?? 44;
  const minCell = i.minCell ?? 6;
  const gridLeft = Math.ceil(i.rowLabelChars * CHAR_W) + 10;
  const cell = Math.max(minCell, Math.min(maxCell, Math.floor((i.width - gridLeft - 2) / Math.max(1, i.cols))));
  const rotateColLabels = i.colLabelChars * CHAR_W > cell + 2;
  const gridTop = rotateColLabels ? Math.ceil(i.colLabelChars * CHAR_W) + 12 : 24;
  return {
    cell,
    gridLeft,
    gridTop,
    width: gridLeft + cell * i.cols + 2,
    height: gridTop + cell * i.rows + 2,
    showNumbers: cell >= 34,
    rotateColLabels,
  };
}

/** Label every k-th index so labels keep `minGap` units apart: 1, 2, 5, 10, 20, … */
export function tickEvery(cell: number, minGap = 16): number {
  for (const k of [1, 2, 5, 10, 20, 50, 100]) if (k * cell >= minGap) return k;
  return 100;
}

/** Row sums of a row-major [rows, cols] matrix (attention rows must sum to 1). */
export function rowSums(data: ArrayLike<number>, rows: number, cols: number): number[] {
  return Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < cols; c++) s += data[r * cols + c]!;
    return s;
  });
}

/** One head of a [heads, rows, cols] block, or their mean when `head` is 'mean'. */
export function headSlice(data: ArrayLike<number>, heads: number, rows: number, cols: number, head: number | 'mean'): Float32Array {
  const n = rows * cols;
  const out = new Float32Array(n);
  if (head === 'mean') {
    for (let h = 0; h < heads; h++) for (let i = 0; i < n; i++) out[i]! += data[h * n + i]! / heads;
  } else {
    for (let i = 0; i < n; i++) out[i] = data[head * n + i]!;
  }
  return out;
}

/** Largest |value| (for a symmetric diverging scale); 1 for an all-zero matrix. */
export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]!));
  return m || 1;
}
