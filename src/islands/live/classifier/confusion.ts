/**
 * Confusion-matrix arithmetic for the classifier island. Pure: unit-tested in
 * tests/unit/islands-more-classifier.test.ts.
 */

/**
 * Each row (a true class) divided by its count, so cell [i][j] is the share of class i's
 * held-out sentences predicted as j and each non-empty row sums to 1. Empty rows stay 0.
 * Returned row-major [classes, classes], ready for a heatmap.
 */
export function normalizeRows(confusion: number[][]): Float32Array {
  const n = confusion.length;
  const out = new Float32Array(n * n); // [true, predicted]
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (total > 0) row.forEach((v, j) => (out[i * n + j] = v / total));
  });
  return out;
}

/** Share of the diagonal: held-out accuracy from the matrix itself. */
export function accuracyOf(confusion: number[][]): number {
  let right = 0;
  let total = 0;
  confusion.forEach((row, i) => row.forEach((v, j) => ((total += v), (right += i === j ? v : 0))));
  return total ? right / total : 0;
}

/** One point of the loss/accuracy curves; held-out accuracy only where an evaluation ran. */
export interface CurvePoint {
  step: number;
  loss: number;
  accuracy: number;
  heldOut?: number;
}

/**
 * The curves as uPlot wants them: [steps, loss, accuracy, held-out] columns, held-out carried
 * as null between evaluations (drawn as a line through the points that exist).
 */
export function toColumns(points: CurvePoint[]): [number[], number[], number[], Array<number | null>] {
  return [
    points.map((p) => p.step),
    points.map((p) => p.loss),
    points.map((p) => p.accuracy),
    points.map((p) => (p.heldOut === undefined ? null : p.heldOut)),
  ];
}

/** Append a progress point; a point older than the last one (a stale event after a reset) is dropped. */
export function addPoint(points: CurvePoint[], p: CurvePoint): void {
  const last = points[points.length - 1];
  if (last && p.step <= last.step) return;
  points.push(p);
}

/** Attach a held-out score to the latest point at or before its step (evaluations run on report steps). */
export function attachHeldOut(points: CurvePoint[], step: number, heldOut: number): void {
  for (let i = points.length - 1; i >= 0; i--) {
    if (points[i]!.step <= step) {
      points[i]!.heldOut = heldOut;
      return;
    }
  }
}
