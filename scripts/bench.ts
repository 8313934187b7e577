/**
 * `npm run bench`: the engine's speed, per backend, in headless Chromium (software WebGPU and
 * WebGL here). For the date model and the reference configuration (one encoder layer, d_model 32,
 * 2 heads, FFN 64, batch 64, length 8, Adam) it prints first-step (compile) time, median ms per
 * step after warm-up, time to the accuracy target, peak memory of a step, and achieved matmul
 * FLOP/s over a large matmul's FLOP/s on the same backend; and the straightforward baseline of
 * the reference configuration (tests/engine-harness/naive.ts) side by side, written two ways: a
 * loop over heads with a weight per head, and the textbook form (one projection per role, heads
 * split by reshape and transpose, tf.moments, tf.losses.softmaxCrossEntropy).
 * Results: bench-results/bench-<time>.json. BENCH_BACKENDS=cpu,wasm limits the backends.
 * Experiments: BENCH_ONLY=ref skips the date model; BENCH_ONLY=parts prints, for the reference
 * configuration (or BENCH_OPTIONS='{…session options…}'), ms/step with the fused WebGL kernels on
 * and off, draws and programs per step and a per-program cost; BENCH_ONLY=compare trains both ways
 * and prints losses and output differences; BENCH_ONLY=micro (WebGL) prints fixed costs: a step's
 * JavaScript, a 1-element program, copies, packed matmuls of the reference shapes, packing;
 * BENCH_ONLY=ab takes turns between two forms of the engine in one worker: joined dense layers
 * or not, BENCH_AB=layouts packed layouts between layers or not, BENCH_AB=matmul the engine's
 * blockMatMul or tfjs's matmul (WebGL); BENCH_MINIFY=0 keeps tfjs's class names in profiles.
 */
import { spawn, execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS, WEBGPU_FLAGS } from '../tests/chromium';

const PORT = 4339;
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm,webgl,webgpu').split(',');
const config = 'tests/engine-harness/vite.config.ts';

const REF = {
  task: { task: 'reversal', symbols: 16, minLength: 8, maxLength: 8 },
  model: { kind: 'tagger', dModel: 32, heads: 2, ffn: 64, layers: 1, positional: 'learned', norm: 'post' },
  train: { batchSize: 64, learningRate: 3e-3 },
  seed: 1,
};
const DATES = {
  task: { task: 'dates', locale: 'pt-BR', tokenizer: 'word' },
  train: { batchSize: 32, learningRate: 5e-3 },
  seed: 1,
};

type Row = Record<string, number | string | null>;

async function main() {
  // Its own build folder (engine tests use dist/); BENCH_MINIFY=0 keeps class names for profiles.
  const env = { ...process.env, HARNESS_OUT: 'dist-bench', HARNESS_MINIFY: process.env.BENCH_MINIFY ?? '1' };
  execSync(`npx vite build -c ${config}`, { stdio: 'inherit', env });
  const server = spawn('npx', ['vite', 'preview', '-c', config, '--port', String(PORT)], { stdio: 'ignore', detached: true, env });
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...QUIET_FLAGS, ...WEBGPU_FLAGS] });
  const results: Record<string, Row[]> = {};
  try {
    const page = await browser.newPage();
    if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text().slice(0, 2000)}`));
    for (let i = 0; ; i++) {
      try {
        await page.goto(`http://127.0.0.1:${PORT}/bench.html`);
        break;
      } catch (e) {
        if (i > 40) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    // BENCH_FLAGS='{"WEBGL_PACK":false}' sets tfjs flags in the bench workers (experiments).
    if (process.env.BENCH_FLAGS) await page.evaluate((f) => ((window as unknown as { benchFlags: unknown }).benchFlags = JSON.parse(f)), process.env.BENCH_FLAGS);
    const only = process.env.BENCH_ONLY; // 'ref' skips the date model (experiments)
    for (const backend of BACKENDS) {
      const gpu = backend === 'webgpu';
      const job = (j: object) => page.evaluate(([b, j]) => window.benchJob(b, j as never), [backend, j] as const) as Promise<Row>;
      const rows: Row[] = [];
      const t0 = Date.now();
      if (only === 'parts' || only === 'compare' || only === 'speed' || only === 'micro' || only === 'ab') {
        // BENCH_OPTIONS='{...}' replaces the reference configuration (experiments).
        const options = process.env.BENCH_OPTIONS ? JSON.parse(process.env.BENCH_OPTIONS) : REF;
        console.log(backend, JSON.stringify(await job({ job: only, options, steps: only === 'speed' ? 10 : 8, rounds: Number(process.env.BENCH_ROUNDS ?? 9), ab: process.env.BENCH_AB })));
        await page.evaluate((b) => window.benchDone(b), backend);
        continue;
      }
      try {
        // Engine and baseline take turns, twice, and each reports the mean of its two runs, so
        // a change of load on the machine falls on both. The large-matmul peak runs last: run
        // first, its 4 MB textures slowed every later step by ~15% on SwiftShader WebGL.
        const pair = async (): Promise<Row[]> => {
          const out: Row[] = [];
          out.push(await job({ job: 'engine', name: 'engine: reference', options: REF, warmup: gpu ? 1 : 3, chunks: gpu ? 1 : 8, every: gpu ? 5 : 10,
            target: { metric: 'train-accuracy', value: 0.99, maxMs: gpu ? 10_000 : 60_000, check: 10 } }));
          for (const style of ['loop', 'textbook'] as const) {
            try {
              out.push(await job({ job: 'naive', warmup: gpu ? 1 : 2, steps: gpu ? 4 : 15, embedding: 'gather', style }));
            } catch (e) {
              out.push({ name: `naive${style === 'textbook' ? ', textbook' : ''}`, error: String(e).replace(/^(Error: )+|page.evaluate: /g, '').slice(0, 90) });
              // WASM lacks gather's gradient: measure the baseline with the smallest fix too.
              out.push(await job({ job: 'naive', warmup: 2, steps: gpu ? 6 : 15, embedding: 'onehot', style }));
            }
          }
          return out;
        };
        const first = await pair();
        const second = gpu ? first : await pair();
        const mean = (a: Row, b: Row): Row =>
          a.error ? a : { ...a, msPerStep: ((a.msPerStep as number) + (b.msPerStep as number)) / 2, gflops: ((a.gflops as number) + (b.gflops as number)) / 2, msPerStepRuns: `${(a.msPerStep as number).toFixed(1)}, ${(b.msPerStep as number).toFixed(1)}` };
        const measured = first.map((r, i) => mean(r, second[i]!));
        if (only !== 'ref') measured.push(await job({ job: 'engine', name: 'engine: dates', options: DATES, warmup: gpu ? 1 : 3, chunks: gpu ? 1 : 5, every: gpu ? 3 : 10,
          target: { metric: 'exact-match', value: 0.95, maxMs: gpu ? 5_000 : 90_000, check: 25 } }));
        const mm = await job({ job: 'matmul', n: backend === 'cpu' ? 512 : 1024, reps: gpu ? 2 : 3 });
        const peak = mm.gflops as number;
        for (const r of measured) rows.push(r.error ? r : { ...r, ofPeak: (r.gflops as number) / peak, peakGflops: peak });
      } catch (e) {
        rows.push({ name: 'error', error: String(e).slice(0, 200) });
      }
      await page.evaluate((b) => window.benchDone(b), backend);
      results[backend] = rows;
      console.log(`${backend}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
  print(results);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), configs: { REF, DATES }, results }, null, 2));
  console.log(`\nwritten ${file}`);
}

function print(results: Record<string, Row[]>) {
  const f = (v: unknown, d = 1) => (typeof v === 'number' ? v.toFixed(d) : v == null ? '—' : String(v));
  const lines = [
    '| backend | model | first step ms | ms/step (runs) | kernels/step | time to target s | peak MB | GFLOP/s | of large matmul |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [b, rows] of Object.entries(results)) {
    for (const r of rows) {
      if (r.error) {
        // The first line, without the repeated "Error: " of errors re-thrown across the worker.
        lines.push(`| ${b} | ${r.name} | ${String(r.error).split('\n')[0]!.replace(/^(Error: )+/, '')} | | | | | | |`);
        continue;
      }
      const target = String(r.name).startsWith('naive') ? 'n/a' : r.timeToTargetMs == null ? `not in ${r.targetSteps} steps` : `${f((r.timeToTargetMs as number) / 1000)} (${r.targetSteps} steps)`;
      lines.push(`| ${b} | ${r.name} | ${f(r.firstStepMs, 0)} | ${f(r.msPerStep)}${r.msPerStepRuns ? ` (${r.msPerStepRuns})` : ''} | ${r.kernelsPerStep} | ${target} | ${f((r.peakBytes as number) / 1e6, 2)} | ${f(r.gflops, 2)} | ${f(100 * (r.ofPeak as number), 1)}% of ${f(r.peakGflops, 1)} |`);
    }
    const ref = rows.find((r) => r.name === 'engine: reference');
    for (const naive of rows.filter((r) => r.name?.toString().startsWith('naive') && !r.error)) {
      if (ref) lines.push(`| ${b} | **speed-up vs ${naive.name}** | | **${f((naive.msPerStep as number) / (ref.msPerStep as number))}x** | | | | | |`);
    }
  }
  // The CPU-side target: each side on its fastest CPU-side backend (WASM or CPU), the baseline
  // as written (its one-hot variants are a fix to it, printed above, not the baseline).
  for (const naiveName of ['naive', 'naive, textbook']) {
    const fastest = (name: string) =>
      ['cpu', 'wasm']
        .map((b) => ({ b, r: (results[b] ?? []).find((r) => r.name === name && !r.error && typeof r.msPerStep === 'number') }))
        .filter((x) => x.r)
        .sort((x, y) => (x.r!.msPerStep as number) - (y.r!.msPerStep as number))[0];
    const [e, n] = [fastest('engine: reference'), fastest(naiveName)];
    if (e && n) {
      lines.push(`| ${e.b} vs ${n.b} | **fastest CPU-side: engine on ${e.b} vs ${naiveName} as written on ${n.b}** | | **${f((n.r!.msPerStep as number) / (e.r!.msPerStep as number))}x** | | | | | |`);
    }
  }
  console.log('\n' + lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
