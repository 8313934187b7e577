/**
 * Main-thread long tasks, for the tests that require none of page script while a model trains
 * (the engine harness, tests/browser/engine.spec.ts; the site, tests/e2e/islands.spec.ts).
 * A long task can also be the main thread waiting for a core on a loaded machine: long
 * animation frames say how long page script itself ran, and only those tasks count.
 */
export interface LongTask {
  start: number;
  duration: number;
}

/** A long animation frame: when, and the longest script run in it (ms). */
export interface LongFrame {
  start: number;
  end: number;
  script: number;
}

/**
 * Record long tasks and long animation frames into window.longTasks and window.longFrames.
 * Self-contained (no imports, no closure), so page.evaluate can run it in a page.
 */
export function observeLongTasks(): void {
  const w = window as unknown as { longTasks: LongTask[]; longFrames: LongFrame[] };
  w.longTasks = [];
  w.longFrames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { scripts: Array<{ duration: number }> }>) {
      w.longFrames.push({ start: e.startTime, end: e.startTime + e.duration, script: Math.max(0, ...e.scripts.map((x) => x.duration)) });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
}

/** The long tasks in which page script ran more than 50 ms. */
export function scriptedLongTasks(tasks: LongTask[], frames: LongFrame[]): LongTask[] {
  return tasks.filter((t) => frames.some((f) => f.start <= t.start + t.duration && f.end >= t.start && f.script > 50));
}
