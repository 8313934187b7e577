import { describe, expect, it } from 'vitest';
import { formatters } from '../../src/islands/live/shared/format';
import { fractionDone, milestoneCrossed, secondsLeft, smoothRate } from '../../src/islands/live/shared/progress';

describe('island number formatting (Intl, per locale)', () => {
  it('weights and signed values with two decimals in the locale’s notation', () => {
    expect(formatters('pt-BR').weight(0.714)).toBe('0,71');
    expect(formatters('en').weight(0.714)).toBe('0.71');
    expect(formatters('de').signed(-0.5)).toBe('-0,50');
    expect(formatters('en').signed(-0.001)).toBe('0.00'); // no "-0.00"
  });

  it('counts, percents and rates', () => {
    expect(formatters('pt-BR').int(1200)).toBe('1.200');
    expect(formatters('en').percent(0.93)).toBe('93%');
    expect(formatters('fr').percent(0.5)).toMatch(/^50\s%$/u);
    expect(formatters('en').rate(4.56)).toBe('4.6');
    expect(formatters('en').rate(45.6)).toBe('46');
  });

  it('durations: seconds, then minutes and seconds', () => {
    const f = formatters('en');
    expect(f.duration(4.6)).toBe('5s');
    expect(f.duration(125)).toBe('2m 5s');
    expect(f.duration(120)).toBe('2m');
    expect(f.duration(-3)).toBe('0s');
  });
});

describe('training progress', () => {
  it('fraction done and time left', () => {
    expect(fractionDone(50, 200)).toBe(0.25);
    expect(fractionDone(300, 200)).toBe(1);
    expect(fractionDone(5, 0)).toBe(0);
    expect(secondsLeft(100, 300, 4)).toBe(50);
    expect(secondsLeft(100, 300, 0)).toBeUndefined();
  });

  it('announces each quarter once, never the end (the "done" message does)', () => {
    expect(milestoneCrossed(0, 10, 100)).toBe(0);
    expect(milestoneCrossed(20, 30, 100)).toBe(1);
    expect(milestoneCrossed(25, 30, 100)).toBe(0);
    expect(milestoneCrossed(45, 55, 100)).toBe(2);
    expect(milestoneCrossed(70, 80, 100)).toBe(3);
    expect(milestoneCrossed(95, 100, 100)).toBe(0);
  });

  it('smooths the steps-per-second the worker reports', () => {
    expect(smoothRate(undefined, 10)).toBe(10);
    expect(smoothRate(10, 20)).toBeCloseTo(13);
    expect(smoothRate(10, NaN)).toBe(10);
  });
});
