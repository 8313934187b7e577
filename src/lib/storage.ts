/**
 * Safe localStorage. Readers block storage (privacy settings, sandboxed frames, a full quota), and
 * other code on the same origin — or an older version of this site — may have left anything under
 * our keys. So: every access is guarded, nothing here throws, and JSON that does not parse reads
 * as "nothing saved". Callers still validate the *shape* of what they get back.
 */

/** Prefix of every key this site writes, so ours never collide with other apps on the origin. */
export const STORAGE_NAMESPACE = 'atencao-transformers';

/**
 * `atencao-transformers:quiz:v1:pt-BR:pre`. The version is part of the key: when a format changes,
 * bump it and old values are simply never read again.
 */
export function storageKey(area: string, version: number, ...parts: string[]): string {
  return [STORAGE_NAMESPACE, area, `v${version}`, ...parts].join(':');
}

/** The part of the Web Storage API we use; tests pass a fake. */
export type StorageBackend = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SafeStorage {
  /** False when storage is missing or refuses writes; the page should say progress won't be kept. */
  readonly available: boolean;
  /** The parsed value, or `undefined` when missing, not JSON, or storage is unavailable. */
  getJSON(key: string): unknown;
  /** True when the value was written. */
  setJSON(key: string, value: unknown): boolean;
  remove(key: string): void;
}

function browserStorage(): StorageBackend | null {
  // Merely reading `window.localStorage` throws a SecurityError where storage is blocked.
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** A guarded view of `backend()` (the page's localStorage by default). */
export function safeStorage(backend: () => StorageBackend | null | undefined = browserStorage): SafeStorage {
  let store: StorageBackend | null | undefined;
  try {
    store = backend();
  } catch {
    store = null;
  }
  let probed: boolean | undefined;

  return {
    get available() {
      if (probed === undefined) {
        // Some browsers hand out a storage object whose setItem always throws (quota 0).
        const probe = `${STORAGE_NAMESPACE}:probe`;
        try {
          if (!store) throw new Error('no storage');
          store.setItem(probe, '1');
          store.removeItem(probe);
          probed = true;
        } catch {
          probed = false;
        }
      }
      return probed;
    },
    getJSON(key) {
      try {
        const raw = store?.getItem(key);
        return raw == null ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        return undefined;
      }
    },
    setJSON(key, value) {
      try {
        if (!store) return false;
        store.setItem(key, JSON.stringify(value));
        return true;
      } catch {
        return false;
      }
    },
    remove(key) {
      try {
        store?.removeItem(key);
      } catch {
        /* nothing to clean up where we cannot write */
      }
    },
  };
}
