import { describe, expect, it } from 'vitest';
import { GUARD, instrumentLoops } from '../../src/playground/guard';
import { transpile } from '../../src/playground/transpile';

const g = `${GUARD}()`;

describe('instrumentLoops', () => {
  it('puts the guard into while and do-while conditions', () => {
    expect(instrumentLoops('while (x) y();')).toBe(`while (${g}, x) y();`);
    expect(instrumentLoops('do { y(); } while (x);')).toBe(`do { y(); } while (${g}, x);`);
  });

  it('puts the guard into a for loop\'s condition, also when it is empty', () => {
    expect(instrumentLoops('for (let i = 0; i < n; i++) {}').replace(/\s+/g, ' ')).toBe(`for (let i = 0; ${g}, i < n; i++) {}`);
    expect(instrumentLoops('for (;;) {}')).toBe(`for (; ${g};) {}`);
    expect(instrumentLoops('for (a;;) b();')).toBe(`for (a; ${g};) b();`);
  });

  it('finds the header\'s own semicolon past brackets, calls, arrow bodies and templates', () => {
    const src = 'for (let i = [1, 2].map((v) => { return v; })[0], s = `${a}`; i < f({ k: 1 }); i++) {}';
    const out = instrumentLoops(src);
    expect(out).toContain(`\`\${a}\`; ${g}, `);
    expect(out.split(GUARD)).toHaveLength(2);
  });

  it('leaves for-of and for-in headers alone', () => {
    for (const src of ['for (const x of xs) {}', 'for (const k in o) {}', 'for await (const x of stream) {}']) expect(instrumentLoops(src)).toBe(src);
  });

  it('guards nested loops and braces-free bodies', () => {
    const out = instrumentLoops('for (let i = 0; i < 3; i++)\n  for (let j = 0; j < 3; j++)\n    while (k) k--;\n');
    expect(out.split(GUARD)).toHaveLength(4);
  });

  it('keeps every line number: the call goes on the loop\'s own line', () => {
    const src = [
      "import * as tf from '@tensorflow/tfjs';",
      'let n = 0;',
      'while (',
      '  n < 10',
      ') n++;',
      'for (let i = 0;',
      '     i < 3;',
      '     i++) {',
      '  n += i; // MARK9',
      '}',
      'throw new Error("x"); // MARK11',
    ].join('\n');
    const out = instrumentLoops(src);
    expect(out.split('\n')).toHaveLength(src.split('\n').length);
    expect(out.split('\n')[2]).toBe(`while (${g}, `);
    expect(out.split('\n')[8]).toContain('MARK9');
    expect(out.split('\n')[10]).toContain('MARK11');
    // And transpiling the guarded code keeps them too.
    const t = transpile(out);
    expect(t.ok).toBe(true);
    if (t.ok) expect(t.code.split('\n')[10]).toContain('MARK11');
  });

  it('ignores loop words in strings, comments, property names and types', () => {
    const src = "const s = 'while (x) for (;;)'; // while (y)\nobj.while(1); obj.for(2);\ntype T = { while: number };\n";
    expect(instrumentLoops(src)).toBe(src);
  });

  it('calls the guard on every iteration when run', async () => {
    const src = 'let n = 0;\nfor (let i = 0; i < 5; i++) n++;\nwhile (n > 0) n--;\ndo { n++; } while (n < 3);\nfor (;;) { if (n++ > 5) break; }\nexports.n = n;\n';
    const t = transpile(instrumentLoops(src));
    expect(t.ok).toBe(true);
    let calls = 0;
    const exports: Record<string, unknown> = {};
    if (t.ok) new Function('exports', GUARD, t.code)(exports, () => (calls++, true));
    // for: 6 condition checks; while: 6; do-while: 3; for(;;): 4.
    expect(calls).toBe(6 + 6 + 3 + 4);
    expect(exports.n).toBe(7);
  });

  it('stops an endless loop when the guard throws', () => {
    const t = transpile(instrumentLoops('while (true) {}\n'));
    expect(t.ok).toBe(true);
    let calls = 0;
    const stop = () => {
      if (++calls > 1000) throw new Error('time limit');
      return true;
    };
    if (t.ok) expect(() => new Function(GUARD, t.code)(stop)).toThrow('time limit');
  });

  it('leaves code without loops untouched', () => {
    const src = 'export const x = [1, 2, 3].map((v) => v * 2);\n';
    expect(instrumentLoops(src)).toBe(src);
  });
});
