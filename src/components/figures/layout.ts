/**
 * Geometry helpers shared by the figures. Figures are laid out left to right in a fixed
 * `viewBox`; in a right-to-left locale `mirror` flips every x so sequences start on the
 * reader's start side, while glyphs (and numbers, dates, maths) keep their own order.
 */
import { getLocale } from '../../../i18n/locales';

export interface Mirror {
  rtl: boolean;
  /** Physical x of a point laid out at `x` for a left-to-right reader. */
  x: (x: number) => number;
  /** Physical left edge of a box laid out at `x` with width `w`. */
  left: (x: number, w: number) => number;
  /** The `text-anchor` for text laid out as `start` / `end`. */
  start: 'start' | 'end';
  end: 'start' | 'end';
}

export function mirror(tag: string, width: number): Mirror {
  const rtl = getLocale(tag)?.dir === 'rtl';
  return {
    rtl,
    x: (x) => (rtl ? width - x : x),
    left: (x, w) => (rtl ? width - x - w : x),
    start: rtl ? 'end' : 'start',
    end: rtl ? 'start' : 'end',
  };
}

/** Weights as the figures print them: two decimals in the locale's own notation ("0,71"). */
export function weightFormat(tag: string): (w: number) => string {
  const nf = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (w) => nf.format(w);
}

/**
 * The sequential scale for attention weights, in bins: class `w0`…`w5` (see Figure.astro) mixes
 * --cat-1 into --bg. Bins skip the middle of the ramp, where neither --fg nor --bg text would
 * reach 4.5:1 contrast in both themes; `strong` bins print their number in --bg.
 */
export const WEIGHT_BINS = [0, 0.1, 0.2, 0.35, 0.5, 0.7] as const;

export function weightBin(w: number): number {
  let bin = 0;
  WEIGHT_BINS.forEach((lo, i) => {
    if (w >= lo) bin = i;
  });
  return bin;
}

export const isStrongBin = (bin: number) => bin >= 4;

/** Split a label at the space nearest its middle when it is longer than `max` characters. */
export function wrapLabel(label: string, max = 16): string[] {
  if ([...label].length <= max || !label.includes(' ')) return [label];
  const mid = label.length / 2;
  let best = -1;
  for (let i = 0; i < label.length; i++) {
    if (label[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  }
  return [label.slice(0, best), label.slice(best + 1)];
}

/**
 * A UI string as text pieces, with `{name}` placeholders filled from `ltr`: those values are
 * numbers or dates, marked so the component can isolate them in <bdi dir="ltr">.
 */
export function withLtr(template: string, ltr: Record<string, string>): Array<{ text: string; ltr: boolean }> {
  const out: Array<{ text: string; ltr: boolean }> = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in ltr)) continue;
    if (m.index > last) out.push({ text: template.slice(last, m.index), ltr: false });
    out.push({ text: ltr[m[1]], ltr: true });
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push({ text: template.slice(last), ltr: false });
  return out;
}

/** Scripts written without spaces between words: their tokens join back with nothing between. */
const UNSPACED = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my']);

/** A figure's tokens as running text for its description, spaced the way the language writes. */
export function joinTokens(tag: string, tokens: readonly string[]): string {
  const lang = tag.split('-')[0].toLowerCase();
  return tokens.join(UNSPACED.has(lang) ? '' : ' ');
}
