import { transform } from 'sucrase';
import { parse } from 'sucrase/dist/esm/parser';
import { TokenType } from 'sucrase/dist/esm/parser/tokenizer/types';
import type { Place } from './protocol';

/**
 * Learner TypeScript → JavaScript the runner can call. Sucrase strips types and turns
 * `import … from 'x'` into `require('x')`, which the runner answers from its short list of
 * modules; it keeps every line where it was (helpers go on line 1, no lines are added), so a
 * line in an error is a line in the editor. Sucrase also turns `import('x')` into a
 * `require` behind a promise; we refuse dynamic import outright instead, with its place, so
 * learners are not left wondering why a URL does not load.
 */
export type Transpiled =
  | { ok: true; code: string; ms: number }
  | { ok: false; kind: 'syntax'; message: string; place: Place }
  | { ok: false; kind: 'dynamic-import'; place: Place };

/** 1-based line and column of a character offset. */
export function placeOf(source: string, offset: number): Place {
  const before = source.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

export function transpile(source: string): Transpiled {
  const t0 = performance.now();
  let code: string;
  try {
    code = transform(source, { transforms: ['typescript', 'imports'], filePath: 'exercise.ts' }).code;
  } catch (e) {
    const err = e as { message?: string; pos?: number };
    // Sucrase says "Error transforming exercise.ts: Unexpected token (2:11)"; the learner only
    // needs "Unexpected token" (line and column are shown from `place`).
    const message = String(err.message ?? e)
      .replace(/^Error transforming [^:]*:\s*/, '')
      .replace(/\s*\(\d+:\d+\)\s*$/, '');
    return { ok: false, kind: 'syntax', message, place: placeOf(source, err.pos ?? 0) };
  }
  const dynamic = findDynamicImport(source);
  if (dynamic !== undefined) return { ok: false, kind: 'dynamic-import', place: placeOf(source, dynamic) };
  return { ok: true, code, ms: performance.now() - t0 };
}

/** Offset of the first `import(` in code (not in strings or comments), or undefined. */
export function findDynamicImport(source: string): number | undefined {
  const { tokens } = parse(source, false, true, false);
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.type === TokenType._import && tokens[i + 1]!.type === TokenType.parenL) return tokens[i]!.start;
  }
  return undefined;
}
