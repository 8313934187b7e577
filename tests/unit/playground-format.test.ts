import { describe, expect, it } from 'vitest';
import { formatTensor, formatValue, previewValues } from '../../src/playground/format';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('formatTensor', () => {
  it('heads the preview with dtype and shape', () => {
    expect(formatTensor({ shape: [2, 2], dtype: 'float32', values: [1, 2, 3, 4] })).toBe('Tensor float32 [2, 2]\n[[1, 2],\n [3, 4]]');
  });

  it('prints a scalar as its value', () => {
    expect(formatTensor({ shape: [], dtype: 'float32', values: [0.5] })).toBe('Tensor float32 []\n0.5000');
  });

  it('says when a tensor is empty instead of printing brackets', () => {
    expect(formatTensor({ shape: [0, 3], dtype: 'int32', values: [] })).toBe('Tensor int32 [0, 3] (empty)');
  });

  it('shows the first and last three items of a long axis with an ellipsis between', () => {
    expect(previewValues([10], range(10))).toBe('[0, 1, 2, …, 7, 8, 9]');
    // Exactly 2·3 items: nothing elided.
    expect(previewValues([6], range(6))).toBe('[0, 1, 2, 3, 4, 5]');
    expect(previewValues([7], range(7))).toBe('[0, 1, 2, …, 4, 5, 6]');
  });

  it('elides long rows and long columns of a matrix, keeping row-major order', () => {
    const text = formatTensor({ shape: [8, 8], dtype: 'int32', values: range(64) });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Tensor int32 [8, 8]');
    expect(lines[1]).toBe('[[0, 1, 2, …, 5, 6, 7],');
    expect(lines[4]).toBe('  …,');
    expect(lines.at(-1)).toBe(' [56, 57, 58, …, 61, 62, 63]]');
    expect(lines).toHaveLength(1 + 7); // 3 rows, the ellipsis row, 3 rows
  });

  it('walks rank-3 tensors with the right strides', () => {
    const text = previewValues([2, 2, 2], range(8));
    expect(text).toBe('[[[0, 1],\n  [2, 3]],\n [[4, 5],\n  [6, 7]]]');
  });

  it('stays short for a large tensor', () => {
    const shape = [64, 128, 32];
    const text = formatTensor({ shape, dtype: 'float32', values: new Float32Array(64 * 128 * 32) });
    expect(text.startsWith('Tensor float32 [64, 128, 32]\n')).toBe(true);
    expect(text.length).toBeLessThan(2000);
  });

  it('formats numbers: integers plainly, others to 4 decimals, tiny and huge ones in exponent form', () => {
    expect(previewValues([6], [3, -2, 0.123456, 0, 1e-5, 123456.7])).toBe('[3, -2, 0.1235, 0, 1.000e-5, 1.235e+5]');
  });

  it('quotes string and boolean values', () => {
    expect(formatTensor({ shape: [2], dtype: 'string', values: ['a', 'b c'] })).toBe('Tensor string [2]\n["a", "b c"]');
    expect(previewValues([2], [true, false])).toBe('[true, false]');
  });
});

describe('formatValue', () => {
  it('prints a top-level string as is, nested strings quoted', () => {
    expect(formatValue('héllo مرحبا')).toBe('héllo مرحبا');
    expect(formatValue(['a', 1])).toBe('["a", 1]');
  });

  it('prints primitives, null and undefined like a console', () => {
    expect(formatValue(1.5)).toBe('1.5');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(10n)).toBe('10');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(Symbol('s'))).toBe('Symbol(s)');
  });

  it('names functions and errors', () => {
    expect(formatValue(function embed() {})).toBe('[function embed]');
    expect(formatValue(() => 1)).toBe('[function anonymous]');
    expect(formatValue(new RangeError('too big'))).toBe('RangeError: too big');
  });

  it('prints objects and nested arrays', () => {
    expect(formatValue({ input: [1, 2], weights: [0, 1] })).toBe('{ input: [1, 2], weights: [0, 1] }');
  });

  it('cuts arrays after 20 items and says how many more', () => {
    expect(formatValue(range(25))).toBe(`[${range(20).join(', ')}, … 5 more]`);
  });

  it('shows at most 20 keys of an object', () => {
    const o = Object.fromEntries(range(30).map((i) => [`k${i}`, i]));
    const text = formatValue(o);
    expect(text).toContain('k19: 19');
    expect(text).not.toContain('k20');
  });

  it('stops at depth 3, so a deep or circular structure cannot run away', () => {
    expect(formatValue([[[[1]]]])).toBe('[[[[…]]]]');
    expect(formatValue({ a: { b: { c: { d: 1 } } } })).toBe('{ a: { b: { c: {…} } } }');
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(formatValue(loop)).toBe('{ name: "loop", self: { name: "loop", self: { name: "loop", self: {…} } } }');
  });

  it('previews typed arrays with their type and length', () => {
    expect(formatValue(new Float32Array([0.5, 1]))).toBe('Float32Array(2) [0.5000, 1]');
    expect(formatValue(new Int32Array(range(10)))).toBe('Int32Array(10) [0, 1, 2, …, 7, 8, 9]');
  });
});
