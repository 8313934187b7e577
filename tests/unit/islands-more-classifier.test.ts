import { describe, expect, it } from 'vitest';
import { accuracyOf, addPoint, attachHeldOut, normalizeRows, toColumns, type CurvePoint } from '../../src/islands/live/classifier/confusion';

describe('confusion matrix', () => {
  it('normalises each true-class row to shares that sum to 1', () => {
    const m = normalizeRows([[3, 1, 0], [0, 2, 2], [0, 0, 0]]);
    expect(Array.from(m.subarray(0, 3))).toEqual([0.75, 0.25, 0]);
    expect(Array.from(m.subarray(3, 6))).toEqual([0, 0.5, 0.5]);
    expect(Array.from(m.subarray(6, 9))).toEqual([0, 0, 0]); // a class with no held-out sentence stays empty
  });

  it('reads accuracy off the diagonal', () => {
    expect(accuracyOf([[3, 1], [1, 3]])).toBe(0.75);
    expect(accuracyOf([[0, 0], [0, 0]])).toBe(0);
  });
});

describe('curves', () => {
  it('appends progress in step order and drops stale points', () => {
    const pts: CurvePoint[] = [];
    addPoint(pts, { step: 5, loss: 1.2, accuracy: 0.3 });
    addPoint(pts, { step: 10, loss: 1.0, accuracy: 0.4 });
    addPoint(pts, { step: 5, loss: 9, accuracy: 0 });
    expect(pts.map((p) => p.step)).toEqual([5, 10]);
  });

  it('attaches held-out scores to the latest point at or before their step, null elsewhere', () => {
    const pts: CurvePoint[] = [{ step: 5, loss: 1, accuracy: 0.2 }, { step: 10, loss: 0.8, accuracy: 0.5 }];
    attachHeldOut(pts, 12, 0.6);
    attachHeldOut(pts, 1, 0.1); // before any point: nowhere to go
    expect(toColumns(pts)).toEqual([[5, 10], [1, 0.8], [0.2, 0.5], [null, 0.6]]);
  });
});
