import * as tf from '@tensorflow/tfjs-core';
import { packedLayouts } from './dense';
import { int, isPacked, onWebGL, packed, run, unpacked } from './run';

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
  // Packed output (2×2 blocks: positions n, n+1 by columns j, j+1), what the packed layer
  // norms and the padded matmul input read; its gradient then arrives packed too.
  const packs = webgl && packedLayouts() && T % 2 === 0 && d % 2 === 0;
  const forward = (table: tf.Tensor, pos: tf.Tensor) =>
    packs
      ? tf.reshape(run({
        variableNames: ['E', 'Ids', 'Pos'],
        outputShape: [N, d],
        packedOutput: true,
        glsl: `
          int n = c.x; int j = c.y;
          int v0 = int(getIds(n, 0) + 0.5);
          int v1 = int(getIds(n + 1, 0) + 0.5);
          int t = n - (n / ${int(T)}) * ${int(T)};
          setOutput(vec4(getE(v0, j) + getPos(t, j), getE(v0, j + 1) + getPos(t, j + 1),
                         getE(v1, j) + getPos(t + 1, j), getE(v1, j + 1) + getPos(t + 1, j + 1)));`,
        wgsl: '',
      }, [table, ids2, pos]), [B, T, d])
      : webgl
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
    webgl && isPacked(dx) && N % 2 === 0
      // dx packed: each read brings two positions' values, the ids of both in one read of [N, 1].
      ? unpacked(run({
        variableNames: ['Ids', 'Dx'],
        outputShape: [V, d],
        packedInputs: true,
        packedOutput: true,
        glsl: `
          vec4 s = vec4(0.0);
          for (int n = 0; n < ${int(N)}; n += 2) {
            vec4 it = getIds(n, 0);
            int v0 = int(it.x + 0.5);
            int v1 = int(it.z + 0.5);
            vec4 g = getDx(n, c.y);
            if (v0 == c.x) s.xy += g.xy; else if (v0 == c.x + 1) s.zw += g.xy;
            if (v1 == c.x) s.xy += g.zw; else if (v1 == c.x + 1) s.zw += g.zw;
          }
          setOutput(s);`,
        wgsl: '',
      }, [packed(ids2), tf.reshape(dx, [N, d])]))
      : webgl
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
    webgl && isPacked(dx) && T % 2 === 0 && d % 2 === 0
      ? run({
        variableNames: ['Dx'],
        outputShape: [L, d],
        packedInputs: true,
        glsl: `
          float s = 0.0;
          if (c.x < ${int(T)}) {
            bool oddRow = c.x - (c.x / 2) * 2 == 1;
            bool oddCol = c.y - (c.y / 2) * 2 == 1;
            int r = oddRow ? c.x - 1 : c.x;
            int j = oddCol ? c.y - 1 : c.y;
            for (int b = 0; b < ${int(B)}; b++) {
              vec4 v = getDx(b * ${int(T)} + r, j);
              vec2 row = oddRow ? v.zw : v.xy;
              s += oddCol ? row.y : row.x;
            }
          }
          setOutput(s);`,
        wgsl: '',
      }, [tf.reshape(dx, [N, d])])
      : run({
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
