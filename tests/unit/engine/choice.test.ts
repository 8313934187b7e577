import { describe, expect, it } from 'vitest';
import {
  budgetMs, fastest, isStale, measureAll, parseStored, readVerdict, sizeClass, withVerdict, type Timing, type Verdict,
} from '../../../src/engine/choice';
import type { BackendInfo, BackendName } from '../../../src/engine/backend';
import { BackendChooser, deviceKey, VERDICTS_KEY, type ChooserHost } from '../../../src/worker/chooser';
import { createEngineClient } from '../../../src/worker/client';
import { safeStorage, type StorageBackend } from '../../../src/lib/storage';
import type { ModelInfo, ModelOptions, Progress } from '../../../src/worker/protocol';

const ms = (backend: BackendName, msPerStep: number): Timing => ({ backend, msPerStep });

describe('fastest: the measured winner, with a margin', () => {
  it('picks the clearly fastest backend', () => {
    expect(fastest([ms('wasm', 20), ms('webgl', 50), ms('cpu', 110)], 'wasm')).toBe('wasm');
    expect(fastest([ms('wasm', 20), ms('webgl', 8), ms('cpu', 110)], 'wasm')).toBe('webgl');
  });
  it('a tie or a lead inside the noise keeps the current backend', () => {
    expect(fastest([ms('wasm', 20), ms('webgl', 20)], 'wasm')).toBe('wasm');
    expect(fastest([ms('wasm', 20), ms('webgl', 17)], 'wasm')).toBe('wasm');
    expect(fastest([ms('wasm', 20), ms('webgl', 16)], 'wasm')).toBe('webgl');
  });
  it('lower bounds and skipped backends never win; nothing measured keeps the current one', () => {
    const cut: Timing = { backend: 'webgpu', atLeastMs: 1, skipped: 'too-slow' };
    expect(fastest([ms('wasm', 20), cut, { backend: 'webgl', skipped: 'missing-kernel' }], 'wasm')).toBe('wasm');
    expect(fastest([{ backend: 'wasm', skipped: 'failed' }], 'wasm')).toBe('wasm');
    // The current backend failed to measure: any measured one is better than an unknown.
    expect(fastest([{ backend: 'wasm', skipped: 'failed' }, ms('cpu', 100)], 'wasm')).toBe('cpu');
  });
});

describe('measureAll', () => {
  it('measures the current backend first, gives the others a budget from it, and goes on past a failure', async () => {
    const calls: Array<[BackendName, number]> = [];
    const timings = await measureAll('wasm', async (b, budget) => {
      calls.push([b, budget]);
      if (b === 'webgl') throw new Error('CONTEXT_LOST_WEBGL while measuring');
      return ms(b, b === 'wasm' ? 15 : 40);
    });
    // WASM measured: the cpu backend (the same work in plain JavaScript) is not measured.
    expect(calls.map((c) => c[0])).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(calls[1]![1]).toBe(budgetMs(15));
    expect(timings.find((t) => t.backend === 'webgl')).toMatchObject({ skipped: 'failed', detail: expect.stringContaining('CONTEXT_LOST') });
    expect(timings.find((t) => t.backend === 'webgpu')?.msPerStep).toBe(40);
  });
  it('measures the cpu backend where WASM failed, or when it is the one running', async () => {
    const failed = await measureAll('wasm', async (b) => {
      if (b === 'wasm') throw new Error('no WebAssembly here');
      return ms(b, 50);
    });
    expect(failed.map((t) => t.backend)).toEqual(['wasm', 'webgl', 'webgpu', 'cpu']);
    const fromCpu = await measureAll('cpu', async (b) => ms(b, 20));
    expect(fromCpu.map((t) => t.backend)).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  });
  it('budgets stay within their bounds', () => {
    expect(budgetMs(1)).toBe(2000);
    expect(budgetMs(1000)).toBe(5000);
    expect(budgetMs(30)).toBe(3000);
    expect(budgetMs(Infinity)).toBe(5000);
  });
});

describe('remembered verdicts', () => {
  const v: Verdict = { backend: 'wasm', timings: [ms('wasm', 12), ms('webgl', 50)], at: 1 };
  it('round-trips per device and size', () => {
    const table = withVerdict(undefined, 'dev', 'p20t18', v);
    expect(readVerdict(JSON.parse(JSON.stringify(table)), 'dev', 'p20t18')).toEqual(v);
    expect(readVerdict(table, 'other-device', 'p20t18')).toBeUndefined();
    expect(readVerdict(table, 'dev', 'p22t18')).toBeUndefined();
  });
  it('corrupt, foreign or old entries read as none', () => {
    for (const raw of [null, 'garbage', 42, [], { v: 0, entries: { 'dev|s': v } }, { v: 1, entries: 'x' }]) {
      expect(readVerdict(raw, 'dev', 's')).toBeUndefined();
    }
    const bad = { v: 1, entries: { 'dev|s': { backend: 'quantum', timings: [], at: 1 }, 'dev|t': { ...v, timings: [{ backend: 'wasm', msPerStep: 'fast' }] } } };
    expect(parseStored(bad).entries).toEqual({});
  });
  it('keeps the newest entries only', () => {
    let table: unknown;
    for (let i = 0; i < 30; i++) table = withVerdict(table, 'dev', `s${i}`, { ...v, at: i });
    const entries = parseStored(table).entries;
    expect(Object.keys(entries)).toHaveLength(24);
    expect(entries['dev|s0']).toBeUndefined();
    expect(entries['dev|s29']).toBeDefined();
  });
  it('a winner that now runs far slower than remembered is stale', () => {
    expect(isStale(v, 20)).toBe(false);
    expect(isStale(v, 100)).toBe(true);
  });
  it('size classes group models of about the same cost', () => {
    expect(sizeClass({ paramCount: 10_000, tokensPerStep: 512 })).toBe(sizeClass({ paramCount: 10_400, tokensPerStep: 512 }));
    expect(sizeClass({ paramCount: 10_000, tokensPerStep: 512 })).not.toBe(sizeClass({ paramCount: 40_000, tokensPerStep: 512 }));
  });
});

/** An in-memory localStorage. */
function memoryStorage(init: Record<string, string> = {}): StorageBackend & { data: Record<string, string> } {
  const data = { ...init };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, val) => void (data[k] = val), removeItem: (k) => void delete data[k] };
}

const INFO = { modelId: 'm1', paramCount: 12_000, maxInput: 12, maxOutput: 12, train: { batchSize: 32 } } as unknown as ModelInfo;
const OPTIONS = { task: { task: 'reversal' } } as unknown as ModelOptions;
const size = sizeClass({ paramCount: 12_000, tokensPerStep: 32 * 12 });

function fakeHost(times: Partial<Record<BackendName, number | Error>>, start: BackendName = 'wasm') {
  let current: BackendInfo = { backend: start, reason: 'starter', skipped: [], detail: '' };
  const moves: Array<[BackendName, string]> = [];
  const announced: BackendInfo[] = [];
  const probed: BackendName[] = [];
  const host: ChooserHost = {
    current: () => current,
    async move(backend, reason, timings) {
      moves.push([backend, reason]);
      current = { backend, reason, timings, skipped: [], detail: '' };
      return current;
    },
    announce: (i) => announced.push(i),
    async probe(backend) {
      probed.push(backend);
      const t = times[backend];
      if (t instanceof Error) throw t;
      if (t === undefined) return { backend, skipped: 'no-adapter', detail: 'requestAdapter() returned null' };
      return { backend, msPerStep: t };
    },
    busy: () => false,
  };
  return { host, moves, announced, probed, now: () => current };
}

describe('BackendChooser (the page side), with injected timings', () => {
  it('no verdict: measures every candidate while training, moves to the fastest and remembers it', async () => {
    const store = memoryStorage();
    const h = fakeHost({ wasm: 20, webgl: 9, cpu: 100 });
    const c = new BackendChooser(h.host, safeStorage(() => store));
    await c.created(INFO);
    expect(h.moves).toEqual([]);
    let listener: ((p: Progress) => void) | undefined;
    c.training(INFO, OPTIONS, (f) => ((listener = f), () => (listener = undefined)));
    expect(h.probed).toEqual([]); // not before the run's first report
    listener!({ stepsPerSec: 50 } as Progress);
    await c.measure(INFO, OPTIONS); // joins the measurement that report started
    expect(h.announced[0]?.measuring).toBe(true);
    expect(h.probed).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(h.moves).toEqual([['webgl', 'measured']]);
    expect(h.now().timings?.find((t) => t.backend === 'webgpu')?.skipped).toBe('no-adapter');
    const saved = readVerdict(JSON.parse(store.data[VERDICTS_KEY]!), deviceKey(), size);
    expect(saved?.backend).toBe('webgl');
  });

  it('a remembered verdict: the model moves there before training, nothing is measured', async () => {
    const verdict: Verdict = { backend: 'cpu', timings: [ms('cpu', 5), ms('wasm', 20)], at: 1 };
    const store = memoryStorage({ [VERDICTS_KEY]: JSON.stringify(withVerdict(undefined, deviceKey(), size, verdict)) });
    const h = fakeHost({ wasm: 20, cpu: 5 });
    const c = new BackendChooser(h.host, safeStorage(() => store));
    await c.created(INFO);
    expect(h.moves).toEqual([['cpu', 'remembered']]);
    let listener: ((p: Progress) => void) | undefined;
    c.training(INFO, OPTIONS, (f) => ((listener = f), () => (listener = undefined)));
    listener!({ stepsPerSec: 150 } as Progress); // first report: ignored (includes the start)
    listener!({ stepsPerSec: 150 } as Progress); // 6.7 ms a step: as remembered
    expect(h.probed).toEqual([]);
  });

  it('a stale remembered verdict is measured again, and the run moves off it', async () => {
    const verdict: Verdict = { backend: 'cpu', timings: [ms('cpu', 1), ms('wasm', 20)], at: 1 };
    const store = memoryStorage({ [VERDICTS_KEY]: JSON.stringify(withVerdict(undefined, deviceKey(), size, verdict)) });
    const h = fakeHost({ wasm: 20, cpu: 100 });
    const c = new BackendChooser(h.host, safeStorage(() => store));
    await c.created(INFO);
    let listener: ((p: Progress) => void) | undefined;
    c.training(INFO, OPTIONS, (f) => ((listener = f), () => (listener = undefined)));
    listener!({ stepsPerSec: 10 } as Progress);
    listener!({ stepsPerSec: 10 } as Progress); // 100 ms a step against 1 remembered
    await c.measure(INFO, OPTIONS); // joins the measurement the stale check started
    expect(h.probed[0]).toBe('cpu');
    expect(h.moves.at(-1)).toEqual(['wasm', 'measured']);
  });

  it('corrupt storage is ignored: the page measures as if nothing were remembered, and stores a clean table', async () => {
    const store = memoryStorage({ [VERDICTS_KEY]: '{"v":1,"entries":{"x|y":{"backend":' });
    const h = fakeHost({ wasm: 10, webgl: 30 });
    const c = new BackendChooser(h.host, safeStorage(() => store));
    await c.created(INFO);
    await c.measure(INFO, OPTIONS);
    expect(h.moves).toEqual([['wasm', 'measured']]);
    expect(Object.keys(parseStored(JSON.parse(store.data[VERDICTS_KEY]!)).entries)).toHaveLength(1);
  });

  it('a candidate that fails while measured is skipped with its reason; a tie keeps the current backend', async () => {
    const h = fakeHost({ wasm: 20, webgl: new Error('device lost'), webgpu: 20, cpu: 120 });
    const c = new BackendChooser(h.host, safeStorage(() => memoryStorage()));
    await c.measure(INFO, OPTIONS);
    expect(h.moves).toEqual([['wasm', 'measured']]);
    expect(h.now().timings?.find((t) => t.backend === 'webgl')).toMatchObject({ skipped: 'failed', detail: 'device lost' });
  });

  it('does not move a model while another model of the page trains', async () => {
    const verdict: Verdict = { backend: 'cpu', timings: [ms('cpu', 5)], at: 1 };
    const store = memoryStorage({ [VERDICTS_KEY]: JSON.stringify(withVerdict(undefined, deviceKey(), size, verdict)) });
    const h = fakeHost({});
    h.host.busy = () => true;
    await new BackendChooser(h.host, safeStorage(() => store)).created(INFO);
    expect(h.moves).toEqual([]);
  });
});

describe('a forced backend is never measured', () => {
  it('createEngineClient with a backend sends no order and measures nothing', async () => {
    const sent: Array<{ type: string; order?: unknown; backend?: unknown }> = [];
    const worker = {
      onmessage: null as ((e: MessageEvent) => void) | null,
      postMessage(m: { id: number; type: string }) {
        sent.push(m);
        const result =
          m.type === 'init' ? { backend: 'cpu', reason: 'forced', skipped: [], detail: '' }
          : m.type === 'create' ? { ...INFO, backend: 'cpu' }
          : m.type === 'train' ? { modelId: 'm1', state: 'training', step: 0 }
          : null;
        queueMicrotask(() => this.onmessage?.({ data: { type: 'reply', id: m.id, ok: true, result } } as MessageEvent));
      },
      terminate() {},
    };
    const client = createEngineClient({ backend: 'cpu', worker: worker as unknown as Worker });
    const m = await client.create(OPTIONS);
    await m.train({ steps: 10 });
    expect(sent[0]).toMatchObject({ type: 'init', backend: 'cpu' });
    expect(sent[0]!.order).toBeUndefined();
    expect(sent.map((s) => s.type)).toEqual(['init', 'create', 'train']);
  });
});
