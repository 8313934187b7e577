import type * as tf from '@tensorflow/tfjs-core';
import { flt, int, run } from './run';

/**
 * One Adam step on the flat parameter vector in five kernels (stock ops: ~14):
 * the squared gradient norm (two passes, for clipping), then new m, new v and new θ, each recomputing the
 * clipped gradient and moments it needs rather than reading a temporary.
 *   g ← g · min(1, clip / (‖g‖ + 1e-6))       (no clipping when clip ≤ 0)
 *   m ← β1 m + (1 − β1) g,  v ← β2 v + (1 − β2) g²,  θ ← θ − lr · m / (√v + ε)
 * `lr` already includes warm-up and bias correction. Returns the new θ, m and v [P].
 */
export function adamStep(
  theta: tf.Tensor1D,
  g: tf.Tensor1D,
  m: tf.Tensor1D,
  v: tf.Tensor1D,
  o: { lr: number; beta1: number; beta2: number; epsilon: number; clipNorm: number },
): { theta: tf.Tensor1D; m: tf.Tensor1D; v: tf.Tensor1D } {
  const P = theta.shape[0];
  const f = flt;
  // ‖g‖² in two short passes (chunks of 1024, then the chunks): no shader loops over all of P.
  const chunks = Math.ceil(P / 1024);
  const partial = run({
    variableNames: ['G'],
    outputShape: [chunks],
    glsl: `
      int start = c * 1024;
      float s = 0.0;
      for (int i = 0; i < 1024; i++) {
        if (start + i >= ${int(P)}) break;
        float g = getG(start + i);
        s += g * g;
      }
      setOutput(s);`,
    wgsl: `
      let start = c * 1024;
      var s = 0.0;
      for (var i = 0; i < 1024; i++) {
        if (start + i >= ${int(P)}) { break; }
        let g = getG(start + i);
        s += g * g;
      }
      setOutput(s);`,
  }, [g]); // [chunks]
  const norm2 = run({
    variableNames: ['S'],
    outputShape: [1],
    glsl: `
      float s = 0.0;
      for (int i = 0; i < ${int(chunks)}; i++) s += getS(i);
      setOutput(s);`,
    wgsl: `
      var s = 0.0;
      for (var i = 0; i < ${int(chunks)}; i++) { s += getS(i); }
      setOutput(s);`,
  }, [partial]); // [1]
  const clip = o.clipNorm > 0 ? `min(1.0, ${f(o.clipNorm)} / (sqrt(getN(0)) + 1e-6))` : '1.0';
  const head = `
    float gradient(int i) { return getG(i) * ${clip}; }
    float moment1(int i) { return ${f(o.beta1)} * getM(i) + ${f(1 - o.beta1)} * gradient(i); }
    float moment2(int i) { float g = gradient(i); return ${f(o.beta2)} * getV(i) + ${f(1 - o.beta2)} * g * g; }`;
  // WGSL: only the helpers a program calls (an unused one would still name an input that the
  // compiled shader has no binding for; see run()).
  const headWgsl = (value: string) => [
    `fn gradient(i : i32) -> f32 { return getG(i) * ${clip}; }`,
    value.includes('moment1') ? `fn moment1(i : i32) -> f32 { return ${f(o.beta1)} * getM(i) + ${f(1 - o.beta1)} * gradient(i); }` : '',
    value.includes('moment2') ? `fn moment2(i : i32) -> f32 { let g = gradient(i); return ${f(o.beta2)} * getV(i) + ${f(1 - o.beta2)} * g * g; }` : '',
  ].join('\n');
  // value: the new m, v or θ of element c, as an expression (`LR` stands for the learning rate).
  const program = (value: string) => ({
    variableNames: ['T', 'G', 'M', 'V', 'N'],
    outputShape: [P],
    customUniforms: [{ name: 'lr', type: 'float' as const }],
    glslHelpers: head,
    wgslHelpers: headWgsl(value),
    glsl: `setOutput(${value.replace('LR', 'lr')});`,
    wgsl: `setOutput(${value.replace('LR', 'uniforms.lr')});`,
  });
  const inputs = [theta, g, m, v, norm2];
  const m2 = run(program('moment1(c)'), inputs, [0]) as tf.Tensor1D;
  const v2 = run(program('moment2(c)'), inputs, [0]) as tf.Tensor1D;
  const t2 = run(program(`getT(c) - LR * moment1(c) / (sqrt(moment2(c)) + ${f(o.epsilon)})`), inputs, [o.lr]) as tf.Tensor1D;
  return { theta: t2, m: m2, v: v2 };
}
