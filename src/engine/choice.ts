/**
 * Which backend trains *this* model fastest on *this* device: decided by measurement, not by rank.
 * Pure logic (no tfjs, no DOM): the measuring itself is injected, so the rules below are
 * unit-tested with made-up timings (tests/unit/engine/choice.test.ts), and the browser side
 * (src/worker/chooser.ts) supplies real ones from a probe worker.
 *
 * The rules:
 * - A run starts at once on a backend that starts fast (WASM, then CPU: no shaders to compile),
 *   unless this device already has a verdict for a model of this size.
 * - Every candidate, software adapters included (SwiftShader WebGPU or WebGL, llvmpipe), is timed
 *   the same way on the real model: a few warm-up steps, then steady steps. A candidate that fails,
 *   lacks a kernel, loses its device or overruns its time budget is skipped with its reason. The
 *   cpu backend (the same kernels as WASM, in plain JavaScript) is measured only where WASM was
 *   not.
 * - The run moves only to a *clearly* faster backend (MOVE_MARGIN); a tie keeps the current one.
 * - The verdict is remembered per device and model size (localStorage, versioned); a corrupt or
 *   old entry reads as none. A remembered winner that now runs far slower than it measured
 *   (STALE_FACTOR) is measured again.
 */
import type { BackendName, BackendSkip } from './backend';

/** Start order when nothing is known: fast to start first (no shader compilation). */
export const STARTERS: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];
/** Everything a run may be measured on. */
export const CANDIDATES: readonly BackendName[] = ['wasm', 'webgl', 'webgpu', 'cpu'];

/** Move only when the other backend's step takes at most this fraction of the current one's. */
export const MOVE_MARGIN = 0.8;
/** A remembered winner measured again once it runs this many times slower than remembered. */
export const STALE_FACTOR = 3;
/** Storage format version: bump when Verdict's shape changes; older entries are then ignored. */
export const VERDICT_VERSION = 1;

export type SkipReason = BackendSkip['reason'] | 'too-slow' | 'failed';

/** One backend's measurement: a time per step, a lower bound (gave up), or why it was skipped. */
export interface Timing {
  backend: BackendName;
  /** Mean ms per training step after warm-up. */
  msPerStep?: number;
  /** Set instead of msPerStep when measuring was cut off: a step took at least this long on average. */
  atLeastMs?: number;
  /** When cut off: the budget it had (ms) and the steps it was to run in it. */
  budgetMs?: number;
  steps?: number;
  /** Set when the backend could not be measured. */
  skipped?: SkipReason;
  detail?: string;
}

export interface Verdict {
  backend: BackendName;
  timings: Timing[];
  /** Date.now() when measured. */
  at: number;
}

/** What a model costs to train: the size class a verdict is remembered under. */
export interface ModelSize {
  paramCount: number;
  /** Tokens in one training batch (batch size × padded sequence length). */
  tokensPerStep: number;
}

/**
 * Models within a factor of ~1.4 in weights and in tokens per step share a verdict: the time of
 * a step follows weights × tokens, and per-op overheads dominate these tiny models anyway.
 */
export function sizeClass({ paramCount, tokensPerStep }: ModelSize): string {
  const b = (x: number) => Math.round(2 * Math.log2(Math.max(1, x)));
  return `p${b(paramCount)}t${b(tokensPerStep)}`;
}

/** A step time to compare with: measured, or a lower bound; Infinity when skipped. */
export function stepTime(t: Timing | undefined): number {
  if (!t || t.skipped) return Infinity;
  return t.msPerStep ?? t.atLeastMs ?? Infinity;
}

/**
 * The backend to run on after measuring: the fastest measured one, but only if it beats the
 * current one by MOVE_MARGIN (a tie, or a small lead inside the noise, keeps the current one).
 * A lower bound never wins. With no usable timing at all, the current backend stays.
 */
export function fastest(timings: readonly Timing[], current: BackendName): BackendName {
  const measured = timings.filter((t) => !t.skipped && t.msPerStep !== undefined);
  if (!measured.length) return current;
  const best = measured.reduce((a, b) => (b.msPerStep! < a.msPerStep! ? b : a));
  const here = timings.find((t) => t.backend === current);
  const hereMs = here && !here.skipped && here.msPerStep !== undefined ? here.msPerStep : Infinity;
  return best.backend !== current && best.msPerStep! <= MOVE_MARGIN * hereMs ? best.backend : current;
}

/** The order in which to measure: the current backend first (it sets the budget), then the rest. */
export function measureOrder(current: BackendName, candidates: readonly BackendName[] = CANDIDATES): BackendName[] {
  return [current, ...candidates.filter((b) => b !== current)];
}

/**
 * How long one candidate may take, start and warm-up included, before it is stopped and reported
 * as "fewer than N steps in S s": what `steps` steps on the current backend would take, within
 * [minMs, maxMs]. A backend that needs longer than that just to get going cannot pay back its
 * start on a run of a few hundred steps; and measuring shares the device with the reader's run,
 * so it must stay short.
 */
export function budgetMs(currentMs: number, steps = 100, minMs = 2000, maxMs = 5000): number {
  if (!Number.isFinite(currentMs)) return maxMs;
  return Math.min(maxMs, Math.max(minMs, currentMs * steps));
}

/**
 * Measure every candidate in turn (one at a time: measuring in parallel would make each slower
 * and the comparison unfair). `measure` times one backend on the real model within a budget and
 * resolves a Timing; if it throws, that backend is skipped with the error's text, and the others
 * are still measured.
 */
export async function measureAll(
  current: BackendName,
  measure: (backend: BackendName, budget: number) => Promise<Timing>,
  candidates: readonly BackendName[] = CANDIDATES,
): Promise<Timing[]> {
  const timings: Timing[] = [];
  let budget = budgetMs(Infinity);
  for (const backend of measureOrder(current, candidates)) {
    // tfjs's cpu backend runs the same kernels as WASM on the same cores, in plain JavaScript
    // instead of XNNPACK's SIMD (8x slower in `npm run bench`): it is the fallback where WASM
    // cannot run, not a contender where it can. Not measuring it keeps measuring short.
    if (backend === 'cpu' && backend !== current && timings.some((x) => x.backend === 'wasm' && x.msPerStep !== undefined)) continue;
    let t: Timing;
    try {
      t = await measure(backend, budget);
    } catch (e) {
      t = { backend, skipped: 'failed', detail: e instanceof Error ? e.message : String(e) };
    }
    timings.push(t);
    if (backend === current && t.msPerStep !== undefined) budget = budgetMs(t.msPerStep);
  }
  return timings;
}

/** Where a verdict for this device and size is kept. */
export function verdictKey(device: string, size: string): string {
  return `${device}|${size}`;
}

interface Stored {
  v: number;
  entries: Record<string, Verdict>;
}

const isBackend = (b: unknown): b is BackendName => typeof b === 'string' && (CANDIDATES as readonly string[]).includes(b);

function validTiming(t: unknown): t is Timing {
  if (!t || typeof t !== 'object') return false;
  const x = t as Timing;
  const num = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isFinite(n) && n >= 0);
  return isBackend(x.backend) && num(x.msPerStep) && num(x.atLeastMs) && (x.skipped === undefined || typeof x.skipped === 'string');
}

function validVerdict(v: unknown): v is Verdict {
  if (!v || typeof v !== 'object') return false;
  const x = v as Verdict;
  return isBackend(x.backend) && typeof x.at === 'number' && Array.isArray(x.timings) && x.timings.every(validTiming);
}

/** The stored table, or an empty one when missing, of another version, or not of our shape. */
export function parseStored(raw: unknown): Stored {
  if (!raw || typeof raw !== 'object') return { v: VERDICT_VERSION, entries: {} };
  const s = raw as Stored;
  if (s.v !== VERDICT_VERSION || !s.entries || typeof s.entries !== 'object') return { v: VERDICT_VERSION, entries: {} };
  const entries: Record<string, Verdict> = {};
  for (const [k, v] of Object.entries(s.entries)) if (validVerdict(v)) entries[k] = v;
  return { v: VERDICT_VERSION, entries };
}

/** The remembered verdict for this device and size, if a valid one exists. */
export function readVerdict(raw: unknown, device: string, size: string): Verdict | undefined {
  return parseStored(raw).entries[verdictKey(device, size)];
}

/** The table with this verdict added (at most `keep` entries: the newest). */
export function withVerdict(raw: unknown, device: string, size: string, verdict: Verdict, keep = 24): Stored {
  const s = parseStored(raw);
  s.entries[verdictKey(device, size)] = verdict;
  const newest = Object.entries(s.entries).sort((a, b) => b[1].at - a[1].at).slice(0, keep);
  return { v: VERDICT_VERSION, entries: Object.fromEntries(newest) };
}

/**
 * A remembered winner is stale when the run now observes it far slower than it measured: the
 * device changed (power saving, another GPU) or the entry was wrong. Observed rates include the
 * run's reads and evaluations, hence the generous factor.
 */
export function isStale(v: Verdict, observedMsPerStep: number): boolean {
  const remembered = stepTime(v.timings.find((t) => t.backend === v.backend));
  return Number.isFinite(remembered) && observedMsPerStep > STALE_FACTOR * remembered;
}

/** A software renderer or adapter (measured like any other; the badge names it). */
export function isSoftware(detail: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(detail);
}
