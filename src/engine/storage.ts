import { EngineError } from './errors';
import type { Checkpoint } from './session';

/**
 * Checkpoints in IndexedDB (available in workers): weights, Adam state, step and batch
 * position, plus the options that built the model, so a reload can check it resumes the same
 * model. One object store, keyed by the caller's key; `deleteCheckpoint` removes one (a reset).
 */
const DB = 'attention-engine';
const STORE = 'checkpoints';

export interface StoredCheckpoint extends Checkpoint {
  /** JSON of the ModelOptions that built the model. */
  options: string;
  savedAt: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(key: string, mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  try {
    const db = await open();
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => (db.close(), resolve(req.result as T));
      tx.onerror = tx.onabort = () => (db.close(), reject(tx.error ?? req.error));
    });
  } catch (e) {
    throw new EngineError('storage-failed', { key, detail: e instanceof Error ? e.message : String(e) });
  }
}

export function saveCheckpoint(key: string, c: StoredCheckpoint): Promise<void> {
  return run(key, 'readwrite', (s) => s.put(c, key));
}

export async function loadCheckpoint(key: string): Promise<StoredCheckpoint> {
  const c = await run<StoredCheckpoint | undefined>(key, 'readonly', (s) => s.get(key));
  if (!c) throw new EngineError('not-found', { key });
  return c;
}

/** Remove a checkpoint. Resolves true if there was one under this key, false if not. */
export async function deleteCheckpoint(key: string): Promise<boolean> {
  const count = await run<number>(key, 'readwrite', (s) => {
    const had = s.count(key);
    s.delete(key);
    return had;
  });
  return count > 0;
}
