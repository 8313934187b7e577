import * as tf from '@tensorflow/tfjs-core';
import { int, run } from './run';

/**
 * Masked softmax cross-entropy in three kernels (stock ops: ~20), on WebGL (GLSL) and WebGPU (WGSL).
 *   rows  [N, 2]  (logsumexp(z_n) − z_n[label_n], [argmax z_n = label_n])
 *   sums  [3]     (mean loss, accuracy, total weight), means over weights (positions with 0 skipped)
 *   grad  [N, C]  (softmax(z_n) − onehot(label_n)) · w_n / total · dy
 * logits [N, C] float, labels [N] int32, weights [N] float (0 for padding).
 */
export function crossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  weights: tf.Tensor1D,
  withAccuracy: boolean,
): { loss: tf.Scalar; accuracy?: tf.Scalar } {
  const [N, C] = logits.shape;
  const rows = run({
    variableNames: ['Z', 'L'],
    outputShape: [N, 2],
    glsl: `
      int n = c.x;
      float mx = getZ(n, 0);
      int arg = 0;
      for (int k = 1; k < ${int(C)}; k++) {
        float z = getZ(n, k);
        if (z > mx) { mx = z; arg = k; }
      }
      int label = int(getL(n) + 0.5);
      if (c.y == 1) {
        setOutput(arg == label ? 1.0 : 0.0);
        return;
      }
      float se = 0.0;
      for (int k = 0; k < ${int(C)}; k++) se += exp(getZ(n, k) - mx);
      setOutput(log(se) + mx - getZ(n, label));`,
    wgsl: `
      let n = c.x;
      var mx = getZ(n, 0);
      var arg = 0;
      for (var k = 1; k < ${int(C)}; k++) {
        let z = getZ(n, k);
        if (z > mx) { mx = z; arg = k; }
      }
      let label = i32(getL(n) + 0.5);
      if (c.y == 1) {
        setOutput(select(0.0, 1.0, arg == label));
        return;
      }
      var se = 0.0;
      for (var k = 0; k < ${int(C)}; k++) { se += exp(getZ(n, k) - mx); }
      setOutput(log(se) + mx - getZ(n, label));`,
  }, [logits, labels]); // [N, 2]
  const sums = run({
    variableNames: ['R', 'W'],
    outputShape: [3],
    glsl: `
      float total = 0.0;
      float s = 0.0;
      for (int n = 0; n < ${int(N)}; n++) {
        float w = getW(n);
        total += w;
        if (c < 2) s += getR(n, c) * w;
      }
      total = max(total, 1.0);
      setOutput(c == 2 ? total : s / total);`,
    wgsl: `
      var total = 0.0;
      var s = 0.0;
      for (var n = 0; n < ${int(N)}; n++) {
        let w = getW(n);
        total += w;
        if (c < 2) { s += getR(n, c) * w; }
      }
      total = max(total, 1.0);
      setOutput(select(s / total, total, c == 2));`,
  }, [rows, weights]); // [3]
  const ce = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    // Everything the backward pass reads is saved: tensors made during the forward pass are
    // freed when it ends unless saved (labels and weights here may be reshaped views).
    save([z, labels, weights, rows, sums]);
    return {
      value: tf.reshape(tf.slice(sums, [0], [1]), []), // []
      gradFunc: (dy: tf.Tensor, [z, labels, weights, rows, sums]: tf.Tensor[]) =>
        run({
          variableNames: ['Z', 'L', 'W', 'R', 'S', 'Dy'],
          outputShape: [N, C],
          glsl: `
            int n = c.x;
            int label = int(getL(n) + 0.5);
            float lse = getR(n, 0) + getZ(n, label);
            float p = exp(getZ(n, c.y) - lse);
            float t = c.y == label ? 1.0 : 0.0;
            setOutput((p - t) * getW(n) / getS(2) * getDy());`,
          wgsl: `
            let n = c.x;
            let label = i32(getL(n) + 0.5);
            let lse = getR(n, 0) + getZ(n, label);
            let p = exp(getZ(n, c.y) - lse);
            let t = select(0.0, 1.0, c.y == label);
            setOutput((p - t) * getW(n) / getS(2) * getDy());`,
        }, [z!, labels!, weights!, rows!, sums!, dy]), // [N, C]
    };
  }) as never) as unknown as (z: tf.Tensor) => tf.Scalar;
  const loss = ce(logits);
  if (!withAccuracy) return { loss };
  return { loss, accuracy: tf.reshape(tf.slice(sums, [1], [1]), []) as tf.Scalar };
}
