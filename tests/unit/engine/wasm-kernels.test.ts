// The faster tfjs-backend-wasm kernels (src/engine/wasm-kernels.ts) against the stock ones, on
// the real wasm backend in Node: same numbers for every transpose combination and slice shape the
// models use, and a training step that gives the same loss both ways.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { fasterWasmKernels } from '../../../src/engine/wasm-kernels';
import { Session } from '../../../src/engine/session';

type Config = NonNullable<ReturnType<typeof tf.getKernel>>;
let stock: Config[] = [];
let fast: Config[] = [];
const NAMES = ['BatchMatMul', 'Slice'];
function use(kernels: Config[]) {
  for (const n of NAMES) tf.unregisterKernel(n, 'wasm');
  for (const k of kernels) tf.registerKernel(k);
}
/** Run `f` with the stock kernels and with the fast ones; both results as plain arrays. */
function both(f: () => tf.Tensor): [number[], number[], number[]] {
  use(stock);
  const a = f();
  use(fast);
  const b = f();
  const out: [number[], number[], number[]] = [Array.from(a.dataSync()), Array.from(b.dataSync()), a.shape];
  tf.dispose([a, b]);
  return out;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  stock = NAMES.map((n) => tf.getKernel(n, 'wasm')!);
  fasterWasmKernels();
  fast = NAMES.map((n) => tf.getKernel(n, 'wasm')!);
});

describe('wasm kernels', () => {
  test('the fast kernels are installed', () => {
    expect(fast[0]!.kernelFunc).not.toBe(stock[0]!.kernelFunc);
    expect(fast[1]!.kernelFunc).not.toBe(stock[1]!.kernelFunc);
  });

  test.each([
    [[2, 3, 5, 4], [2, 3, 5, 6], true, false],
    [[2, 3, 4, 5], [2, 3, 6, 5], false, true],
    [[2, 3, 5, 4], [2, 3, 6, 5], true, true],
    [[7, 4], [7, 9], true, false],
    [[2, 7, 4], [7, 9], true, false],
    [[3, 4], [4, 9], false, false],
  ])('matMul %j x %j (transposeA %s, transposeB %s)', (as, bs, ta, tb) => {
    const a = tf.randomNormal(as, 0, 1, 'float32', 1);
    const b = tf.randomNormal(bs, 0, 1, 'float32', 2);
    const [x, y, shape] = both(() => tf.matMul(a, b, ta, tb));
    expect(shape.length).toBe(Math.max(as.length, bs.length));
    expect(y.length).toBe(x.length);
    y.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 4));
    tf.dispose([a, b]);
  });

  test.each([
    [[4, 6], [1, 2], [2, 3]],
    [[4, 6, 5], [0, 2, 1], [4, 1, 3]],
    [[2, 4, 6, 8], [1, 0, 2, 3], [1, 4, 3, -1]],
    [[3, 9], [0, 0], [-1, 9]],
    [[3, 40], [0, 10], [3, 20]],
  ])('slice %j at %j size %j', (xs, begin, size) => {
    const x = tf.randomNormal(xs, 0, 1, 'float32', 3);
    const [a, b] = both(() => tf.slice(x, begin, size));
    expect(b).toEqual(a);
    x.dispose();
  });

  test('a training step of a small transformer gives the same loss and weights both ways', async () => {
    const opts = { task: { task: 'dates' as const, locale: 'en', tokenizer: 'word' as const }, model: { kind: 'seq2seq' as const, dModel: 16, heads: 2, ffn: 32 }, train: { batchSize: 8 }, seed: 3 };
    const run = async (k: Config[]) => {
      use(k);
      const s = new Session(opts);
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [l, a] = s.trainStep();
        losses.push(l.dataSync()[0]!);
        tf.dispose([l, a ?? []]);
      }
      const { theta } = await s.checkpoint();
      s.dispose();
      return { losses, theta };
    };
    const a = await run(stock);
    const b = await run(fast);
    b.losses.forEach((v, i) => expect(v).toBeCloseTo(a.losses[i]!, 4));
    let worst = 0;
    b.theta.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - a.theta[i]!))));
    expect(worst).toBeLessThan(1e-4);
  });
});
