import * as tf from '@tensorflow/tfjs-core';
import { dScoresProgram, dWeightsProgram, outputProgram, scoresProgram, softmaxProgram, sourceGradProgram, type Geometry } from './attention-programs';
import { BLOCK_HELPERS, flt, int, onWebGL, packed, run } from './run';

/** Attention's forward and backward on the GPU: the programs are ./attention-programs.ts (the geometry is explained there). */
function mask3(mask: tf.Tensor | undefined, Tk: number): tf.Tensor | null {
  if (!mask) return null;
  const s = mask.shape; // [Bm, 1, Qm, Tk] (or any shape that broadcasts like it)
  return tf.reshape(mask, [s.length === 4 ? s[0]! : 1, s.length >= 2 ? s[s.length - 2]! : 1, Tk]);
}

/**
 * O = W·V as one differentiable op of the source tensors (qs, and kvs unless self-attention),
 * with W computed here, outside autodiff, and held by the op for its backward pass.
 */
function attend(g: Geometry, mask: tf.Tensor | null, qs: tf.Tensor, kvs: tf.Tensor, self: boolean): { output: tf.Tensor; weights: tf.Tensor } {
  const blocks = onWebGL() && g.Tq % 2 === 0 && g.Tk % 2 === 0;
  const s = run(scoresProgram(g, mask?.shape ?? null, blocks), mask ? [qs, kvs, mask] : [qs, kvs]); // [B, H, Tq, Tk]
  const W = run(softmaxProgram(g, blocks), [s]); // [B, H, Tq, Tk]
  s.dispose();
  const qRoles: Array<'q' | 'k' | 'v'> = self ? ['q', 'k', 'v'] : ['q'];
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [qs, kvs] = (self ? [args[0], args[0]] : args) as tf.Tensor[];
    save([qs!, kvs!, W]);
    return {
      value: run(outputProgram(g, onWebGL() && g.Tq % 2 === 0 && g.dk % 2 === 0), [W, kvs!]), // [B, Tq, d]
      gradFunc: (dO: tf.Tensor, [qs, kvs, W]: tf.Tensor[]) => {
        const dW = run(dWeightsProgram(g), [dO, kvs!]); // [B, H, Tq, Tk]
        const dS = run(dScoresProgram(g), [W!, dW]); // [B, H, Tq, Tk]
        const inputs = [qs!, kvs!, dS, W!, dO];
        const width = qs!.shape[2]!;
        const packed = self && onWebGL() && g.Tq % 2 === 0 && g.dk % 2 === 0 && width % 2 === 0;
        const dq = run(sourceGradProgram(g, g.Tq, width, qRoles, packed), inputs); // [B, Tq, width]
        if (self) return [dq];
        return [dq, run(sourceGradProgram(g, g.Tk, kvs!.shape[2]!, ['k', 'v']), inputs)]; // [B, Tk, width]
      },
    };
  }) as never) as unknown as (...t: tf.Tensor[]) => tf.Tensor;
  return { output: self ? op(qs) : op(qs, kvs), weights: W };
}

/** A WebGL program reading and writing packed 2×2 blocks, with the block products of run.ts. */
function packedProgram(variableNames: string[], outputShape: number[], glsl: string) {
  return { variableNames, outputShape, packedInputs: true, packedOutput: true, glslHelpers: BLOCK_HELPERS, glsl, wgsl: '' };
}

/**
 * Self-attention with every tensor in packed 2×2 blocks (WebGL; T, dk even): qkv [B, T, 3d] as
 * the projection's matmul wrote it, S, W, dW and dS [B, H, T, T], the gradient [B, T, 3d], and
 * the output [B, T, d + 2] with its column of ones (Layout 'ones' in dense.ts), so the output
 * projection multiplies it as it is. No unpack, crop or pad program between the two
 * projections, and each texel read brings four values (block products: BLOCK_HELPERS, run.ts).
 * The programs index 2D views (free reshapes of packed tensors when T is even): qkv as
 * [B·T, 3d] (row b·T + t), scores and weights as [B·H·T, T] (row (b·H + h)·T + i). tfjs's
 * packed samplers for ranks 3 and 4 spend more arithmetic per read than the 2D one, and on
 * SwiftShader that arithmetic is the cost (the qkv gradient: 0.87 ms indexed [B, T, 3d], 0.40 ms
 * as [B·T, 3d]).
 */
function attendPacked(g: Geometry, mask: tf.Tensor | null, qkv: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  const { B, Tq: T, H, dk, qOff, kOff, vOff } = g;
  const d = H * dk;
  const half = int(dk / 2);
  const scale = flt(1 / Math.sqrt(dk));
  const [iT, iH, iDk] = [int(T), int(H), int(dk)];
  const N = B * T;
  const R = B * H * T; // rows of the [B·H·T, T] views
  // Row r of a [B·H·T, T] view: b, h and the row pair's first query i; the first rows of
  // query i and key j of that head in the [B·T, 3d] view are base + i, base + j.
  const rowParts = `int bh = c.x / ${iT}; int i = c.x - bh * ${iT}; int b = bh / ${iH}; int h = bh - b * ${iH}; int base = b * ${iT};`;
  // The mask as [Bm, T] (a padding mask, Qm = 1) or [Bm·T, T] (rows i, i+1 a block as it is).
  const Qm = mask?.shape[1] ?? 0;
  const mask2 = !mask ? null : packed(tf.reshape(mask, Qm === 1 ? [mask.shape[0]!, T] : [mask.shape[0]! * T, T]));
  const maskRow = !mask ? '' : mask.shape[0] === 1 ? (Qm === 1 ? '0' : 'i') : Qm === 1 ? 'b' : 'base + i';
  // [Bm, T] packs rows b and b+1 in one texel: row b's values are .xy when b is even, .zw when odd.
  const maskTerm = !mask ? '' : Qm === 1
    ? `vec4 m = getMask(${maskRow}, j); s += (${maskRow}) - ((${maskRow}) / 2) * 2 == 0 ? m.xyxy : m.zwzw;`
    : `s += getMask(${maskRow}, j);`;
  const qkv2 = tf.reshape(qkv, [N, 3 * d]);
  const S = run(packedProgram(mask ? ['QKV', 'Mask'] : ['QKV'], [R, T], `
    ${rowParts} int j = c.y;
    int q0 = ${int(qOff)} + h * ${iDk}; int k0 = ${int(kOff)} + h * ${iDk};
    vec4 s = vec4(0.0);
    for (int e = 0; e < ${half}; e++) s += abT(getQKV(base + i, q0 + 2 * e), getQKV(base + j, k0 + 2 * e));
    s *= ${scale};
    ${maskTerm}
    setOutput(s);`), mask2 ? [qkv2, mask2] : [qkv2]); // [B·H·T, T]
  if (mask2 !== mask) mask2?.dispose();
  const W = run(packedProgram(['S'], [R, T], `
    vec2 mx = vec2(-1e38);
    for (int p = 0; p < ${int(T)}; p += 2) { vec4 t = getS(c.x, p); mx = max(mx, max(t.xz, t.yw)); }
    vec2 se = vec2(0.0);
    for (int p = 0; p < ${int(T)}; p += 2) { vec4 t = getS(c.x, p); se += exp(t.xz - mx) + exp(t.yw - mx); }
    setOutput(exp(getS(c.x, c.y) - mx.xxyy) / se.xxyy);`), [S]); // [B·H·T, T]
  S.dispose();
  const K = d + 2;
  const op = tf.customGrad(((qkv: tf.Tensor, save: tf.GradSaveFunc) => {
    const qkv2 = tf.reshape(qkv, [N, 3 * d]);
    save([qkv2, W]);
    const O = run(packedProgram(['W', 'QKV'], [N, K], `
      int col = c.y;
      if (col >= ${int(d)}) { setOutput(vec4(1.0, 0.0, 1.0, 0.0)); return; }
      int b = c.x / ${iT}; int i = c.x - b * ${iT}; int h = col / ${iDk};
      int wRow = (b * ${iH} + h) * ${iT} + i; int base = b * ${iT};
      vec4 s = vec4(0.0);
      for (int j = 0; j < ${iT}; j += 2) s += ab(getW(wRow, j), getQKV(base + j, ${int(vOff)} + col));
      setOutput(s);`), [W, qkv2]); // [B·T, d + 2]: O, ones, zeros
    return {
      value: tf.reshape(O, [B, T, K]),
      gradFunc: (dO3: tf.Tensor, [qkv2, W]: tf.Tensor[]) => {
        // dO [B·T, d + 2]: columns past d are the ones column's gradient, never read.
        const dO = tf.reshape(dO3, [N, K]);
        const dW = run(packedProgram(['DO', 'QKV'], [R, T], `
          ${rowParts} int j = c.y;
          int c0 = h * ${iDk};
          vec4 s = vec4(0.0);
          for (int e = 0; e < ${half}; e++) s += abT(getDO(base + i, c0 + 2 * e), getQKV(base + j, ${int(vOff)} + c0 + 2 * e));
          setOutput(s);`), [dO, qkv2!]); // [B·H·T, T]
        const dS = run(packedProgram(['W', 'DW'], [R, T], `
          vec2 rd = vec2(0.0);
          for (int p = 0; p < ${iT}; p += 2) {
            vec4 a = getDW(c.x, p) * getW(c.x, p);
            rd += vec2(a.x + a.y, a.z + a.w);
          }
          setOutput(getW(c.x, c.y) * (getDW(c.x, c.y) - rd.xxyy) * ${scale});`), [W!, dW]); // [B·H·T, T]
        dW.dispose();
        // Columns of qkv: q from dS·K, k from dSᵀ·Q, v from Wᵀ·dO.
        const dqkv = run(packedProgram(['QKV', 'DS', 'W', 'DO'], [N, 3 * d], `
          int b = c.x / ${iT}; int t = c.x - b * ${iT}; int col = c.y;
          int base = b * ${iT};
          vec4 s = vec4(0.0);
          if (col < ${int(kOff)}) {
            int e = col - ${int(qOff)}; int row = (b * ${iH} + e / ${iDk}) * ${iT};
            for (int j = 0; j < ${iT}; j += 2) s += ab(getDS(row + t, j), getQKV(base + j, ${int(kOff)} + e));
          } else if (col < ${int(vOff)}) {
            int e = col - ${int(kOff)}; int row = (b * ${iH} + e / ${iDk}) * ${iT};
            for (int i = 0; i < ${iT}; i += 2) s += aTb(getDS(row + i, t), getQKV(base + i, ${int(qOff)} + e));
          } else {
            int e = col - ${int(vOff)}; int row = (b * ${iH} + e / ${iDk}) * ${iT};
            for (int i = 0; i < ${iT}; i += 2) s += aTb(getW(row + i, t), getDO(base + i, e));
          }
          setOutput(s);`), [qkv2!, dS, W!, dO]); // [B·T, 3d]
        dS.dispose();
        return [tf.reshape(dqkv, [B, T, 3 * d])];
      },
    };
  }) as never) as unknown as (t: tf.Tensor) => tf.Tensor;
  return { output: op(qkv), weights: tf.reshape(W, [B, H, T, T]) };
}

/** Whether selfAttentionCore can run packed (attendPacked): WebGL, T and dk even. */
export function selfAttentionPacks(T: number, d: number, heads: number): boolean {
  return onWebGL() && T % 2 === 0 && (d / heads) % 2 === 0;
}

/**
 * Self-attention from the fused projection qkv [B, T, 3d] (q, k, v side by side).
 * → output [B, T, d] (heads merged), weights [B, H, T, T]. `packed` (selfAttentionPacks): qkv
 * packed, the output [B, T, d + 2] packed with its column of ones (see attendPacked).
 */
export function selfAttentionCore(qkv: tf.Tensor3D, heads: number, mask?: tf.Tensor, packed = false): { output: tf.Tensor3D; weights: tf.Tensor4D } {
  const [B, T, w] = qkv.shape;
  const d = w / 3;
  const g: Geometry = { B, Tq: T, Tk: T, H: heads, dk: d / heads, qOff: 0, kOff: d, vOff: 2 * d };
  const { output, weights } = packed ? attendPacked(g, mask3(mask, T), qkv) : attend(g, mask3(mask, T), qkv, qkv, true);
  return { output: output as tf.Tensor3D, weights: weights as tf.Tensor4D };
}

/**
 * Cross-attention: queries q [B, Tq, d], keys and values kv [B, Tk, 2d] (k, v side by side).
 * → output [B, Tq, d], weights [B, H, Tq, Tk].
 */
export function crossAttentionCore(
  q: tf.Tensor3D,
  kv: tf.Tensor3D,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor3D; weights: tf.Tensor4D } {
  const [B, Tq, d] = q.shape;
  const Tk = kv.shape[1];
  const g: Geometry = { B, Tq, Tk, H: heads, dk: d / heads, qOff: 0, kOff: 0, vOff: d };
  const { output, weights } = attend(g, mask3(mask, Tk), q, kv, false);
  return { output: output as tf.Tensor3D, weights: weights as tf.Tensor4D };
}

/** [B, T] ids → [B, T]: `masked` where the id is `padId`, else 0 (one program; WebGL). */
export function paddingMaskCore(ids: tf.Tensor, padId: number, masked: number): tf.Tensor {
  const test = `abs(getIds(c.x, c.y) - ${flt(padId)}) < 0.5`;
  return run({
    variableNames: ['Ids'],
    outputShape: ids.shape,
    glsl: `setOutput(${test} ? ${flt(masked)} : 0.0);`,
    wgsl: '',
  }, [ids]);
}
