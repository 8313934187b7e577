import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf } from './engine/tf';
import * as lesson from '../../src/playground/lesson-api';
import { checks } from '../../src/playground/checks';
import { GUARD, instrumentLoops } from '../../src/playground/guard';
import { transpile } from '../../src/playground/transpile';
import { splitExercise } from '../../src/schemas/exercise';
import type { CheckResult } from '../../src/playground/protocol';

/**
 * The exercise checks, in Node on tfjs's cpu backend. For each check: one deliberately wrong
 * variant per usual mistake gets its own message (the √d left out, the causal mask transposed,
 * heads concatenated in the wrong order, pre-norm where post-norm is asked, no 80/10/10…); and
 * each locale's solution passes while its starter fails. Learner code runs the way the sandbox
 * runs it (transpile(instrumentLoops(code)) as an async function of require/exports/…), minus
 * its lockdown and limits; the training exercises really train, on the cpu backend.
 */
const IDS = ['embedding', 'attention', 'masks', 'multihead', 'block', 'classifier', 'mlm', 'decoder'] as const;
// EXERCISE_TAGS=ja limits the per-locale runs while developing (each trains three small models).
const TAGS = (process.env.EXERCISE_TAGS ?? 'en,pt-BR,ja,es,fr,de,ar,zh-CN').split(',');
const AsyncFunction = (async () => {}).constructor as new (...a: string[]) => (...a: unknown[]) => Promise<unknown>;

async function runExercise(source: string) {
  const t = transpile(instrumentLoops(source));
  if (!t.ok) throw new Error(`does not transpile: ${JSON.stringify(t)}`);
  const modules: Record<string, unknown> = { '@tensorflow/tfjs': tf, lesson };
  const require = (name: string) => modules[name] ?? (() => { throw new Error(`no module ${name}`); })();
  const exports: Record<string, unknown> = {};
  const printed: unknown[] = [];
  const displays: Array<{ kind: string; title?: string }> = [];
  const show = {
    line: (_: unknown, o: { title?: string } = {}) => displays.push({ kind: 'line', title: o.title }),
    heatmap: (_: unknown, o: { title?: string } = {}) => displays.push({ kind: 'heatmap', title: o.title }),
    table: (_: unknown, o: { title?: string } = {}) => displays.push({ kind: 'table', title: o.title }),
  };
  const console = { log: (...a: unknown[]) => printed.push(a), info: () => {}, warn: () => {}, error: () => {} };
  await new AsyncFunction('require', 'exports', 'module', 'console', 'show', GUARD, t.code)(require, exports, { exports }, console, show, () => true);
  return { exports, printed, displays };
}

const code = (tag: string, id: string) => splitExercise(readFileSync(`content/${tag}/exercises/${id}.mdx`, 'utf8'));
const passes = (r: CheckResult[]) => r.every((x) => x.pass);
const failed = (r: CheckResult[]) => r.filter((x) => !x.pass).map((x) => x.key);
type T = tf.Tensor;

// --- Correct pieces the wrong variants start from ------------------------------------------------
const sdpa = (q: T, k: T, v: T, mask?: T, scale = (d: number) => 1 / Math.sqrt(d)) =>
  tf.tidy(() => {
    let s = tf.mul(tf.matMul(q, k, false, true), scale(q.shape[3]!));
    if (mask) s = tf.add(s, mask);
    const weights = tf.softmax(s);
    return { weights, output: tf.matMul(weights, v) };
  });
const pe = (T: number, d: number, f: (pos: number, j: number) => number) =>
  tf.tensor2d(Array.from({ length: T * d }, (_, n) => f(Math.floor(n / d), n % d)), [T, d]);
const angle = (pos: number, j: number, d: number) => pos / Math.pow(10000, (j - (j % 2)) / d);
const sinusoid = (T: number, d: number) => pe(T, d, (p, j) => (j % 2 ? Math.cos(angle(p, j, d)) : Math.sin(angle(p, j, d))));
const embed = (ids: T, table: T) => tf.tidy(() => tf.add(tf.gather(table, ids), sinusoid(ids.shape[1]!, table.shape[1]!)));
const causal = (T: number, f = (i: number, j: number) => j > i) => tf.tensor4d(Array.from({ length: T * T }, (_, n) => (f(Math.floor(n / T), n % T) ? lesson.MASKED : 0)), [1, 1, T, T]);
const padMask = (ids: tf.Tensor2D) => tf.tidy(() => tf.reshape(tf.mul(tf.cast(tf.equal(ids, 0), 'float32'), lesson.MASKED), [ids.shape[0], 1, 1, ids.shape[1]]));
const split = (x: T, H: number) => { const [B, S, d] = x.shape as number[]; return tf.transpose(tf.reshape(x, [B!, S!, H, d! / H]), [0, 2, 1, 3]); };
const combine = (x: T) => { const [B, H, S, dh] = x.shape as number[]; return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B!, S!, H! * dh!]); };
type Block = ReturnType<typeof lesson.createTransformerBlock>;
const post = (b: Block, x: tf.Tensor3D, m?: T) => tf.tidy(() => { const h = b.norm1(tf.add(x, b.attention(x, m).output) as tf.Tensor3D); return b.norm2(tf.add(h, b.feedForward(h)) as tf.Tensor3D); });
const pre = (b: Block, x: tf.Tensor3D, m?: T) => tf.tidy(() => { const h = tf.add(x, b.attention(b.norm1(x), m).output) as tf.Tensor3D; return tf.add(h, b.feedForward(b.norm2(h))); });
const meanPool = (x: T, ids: T) => tf.tidy(() => { const keep = tf.expandDims(tf.cast(tf.notEqual(ids, 0), 'float32'), -1); return tf.div(tf.sum(tf.mul(x, keep), 1), tf.maximum(tf.sum(keep, 1), 1)); });
type Model = ReturnType<typeof lesson.createTinyTransformer>;
type Dense = ReturnType<typeof lesson.createDense>;
const classify = (pool = meanPool, masked = true) => (m: Model, h: Dense, ids: tf.Tensor2D) =>
  tf.tidy(() => h.apply(pool(m.layer(m.embed(ids), masked ? padMask(ids) : undefined).output, ids)));
const falling = Array.from({ length: 40 }, (_, i) => 2 * 0.95 ** i);
const maskTokens = (rule: (r: number, rng: lesson.Rng, V: number, id: number) => number, rate = 0.15, skipPad = true) =>
  (ids: number[], rng: lesson.Rng, V: number) => {
    const input = ids.slice();
    const weights = ids.map(() => 0);
    ids.forEach((id, i) => {
      if ((skipPad && id === lesson.PAD_ID) || rng.next() >= rate) return;
      weights[i] = 1;
      input[i] = rule(rng.next(), rng, V, id);
    });
    return { input, labels: ids.slice(), weights };
  };
const bert = (r: number, rng: lesson.Rng, V: number, id: number) => (r < 0.8 ? lesson.MASK_ID : r < 0.9 ? rng.int(5, V) : id);
const pairs = (ids: tf.Tensor2D) => ({ inputs: tf.slice(ids, [0, 0], [ids.shape[0], ids.shape[1] - 1]), targets: tf.slice(ids, [0, 1], [ids.shape[0], ids.shape[1] - 1]) });
const logitsOf = (mask = (T: number): T | undefined => causal(T)) => (m: Model, h: Dense, ids: tf.Tensor2D) => tf.tidy(() => h.apply(m.layer(m.embed(ids), mask(ids.shape[1])).output));
const sample = (scale: (x: number, t: number) => number) => (logits: number[], t: number, rng: lesson.Rng) => {
  if (t === 0) return logits.indexOf(Math.max(...logits));
  const e = logits.map((x) => Math.exp(scale(x, t)));
  let r = rng.next() * e.reduce((a, b) => a + b, 0);
  for (let i = 0; i < e.length; i++) if ((r -= e[i]!) < 0) return i;
  return e.length - 1;
};
const good = {
  embedding: { sinusoid, embed },
  attention: { attention: (q: T, k: T, v: T, m?: T) => sdpa(q, k, v, m) },
  masks: { paddingMask: padMask, causalMask: (T: number) => causal(T) },
  multihead: {
    splitHeads: split,
    combineHeads: combine,
    multiHead: (x: tf.Tensor3D, w: Record<string, tf.Tensor2D>, H: number, m?: T) => tf.tidy(() => {
      const [B, S, d] = x.shape;
      const proj = (t: T, mat: tf.Tensor2D) => tf.reshape(tf.matMul(tf.reshape(t, [B * S, d]), mat), [B, S, d]);
      const a = sdpa(split(proj(x, w.wq!), H), split(proj(x, w.wk!), H), split(proj(x, w.wv!), H), m);
      return { output: proj(combine(a.output), w.wo!), weights: a.weights };
    }),
  },
  block: { postNorm: post, preNorm: pre },
  classifier: { meanPool, classify: classify(), losses: falling, accuracy: 0.8 },
  mlm: { maskTokens: maskTokens(bert), losses: falling },
  decoder: { nextTokenPairs: pairs, logitsOf: logitsOf(), sample: sample((x, t) => x / t), losses: falling },
};

/** Runs `id`'s check on the good exports with `change` applied; returns the failed keys. */
async function withSlip(id: keyof typeof good, change: Record<string, unknown>) {
  const r = await checks[id]!({ ...good[id], ...change });
  return { keys: failed(r), results: r };
}

describe('exercise checks', () => {
  it('has one check per source exercise, and each result names a UI key', async () => {
    expect(Object.keys(checks).sort()).toEqual([...IDS].sort());
    const ui = JSON.parse(readFileSync('i18n/ui/en.json', 'utf8')) as Record<string, string>;
    const src = ['checks.ts', 'checks-train.ts', 'check-tools.ts'].map((f) => readFileSync(`src/playground/${f}`, 'utf8')).join('\n');
    const keys = new Set([...src.matchAll(/key: '(\w+)'/g)].map((m) => m[1]!));
    for (const key of keys) expect(ui[`playground.check.${key}`], key).toBeTruthy();
  });

  it('every check passes the correct pieces', async () => {
    for (const id of IDS) expect(failed(await checks[id]!(good[id])), id).toEqual([]);
  });

  it('fails cleanly when a function is not exported', async () => {
    for (const id of IDS) {
      const r = await checks[id]!({});
      expect(r.find((x) => !x.pass)).toMatchObject({ pass: false, key: 'export' });
    }
  });

  it('turns a throw in the learner\'s function into a failed result', async () => {
    const { results } = await withSlip('embedding', { embed: () => { throw new Error('boom'); } });
    expect(results).toContainEqual({ pass: false, key: 'threw', params: { name: 'embed', message: 'boom' } });
  });

  it('plain results cross postMessage: no functions among the enumerable fields', async () => {
    const r = await checks.attention!({ attention: () => ({}) });
    expect(() => structuredClone(r)).not.toThrow();
  });

  it('embedding: sine and cosine swapped, the exponent by dimension, positions not added, a wrong shape', async () => {
    const swapped = (S: number, d: number) => pe(S, d, (p, j) => (j % 2 ? Math.sin(angle(p, j, d)) : Math.cos(angle(p, j, d))));
    expect((await withSlip('embedding', { sinusoid: swapped })).keys).toEqual(['peSwapped']);
    const byDim = (S: number, d: number) => pe(S, d, (p, j) => (j % 2 ? Math.cos : Math.sin)(p / Math.pow(10000, (2 * j) / d)));
    expect((await withSlip('embedding', { sinusoid: byDim })).keys).toEqual(['peExponent']);
    const off = (S: number, d: number) => pe(S, d, (p, j) => (p === 3 && j === 2 ? 0 : (j % 2 ? Math.cos : Math.sin)(angle(p, j, d))));
    expect((await withSlip('embedding', { sinusoid: off })).results).toContainEqual({ pass: false, key: 'peValue', params: { pos: 3, dim: 2, want: Math.sin(3 / Math.pow(10000, 2 / 8)).toFixed(4), got: '0.0000' } });
    expect((await withSlip('embedding', { embed: (ids: T, table: T) => tf.gather(table, ids) })).keys).toEqual(['noPositions']);
    const shape = await withSlip('embedding', { sinusoid: (S: number, d: number) => tf.zeros([d, S]) });
    expect(shape.results.find((x) => x.key === 'shape')).toMatchObject({ pass: false, params: { want: '[7, 8]', got: '[8, 7]' } });
  });

  it('attention: √d left out, divided by d, softmax over the queries, mask ignored, rows that do not sum to 1', async () => {
    const noScale = await withSlip('attention', { attention: (q: T, k: T, v: T, m?: T) => sdpa(q, k, v, m, () => 1) });
    expect(noScale.keys[0]).toBe('noScale');
    expect(noScale.results.find((x) => x.key === 'noScale')!.params).toEqual({ sqrt: '4' });
    expect((await withSlip('attention', { attention: (q: T, k: T, v: T, m?: T) => sdpa(q, k, v, m, (d) => 1 / d) })).keys[0]).toBe('scaleByD');
    const wrongAxis = (q: T, k: T, v: T, m?: T) => tf.tidy(() => {
      const s = tf.add(tf.div(tf.matMul(q, k, false, true), 4), m!);
      const weights = tf.transpose(tf.softmax(tf.transpose(s, [0, 1, 3, 2])), [0, 1, 3, 2]);
      return { weights, output: tf.matMul(weights, v) };
    });
    expect((await withSlip('attention', { attention: wrongAxis })).keys[0]).toBe('softmaxAxis');
    const ignored = await withSlip('attention', { attention: (q: T, k: T, v: T) => sdpa(q, k, v) });
    expect(ignored.keys[0]).toBe('maskIgnored');
    expect(ignored.results.find((x) => x.key === 'maskIgnored')!.params).toMatchObject({ query: expect.any(Number), key: expect.any(Number) });
    const noSoftmax = (q: T, k: T, v: T, m?: T) => tf.tidy(() => {
      const weights = tf.exp(tf.add(tf.div(tf.matMul(q, k, false, true), 4), m!));
      return { weights, output: tf.matMul(weights, v) };
    });
    expect((await withSlip('attention', { attention: noSoftmax })).keys[0]).toBe('rows');
  });

  it('masks: causal mask transposed, diagonal hidden, padding mask inverted or empty', async () => {
    const transposed = await withSlip('masks', { causalMask: (S: number) => causal(S, (i, j) => j < i) });
    expect(transposed.keys).toEqual(['futureLeaks']);
    expect(transposed.results.find((x) => x.key === 'futureLeaks')!.params).toEqual({ pos: 1, later: 6 });
    expect((await withSlip('masks', { causalMask: (S: number) => causal(S, (i, j) => j >= i) })).keys).toEqual(['causalDiagonal']);
    expect((await withSlip('masks', { causalMask: (S: number) => tf.zeros([1, 1, S, S]) })).keys).toEqual(['futureLeaks']);
    const inverted = (ids: tf.Tensor2D) => tf.tidy(() => tf.reshape(tf.mul(tf.cast(tf.notEqual(ids, 0), 'float32'), lesson.MASKED), [ids.shape[0], 1, 1, ids.shape[1]]));
    expect((await withSlip('masks', { paddingMask: inverted })).keys).toEqual(['padInverted']);
    const empty = await withSlip('masks', { paddingMask: (ids: tf.Tensor2D) => tf.zeros([ids.shape[0], 1, 1, ids.shape[1]]) });
    expect(empty.keys).toEqual(['padLeaks']);
    const rowsNotKeys = await withSlip('masks', { paddingMask: (ids: tf.Tensor2D) => tf.reshape(padMask(ids), [ids.shape[0], 1, ids.shape[1], 1]) });
    expect(rowsNotKeys.results.find((x) => x.key === 'shape' && !x.pass)!.params).toMatchObject({ want: '[2, 1, 1, 6]', got: '[2, 1, 6, 1]' });
  });

  it('multi-head: split across tokens, heads concatenated without the transpose or in reverse order', async () => {
    const [B, S, H] = [2, 5, 4];
    expect((await withSlip('multihead', { splitHeads: (x: T, h: number) => tf.reshape(x, [B, h, S, x.shape[2]! / h]) })).keys).toEqual(['splitOrder']);
    expect((await withSlip('multihead', { combineHeads: (x: T) => tf.reshape(x, [B, S, x.shape[1]! * x.shape[3]!]) })).keys).toEqual(['combineOrder']);
    expect((await withSlip('multihead', { combineHeads: (x: T) => combine(tf.reverse(x, 1)) })).keys).toEqual(['combineOrder']);
    const noProjection = await withSlip('multihead', {
      multiHead: (x: tf.Tensor3D, _w: unknown, h: number, m?: T) => tf.tidy(() => { const a = sdpa(split(x, h), split(x, h), split(x, h), m); return { output: combine(a.output), weights: a.weights }; }),
    });
    expect(noProjection.keys).toContain('close');
    expect(H).toBe(4);
  });

  it('block: pre-norm where post-norm is asked, and the other way round; a missing residual', async () => {
    expect((await withSlip('block', { postNorm: pre })).keys).toEqual(['preForPost']);
    expect((await withSlip('block', { preNorm: post })).keys).toEqual(['postForPre']);
    const noRes = (b: Block, x: tf.Tensor3D, m?: T) => tf.tidy(() => b.norm2(b.feedForward(b.norm1(b.attention(x, m).output))));
    expect((await withSlip('block', { postNorm: noRes })).keys).toEqual(['noResidual']);
  });

  it('classifier: padding counted in the mean, padding seen by attention, low accuracy, a flat loss', async () => {
    const plainMean = (x: T) => tf.mean(x, 1);
    expect((await withSlip('classifier', { meanPool: plainMean, classify: classify(plainMean) })).keys).toEqual(['padCounted', 'padChangesClass']);
    expect((await withSlip('classifier', { classify: classify(meanPool, false) })).keys).toEqual(['padChangesClass']);
    expect((await withSlip('classifier', { accuracy: 0.3 })).results).toContainEqual({ pass: false, key: 'accuracy', params: { want: 50, got: '30' } });
    expect((await withSlip('classifier', { losses: Array(40).fill(1) })).keys).toEqual(['lossDown']);
    expect((await withSlip('classifier', { losses: [1, 0.5] })).results).toContainEqual({ pass: false, key: 'steps', params: { want: 30, got: 2 } });
  });

  it('mlm: no 80/10/10, a wrong rate, padding chosen, a special token as the random word', async () => {
    const always = await withSlip('mlm', { maskTokens: maskTokens(() => lesson.MASK_ID) });
    expect(always.keys).toEqual(['mlm8010']);
    expect(always.results.find((x) => x.key === 'mlm8010')!.params).toEqual({ mask: '100', random: '0', same: '0' });
    expect((await withSlip('mlm', { maskTokens: maskTokens(bert, 0.3) })).keys).toEqual(['mlmRate']);
    expect((await withSlip('mlm', { maskTokens: maskTokens(bert, 0.15, false) })).keys).toEqual(['mlmPad']);
    const special = (r: number, rng: lesson.Rng, _V: number, id: number) => (r < 0.8 ? lesson.MASK_ID : r < 0.9 ? rng.int(0, 5) : id);
    expect((await withSlip('mlm', { maskTokens: maskTokens(special) })).keys).toEqual(['mlmSpecial']);
  });

  it('decoder: targets not shifted or swapped, no causal mask or a transposed one, temperature multiplied, not greedy', async () => {
    const same = (ids: tf.Tensor2D) => { const p = pairs(ids); p.targets.dispose(); return { inputs: p.inputs, targets: tf.clone(p.inputs) }; };
    expect((await withSlip('decoder', { nextTokenPairs: same })).keys).toEqual(['notShifted']);
    expect((await withSlip('decoder', { nextTokenPairs: (ids: tf.Tensor2D) => { const p = pairs(ids); return { inputs: p.targets, targets: p.inputs }; } })).keys).toEqual(['shiftReversed']);
    const open = await withSlip('decoder', { logitsOf: logitsOf(() => undefined) });
    expect(open.keys).toEqual(['futureLeaks']);
    expect((await withSlip('decoder', { logitsOf: logitsOf((S) => causal(S, (i, j) => j < i)) })).keys).toEqual(['futureLeaks']);
    expect((await withSlip('decoder', { sample: sample((x, t) => x * t) })).keys).toEqual(['tempInverted']);
    expect((await withSlip('decoder', { sample: () => 0 })).results).toContainEqual({ pass: false, key: 'greedy', params: { want: 1, got: '0' } });
    expect((await withSlip('decoder', { sample: sample((x) => x) })).keys).toEqual(['sampleDist']);
  });

  for (const tag of TAGS) {
    describe(tag, () => {
      for (const id of IDS) {
        it(`${id}: the solution passes, the starter does not, nothing leaks`, { timeout: 120_000 }, async () => {
          const { starter, solution } = code(tag, id);
          const before = tf.memory().numTensors;
          const t0 = performance.now();
          const sol = await runExercise(solution!);
          const solResults = await checks[id]!(sol.exports);
          const ms = performance.now() - t0;
          process.stdout.write(`[exercise] ${tag}/${id}: solution and check ${(ms / 1000).toFixed(1)} s (cpu backend)\n`);
          expect(solResults.filter((x) => !x.pass), `${tag}/${id}`).toEqual([]);
          const st = await runExercise(starter!);
          expect(passes(await checks[id]!(st.exports)), `${tag}/${id} starter`).toBe(false);
          expect(tf.memory().numTensors - before, 'tensors left after solution, starter and checks').toBe(0);
          // The displays and console output a learner sees exist in every locale.
          expect(sol.displays.length).toBeGreaterThan(0);
          expect(sol.printed.length).toBeGreaterThan(0);
        });
      }
    });
  }
});
