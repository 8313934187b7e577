/// <reference lib="webworker" />
// The benchmark's worker: one per backend (fresh tfjs), runs the jobs that scripts/bench.ts asks for.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { startBackend, type BackendName } from '../../src/engine/backend';
import { evaluate } from '../../src/engine/infer';
import { Session, type SessionOptions } from '../../src/engine/session';
import { buildTask } from '../../src/engine/tasks';
import { Rng } from '../../src/engine/random';
import { buildNaive } from './naive';

export type Job =
  | { job: 'start'; backend: BackendName; flags?: Record<string, boolean | number> }
  | { job: 'matmul'; n: number; reps: number }
  | { job: 'engine'; name: string; options: SessionOptions; warmup: number; chunks: number; every: number; target: { metric: 'train-accuracy' | 'exact-match'; value: number; maxMs: number; check: number } }
  | { job: 'naive'; warmup: number; steps: number; embedding: 'gather' | 'onehot' }
  | { job: 'parts'; options: SessionOptions };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Matmul FLOPs of one call of `f`, from tfjs's profiler: 2·|out|·K for each (batched) matmul. */
async function matmulFlops(f: () => tf.TensorContainer): Promise<{ flops: number; peakBytes: number; kernels: number }> {
  const info = await tf.profile(() => {
    const r = f();
    return r;
  });
  let flops = 0;
  for (const k of info.kernels) {
    if (k.name !== 'BatchMatMul' && k.name !== '_FusedMatMul') continue;
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const [a, b] = k.inputShapes as number[][];
    const out = k.outputShapes[0] as number[];
    const batch = size(out.slice(0, -2));
    const K = Math.sqrt((size(a!) * size(b!)) / (batch * size(out)));
    flops += 2 * size(out) * K;
  }
  return { flops, peakBytes: info.peakBytes, kernels: info.kernels.length };
}

async function read(t: tf.Tensor): Promise<number> {
  return (await t.data())[0]!;
}

async function run(j: Job): Promise<unknown> {
  switch (j.job) {
    case 'start': {
      return startBackend({ force: j.backend, flags: j.flags });
    }
    case 'parts': {
      // Where a step's time goes (experiments): forward only, forward+backward, full step.
      const s = new Session(j.options);
      const batch = s.nextBatch();
      const vars = Object.values(s.params()) as tf.Variable[];
      const fwd = () => tf.tidy(() => s.model.loss(s.params(), batch, false).loss);
      const grad = () => tf.tidy(() => tf.variableGrads(() => s.model.loss(s.params(), batch, false).loss, vars).value);
      const step = () => s.trainStep(false)[0]!;
      const out: Record<string, number> = {};
      for (const [name, f] of [['forward', fwd], ['grads', grad], ['step', step]] as const) {
        for (let i = 0; i < 3; i++) tf.dispose(f());
        const t0 = now();
        let last: tf.Tensor | undefined;
        for (let i = 0; i < 10; i++) {
          tf.dispose(last);
          last = f();
        }
        await read(last!);
        tf.dispose(last);
        out[name] = (now() - t0) / 10;
      }
      s.dispose();
      return out;
    }
    case 'matmul': {
      const a = tf.randomUniform([j.n, j.n]);
      const b = tf.randomUniform([j.n, j.n]);
      const once = async () => {
        const c = tf.matMul(a, b);
        await c.data();
        c.dispose();
      };
      await once(); // compile
      const t0 = now();
      for (let i = 0; i < j.reps; i++) await once();
      const ms = (now() - t0) / j.reps;
      tf.dispose([a, b]);
      return { gflops: (2 * j.n ** 3) / (ms * 1e6), ms };
    }
    case 'engine': {
      const before = tf.memory().numTensors;
      const s = new Session(j.options);
      let t0 = now();
      const [l0, a0] = s.trainStep();
      await read(l0);
      const firstStepMs = now() - t0;
      tf.dispose([l0, a0!]);
      for (let i = 0; i < j.warmup; i++) tf.dispose(s.trainStep(false) as tf.Tensor[]);
      await read(tf.tidy(() => tf.scalar(0)));
      // Steady state as the worker runs it: dispatch `every` steps, read the last loss back.
      const perStep: number[] = [];
      for (let c = 0; c < j.chunks; c++) {
        t0 = now();
        let last: Array<tf.Scalar | null> = [];
        for (let i = 0; i < j.every; i++) {
          tf.dispose(last as tf.Tensor[]);
          last = s.trainStep(i === j.every - 1);
        }
        await read(last[0]!);
        tf.dispose(last as tf.Tensor[]);
        perStep.push((now() - t0) / j.every);
      }
      const prof = await matmulFlops(() => s.trainStep(false) as tf.Tensor[]);
      // Time to target, from fresh weights (same seed), evaluation time excluded.
      s.dispose();
      const t = new Session(j.options);
      let trainMs = 0;
      let reached: number | null = null;
      let score = 0;
      while (trainMs < j.target.maxMs) {
        t0 = now();
        let last: Array<tf.Scalar | null> = [];
        for (let i = 0; i < j.target.check; i++) {
          tf.dispose(last as tf.Tensor[]);
          last = t.trainStep(i === j.target.check - 1);
        }
        const acc = await read(last[1]!);
        tf.dispose(last as tf.Tensor[]);
        trainMs += now() - t0;
        score = j.target.metric === 'train-accuracy' ? acc : (await evaluate(t, 100)).exactMatch;
        if (score >= j.target.value) {
          reached = trainMs;
          break;
        }
      }
      const steps = t.step;
      t.dispose();
      const ms = median(perStep);
      return {
        name: j.name, firstStepMs, msPerStep: ms, kernelsPerStep: prof.kernels, flopsPerStep: prof.flops,
        gflops: prof.flops / (ms * 1e6), peakBytes: prof.peakBytes, timeToTargetMs: reached, targetSteps: steps, finalScore: score,
        leaked: tf.memory().numTensors - before,
      };
    }
    case 'naive': {
      const task = buildTask({ task: 'reversal', symbols: 16, minLength: 8, maxLength: 8 }, 1);
      const model = buildNaive(task.src.size, 1, j.embedding);
      const rng = new Rng(1);
      const batch = () => {
        const b = task.batch(rng, 64, 'tagger');
        return [tf.tensor2d(b.src, [64, 8], 'int32'), tf.tensor2d(b.tgtOut!, [64, 8], 'int32')] as const;
      };
      let [x, y] = batch();
      let t0 = now();
      await model.step(x, y);
      const firstStepMs = now() - t0;
      tf.dispose([x, y]);
      for (let i = 0; i < j.warmup; i++) {
        [x, y] = batch();
        await model.step(x, y);
        tf.dispose([x, y]);
      }
      const times: number[] = [];
      let loss = 0;
      for (let i = 0; i < j.steps; i++) {
        [x, y] = batch();
        t0 = now();
        loss = await model.step(x, y);
        times.push(now() - t0);
        tf.dispose([x, y]);
      }
      [x, y] = batch();
      const prof = await matmulFlops(() => tf.tidy(() => { model.step(x, y); }));
      tf.dispose([x, y]);
      model.dispose();
      const ms = median(times);
      return { name: j.embedding === 'gather' ? 'naive' : 'naive (one-hot embedding)', firstStepMs, msPerStep: ms, kernelsPerStep: prof.kernels, flopsPerStep: prof.flops, gflops: prof.flops / (ms * 1e6), peakBytes: prof.peakBytes, loss };
    }
  }
}

scope.onmessage = async (e: MessageEvent<Job>) => {
  try {
    scope.postMessage({ ok: true, result: await run(e.data) });
  } catch (err) {
    scope.postMessage({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
