import { describe, expect, it } from 'vitest';
import { safeStorage, storageKey, STORAGE_NAMESPACE, type StorageBackend } from '../../src/lib/storage';

/** An in-memory Storage, like the browser's. */
function memory(initial: Record<string, string> = {}): StorageBackend & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
  };
}

/** Storage whose every method throws, like a blocked or sandboxed one. */
const throwing: StorageBackend = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('quota', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
};

describe('storageKey', () => {
  it('puts namespace, area and version first', () => {
    expect(storageKey('quiz', 1, 'pt-BR', 'pre')).toBe(`${STORAGE_NAMESPACE}:quiz:v1:pt-BR:pre`);
  });
});

describe('safeStorage', () => {
  it('round-trips JSON', () => {
    const s = safeStorage(() => memory());
    expect(s.available).toBe(true);
    expect(s.setJSON('k', { a: [1, 2] })).toBe(true);
    expect(s.getJSON('k')).toEqual({ a: [1, 2] });
    s.remove('k');
    expect(s.getJSON('k')).toBeUndefined();
  });

  it('reads a missing key as undefined', () => {
    expect(safeStorage(() => memory()).getJSON('nope')).toBeUndefined();
  });

  it('reads corrupt JSON as undefined instead of throwing', () => {
    const s = safeStorage(() => memory({ k: '{"v":1,"answers":' }));
    expect(s.getJSON('k')).toBeUndefined();
  });

  it('leaves no probe key behind', () => {
    const m = memory();
    expect(safeStorage(() => m).available).toBe(true);
    expect(m.data.size).toBe(0);
  });

  it('survives a storage whose methods all throw', () => {
    const s = safeStorage(() => throwing);
    expect(s.available).toBe(false);
    expect(s.getJSON('k')).toBeUndefined();
    expect(s.setJSON('k', 1)).toBe(false);
    expect(() => s.remove('k')).not.toThrow();
  });

  it('survives merely reaching storage throwing (window.localStorage with cookies blocked)', () => {
    const s = safeStorage(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(s.available).toBe(false);
    expect(s.getJSON('k')).toBeUndefined();
    expect(s.setJSON('k', 1)).toBe(false);
    expect(() => s.remove('k')).not.toThrow();
  });

  it('treats a missing storage as unavailable', () => {
    const s = safeStorage(() => null);
    expect(s.available).toBe(false);
    expect(s.setJSON('k', 1)).toBe(false);
  });

  it('reports a failed write (quota full) as false', () => {
    const m = memory();
    const full = { ...m, setItem: throwing.setItem };
    const s = safeStorage(() => full);
    expect(s.setJSON('k', 'x')).toBe(false);
  });

  it('reports a value JSON cannot encode as a failed write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(safeStorage(() => memory()).setJSON('k', cyclic)).toBe(false);
  });
});
