import { describe, expect, it } from 'vitest';
import { topGuesses, unknownPositions } from '../../src/islands/live/shared/guesses';
import { formatters } from '../../src/islands/live/shared/format';

describe('top-k guesses', () => {
  const pct = formatters('pt-BR').percent;

  it('sorts, cuts to k, formats with Intl and scales bars to the best guess', () => {
    const rows = topGuesses([{ token: 'b', p: 0.2 }, { token: 'a', p: 0.5 }, { token: 'c', p: 0.05 }], 2, pct);
    expect(rows.map((r) => r.token)).toEqual(['a', 'b']);
    expect(rows[0]!.label).toBe(new Intl.NumberFormat('pt-BR', { style: 'percent', maximumFractionDigits: 0 }).format(0.5));
    expect(rows[0]!.bar).toBe(1);
    expect(rows[1]!.bar).toBeCloseTo(0.4);
  });

  it('marks the engine’s special tokens and treats non-finite probabilities as 0', () => {
    const rows = topGuesses([{ token: '<unk>', p: 0.6 }, { token: 'gato', p: Number.NaN }], 5, pct);
    expect(rows[0]).toMatchObject({ token: '<unk>', special: true });
    expect(rows[1]).toMatchObject({ token: 'gato', p: 0, bar: 0, special: false });
  });

  it('handles empty lists and all-zero probabilities', () => {
    expect(topGuesses([], 3, pct)).toEqual([]);
    expect(topGuesses([{ token: 'x', p: 0 }], 3, pct)[0]!.bar).toBe(0);
  });

  it('finds the tokens outside the vocabulary', () => {
    expect(unknownPositions(['o', 'gato', 'xyz', 'o'], ['o', 'gato'])).toEqual([2]);
  });
});
