import { describe, expect, it } from 'vitest';
import { cellClass, headSlice, heatmapLayout, labelChars, maxAbs, rowSums, signedBin, tickEvery, WEIGHT_BINS, weightBin } from '../../src/islands/live/shared/heatmap';

describe('heatmap colour bins', () => {
  it('attention weights use the static alignment figure’s bins and classes', () => {
    expect(WEIGHT_BINS).toEqual([0, 0.1, 0.2, 0.35, 0.5, 0.7]);
    expect(cellClass('weight', 0.05)).toEqual({ cls: 'w0', strong: false });
    expect(cellClass('weight', 0.36).cls).toBe('w3');
    expect(cellClass('weight', 0.92)).toEqual({ cls: 'w5', strong: true });
    expect(weightBin(1)).toBe(5);
  });

  it('signed values split around zero into 4 levels each side, symmetric', () => {
    expect(signedBin(0)).toBe(0);
    expect(signedBin(0.05)).toBe(0);
    expect(signedBin(1)).toBe(4);
    expect(signedBin(-1)).toBe(-4);
    expect(signedBin(0.4)).toBe(-signedBin(-0.4));
    expect(signedBin(5, 10)).toBe(signedBin(0.5));
    expect(signedBin(NaN)).toBe(0);
    expect(cellClass('signed', -0.95)).toEqual({ cls: 'dn4', strong: true });
    expect(cellClass('signed', 0.2).cls).toBe('dp1');
    expect(cellClass('signed', 0).cls).toBe('dp0');
  });
});

describe('heatmap layout', () => {
  it('fits the columns in the width, between the min and max cell size', () => {
    const L = heatmapLayout({ rows: 11, cols: 9, width: 520, rowLabelChars: 3, colLabelChars: 8 });
    expect(L.cell).toBeLessThanOrEqual(44);
    expect(L.gridLeft + L.cell * 9).toBeLessThanOrEqual(520);
    expect(L.width).toBe(L.gridLeft + L.cell * 9 + 2);
    expect(L.height).toBe(L.gridTop + L.cell * 11 + 2);
  });

  it('prints numbers only in cells big enough to read them, and turns long column labels', () => {
    expect(heatmapLayout({ rows: 3, cols: 4, width: 520, rowLabelChars: 2, colLabelChars: 2 }).showNumbers).toBe(true);
    const dense = heatmapLayout({ rows: 64, cols: 128, width: 520, rowLabelChars: 2, colLabelChars: 3 });
    expect(dense.showNumbers).toBe(false);
    expect(dense.cell).toBe(6);
    expect(dense.rotateColLabels).toBe(true);
  });

  it('thins axis labels so they keep apart', () => {
    expect(tickEvery(40)).toBe(1);
    expect(tickEvery(8)).toBe(2);
    expect(tickEvery(3)).toBe(10);
  });
});

describe('heatmap data', () => {
  it('row sums, heads and ranges', () => {
    const data = [0.2, 0.8, 0.5, 0.5, /* head 2 */ 1, 0, 0, 1];
    expect(rowSums(data, 2, 2)).toEqual([1, 1]);
    expect(Array.from(headSlice(data, 2, 2, 2, 1))).toEqual([1, 0, 0, 1]);
    const mean = Array.from(headSlice(data, 2, 2, 2, 'mean'));
    mean.forEach((v, i) => expect(v).toBeCloseTo([0.6, 0.4, 0.25, 0.75][i]!, 6));
    expect(maxAbs([0.1, -3, 2])).toBe(3);
    expect(maxAbs([0, 0])).toBe(1);
  });
});

describe('labelChars', () => {
  it('counts a CJK or kana character as a full em, so Japanese labels get room', () => {
    expect(labelChars(['sport', 'food'])).toBe(5);
    // テクノロジー: six wide characters ≈ 9.9 average Latin characters, not 6.
    expect(labelChars(['スポーツ', 'テクノロジー'])).toBeCloseTo((6 * 14) / 8.5, 5);
    expect(labelChars(['科技'])).toBeGreaterThan(labelChars(['ab']));
    expect(labelChars([])).toBe(1);
    const ja = heatmapLayout({ rows: 4, cols: 4, width: 520, rowLabelChars: labelChars(['テクノロジー']), colLabelChars: 1 });
    expect(ja.gridLeft).toBeGreaterThanOrEqual(6 * 14);
  });
});
