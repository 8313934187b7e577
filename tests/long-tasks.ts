/**
 * Main-thread long tasks, for the tests that require none while a model trains (the engine
 * harness, tests/browser/engine.spec.ts; the site, tests/e2e/islands.spec.ts).
 *
 * A task is long when the main thread spent more than 50 ms of its own CPU time in it. Wall
 * time is not the measure: on a loaded 2-core machine the main thread waits for a core, and a
 * task of 15 ms of work was seen to last 30-365 ms by the clock (Long Tasks and Long Animation
 * Frames report wall time; both flagged such tasks, one run in five). Chromium's trace gives each
 * task its thread time (`tdur`), which only grows with work done on the main thread, so the check
 * fails when page script or rendering does too much at once, whatever else the machine is doing.
 */
import type { Browser, Page } from '@playwright/test';

export interface MainTask {
  /** Wall-clock duration, ms. */
  wall: number;
  /** CPU time of the main thread in the task, ms. */
  cpu: number;
  /** Scripts that ran in it (file and function), for the failure message. */
  scripts: string[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; functionName?: string } };
}

const TASK = 'ThreadControllerImpl::RunTask';

/** Start tracing the renderer's main thread; the returned function stops and gives its tasks. */
export async function traceMainThread(browser: Browser, page: Page): Promise<() => Promise<MainTask[]>> {
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  return async () => mainTasks(JSON.parse((await browser.stopTracing()).toString()).traceEvents as TraceEvent[]);
}

/** The renderer main threads' tasks in a trace, with their wall and CPU time. */
export function mainTasks(events: TraceEvent[]): MainTask[] {
  const mains = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const calls = onMain.filter((e) => e.name === 'FunctionCall' || e.name === 'EvaluateScript');
  return onMain
    .filter((e) => e.name === TASK && e.tdur !== undefined)
    .map((t) => ({
      wall: (t.dur ?? 0) / 1000,
      cpu: t.tdur! / 1000,
      scripts: calls
        .filter((c) => c.pid === t.pid && c.tid === t.tid && c.ts >= t.ts && c.ts <= t.ts + (t.dur ?? 0))
        .map((c) => `${(c.args?.data?.url ?? '').split('/').pop() || '(inline)'} ${c.args?.data?.functionName ?? ''}`.trim()),
    }));
}

/** Tasks in which the main thread worked more than `limitMs` (50 ms: a long task). */
export function longTasks(tasks: MainTask[], limitMs = 50): MainTask[] {
  return tasks.filter((t) => t.cpu > limitMs);
}
