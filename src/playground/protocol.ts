/**
 * Messages between the exercise island (main thread) and the runner worker, over the
 * MessagePort the sandbox frame hands the worker (frame.ts has the page <-> frame messages).
 * Plain data only:
 * the worker never sees the DOM, the page never sees tfjs. Strings shown to the learner are
 * built on the main thread from `key` + `params` (UI strings), never in the worker.
 */

/** Main thread → worker. */
export type ToRunner =
  /** Load tfjs and the chosen backend, then lock the worker down. Answered by 'ready'. */
  | { type: 'init'; backend: string }
  /** The answer to 'need': the WASM binary, fetched by the page (the frame may not fetch). */
  | { type: 'bytes'; what: 'wasm-simd' | 'wasm'; bytes: ArrayBuffer }
  /** `check`: an exercise id whose check runs after the code (see checks.ts). `limitMs`: the time limit. */
  | { type: 'run'; id: number; code: string; check?: string; limitMs: number };

/** A value printed by console.*: text, or a tensor summary (see format.ts). */
export type Printed = { kind: 'text'; text: string } | { kind: 'tensor'; text: string };

export interface LineSeries {
  name: string;
  values: number[];
}

export type Display =
  | { kind: 'line'; series: LineSeries[]; title?: string }
  | { kind: 'heatmap'; rows: number[][]; rowLabels: string[]; colLabels: string[]; title?: string }
  | { kind: 'table'; head: string[]; rows: string[][]; title?: string };

/** Where in the learner's file something happened (1-based). */
export interface Place {
  line: number;
  column: number;
}

export interface CheckResult {
  pass: boolean;
  /** A `playground.check.*` UI key, without the prefix. */
  key: string;
  params?: Record<string, string | number>;
}

/** Worker → main thread. */
export type FromRunner =
  | { type: 'ready'; backend: string }
  /** The backend needs a file from the site: the WASM binary with or without SIMD. */
  | { type: 'need'; what: 'wasm-simd' | 'wasm' }
  /** The worker could not start the backend or lock itself down: it will not run code. */
  | { type: 'broken'; detail: string }
  | { type: 'console'; id: number; level: 'log' | 'info' | 'warn' | 'error'; parts: Printed[] }
  | { type: 'display'; id: number; display: Display }
  | { type: 'syntax-error'; id: number; message: string; place: Place }
  | { type: 'runtime-error'; id: number; name: string; message: string; place?: Place; stack: Place[] }
  /** A known refusal with a UI key: `import-dynamic`, `module-unknown`, `memory`. */
  | { type: 'refused'; id: number; key: string; params?: Record<string, string | number>; place?: Place }
  | { type: 'checks'; id: number; results: CheckResult[] }
  | { type: 'done'; id: number; ms: number; leakedTensors: number; transpileMs: number };
