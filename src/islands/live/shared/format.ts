/**
 * Numbers as the islands print them, in the page's locale (Intl only, no hand-made separators).
 * Pure: unit-tested in tests/unit/islands-format.test.ts.
 */
export interface Formatters {
  /** Attention weights and table values: two decimals ("0,71" in pt-BR). */
  weight(w: number): string;
  /** Signed values (positional encodings, cosine similarity): two decimals, minus sign kept. */
  signed(v: number): string;
  /** Counts: steps, dimensions ("1.200" in pt-BR). */
  int(n: number): string;
  /** A fraction as a percent ("93 %" in fr). */
  percent(p: number): string;
  /** Loss values: three significant digits. */
  loss(v: number): string;
  /** Steps per second: one decimal under 10, whole above. */
  rate(v: number): string;
  /** A duration in seconds as "1 min 05 s"-like text, from Intl's unit formatting. */
  duration(seconds: number): string;
}

export function formatters(locale: string): Formatters {
  const two = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const sig = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 });
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const sec = new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'narrow', maximumFractionDigits: 0 });
  const min = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'narrow', maximumFractionDigits: 0 });
  return {
    weight: (w) => two.format(w),
    // -0.004 would print as "-0,00": round first so zero has no sign.
    signed: (v) => two.format(Math.round(v * 100) / 100 || 0),
    int: (n) => int.format(n),
    percent: (p) => pct.format(p),
    loss: (v) => sig.format(v),
    rate: (v) => (v < 10 ? one : int).format(v),
    duration(s) {
      const whole = Math.max(0, Math.round(s));
      if (whole < 60) return sec.format(whole);
      const m = Math.floor(whole / 60);
      const rest = whole % 60;
      return rest ? `${min.format(m)} ${sec.format(rest)}` : min.format(m);
    },
  };
}
