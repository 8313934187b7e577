/**
 * How the output area prints values: tensors as `Tensor float32 [2, 3]` plus a preview of at
 * most a few rows and columns, everything else as a short readable string. Pure: the worker
 * reads a tensor's data and hands it here as a plain {shape, dtype, values}.
 */
export interface TensorLike {
  shape: number[];
  dtype: string;
  values: ArrayLike<number | string | boolean>;
}

const EDGE = 3; // items shown at each end of a long axis

function num(v: number | string | boolean): string {
  if (typeof v !== 'number') return JSON.stringify(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

/** Nested preview of a row-major array, eliding the middle of axes longer than 2·EDGE. */
export function previewValues(shape: number[], values: ArrayLike<number | string | boolean>): string {
  if (shape.length === 0) return num(values[0]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (axis: number, offset: number, indent: string): string => {
    const n = shape[axis]!;
    const idx = n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    if (axis === shape.length - 1) {
      return `[${idx.map((i) => (i < 0 ? '…' : num(values[offset + i]!))).join(', ')}]`;
    }
    const inner = idx.map((i) => (i < 0 ? `${indent} …` : walk(axis + 1, offset + i * strides[axis]!, indent + ' ')));
    return `[${inner.join(`,\n${indent} `).replace(/^\s+/, '')}]`;
  };
  return walk(0, 0, '');
}

export function formatTensor(t: TensorLike): string {
  const head = `Tensor ${t.dtype} [${t.shape.join(', ')}]`;
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return `${head} (empty)`;
  return `${head}\n${previewValues(t.shape, t.values)}`;
}

/** Any other value, the way a console would show it, bounded in length. */
export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === 'string') return depth === 0 ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v == null) return String(v);
  if (typeof v === 'function') return `[function ${(v as { name?: string }).name || 'anonymous'}]`;
  if (typeof v === 'symbol') return v.toString();
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (depth > 2) return Array.isArray(v) ? '[…]' : '{…}';
  if (ArrayBuffer.isView(v)) {
    const arr = Array.from(v as unknown as ArrayLike<number>);
    return `${v.constructor.name}(${arr.length}) ${previewValues([arr.length], arr)}`;
  }
  if (Array.isArray(v)) {
    const shown = v.slice(0, 20).map((x) => formatValue(x, depth + 1));
    return `[${shown.join(', ')}${v.length > 20 ? `, … ${v.length - 20} more` : ''}]`;
  }
  const entries = Object.entries(v as object).slice(0, 20);
  return `{ ${entries.map(([k, x]) => `${k}: ${formatValue(x, depth + 1)}`).join(', ')} }`;
}
