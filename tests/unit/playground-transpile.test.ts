import { describe, expect, it } from 'vitest';
import { findDynamicImport, placeOf, transpile } from '../../src/playground/transpile';

function ok(source: string): string {
  const t = transpile(source);
  if (!t.ok) throw new Error(`expected to transpile: ${JSON.stringify(t)}`);
  return t.code;
}

/** Runs transpiled code the way the runner does: a function of require/exports/module. */
function run(code: string, modules: Record<string, unknown>) {
  const required: string[] = [];
  const require = (name: string) => {
    required.push(name);
    if (!(name in modules)) throw new Error(`no module ${name}`);
    return modules[name];
  };
  const exports: Record<string, unknown> = {};
  new Function('require', 'exports', 'module', code)(require, exports, { exports });
  return { exports, required };
}

describe('transpile', () => {
  it('strips TypeScript types: annotations, interfaces, type aliases, generics, as, non-null, type-only imports', () => {
    const code = ok(
      [
        "import { type Rng, causalMask } from 'lesson';",
        "import type { TransformerBlock } from 'lesson';",
        'interface Pair { a: number; b: number }',
        'type Id = number;',
        'export function add(p: Pair, ids: Id[] = []): number {',
        '  const m = new Map<string, number>();',
        '  m.set("k", p.a);',
        '  return (m.get("k")! as number) + p.b + ids.length;',
        '}',
        'export const mask = causalMask;',
        'export let block: TransformerBlock | undefined;',
      ].join('\n'),
    );
    for (const word of ['interface', 'type Id', ': number', 'as number', '<string, number>', 'TransformerBlock']) expect(code).not.toContain(word);
    const { exports } = run(code, { lesson: { causalMask: 'CM' } });
    expect((exports.add as (p: object) => number)({ a: 1, b: 2 })).toBe(3);
    expect(exports.mask).toBe('CM');
  });

  it('turns the two documented imports into require calls', () => {
    const code = ok("import * as tf from '@tensorflow/tfjs';\nimport { causalMask, MASK_ID } from 'lesson';\nexport const both = [tf.name, causalMask, MASK_ID];\n");
    const { exports, required } = run(code, { '@tensorflow/tfjs': { name: 'tf' }, lesson: { causalMask: 'cm', MASK_ID: 4 } });
    expect(required).toEqual(['@tensorflow/tfjs', 'lesson']);
    expect(exports.both).toEqual(['tf', 'cm', 4]);
  });

  it('leaves other module names to the runner, which refuses them when required', () => {
    // The allow-list lives in runner.ts (a worker, not testable in Node); transpile only rewrites.
    const code = ok("import fs from 'node:fs';\nexport const x = fs;\n");
    expect(code).toContain("require('node:fs')");
    expect(() => run(code, {})).toThrow('no module node:fs');
  });

  it('keeps every line where it was', () => {
    const source = [
      "import * as tf from '@tensorflow/tfjs';",
      "import { embeddingTable } from 'lesson';",
      'interface Options {',
      '  width: number;',
      '}',
      'export function f(o: Options): number {',
      '  return o.width; // MARK6',
      '}',
      'enum Color { Red, Green }',
      'const c: Color = Color.Green; // MARK9',
      'export const t = tf.zeros([2]) as tf.Tensor1D; // MARK10',
    ].join('\n');
    const code = ok(source);
    const lines = code.split('\n');
    expect(lines).toHaveLength(source.split('\n').length);
    // lines[i] is line i + 1; each MARKi sits at index i.
    for (const n of [6, 9, 10]) expect(lines[n]).toContain(`MARK${n}`);
  });

  it('allows top-level await (the runner wraps code in an async function)', () => {
    const code = ok('const x = await Promise.resolve(1);\nexport const y = x + 1;\n');
    expect(code).toContain('await Promise.resolve(1)');
  });

  it('refuses dynamic import() with its line and column', () => {
    const t = transpile("import * as tf from '@tensorflow/tfjs';\n\nconst m = await import('https://example.com/x.js');\n");
    expect(t).toEqual({ ok: false, kind: 'dynamic-import', place: { line: 3, column: 17 } });
    expect(transpile("  import('lesson')")).toMatchObject({ ok: false, kind: 'dynamic-import', place: { line: 1, column: 3 } });
  });

  it('does not mistake import( in strings, comments, templates or import.meta for a dynamic import', () => {
    expect(findDynamicImport("const s = \"import('x')\";\n// import('y')\n/* import('z') */\nconst t = `import('w')`;\n")).toBeUndefined();
    expect(findDynamicImport("import * as tf from '@tensorflow/tfjs';\n")).toBeUndefined();
    expect(transpile("const s = 'import(\"x\")';\n").ok).toBe(true);
  });

  it('reports syntax errors with line and column, without sucrase\'s own (line:col) suffix', () => {
    const t = transpile('const a = 1;\nconst b = ;\n');
    expect(t).toMatchObject({ ok: false, kind: 'syntax', place: { line: 2, column: 11 } });
    if (!t.ok && t.kind === 'syntax') expect(t.message).not.toMatch(/\(\d+:\d+\)\s*$/);
  });

  it('places an unterminated construct at the end of the input', () => {
    const t = transpile('export function f() {\n  return [1, 2\n');
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.place.line).toBeGreaterThanOrEqual(2);
  });

  it('reports a syntax error in a type annotation too', () => {
    expect(transpile('let x: = 3;\n')).toMatchObject({ ok: false, kind: 'syntax', place: { line: 1 } });
  });
});

describe('placeOf', () => {
  it('gives 1-based line and column of an offset', () => {
    const s = 'ab\ncd\n\nef';
    expect(placeOf(s, 0)).toEqual({ line: 1, column: 1 });
    expect(placeOf(s, 1)).toEqual({ line: 1, column: 2 });
    expect(placeOf(s, 3)).toEqual({ line: 2, column: 1 });
    expect(placeOf(s, 7)).toEqual({ line: 4, column: 1 });
    expect(placeOf(s, -5)).toEqual({ line: 1, column: 1 });
  });

  it('counts columns in UTF-16 code units, as editors and sucrase do', () => {
    expect(placeOf('// é😀\nx', 6)).toEqual({ line: 1, column: 7 });
  });
});
