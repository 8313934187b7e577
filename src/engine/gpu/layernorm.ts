import * as tf from '@tensorflow/tfjs-core';
import { int, isPacked, onWebGL, packed, run } from './run';

/** Rows per partial sum in the WebGL pass for dg and db. */
const CHUNK = 32;

/** Σ over P partial sums [P, 2, d] → [2, d] (WebGL). */
function sumParts(part: tf.Tensor, P: number, d: number): tf.Tensor {
  return run({
    variableNames: ['Part'],
    outputShape: [2, d],
    glsl: `
      float s = 0.0;
      for (int p = 0; p < ${int(P)}; p++) s += getPart(p, c.x, c.y);
      setOutput(s);`,
    wgsl: '',
  }, [part]); // [2, d]
}

type NormOp = (...t: tf.Tensor[]) => tf.Tensor;

/** The gradients a norm op returns, from dh [N, d] and dgb = [dg; db] [2, d]: for x, g, b (and r). */
function normGrads(dh: tf.Tensor, dgb: tf.Tensor, d: number, hasR: boolean): tf.Tensor[] {
  const dg = tf.reshape(tf.slice(dgb, [0, 0], [1, d]), [d]);
  const db = tf.reshape(tf.slice(dgb, [1, 0], [1, d]), [d]);
  return hasR ? [dh, dg, db, dh] : [dh, dg, db];
}

/** op(x, g, b[, r]) on [N, d] views of x and r, reshaped back to x's shape. */
function applyNorm(op: NormOp, x: tf.Tensor, r: tf.Tensor | null, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const d = x.shape[x.shape.length - 1]!;
  const N = x.size / d;
  const x2 = tf.reshape(x, [N, d]);
  const y = r !== null ? op(x2, g, b, tf.reshape(r, [N, d])) : op(x2, g, b);
  return tf.reshape(y, x.shape);
}

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
  const d = x.shape[x.shape.length - 1]!;
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
        const dgb = onWebGL() ? sumParts(run({
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
        }, [...hIn, ss!, dy]), P, d) : run({
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
        return normGrads(dh, dgb, d, hasR);
      },
    };
  }) as never) as unknown as NormOp;
  return applyNorm(op, x, r, g, b);
}

/**
 * Whether layerNormPacked runs: on WebGL, rows and width even, the inputs already packed (the
 * embedding, an output projection with Layout 'packed', a previous packed layer norm), where
 * packing them here would cost the program it saves.
 */
export function layerNormPacks(x: tf.Tensor, r: tf.Tensor | null): boolean {
  const d = x.shape[x.shape.length - 1]!;
  const N = x.size / d;
  return onWebGL() && N % 2 === 0 && d % 2 === 0 && isPacked(x) && (r === null || isPacked(r));
}

/**
 * layerNorm with every tensor in packed 2×2 blocks (WebGL): x, r, y, dy and dh [N, d]; the row
 * statistics and row sums [N, 2] hold rows n and n+1 in one texel, (a_n, b_n, a_n+1, b_n+1);
 * g and b together as [2, d]. Each invocation handles two rows and two columns, so the per-row loops
 * read half the texels they read unpacked, and y and dh, written packed, go to the next
 * layer's matmul (and the output projection's backward pass) with no conversion. The partial
 * sums for dg and db read packed and write plain, as their sum does: what the flat gradient
 * reads.
 */
export function layerNormPacked(x: tf.Tensor, r: tf.Tensor | null, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const d = x.shape[x.shape.length - 1]!;
  const N = x.size / d;
  const D = int(d);
  const hasR = r !== null;
  const hNames = hasR ? ['X', 'R'] : ['X'];
  // The block of h = x (+ r) at rows n, n+1, columns j, j+1.
  const h = (row: string, col: string) => (hasR ? `(getX(${row}, ${col}) + getR(${row}, ${col}))` : `getX(${row}, ${col})`);
  const prog = (variableNames: string[], outputShape: number[], glsl: string, packedOutput = true) =>
    ({ variableNames, outputShape, packedInputs: true, packedOutput, glsl, wgsl: '' });
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [x2, g1, b1, r2] = args as tf.Tensor[];
    const hInputs = hasR ? [x2!, r2!] : [x2!];
    // g and b in one packed [2, d] texture: getGB(0, j) = (g_j, g_j+1, b_j, b_j+1). One program.
    const gp = run({
      variableNames: ['G', 'B'],
      outputShape: [2, d],
      packedOutput: true,
      glsl: 'setOutput(vec4(getG(c.y), getG(c.y + 1), getB(c.y), getB(c.y + 1)));',
      wgsl: '',
    }, [g1!, b1!]); // [2, d]
    // (μ, 1/σ) of rows n and n+1, one pass over values shifted by each row's first one.
    const stats = run(prog(hNames, [N, 2], `
      int n = c.x;
      vec2 h0 = ${h('n', '0')}.xz;
      vec2 s1 = vec2(0.0);
      vec2 s2 = vec2(0.0);
      for (int j = 0; j < ${D}; j += 2) {
        vec4 e = ${h('n', 'j')} - h0.xxyy;
        s1 += vec2(e.x + e.y, e.z + e.w);
        s2 += vec2(dot(e.xy, e.xy), dot(e.zw, e.zw));
      }
      vec2 m = s1 / ${D}.0;
      vec2 rstd = inversesqrt(max(s2 / ${D}.0 - m * m, 0.0) + 1e-5);
      setOutput(vec4(h0.x + m.x, rstd.x, h0.y + m.y, rstd.y));`), hInputs); // [N, 2]
    const y = run(prog([...hNames, 'S', 'GB'], [N, d], `
      vec4 s = getS(c.x, 0);
      vec4 gb = getGB(0, c.y);
      setOutput((${h('c.x', 'c.y')} - s.xxzz) * s.yyww * gb.xyxy + gb.zwzw);`), [...hInputs, stats, gp]); // [N, d]
    save([x2!, gp, stats, ...(hasR ? [r2!] : [])]);
    return {
      value: y,
      gradFunc: (dy0: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, ss, rs] = saved;
        const hIn = hasR ? [xs!, rs!] : [xs!];
        const dy = packed(dy0);
        const xhat = `((${h('n', 'j')} - s.xxzz) * s.yyww)`;
        // (mean dx̂, mean dx̂·x̂) of rows n and n+1.
        const rows = run(prog([...hNames, 'S', 'GB', 'Dy'], [N, 2], `
          int n = c.x;
          vec4 s = getS(n, 0);
          vec2 s0 = vec2(0.0);
          vec2 s1 = vec2(0.0);
          for (int j = 0; j < ${D}; j += 2) {
            vec4 dxh = getDy(n, j) * getGB(0, j).xyxy;
            vec4 p = dxh * ${xhat};
            s0 += vec2(dxh.x + dxh.y, dxh.z + dxh.w);
            s1 += vec2(p.x + p.y, p.z + p.w);
          }
          setOutput(vec4(s0.x, s1.x, s0.y, s1.y) / ${D}.0);`), [...hIn, ss!, gs!, dy]); // [N, 2]
        const dh = run(prog([...hNames, 'S', 'GB', 'Dy', 'Q'], [N, d], `
          int n = c.x; int j = c.y;
          vec4 s = getS(n, 0);
          vec4 q = getQ(n, 0);
          vec4 dxh = getDy(n, j) * getGB(0, j).xyxy;
          setOutput((dxh - q.xxzz - ${xhat} * q.yyww) * s.yyww);`), [...hIn, ss!, gs!, dy, rows]); // [N, d]
        rows.dispose();
        // dg, db: partial sums over chunks of CHUNK rows [P, 2, d] (plain), then their sum.
        const P = Math.ceil(N / CHUNK);
        const part = run(prog([...hNames, 'S', 'Dy'], [P, 2, d], `
          int j = c.z - (c.z / 2) * 2 == 0 ? c.z : c.z - 1;
          bool odd = j != c.z;
          float acc = 0.0;
          for (int k = 0; k < ${int(CHUNK)}; k += 2) {
            int n = c.x * ${int(CHUNK)} + k;
            if (n < ${int(N)}) {
              vec4 t = getDy(n, j);
              vec2 dyv = odd ? t.yw : t.xz;
              if (c.y == 0) {
                vec4 s = getS(n, 0);
                vec4 xh = ${xhat};
                acc += dot(dyv, odd ? xh.yw : xh.xz);
              } else acc += dyv.x + dyv.y;
            }
          }
          setOutput(acc);`, false), [...hIn, ss!, dy]); // [P, 2, d]
        const dgb = sumParts(part, P, d); // [2, d]
        part.dispose();
        if (dy !== dy0) dy.dispose();
        return normGrads(dh, dgb, d, hasR);
      },
    };
  }) as never) as unknown as NormOp;
  return applyNorm(op, x, r, g, b);
}
