import { describe, expect, it } from 'vitest';
import { sinusoidalTable } from '../../src/engine/sinusoid';
import { cosineSimilarity } from '../../src/islands/live/shared/similarity';

describe('cosine similarity between positions', () => {
  it('is 1 on the diagonal, symmetric, and matches a hand example', () => {
    const s = cosineSimilarity([1, 0, 1, 1, 0, 2], 3, 2);
    expect(s[0]).toBeCloseTo(1);
    expect(s[1]).toBeCloseTo(1 / Math.SQRT2); // [1,0]·[1,1] / √2
    expect(s[2]).toBeCloseTo(0); // [1,0]·[0,2]
    expect(s[3]).toBeCloseTo(s[1]!);
    expect(s[8]).toBeCloseTo(1);
  });

  it('a zero row is similar to nothing (no NaN)', () => {
    expect(Array.from(cosineSimilarity([0, 0, 1, 0], 2, 2))).toEqual([0, 0, 0, 1]);
  });

  it('sinusoidal encodings: neighbours are more alike than distant positions', () => {
    const n = 32;
    const s = cosineSimilarity(sinusoidalTable(n, 32), n, 32);
    for (let p = 0; p < n; p++) expect(s[p * n + p]).toBeCloseTo(1, 5);
    expect(s[10 * n + 11]!).toBeGreaterThan(s[10 * n + 25]!);
    expect(s[0 * n + 1]!).toBeGreaterThan(s[0 * n + 20]!);
  });
});
