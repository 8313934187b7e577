/**
 * Progress arithmetic for a training run: fraction done, time left, and which milestones to
 * announce to screen readers. Pure: unit-tested in tests/unit/islands-progress.test.ts.
 */

/** Fraction of the run done, in [0, 1]. */
export function fractionDone(step: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, step / total));
}

/** Seconds left at `stepsPerSec`, or undefined while the rate is unknown. */
export function secondsLeft(step: number, total: number, stepsPerSec: number): number | undefined {
  if (!(stepsPerSec > 0) || !Number.isFinite(stepsPerSec)) return undefined;
  return Math.max(0, total - step) / stepsPerSec;
}

/**
 * The quarter (1, 2, 3) crossed when a run moved from `before` to `after` steps of `total`, or 0.
 * The live region announces the start, each quarter and the end: never every step.
 */
export function milestoneCrossed(before: number, after: number, total: number): 0 | 1 | 2 | 3 {
  if (!(total > 0)) return 0;
  const q = (s: number) => Math.min(4, Math.floor((4 * s) / total));
  const a = q(before);
  const b = q(after);
  return b > a && b < 4 ? (b as 1 | 2 | 3) : 0;
}

/** A smoothed rate: steps/s reported by the worker jump between slices; readers want a calm number. */
export function smoothRate(previous: number | undefined, sample: number, weight = 0.3): number {
  if (!(sample > 0) || !Number.isFinite(sample)) return previous ?? 0;
  return previous === undefined || previous <= 0 ? sample : previous + weight * (sample - previous);
}
