import { expect, test } from '@playwright/test';
import { openEngine, TINY } from './helpers';

/**
 * The engine when things go wrong, in the real worker (cpu backend: deterministic, so a rolled
 * back model can be compared loss for loss with a fresh one replayed to the same step; the
 * out-of-memory test on WebGL too, where tensors are textures):
 * a NaN loss goes back to the last good state; a step or a create that runs out of memory gives
 * the coded error and leaves no tensor behind; a deleted checkpoint is gone.
 */

test('a NaN loss sends the model back to its last good state, and training goes on from there', async ({ page }) => {
  await openEngine(page, 'cpu');
  const r = await page.evaluate(async (opts) => {
    const finite = (d: { steps: Array<Array<{ p: number }>>; attention: Array<{ data: Float32Array }> }) =>
      d.steps.flat().every((g) => Number.isFinite(g.p)) && d.attention.every((a) => Array.from(a.data).every(Number.isFinite));
    const e = window.engine;
    const m = await e.create(opts as never);
    const probe = m.info.probe.text;

    // By hand: 3 good steps, then NaN weights; the next report finds the NaN loss.
    await m.step(3);
    await e.poisonWeights(m.info.modelId);
    const stepError = await m.step(2).then(() => null, (err) => ({ code: err.code, params: err.params }));
    const afterStep = await m.step(1);

    // While training: NaN weights arrive between two steps.
    const failed = new Promise<{ state: string; step: number; error?: { code: string; params: Record<string, number> } }>((res) =>
      m.on('state', (s) => s.state === 'failed' && res(s as never)),
    );
    let reported = 0;
    const progressed = new Promise<void>((res) => m.on('progress', () => ++reported === 5 && res()));
    await m.train({ reportEvery: 1 });
    await progressed;
    await e.poisonWeights(m.info.modelId);
    const state = await failed;
    const decoded = (await m.decode([probe]))[0]!;
    const resumed = await m.step(1);

    // The same model and seed, replayed to the restored step: the next losses must be the same.
    const ref = await e.create(opts as never, { modelId: 'reference' });
    await ref.step(3);
    const refAfterStep = await ref.step(1);
    const restored = state.error!.params.restoredStep!;
    if (restored > 4) await ref.step(restored - 4);
    const refResumed = await ref.step(1);
    return { stepError, afterStep, refAfterStep, state, decodedFinite: finite(decoded), resumed, refResumed };
  }, TINY);

  // By hand: the error says where it diverged and where the model went back to.
  expect(r.stepError).toEqual({ code: 'nan-loss', params: { step: 5, restoredStep: 3 } });
  expect(r.afterStep.step).toBe(4);
  expect(Number.isFinite(r.afterStep.loss)).toBe(true);
  expect(r.afterStep.loss, 'weights, Adam and batch position all came back').toBe(r.refAfterStep.loss);

  // While training: stopped with the coded error, at the restored step.
  expect(r.state.error!.code).toBe('nan-loss');
  const { step, restoredStep } = r.state.error!.params;
  expect(restoredStep).toBeGreaterThanOrEqual(4 + 5 - 1);
  expect(restoredStep).toBeLessThan(step!);
  expect(r.state.step).toBe(restoredStep);
  // Still usable: decoding gives numbers, and training resumes where the good state was.
  expect(r.decodedFinite).toBe(true);
  expect(r.resumed.step).toBe(restoredStep! + 1);
  expect(Number.isFinite(r.resumed.loss)).toBe(true);
  expect(r.resumed.loss).toBe(r.refResumed.loss);
});

for (const backend of ['cpu', 'webgl']) {
  test(`${backend}: out of memory in a step or a create: a coded error, no tensor left behind, a smaller model works`, async ({ page }) => {
    const info = await openEngine(page, backend);
    test.skip(info.backend !== backend, `no ${backend} here`);
    const r = await page.evaluate(async (opts) => {
      const e = window.engine;
      const tensors = async () => (await e.memory()).numTensors;
      const code = (err: { code: string; params: Record<string, unknown> }) => ({ code: err.code, params: err.params });
      const empty = await tensors();
      const m = await e.create(opts as never);
      await m.step(2);
      const created = await tensors();

      // A step request whose forward pass fails (WebGL's message), mid-way through its kernels.
      await e.failNext('step', 'WebGL Error: OUT_OF_MEMORY', 40);
      const stepError = await m.step(1).then(() => null, code);
      const afterStepError = await tensors();

      // During training, later in a step (WebGPU-like message).
      await e.failNext('step', 'Failed to allocate buffer: out of memory', 300);
      const failed = new Promise<{ state: string; step: number; error?: { code: string; params: Record<string, unknown> } }>((res) =>
        m.on('state', (s) => s.state === 'failed' && res(s as never)),
      );
      await m.train({ reportEvery: 5 });
      const state = await failed;
      const afterTrainError = await tensors();
      const next = await m.step(1); // the model is still there, from its good state
      await m.dispose();
      const disposed = await tensors();

      // A model that does not fit: create fails, nothing of it stays.
      await e.failNext('create', 'Out of memory', 6);
      const createError = await e.create({ ...opts, model: { dModel: 64, heads: 4, ffn: 256 } } as never).then(() => null, code);
      const afterCreateError = await tensors();

      // A smaller one then trains.
      const small = await e.create({ ...opts, model: { dModel: 8, heads: 2, ffn: 16 } } as never);
      const done = new Promise<{ state: string; step: number }>((res) => small.on('state', (s) => s.state === 'done' && res(s)));
      const losses: number[] = [];
      small.on('progress', (p) => losses.push(p.loss));
      await small.train({ steps: 6, reportEvery: 2 });
      const smallDone = await done;
      return { empty, created, stepError, afterStepError, state, afterTrainError, next, disposed, createError, afterCreateError, smallDone, losses };
    }, TINY);
    console.log(JSON.stringify(r));

    expect(r.stepError).toEqual({ code: 'out-of-memory', params: { backend, detail: 'WebGL Error: OUT_OF_MEMORY', restoredStep: 2 } });
    expect(r.afterStepError, 'tensors after a failed step').toBe(r.created);

    expect(r.state.error).toMatchObject({ code: 'out-of-memory', params: { backend } });
    expect(r.state.step).toBe(r.state.error!.params.restoredStep);
    expect(r.afterTrainError, 'tensors after a step that failed while training').toBe(r.created);
    expect(r.next.step).toBe((r.state.error!.params.restoredStep as number) + 1);
    expect(Number.isFinite(r.next.loss)).toBe(true);
    expect(r.disposed).toBe(r.empty);

    expect(r.createError).toEqual({ code: 'out-of-memory', params: { backend, detail: 'Out of memory' } });
    expect(r.afterCreateError, 'tensors after a create that failed').toBe(r.empty);
    expect(r.smallDone.step).toBe(6);
    expect(r.losses).toHaveLength(3);
    expect(r.losses.every(Number.isFinite)).toBe(true);
  });
}

test('a deleted checkpoint is gone: load says not-found and a restore starts from step 0', async ({ page }) => {
  await openEngine(page, 'cpu');
  const r = await page.evaluate(async (opts) => {
    const e = window.engine;
    const m = await e.create(opts as never);
    await m.step(3);
    const saved = await m.save('delete-test');
    const deleted = await e.deleteCheckpoint('delete-test');
    const again = await e.deleteCheckpoint('delete-test');
    const load = await m.load('delete-test').then(() => null, (err) => err.code);
    // A delete sent right after a save (not awaited) still wins: requests on a key keep their
    // order. (On cpu the save is quick enough to win anyway; on a GPU its read-back is not.)
    const pending = m.save('delete-race');
    const raced = await e.deleteCheckpoint('delete-race');
    await pending;
    const loadRaced = await m.load('delete-race').then(() => null, (err) => err.code);
    return { saved, deleted, again, load, raced, loadRaced };
  }, TINY);
  expect(r.saved).toEqual({ key: 'delete-test', step: 3 });
  expect(r.deleted).toEqual({ key: 'delete-test', deleted: true });
  expect(r.again).toEqual({ key: 'delete-test', deleted: false });
  expect(r.load).toBe('not-found');
  expect(r.raced).toEqual({ key: 'delete-race', deleted: true });
  expect(r.loadRaced).toBe('not-found');

  // After a reload, a restore from the deleted key finds nothing: a fresh model at step 0.
  await page.reload();
  await openEngine(page, 'cpu');
  const step = await page.evaluate(async (opts) => (await window.engine.create(opts as never, { restore: 'delete-test' })).info.step, TINY);
  expect(step).toBe(0);
});
