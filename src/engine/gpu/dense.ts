import * as tf from '@tensorflow/tfjs-core';
import { int, onWebGL, packed, run, unpacked } from './run';

/**
 * y = act(x W + b) on [N, nIn] → [N, nOut], with a backward pass that converts each tensor
 * between tfjs's packed layout (what its matmul reads and writes) and the unpacked one (what
 * the fused kernels read) once, not once per use:
 *   forward   x and W packed once (kept for the backward pass), tfjs's fused matmul kernel
 *             (bias and ReLU in the same program), its output unpacked once
 *   backward  dz = dy ⊙ [y > 0] written packed in one program (plain on WebGPU, and only for ReLU); db = Σ_n dz in one;
 *             dx = dz Wᵀ and dW = xᵀ dz, two matmuls sharing the packed dz (kept packed: the
 *             engine sets WEBGL_LAZILY_UNPACK), each output unpacked once.
 * Stock autodiff of the same spends a transpose and two reduction passes on db and repacks
 * dz for each matmul.
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: 'linear' | 'relu'): tf.Tensor2D {
  const [N] = x.shape;
  const nOut = w.shape[1];
  const relu = activation === 'relu';
  const op = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    // x and W packed once, for the forward matmul and both backward ones.
    const xp = packed(x) as tf.Tensor2D;
    const wp = packed(w) as tf.Tensor2D;
    // The fused kernel itself: tf.fused.matMul would split off the bias add and ReLU into two
    // more programs whenever a gradient is being recorded (always, here).
    const y3 = tf.engine().runKernel('_FusedMatMul', { a: tf.reshape(xp, [1, N, x.shape[1]]), b: tf.reshape(wp, [1, w.shape[0], nOut]), bias: b },
      { transposeA: false, transposeB: false, activation } as never) as tf.Tensor3D; // [1, N, nOut]
    const y = unpacked(tf.reshape(y3, [N, nOut])) as tf.Tensor2D; // [N, nOut]
    save([xp, wp, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [x, w, y]: tf.Tensor[]) => {
        const gate = (r: string, c: string) => (relu ? `(getY(${r}, ${c}) > 0.0 ? getDy(${r}, ${c}) : 0.0)` : `getDy(${r}, ${c})`);
        const gateWgsl = (r: string, c: string) => (relu ? `select(0.0, getDy(${r}, ${c}), getY(${r}, ${c}) > 0.0)` : `getDy(${r}, ${c})`);
        // dz: on WebGL written packed, one vec4 holding (r, c), (r, c+1), (r+1, c), (r+1, c+1);
        // on WebGPU plain (buffers have no layout), and without ReLU it is dy itself.
        const dz = (onWebGL() || relu
          ? run({
              variableNames: ['Dy', 'Y'],
              outputShape: [N, nOut],
              packedOutput: true,
              glslHelpers: `float dz(int r, int c) { return r < ${int(N)} && c < ${int(nOut)} ? ${gate('r', 'c')} : 0.0; }`,
              glsl: `setOutput(vec4(dz(c.x, c.y), dz(c.x, c.y + 1), dz(c.x + 1, c.y), dz(c.x + 1, c.y + 1)));`,
              wgsl: `setOutput(${gateWgsl('c.x', 'c.y')});`,
            }, [dy, y!])
          : dy) as tf.Tensor2D; // [N, nOut]
        const db = run({
          variableNames: ['Dy', 'Y'],
          outputShape: [nOut],
          glsl: `
            float s = 0.0;
            for (int r = 0; r < ${int(N)}; r++) s += ${gate('r', 'c')};
            setOutput(s);`,
          wgsl: `
            var s = 0.0;
            for (var r = 0; r < ${int(N)}; r++) { s += ${gateWgsl('r', 'c')}; }
            setOutput(s);`,
        }, [dy, y!]); // [nOut]
        const dx = unpacked(tf.matMul(dz, w as tf.Tensor2D, false, true)); // [N, nIn]
        const dw = unpacked(tf.matMul(x as tf.Tensor2D, dz, true, false)); // [nIn, nOut]
        return [dx, dw, db];
      },
    };
  }) as never) as unknown as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;
  return op(x, w, b);
}
