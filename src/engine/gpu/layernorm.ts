import * as tf from '@tensorflow/tfjs-core';
import { int, onWebGL, run } from './run';

/** Rows per partial sum in the WebGL pass for dg and db. */
const CHUNK = 32;

/**
 * Layer normalisation of h = x (+ r) over the last axis, ε = 1e-5, in two kernels forward and
 * three backward (stock ops: ~9 and ~11, more with the residual add):
 *   stats [N, 2]  (μ, 1/σ) of each row of h
 *   y     [N, d]  (h − μ)/σ · g + b
 * backward, with x̂ = (h − μ)/σ and dx̂ = dy·g:
 *   rows  [N, 2]  (mean dx̂, mean dx̂·x̂)
 *   dh    [N, d]  (dx̂ − mean dx̂ − x̂ · mean dx̂·x̂) / σ      (also the residual's gradient)
 *   dgb   [2, d]  (Σ_n dy·x̂, Σ_n dy): dg and db, which lie side by side in θ as well (two
 *                 programs on WebGL: partial sums over chunks of rows, then their sum)
 */
export function layerNorm(x: tf.Tensor, r: tf.Tensor | null, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const d = shape[shape.length - 1]!;
  const N = x.size / d;
  const D = int(d);
  const hasR = r !== null;
  const h = (row: string, col: string) => (hasR ? `(getX(${row}, ${col}) + getR(${row}, ${col}))` : `getX(${row}, ${col})`);
  const xhat = (row: string, col: string) => `((${h(row, col)} - getS(${row}, 0)) * getS(${row}, 1))`;
  const hNames = hasR ? ['X', 'R'] : ['X'];
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [x2, g1, b1, r2] = args as tf.Tensor[];
    const hInputs = hasR ? [x2!, r2!] : [x2!];
    const stats = run({
      variableNames: hNames,
      outputShape: [N, 2],
      // One pass over the row, on values shifted by its first one (so the variance is not a
      // difference of two large sums): mean = h0 + Σe/d, var = Σe²/d − (Σe/d)², e = h − h0.
      glsl: `
        int n = c.x;
        float h0 = ${h('n', '0')};
        float s1 = 0.0;
        float s2 = 0.0;
        for (int j = 1; j < ${D}; j++) { float e = ${h('n', 'j')} - h0; s1 += e; s2 += e * e; }
        float m = s1 / ${D}.0;
        setOutput(c.y == 0 ? h0 + m : inversesqrt(max(s2 / ${D}.0 - m * m, 0.0) + 1e-5));`,
      wgsl: `
        let n = c.x;
        let h0 = ${h('n', '0')};
        var s1 = 0.0;
        var s2 = 0.0;
        for (var j = 1; j < ${D}; j++) { let e = ${h('n', 'j')} - h0; s1 += e; s2 += e * e; }
        let m = s1 / ${D}.0;
        if (c.y == 0) { setOutput(h0 + m); } else { setOutput(inverseSqrt(max(s2 / ${D}.0 - m * m, 0.0) + 1e-5)); }`,
    }, hInputs); // [N, 2]
    const y = run({
      variableNames: [...hNames, 'S', 'G', 'B'],
      outputShape: [N, d],
      glsl: `
        setOutput(${xhat('c.x', 'c.y')} * getG(c.y) + getB(c.y));`,
      wgsl: `
        setOutput(${xhat('c.x', 'c.y')} * getG(c.y) + getB(c.y));`,
    }, [...hInputs, stats, g1!, b1!]); // [N, d]
    save([x2!, g1!, stats, ...(hasR ? [r2!] : [])]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, ss, rs] = saved;
        const hIn = hasR ? [xs!, rs!] : [xs!];
        const rows = run({
          variableNames: [...hNames, 'S', 'G', 'Dy'],
          outputShape: [N, 2],
          // Both sums in one loop (neighbouring invocations take both branches anyway), the
          // row's statistics read once.
          glsl: `
            int n = c.x;
            float mean = getS(n, 0);
            float rstd = getS(n, 1);
            float s0 = 0.0;
            float s1 = 0.0;
            for (int j = 0; j < ${D}; j++) {
              float dxh = getDy(n, j) * getG(j);
              s0 += dxh;
              s1 += dxh * (${h('n', 'j')} - mean) * rstd;
            }
            setOutput((c.y == 0 ? s0 : s1) / ${D}.0);`,
          wgsl: `
            let n = c.x;
            let mean = getS(n, 0);
            let rstd = getS(n, 1);
            var s0 = 0.0;
            var s1 = 0.0;
            for (var j = 0; j < ${D}; j++) {
              let dxh = getDy(n, j) * getG(j);
              s0 += dxh;
              s1 += dxh * (${h('n', 'j')} - mean) * rstd;
            }
            if (c.y == 0) { setOutput(s0 / ${D}.0); } else { setOutput(s1 / ${D}.0); }`,
        }, [...hIn, ss!, gs!, dy]); // [N, 2]
        const dh = run({
          variableNames: [...hNames, 'S', 'G', 'Dy', 'Q'],
          outputShape: [N, d],
          glsl: `
            float dxh = getDy(c.x, c.y) * getG(c.y);
            setOutput((dxh - getQ(c.x, 0) - ${xhat('c.x', 'c.y')} * getQ(c.x, 1)) * getS(c.x, 1));`,
          wgsl: `
            let dxh = getDy(c.x, c.y) * getG(c.y);
            setOutput((dxh - getQ(c.x, 0) - ${xhat('c.x', 'c.y')} * getQ(c.x, 1)) * getS(c.x, 1));`,
        }, [...hIn, ss!, gs!, dy, rows]); // [N, d]
        // On WebGL in two passes: partial sums over chunks of CHUNK rows [P, 2, d], then their
        // sum. One pass leaves 2·d invocations each looping over all N rows, one after another
        // (measured: 0.7 ms of a 30 ms step for d = 32, N = 512); the chunks run side by side.
        const P = Math.ceil(N / CHUNK);
        const dgb = onWebGL() ? run({
          variableNames: ['Part'],
          outputShape: [2, d],
          glsl: `
            float s = 0.0;
            for (int p = 0; p < ${int(P)}; p++) s += getPart(p, c.x, c.y);
            setOutput(s);`,
          wgsl: '',
        }, [run({
          variableNames: [...hNames, 'S', 'Dy'],
          outputShape: [P, 2, d],
          glsl: `
            int j = c.z;
            float s = 0.0;
            for (int k = 0; k < ${int(CHUNK)}; k++) {
              int n = c.x * ${int(CHUNK)} + k;
              if (n < ${int(N)}) s += c.y == 0 ? getDy(n, j) * ${xhat('n', 'j')} : getDy(n, j);
            }
            setOutput(s);`,
          wgsl: '',
        }, [...hIn, ss!, dy])]) : run({
          variableNames: [...hNames, 'S', 'Dy'],
          outputShape: [2, d],
          glsl: '',
          wgsl: `
            let j = c.y;
            var s = 0.0;
            for (var n = 0; n < ${int(N)}; n++) {
              if (c.x == 0) { s += getDy(n, j) * ${xhat('n', 'j')}; } else { s += getDy(n, j); }
            }
            setOutput(s);`,
        }, [...hIn, ss!, dy]); // [2, d]
        const dg = tf.reshape(tf.slice(dgb, [0, 0], [1, d]), [d]);
        const db = tf.reshape(tf.slice(dgb, [1, 0], [1, d]), [d]);
        return hasR ? [dh, dg, db, dh] : [dh, dg, db];
      },
    };
  }) as never) as unknown as (...t: tf.Tensor[]) => tf.Tensor;
  const x2 = tf.reshape(x, [N, d]);
  const y = hasR ? op(x2, g, b, tf.reshape(r, [N, d])) : op(x2, g, b);
  return tf.reshape(y, shape);
}
