import { describe, expect, it } from 'vitest';
import { causalMask, MASKED, paddingMask, scaledDotProductAttention, selfAttention, declareSelfAttention } from '../../../src/engine/attention';
import { ParamLayout } from '../../../src/engine/params';
import { Rng } from '../../../src/engine/random';
import { sinusoidalTable } from '../../../src/engine/sinusoid';
import { tf } from './tf';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
};

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

describe('scaled dot-product attention', () => {
  it('matches a small example computed by hand', () => {
    // q = [1, 0]; k = [[1, 0], [0, 1]]; v = [[1, 2], [3, 4]]; d_k = 2
    // scores = [1/√2, 0]; α = softmax = [e^{0.7071}, 1] / (e^{0.7071} + 1) = [0.669762, 0.330238]
    // output = 0.669762·[1, 2] + 0.330238·[3, 4] = [1.660476, 2.660476]
    const q = tf.tensor4d([1, 0], [1, 1, 1, 2]);
    const k = tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
    const v = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const { output, weights } = scaledDotProductAttention(q, k, v);
    close(weights.dataSync(), [0.669762, 0.330238]);
    close(output.dataSync(), [1.660476, 2.660476]);
    tf.dispose([q, k, v, output, weights]);
  });

  it('gives rows that sum to 1, with and without masks', () => {
    const rng = new Rng(7);
    tf.tidy(() => {
      const [q, k, v] = [0, 1, 2].map(() => randomTensor(rng, [2, 3, 5, 4]) as tf.Tensor4D);
      const ids = tf.tensor2d([[5, 6, 7, 0, 0], [5, 6, 7, 8, 9]], [2, 5], 'int32');
      for (const mask of [undefined, causalMask(5), paddingMask(ids), tf.add(causalMask(5), paddingMask(ids))]) {
        const sums = tf.sum(scaledDotProductAttention(q!, k!, v!, mask).weights, -1).dataSync();
        close(sums, new Float32Array(sums.length).fill(1));
      }
    });
  });

  it('ignores padded keys: their weight is 0 and their values change nothing', () => {
    const rng = new Rng(8);
    tf.tidy(() => {
      const q = randomTensor(rng, [1, 2, 4, 3]) as tf.Tensor4D;
      const k = randomTensor(rng, [1, 2, 4, 3]) as tf.Tensor4D;
      const v = randomTensor(rng, [1, 2, 4, 3]) as tf.Tensor4D;
      const mask = paddingMask(tf.tensor2d([[3, 4, 0, 0]], [1, 4], 'int32'));
      const a = scaledDotProductAttention(q, k, v, mask);
      // Replace keys and values at the padded positions 2, 3 with other noise.
      const keep = tf.tensor4d([1, 1, 0, 0], [1, 1, 4, 1]);
      const k2 = tf.add(tf.mul(k, keep), tf.mul(randomTensor(rng, [1, 2, 4, 3]), tf.sub(1, keep)));
      const v2 = tf.add(tf.mul(v, keep), tf.mul(randomTensor(rng, [1, 2, 4, 3]), tf.sub(1, keep)));
      const b = scaledDotProductAttention(q, k2 as tf.Tensor4D, v2 as tf.Tensor4D, mask);
      close(a.output.dataSync(), b.output.dataSync());
      const w = a.weights.arraySync() as number[][][][];
      for (const head of w[0]!) for (const row of head) expect(row[2]! + row[3]!).toBe(0);
    });
  });

  it('holds the causal mask: changing a later token leaves earlier outputs unchanged', () => {
    const rng = new Rng(9);
    const L = new ParamLayout();
    declareSelfAttention(L, 'att', 8);
    const theta = tf.tensor1d(L.initialise(rng));
    tf.tidy(() => {
      const P = L.unpack(theta);
      const x = randomTensor(rng, [1, 5, 8]) as tf.Tensor3D;
      const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 3, 8]), randomTensor(rng, [1, 2, 8])], 1) as tf.Tensor3D;
      const mask = causalMask(5);
      const a = selfAttention(P, 'att', x, 2, mask);
      const b = selfAttention(P, 'att', changed, 2, mask);
      close(tf.slice(a.output, [0, 0, 0], [1, 3, 8]).dataSync(), tf.slice(b.output, [0, 0, 0], [1, 3, 8]).dataSync());
      // …and the last positions do change, so the test can fail.
      expect(tf.max(tf.abs(tf.sub(a.output, b.output))).dataSync()[0]!).toBeGreaterThan(1e-3);
      // Upper triangle of every head is exactly 0.
      const w = a.weights.arraySync() as number[][][][];
      for (const head of w[0]!) head.forEach((row, i) => row.forEach((p, j) => j > i && expect(p).toBe(0)));
    });
    theta.dispose();
  });

  it('uses an additive mask value that underflows to exactly 0', () => {
    expect(Math.exp(MASKED)).toBe(0);
  });
});

describe('positional encodings', () => {
  it('sinusoidal table follows the paper', () => {
    const d = 8;
    const t = sinusoidalTable(4, d);
    expect(t[0]).toBe(0); // sin 0
    expect(t[1]).toBe(1); // cos 0
    close([t[1 * d + 0]!, t[1 * d + 1]!], [Math.sin(1), Math.cos(1)], 1e-6);
    close([t[3 * d + 2]!], [Math.sin(3 / Math.pow(10000, 2 / d))], 1e-6);
  });
});
