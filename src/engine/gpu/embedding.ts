import * as tf from '@tensorflow/tfjs-core';
import { int, onWebGL, run, unpacked } from './run';

/**
 * Token embedding plus positions in one kernel: out[b, t] = table[ids[b, t]] + pos[t].
 * Backward, one program each: dTable[v] = Σ over positions holding token v of dx (each output
 * element loops over the B·T positions, so this is for small vocabularies: see `embedFits`),
 * dPos[t] = Σ_b dx[b, t] (rows past T get 0). Stock ops: a one-hot matmul with its packing,
 * a slice and an add forward, a matmul, a pad and more backward.
 * table [V, d], ids [B, T] int32, pos [L ≥ T, d] (learned: differentiable) or a constant [T, d].
 */
export function embedFits(vocab: number, positions: number): boolean {
  return vocab * positions <= 1 << 16;
}

export function embed(table: tf.Tensor2D, ids: tf.Tensor2D, pos: tf.Tensor2D, learned: boolean): tf.Tensor3D {
  const [B, T] = ids.shape;
  const [V, d] = table.shape;
  const L = pos.shape[0];
  // WebGL indexes 2D views ([B·T, d], ids [B·T, 1]: free reshapes): tfjs's rank-3 samplers
  // spend more arithmetic per read, which is the cost on SwiftShader.
  const N = B * T;
  const webgl = onWebGL();
  const ids2 = webgl ? tf.reshape(ids, [N, 1]) : ids;
  const forward = (table: tf.Tensor, pos: tf.Tensor) =>
    webgl
      ? tf.reshape(run({
        variableNames: ['E', 'Ids', 'Pos'],
        outputShape: [N, d],
        glsl: `
          int v = int(getIds(c.x, 0) + 0.5);
          int t = c.x - (c.x / ${int(T)}) * ${int(T)};
          setOutput(getE(v, c.y) + getPos(t, c.y));`,
        wgsl: '',
      }, [table, ids2, pos]), [B, T, d])
      : run({
        variableNames: ['E', 'Ids', 'Pos'],
        outputShape: [B, T, d],
        glsl: '',
        wgsl: `
          let v = i32(getIds(c.x, c.y) + 0.5);
          setOutput(getE(v, c.z) + getPos(c.y, c.z));`,
      }, [table, ids, pos]);
  // On WebGL each invocation sums a 2×2 block (tokens v, v+1; columns e, e+1), written packed
  // and unpacked after: a quarter of the reads of the ids, which dominate (measured: 1.5 → 0.5 ms).
  const dTable = (dx: tf.Tensor) =>
    webgl
      ? unpacked(run({
        variableNames: ['Ids', 'Dx'],
        outputShape: [V, d],
        packedOutput: true,
        glsl: `
          vec4 s = vec4(0.0);
          for (int b = 0; b < ${int(B)}; b++) {
            for (int t = 0; t < ${int(T)}; t++) {
              int v = int(getIds(b, t) + 0.5);
              int n = b * ${int(T)} + t;
              if (v == c.x) s.xy += vec2(getDx(n, c.y), getDx(n, c.y + 1));
              else if (v == c.x + 1) s.zw += vec2(getDx(n, c.y), getDx(n, c.y + 1));
            }
          }
          setOutput(s);`,
        wgsl: '',
      }, [ids, tf.reshape(dx, [N, d])]))
      : run({
        variableNames: ['Ids', 'Dx'],
        outputShape: [V, d],
        glsl: '',
        wgsl: `
          var s = 0.0;
          for (var b = 0; b < ${int(B)}; b++) {
            for (var t = 0; t < ${int(T)}; t++) {
              if (i32(getIds(b, t) + 0.5) == c.x) { s += getDx(b, t, c.y); }
            }
          }
          setOutput(s);`,
      }, [ids, dx]);
  const dPos = (dx: tf.Tensor) =>
    run({
      variableNames: ['Dx'],
      outputShape: [L, d],
      glsl: `
        float s = 0.0;
        if (c.x < ${int(T)}) for (int b = 0; b < ${int(B)}; b++) s += getDx(b * ${int(T)} + c.x, c.y);
        setOutput(s);`,
      wgsl: `
        var s = 0.0;
        if (c.x < ${int(T)}) { for (var b = 0; b < ${int(B)}; b++) { s += getDx(b, c.x, c.y); } }
        setOutput(s);`,
    }, [webgl ? tf.reshape(dx, [N, d]) : dx]);
  if (learned) {
    const op = tf.customGrad(((table: tf.Tensor, pos: tf.Tensor, save: tf.GradSaveFunc) => {
      save([ids]);
      return { value: forward(table, pos), gradFunc: (dx: tf.Tensor) => [dTable(dx), dPos(dx)] };
    }) as never) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor3D;
    return op(table, pos);
  }
  const op = tf.customGrad(((table: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ids]);
    return { value: forward(table, pos), gradFunc: (dx: tf.Tensor) => dTable(dx) };
  }) as never) as unknown as (a: tf.Tensor) => tf.Tensor3D;
  return op(table);
}
