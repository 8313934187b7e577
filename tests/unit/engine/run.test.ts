import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendInfo, BackendName } from '../../../src/engine/backend';
import { EngineError } from '../../../src/engine/errors';
import type { TrainingRun } from '../../../src/engine/run';
import { Runs } from '../../../src/engine/runs';
import type { EngineEvent } from '../../../src/worker/protocol';
import { TINY, tf } from './tf';

// A second, real instance of the cpu backend with the same kernels: it stands in for 'webgl', so a
// move really copies every tensor from one tfjs backend to another.
tf.registerBackend('cpu-moved', () => new MathBackendCPU());
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'cpu-moved' });
const TFJS_NAME: Partial<Record<BackendName, string>> = { cpu: 'cpu', webgl: 'cpu-moved' };

/** startBackend's stand-in: no smoke test, no dynamic import, the same BackendInfo shape. */
async function start(o: { force?: BackendName | null; exclude?: BackendName[]; afterLoss?: boolean } = {}): Promise<BackendInfo> {
  const name = o.force ?? 'cpu';
  if (!TFJS_NAME[name]) throw new EngineError('backend-unavailable', { backend: name, reason: 'init-failed', detail: '' });
  await tf.setBackend(TFJS_NAME[name]!);
  const skipped = (o.exclude ?? []).map((b) => ({ backend: b, reason: 'device-lost' as const, detail: '' }));
  return { backend: name, reason: o.force ? 'forced' : o.afterLoss ? 'device-lost' : 'preferred', skipped, detail: '' };
}

function setup() {
  const events: EngineEvent[] = [];
  const runs = new Runs((e) => events.push(e), start as never);
  /** Resolves once an event matching `f` has been posted (the test's own time limit bounds it). */
  const seen = async (f: (e: EngineEvent) => boolean) => {
    while (!events.some(f)) await new Promise((r) => setTimeout(r, 5));
    return events.find(f)!;
  };
  /** A second model, training, with a first report posted. */
  const training = async () => {
    const r = await runs.create('busy', { ...TINY, seed: 8 } as never);
    r.train({ reportEvery: 2 });
    await seen((e) => e.type === 'progress' && e.modelId === 'busy');
    return r;
  };
  /** `r` is still training: it reports a later step. */
  const goesOn = async (r: TrainingRun) => {
    expect(r.state).toBe('training');
    const at = r.session.step;
    await seen((e) => e.type === 'progress' && e.modelId === r.id && e.step > at);
  };
  /** The page was told of the new backend, and tfjs computes on it. */
  const movedTo = (name: BackendName) => {
    expect(events).toContainEqual(expect.objectContaining({ type: 'backend', backend: name }));
    expect(tf.getBackend()).toBe(TFJS_NAME[name]);
  };
  return { runs, events, seen, training, goesOn, movedTo };
}

const theta = async (r: TrainingRun) => (await r.session.checkpoint()).theta;
/** `r` is at `step` with exactly `weights`. */
const kept = async (r: TrainingRun, step: number, weights: Float32Array) => {
  expect(r.session.step).toBe(step);
  expect(await theta(r)).toEqual(weights);
};

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('TrainingRun: the loop, pause and stop', () => {
  it('trains in the background, pauses at a step boundary, resumes from there, stops', async () => {
    const { runs, events, seen } = setup();
    const r = await runs.create('m', TINY as never);
    expect(r.train({ reportEvery: 2 }).state).toBe('training');
    await seen((e) => e.type === 'progress' && e.step >= 4);
    const paused = await r.halt('paused');
    expect(paused.state).toBe('paused');
    const step = r.session.step;
    expect(step).toBeGreaterThanOrEqual(4);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.session.step, 'no step while paused').toBe(step);
    expect(() => r.train({})).not.toThrow(); // paused is not busy: train restarts the loop
    expect(() => r.train({})).toThrowError(/busy/);
    expect((await r.halt('stopped')).state).toBe('stopped');
    expect(events.filter((e) => e.type === 'state').at(-1)).toMatchObject({ state: 'stopped', modelId: 'm' });
    await runs.dispose('m');
  });

  it('a run of n steps ends done at exactly n, with progress at every report', async () => {
    const { runs, events, seen } = setup();
    const r = await runs.create('m', TINY as never);
    r.train({ steps: 7, reportEvery: 3 });
    await seen((e) => e.type === 'state' && e.state === 'done');
    expect(r.session.step).toBe(7);
    const steps = events.filter((e) => e.type === 'progress').map((e) => (e as { step: number }).step);
    expect(steps).toEqual([3, 6, 7]);
    await runs.dispose('m');
    expect(() => runs.get('m')).toThrowError(EngineError);
  });
});

describe('TrainingRun: a NaN loss goes back to the last good state', () => {
  const poison = async (r: Awaited<ReturnType<Runs['create']>>) => {
    const c = await r.session.checkpoint();
    r.session.restore({ ...c, theta: new Float32Array(c.theta.length).fill(NaN) });
  };

  it('a single step: the error says where it went back to, the weights are the good ones', async () => {
    const { runs } = setup();
    const r = await runs.create('m', TINY as never);
    await r.step(4);
    const good = await theta(r);
    await poison(r);
    const err = await r.step(1).catch((e: unknown) => e as EngineError);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'nan-loss', params: { restoredStep: 4 } });
    await kept(r, 4, good);
    const p = await r.step(1); // still usable
    expect(Number.isFinite(p.loss)).toBe(true);
    await runs.dispose('m');
  });

  it('in the loop: the run fails with restoredStep, and can train again', async () => {
    const { runs, seen } = setup();
    const r = await runs.create('m', TINY as never);
    await r.step(3);
    await poison(r);
    r.train({ reportEvery: 1 });
    const failed = await seen((e) => e.type === 'state' && e.state === 'failed');
    expect(failed).toMatchObject({ error: { code: 'nan-loss', params: { restoredStep: 3 } } });
    expect(r.session.step).toBe(3);
    r.train({ steps: 2 });
    await seen((e) => e.type === 'state' && e.state === 'done');
    expect(r.session.step).toBe(5);
    await runs.dispose('m');
  });
});

describe('Runs: moving to another backend', () => {
  it('a move keeps every run at its step with its weights, and training goes on there', async () => {
    const { runs, training, goesOn, movedTo } = setup();
    await runs.ensureBackend('cpu');
    const idle = await runs.create('idle', TINY as never);
    await idle.step(5);
    const weights = await theta(idle);
    const busy = await training();

    const info = await runs.switchTo('webgl', 'measured');
    expect(info).toMatchObject({ backend: 'webgl', reason: 'measured', measuring: false });
    movedTo('webgl');
    await kept(idle, 5, weights);
    await goesOn(busy);
    await runs.dispose('busy');
    await runs.dispose('idle');
  });

  it('a move to a backend that does not start leaves everything where it was', async () => {
    const { runs } = setup();
    await runs.ensureBackend('cpu');
    const r = await runs.create('m', TINY as never);
    await r.step(2);
    await expect(runs.switchTo('wasm', 'measured')).rejects.toMatchObject({ code: 'backend-unavailable' });
    expect(tf.getBackend()).toBe('cpu');
    expect(r.session.step).toBe(2);
    expect(Number.isFinite((await r.step(1)).loss)).toBe(true);
    await runs.dispose('m');
  });

  it('after a device loss, each run is rebuilt from its last good state and training goes on', async () => {
    const { runs, training, goesOn, movedTo } = setup();
    await runs.ensureBackend('webgl');
    const still = await runs.create('still', TINY as never);
    await still.step(4); // its last good state
    const good = await theta(still);
    for (let i = 0; i < 2; i++) tf.dispose(still.session.trainStep() as tf.Tensor[]); // past it, not kept
    expect(still.session.step).toBe(6);
    const busy = await training();

    await runs.deviceLost({ reason: 'destroyed', message: 'lost on purpose' });
    expect(runs.backend).toMatchObject({ backend: 'cpu', reason: 'device-lost', skipped: [{ backend: 'webgpu', detail: 'destroyed: lost on purpose' }] });
    movedTo('cpu');
    await kept(still, 4, good);
    await goesOn(busy);
    await runs.dispose('busy');
    await runs.dispose('still');
  });
});
