/// <reference lib="webworker" />
// The benchmark's worker: one per backend (fresh tfjs), runs the jobs that scripts/bench.ts asks for.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { startBackend, type BackendName } from '../../src/engine/backend';
import { evaluate } from '../../src/engine/infer';
import { Session, setJoinedDense, type SessionOptions } from '../../src/engine/session';
import { blockMatMulFlops, setBlockMatMul, setPackedLayouts } from '../../src/engine/gpu/dense';
import { buildTask } from '../../src/engine/tasks';
import { Rng } from '../../src/engine/random';
import { buildNaive } from './naive';
import { packed, run as runProgram, setFusedKernels, unpacked } from '../../src/engine/gpu/run';

export type Job =
  | { job: 'start'; backend: BackendName; flags?: Record<string, boolean | number> }
  | { job: 'matmul'; n: number; reps: number }
  | { job: 'engine'; name: string; options: SessionOptions; warmup: number; chunks: number; every: number; target: { metric: 'train-accuracy' | 'exact-match'; value: number; maxMs: number; check: number } }
  | { job: 'naive'; warmup: number; steps: number; embedding: 'gather' | 'onehot'; style?: 'loop' | 'textbook' }
  | { job: 'parts'; options: SessionOptions }
  | { job: 'compare'; options: SessionOptions; steps: number }
  | { job: 'speed'; options: SessionOptions; steps: number }
  | { job: 'micro'; options: SessionOptions }
  | { job: 'ab'; options: SessionOptions };

const scope = self as unknown as DedicatedWorkerGlobalScope;
Error.stackTraceLimit = 60;
const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Matmul FLOPs of one call of `f`, from tfjs's profiler: 2·|out|·K for each (batched) matmul. */
async function matmulFlops(f: () => tf.TensorContainer): Promise<{ flops: number; peakBytes: number; kernels: number }> {
  const before = blockMatMulFlops.total;
  const info = await tf.profile(() => {
    const r = f();
    return r;
  });
  // The engine's own matmuls on WebGL are programs, not tfjs kernels: they count themselves.
  let flops = blockMatMulFlops.total - before;
  for (const k of info.kernels) {
    if (k.name !== 'BatchMatMul' && k.name !== '_FusedMatMul') continue;
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const [a, b] = k.inputShapes as number[][];
    const out = k.outputShapes[0] as number[];
    const batch = size(out.slice(0, -2));
    const K = Math.sqrt((size(a!) * size(b!)) / (batch * size(out)));
    flops += 2 * size(out) * K;
  }
  tf.dispose(info.result as tf.TensorContainer);
  return { flops, peakBytes: info.peakBytes, kernels: info.kernels.length };
}

async function read(t: tf.Tensor): Promise<number> {
  return (await t.data())[0]!;
}

/** Wait for the GPU to finish everything queued: a one-element op run there and read back. */
async function settle(): Promise<void> {
  const t = tf.tidy(() => tf.add(tf.scalar(0), 1));
  await t.data();
  t.dispose();
}

async function run(j: Job): Promise<unknown> {
  switch (j.job) {
    case 'start': {
      return startBackend({ force: j.backend, flags: j.flags });
    }
    case 'parts': {
      // Experiments (BENCH_ONLY=parts): fused WebGL kernels on and off in the same run, by
      // ms/step (10 steps dispatched, then one read), draws per step and which programs ran.
      const out: Record<string, unknown> = {};
      const msPerStep = async (s: Session) => {
        const t0 = now();
        let last: tf.Tensor | undefined;
        for (let i = 0; i < 10; i++) {
          tf.dispose(last);
          last = s.trainStep(false)[0]!;
        }
        await read(last!);
        tf.dispose(last);
        return (now() - t0) / 10;
      };
      const sessions = [true, false].map((on) => {
        setFusedKernels(on);
        return new Session(j.options);
      });
      // Same seed, same batches: the first losses with and without fused kernels.
      const first = [true, false].map((on, i) => {
        setFusedKernels(on);
        return sessions[i]!.fit(3).losses;
      });
      out.firstLosses = first;
      const times: Record<string, number[]> = { fused: [], stock: [] };
      for (let round = 0; round < 4; round++) {
        for (const [i, name] of [[0, 'fused'], [1, 'stock']] as const) {
          setFusedKernels(i === 0);
          times[name]!.push(await msPerStep(sessions[i]!));
        }
      }
      // JS time to dispatch a step (no read; the GPU work runs behind it), each way.
      for (const [i, name] of [[0, 'fused'], [1, 'stock']] as const) {
        setFusedKernels(i === 0);
        const t0 = now();
        const outs: tf.Tensor[] = [];
        for (let k = 0; k < 10; k++) outs.push(sessions[i]!.trainStep(false)[0]!);
        out[`dispatchMs:${name}`] = +((now() - t0) / 10).toFixed(1);
        await read(outs[9]!);
        tf.dispose(outs);
      }
      out.msPerStep = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, +median(v.slice(1)).toFixed(1)]));
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
      if (gl) {
        for (const [i, name] of [[0, 'fused'], [1, 'stock']] as const) {
          setFusedKernels(i === 0);
          let draws = 0;
          const programs: Record<string, number> = {};
          const orig = gl.drawElements.bind(gl);
          gl.drawElements = (...a: Parameters<WebGL2RenderingContext['drawElements']>) => { draws++; orig(...a); };
          const be = tf.backend() as unknown as { runWebGLProgram: (p: object, ...rest: unknown[]) => unknown; texData: { get(id: object): { isPacked?: boolean } } };
          const texData = be.texData;
          const sequence: string[] = [];
          const run = be.runWebGLProgram;
          be.runWebGLProgram = function (p: object, ...rest: unknown[]) {
            const key = p.constructor.name === 'Object' ? `custom[${(p as { outputShape: number[] }).outputShape}]` : p.constructor.name;
            // The fused step's programs in order: output shape ← input shapes, P = packed texture.
            const packedP = (t: { dataId: object }) => (texData.get(t.dataId).isPacked ? 'P' : '');
            const shaped = p as { outputShape: number[]; packedOutput?: boolean };
            if (name === 'fused') sequence.push(`${key}[${shaped.outputShape}]${shaped.packedOutput ? 'P' : ''} ← ${(rest[0] as Array<{ shape: number[]; dataId: object }>).map((t) => `${t.shape}${packedP(t)}`).join(' | ')}`);
            programs[key] = (programs[key] ?? 0) + 1;
            return run.call(this, p, ...rest);
          };
          tf.dispose(sessions[i]!.trainStep(false) as tf.Tensor[]);
          gl.drawElements = orig;
          be.runWebGLProgram = run;
          out[`draws:${name}`] = draws;
          out[`programs:${name}`] = Object.fromEntries(Object.entries(programs).sort((a, b) => b[1] - a[1]));
          if (name === 'fused') out.sequence = sequence;
        }
      }
      // Where a fused step's time goes: each program run REPS times in a row between two syncs
      // (a 1-element add read back, which waits for everything before it), minus the sync's cost.
      if (gl) {
        setFusedKernels(true);
        const be = tf.backend() as unknown as { runWebGLProgram: (p: object, ...rest: unknown[]) => unknown };
        const orig = be.runWebGLProgram;
        const tiny = tf.scalar(1);
        let inSync = false;
        const sync = () => {
          inSync = true;
          tf.tidy(() => tf.add(tiny, 1).dataSync());
          inSync = false;
        };
        sync();
        const t = now();
        for (let i = 0; i < 20; i++) sync();
        const syncMs = (now() - t) / 20;
        const cost: Record<string, number> = {};
        const bySeq: Array<{ key: string; ms: number }> = []; // the same, per program of the step in order
        let seq = 0;
        const REPS = 20;
        be.runWebGLProgram = function (this: { disposeIntermediateTensorInfo(t: unknown): void }, p: object, ...rest: unknown[]) {
          if (inSync) return orig.call(this, p, ...rest);
          sync();
          const t1 = now();
          for (let i = 0; i < REPS; i++) this.disposeIntermediateTensorInfo(orig.call(this, p, ...rest));
          sync();
          const key = `${p.constructor.name === 'Object' ? 'custom' : p.constructor.name}[${(p as { outputShape: number[] }).outputShape}]`;
          const ms = (now() - t1 - syncMs) / REPS / 3;
          cost[key] = (cost[key] ?? 0) + ms;
          bySeq[seq] = { key, ms: (bySeq[seq]?.ms ?? 0) + ms };
          seq++;
          return orig.call(this, p, ...rest);
        };
        for (let i = 0; i < 3; i++) {
          seq = 0;
          tf.dispose(sessions[0]!.trainStep(false) as tf.Tensor[]);
        }
        be.runWebGLProgram = orig;
        tiny.dispose();
        out.syncMs = +syncMs.toFixed(2);
        out.programCostMs = +Object.values(cost).reduce((a, b) => a + b, 0).toFixed(1);
        out.cost = Object.fromEntries(Object.entries(cost).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, +v.toFixed(2)]));
        out.costBySequence = bySeq.map((c, i) => `${i} ${c.key} ${c.ms.toFixed(2)}`);
      }
      // CPU-side backends: kernel time by kernel name (tf.profile times each kernel synchronously).
      if (!gl) {
        const info = await tf.profile(() => sessions[1]!.trainStep(false) as tf.Tensor[]);
        tf.dispose(info.result as tf.Tensor[]);
        const byName: Record<string, number> = {};
        let total = 0;
        for (const k of info.kernels) {
          const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
          const key = `${k.name}[${(k.outputShapes[0] ?? []).join('x')}]`;
          byName[key] = (byName[key] ?? 0) + ms;
          total += ms;
        }
        out.kernelMsTotal = +total.toFixed(2);
        out.kernelMs = Object.fromEntries(Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => [k, +v.toFixed(2)]));
      }
      // The step's matmuls alone (reference tagger shapes, forward and backward), packed inputs.
      {
        const dims: Array<[number, number, number]> = [[512, 32, 96], [512, 32, 32], [512, 32, 64], [512, 64, 32], [512, 32, 21]];
        const ts = dims.map(([n, k, m]) => [tf.randomUniform([n, k]), tf.randomUniform([k, m]), tf.randomUniform([n, m])] as const);
        const all = () => tf.tidy(() => {
          const outs: tf.Tensor[] = [];
          for (const [x, w, dy] of ts) {
            outs.push(tf.matMul(x, w), tf.matMul(dy, w, false, true), tf.matMul(x, dy, true, false));
          }
          return tf.addN(outs.map((o) => tf.sum(o)));
        });
        await read(all());
        const t0 = now();
        let last: tf.Tensor | undefined;
        for (let i = 0; i < 10; i++) { tf.dispose(last); last = all(); }
        await read(last!);
        tf.dispose(last);
        out.matmulsOnlyMs = (now() - t0) / 10;
        tf.dispose(ts.flat());
      }
      setFusedKernels(true);
      sessions.forEach((s) => s.dispose());
      return out;
    }
    case 'ab': {
      // Experiments (BENCH_ONLY=ab): the engine with and without joined dense layers (or, with
      // BENCH_AB=layouts, packed layouts between layers; BENCH_AB=matmul, blockMatMul against tfjs's matmul), taking turns in one worker, 8 rounds
      // of 10 steps (dispatched, then one read) each.
      const ab = (j as { ab?: string }).ab;
      const set = ab === 'layouts' ? setPackedLayouts : ab === 'matmul' ? setBlockMatMul : setJoinedDense;
      const sessions = [true, false].map((on) => {
        set(on);
        return new Session(j.options);
      });
      const times: number[][] = [[], []];
      const rounds = (j as { rounds?: number }).rounds ?? 9;
      for (let round = 0; round < rounds; round++) {
        for (const i of [0, 1]) {
          set(i === 0);
          const t0 = now();
          let last: tf.Tensor | undefined;
          for (let k = 0; k < 10; k++) {
            tf.dispose(last);
            last = sessions[i]!.trainStep(false)[0]!;
          }
          await read(last!);
          tf.dispose(last);
          if (round > 0) times[i]!.push((now() - t0) / 10);
        }
      }
      set(true);
      sessions.forEach((s) => s.dispose());
      return { on: +median(times[0]!).toFixed(1), off: +median(times[1]!).toFixed(1), runs: times.map((t) => t.map((x) => +x.toFixed(1))) };
    }
    case 'micro': {
      // WebGL's fixed and per-size costs (BENCH_ONLY=micro BENCH_BACKENDS=webgl): a training
      // step's JavaScript (dispatch only, the GPU idle before it) and the same step waited for;
      // a 1-element program; copies; packed matmuls of the reference shapes; packing.
      if (tf.getBackend() !== 'webgl') return { error: 'micro measures WebGL only' };
      const out: Record<string, number> = {};
      const time = async (name: string, n: number, f: () => tf.Tensor) => {
        tf.dispose(f());
        await read(tf.tidy(() => tf.sum(f())));
        const t0 = now();
        let last: tf.Tensor | undefined;
        for (let i = 0; i < n; i++) { tf.dispose(last); last = f(); }
        await read(tf.tidy(() => tf.sum(last!)));
        tf.dispose(last);
        out[name] = +((now() - t0) / n).toFixed(3);
      };
      {
        const sess = new Session(j.options);
        for (let i = 0; i < 3; i++) tf.dispose(sess.trainStep(false) as tf.Tensor[]);
        const js: number[] = [];
        const whole: number[] = [];
        for (let i = 0; i < 12; i++) {
          await settle();
          const t0 = now();
          const r = sess.trainStep(false);
          js.push(now() - t0);
          await read(r[0]!);
          whole.push(now() - t0);
          tf.dispose(r as tf.Tensor[]);
        }
        out.stepJsMs = +median(js).toFixed(2);
        out.stepSyncedMs = +median(whole).toFixed(2);
        sess.dispose();
      }
      {
        // JavaScript per call, the GPU idle before: a 1-element custom program, a reshape, an add.
        const x = tf.zeros([512, 32]);
        const small = tf.zeros([1]);
        const js = (name: string, f: () => tf.Tensor) => {
          tf.dispose(f());
          const t0 = now();
          for (let i = 0; i < 200; i++) tf.dispose(f());
          out[name] = +((now() - t0) / 200 * 1000).toFixed(1);
        };
        await settle();
        js('jsUs:run[1]', () => runProgram({ variableNames: ['A'], outputShape: [1], glsl: 'setOutput(getA(0) + 1.0);', wgsl: '' }, [small]));
        await settle();
        js('jsUs:run[512,32]', () => runProgram({ variableNames: ['A'], outputShape: [512, 32], glsl: 'setOutput(getA(c.x, c.y) + 1.0);', wgsl: '' }, [x]));
        await settle();
        js('jsUs:reshape', () => tf.reshape(x, [64, 8, 32]));
        await settle();
        js('jsUs:add', () => tf.add(x, x));
        await settle();
        js('jsUs:tidy(add)', () => tf.tidy(() => tf.add(x, x)));
        await settle();
        tf.dispose([x, small]);
      }
      const one = tf.zeros([1]);
      await time('tiny[1]', 200, () => runProgram({ variableNames: ['A'], outputShape: [1], glsl: 'setOutput(getA(0) + 1.0);', wgsl: 'setOutput(getA(0) + 1.0);' }, [one]));
      const a = tf.randomUniform([512, 32]);
      await time('copy[512,32]', 100, () => runProgram({ variableNames: ['A'], outputShape: [512, 32], glsl: 'setOutput(getA(c.x, c.y) + 1.0);', wgsl: '' }, [a]));
      const big = tf.randomUniform([512, 96]);
      await time('copy[512,96]', 100, () => runProgram({ variableNames: ['A'], outputShape: [512, 96], glsl: 'setOutput(getA(c.x, c.y) + 1.0);', wgsl: '' }, [big]));
      for (const [n, k, m] of [[512, 32, 32], [512, 33, 32], [512, 34, 32], [512, 32, 33], [512, 32, 34], [512, 32, 96], [512, 96, 32], [512, 64, 32], [32, 512, 96]] as const) {
        const x = packed(tf.randomUniform([1, n, k]));
        const w = packed(tf.randomUniform([1, k, m]));
        await time(`matmul ${n}x${k}x${m}`, 50, () => tf.matMul(x, w));
        tf.dispose([x, w]);
      }
      const w2 = tf.randomUniform([32, 96]);
      await time('pack[32,96]', 100, () => packed(w2));
      await time('pack[512,32]', 100, () => packed(a));
      const ap = packed(a);
      await time('unpack[512,32]', 100, () => unpacked(ap));
      tf.dispose([one, a, big, w2, ap]);
      return out;
    }
    case 'speed': {
      // ms per training step for any configuration (BENCH_ONLY=speed BENCH_OPTIONS='{…}').
      const s = new Session(j.options);
      for (let i = 0; i < 3; i++) tf.dispose(s.trainStep(false) as tf.Tensor[]);
      await settle();
      const t0 = now();
      let last: tf.Tensor | undefined;
      for (let i = 0; i < j.steps; i++) {
        tf.dispose(last);
        last = s.trainStep(false)[0]!;
      }
      const loss = await read(last!);
      tf.dispose(last);
      const out = { msPerStep: (now() - t0) / j.steps, params: s.paramCount, vocab: s.task.src.size, loss };
      s.dispose();
      return out;
    }
    case 'compare': {
      // The fused WebGL kernels against tfjs's stock ops on the same backend: the same seed
      // trained `steps` steps each way (losses), then both forward passes on the SAME weights
      // (the fused run's) and one probe batch: logits and every attention map, max |difference|.
      // Async reads throughout: WebGPU cannot read back synchronously in a worker.
      const fit = async (s: Session, on: boolean) => {
        const losses: number[] = [];
        const accuracies: number[] = [];
        for (let i = 0; i < j.steps; i++) {
          setFusedKernels(on);
          const [l, a] = s.trainStep();
          losses.push(await read(l));
          accuracies.push(await read(a!));
          tf.dispose([l, a!]);
        }
        return { s, losses, accuracies };
      };
      // WebGPU reports invalid shaders and bindings as device errors, not exceptions: catch them.
      const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
      const gpuErrors: string[] = [];
      const runs: Array<Awaited<ReturnType<typeof fit>>> = [];
      for (const on of [true, false]) {
        setFusedKernels(on);
        device?.pushErrorScope('validation');
        runs.push(await fit(new Session(j.options), on));
        const err = await device?.popErrorScope();
        if (err) gpuErrors.push(`${on ? 'fused' : 'stock'}: ${err.message.slice(0, 800)}`);
      }
      const [fused, stock] = runs as [(typeof runs)[0], (typeof runs)[0]];
      stock.s.restore(await fused.s.checkpoint());
      const batch = fused.s.nextBatch();
      const outputs = [true, false].map((on, i) => {
        setFusedKernels(on);
        return tf.tidy(() => {
          const r = runs[i]!.s.model.forward(runs[i]!.s.params(), batch);
          return [r.logits, ...Object.keys(r.attention).sort().map((k) => r.attention[k]!)].map((t) => tf.keep(t));
        });
      });
      const diffs: number[] = [];
      for (const [k, a] of outputs[0]!.entries()) {
        const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, outputs[1]![k]!))));
        diffs.push(await read(d));
        d.dispose();
      }
      // Programs a step runs either way (a fused path silently not taken would show here).
      const programs = [true, false].map((on, i) => {
        setFusedKernels(on);
        let n = 0;
        const be = tf.backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
        const key = 'runWebGLProgram' in be ? 'runWebGLProgram' : 'runWebGPUProgram';
        const orig = be[key];
        if (orig) be[key] = function (this: unknown, ...a: unknown[]) { n++; return orig.apply(this, a); };
        tf.dispose(runs[i]!.s.trainStep(false) as tf.Tensor[]);
        if (orig) be[key] = orig;
        return n;
      });
      setFusedKernels(true);
      tf.dispose([...outputs.flat(), ...Object.values(batch)]);
      runs.forEach((r) => r.s.dispose());
      return {
        backend: tf.getBackend(), fusedLosses: fused.losses, stockLosses: stock.losses, fusedAccuracies: fused.accuracies,
        stockAccuracies: stock.accuracies, logitsDiff: diffs[0], attentionDiff: Math.max(0, ...diffs.slice(1)),
        attentionMaps: diffs.length - 1, programs: { fused: programs[0], stock: programs[1] }, gpuErrors,
      };
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
      await settle();
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
      const model = buildNaive(task.src.size, 1, j.embedding, j.style);
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
      return { name: `naive${j.style === 'textbook' ? ', textbook' : ''}${j.embedding === 'gather' ? '' : ' (one-hot embedding)'}`, firstStepMs, msPerStep: ms, kernelsPerStep: prof.kernels, flopsPerStep: prof.flops, gflops: prof.flops / (ms * 1e6), peakBytes: prof.peakBytes, loss };
    }
  }
}

scope.onmessage = async (e: MessageEvent<Job>) => {
  try {
    scope.postMessage({ ok: true, result: await run(e.data) });
  } catch (err) {
    scope.postMessage({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ""}` : String(err) });
  }
};
