import * as tf from '@tensorflow/tfjs-core';
import { BLOCK_HELPERS, int, isPacked, onWebGL, packed, run, unpacked } from './run';

/** dy, or dy ⊙ [y > 0] after a ReLU, as GLSL or WGSL for element (r, c). */
function gate(r: string, c: string, lang: 'glsl' | 'wgsl', relu: boolean): string {
  if (!relu) return `getDy(${r}, ${c})`;
  return lang === 'glsl' ? `(getY(${r}, ${c}) > 0.0 ? getDy(${r}, ${c}) : 0.0)` : `select(0.0, getDy(${r}, ${c}), getY(${r}, ${c}) > 0.0)`;
}

/**
 * dz = the gradient at the matmul's output: on WebGL written packed (what the two backward
 * matmuls read), one vec4 holding (r, c), (r, c+1), (r+1, c), (r+1, c+1), zero past the edges
 * (and in any padding up to `width` columns); on WebGPU plain (buffers have no layout).
 */
function gatedGradient(dy: tf.Tensor, y: tf.Tensor, relu: boolean, width = y.shape[1]!): tf.Tensor2D {
  const [N, nOut] = y.shape as [number, number];
  return run({
    variableNames: ['Dy', 'Y'],
    outputShape: [N, width],
    packedOutput: true,
    glslHelpers: `float dz(int r, int c) { return r < ${int(N)} && c < ${int(nOut)} ? ${gate('r', 'c', 'glsl', relu)} : 0.0; }`,
    glsl: `setOutput(vec4(dz(c.x, c.y), dz(c.x, c.y + 1), dz(c.x + 1, c.y), dz(c.x + 1, c.y + 1)));`,
    wgsl: `setOutput(${gate('c.x', 'c.y', 'wgsl', relu)});`,
  }, [dy, y]) as tf.Tensor2D;
}

/**
 * y = act(x W + b) on [N, nIn] → [N, nOut], with a backward pass that converts each tensor
 * between tfjs's packed layout (what its matmul reads and writes) and the unpacked one (what
 * the fused kernels read) once, not once per use:
 *   forward   x and W packed once (kept for the backward pass), tfjs's fused matmul kernel
 *             (bias and ReLU in the same program), its output unpacked once
 *   backward  dz = dy ⊙ [y > 0] written packed in one program (on WebGPU only for ReLU);
 *             db = Σ_n dz in one;
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
        const dz = (onWebGL() || relu ? gatedGradient(dy, y!, relu) : dy) as tf.Tensor2D; // [N, nOut]
        const db = run({
          variableNames: ['Dy', 'Y'],
          outputShape: [nOut],
          glsl: `
            float s = 0.0;
            for (int r = 0; r < ${int(N)}; r++) s += ${gate('r', 'c', 'glsl', relu)};
            setOutput(s);`,
          wgsl: `
            var s = 0.0;
            for (var r = 0; r < ${int(N)}; r++) { s += ${gate('r', 'c', 'wgsl', relu)}; }
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

/** `t` [R, C] (packed, maybe padded) → its top-left [rows, cols], unpacked: one program. WebGL only. */
function cropUnpacked(t: tf.Tensor, rows: number, cols: number): tf.Tensor2D {
  return run({
    variableNames: ['A'],
    outputShape: [rows, cols],
    packedInputs: true,
    glsl: `
      vec4 t = getA(c.x, c.y);
      vec2 row = c.x - (c.x / 2) * 2 == 0 ? t.xy : t.zw;
      setOutput(c.y - (c.y / 2) * 2 == 0 ? row.x : row.y);`,
    wgsl: '',
  }, [t]) as tf.Tensor2D;
}

/** `t` [R, C] packed → its top-left [rows, cols] (both even), packed: one read per block. WebGL only. */
function cropPacked(t: tf.Tensor, rows: number, cols: number): tf.Tensor2D {
  return run({
    variableNames: ['A'],
    outputShape: [rows, cols],
    packedInputs: true,
    packedOutput: true,
    glsl: 'setOutput(getA(c.x, c.y));',
    wgsl: '',
  }, [t]) as tf.Tensor2D;
}

/**
 * A packed copy of `t` [rows, cols] padded with zeros to [R, C], with `edge` in column `cols` of
 * every real row (or 0). From a packed `t` with even sizes (attention's packed output), each
 * block is one read. `constant`: column `cols` is 0 but for a 1 in the last row instead (the
 * weights of a layer whose output carries a column of ones, Layout 'ones'). WebGL only.
 */
function padPacked(t: tf.Tensor, R: number, C: number, edge: number | null, constant = false): tf.Tensor2D {
  const [rows, cols] = t.shape as [number, number];
  if (constant) {
    // Column `cols`: 0, but 1 in the last row (the bias row of a [W; b] block).
    return run({
      variableNames: ['X'],
      outputShape: [R, C],
      packedOutput: true,
      glslHelpers: `float at(int r, int c) { return r >= ${int(rows)} ? 0.0 : c < ${int(cols)} ? getX(r, c) : c == ${int(cols)} && r == ${int(rows - 1)} ? 1.0 : 0.0; }`,
      glsl: `setOutput(vec4(at(c.x, c.y), at(c.x, c.y + 1), at(c.x + 1, c.y), at(c.x + 1, c.y + 1)));`,
      wgsl: '',
    }, [t]) as tf.Tensor2D;
  }
  const e = edge === null ? '0.0' : edge.toFixed(1);
  if (isPacked(t) && rows % 2 === 0 && cols % 2 === 0) {
    return run({
      variableNames: ['X'],
      outputShape: [R, C],
      packedOutput: true,
      packedInputs: true,
      glsl: `setOutput(c.x >= ${int(rows)} ? vec4(0.0) : c.y < ${int(cols)} ? getX(c.x, c.y) : c.y == ${int(cols)} ? vec4(${e}, 0.0, ${e}, 0.0) : vec4(0.0));`,
      wgsl: '',
    }, [t]) as tf.Tensor2D;
  }
  const fill = `c == ${int(cols)} ? ${e} : 0.0`;
  return run({
    variableNames: ['X'],
    outputShape: [R, C],
    packedOutput: true,
    glslHelpers: `float at(int r, int c) { return r >= ${int(rows)} ? 0.0 : c < ${int(cols)} ? getX(r, c) : ${fill}; }`,
    glsl: `setOutput(vec4(at(c.x, c.y), at(c.x, c.y + 1), at(c.x + 1, c.y), at(c.x + 1, c.y + 1)));`,
    wgsl: '',
  }, [t]) as tf.Tensor2D;
}

const even = (n: number): number => n + (n % 2);

/** dz = dy ⊙ [y > 0] (a ReLU's gradient) for a packed dy and y of the same even shape: one read of each per 2×2 block. WebGL only. */
function reluGradPacked(dy: tf.Tensor, y: tf.Tensor): tf.Tensor2D {
  return run({
    variableNames: ['Dy', 'Y'],
    outputShape: y.shape,
    packedOutput: true,
    packedInputs: true,
    glsl: 'setOutput(getDy(c.x, c.y) * vec4(greaterThan(getY(c.x, c.y), vec4(0.0))));',
    wgsl: '',
  }, [dy, y]) as tf.Tensor2D;
}

let ownMatmul = true;

/** FLOPs of the blockMatMul calls so far (the bench's FLOP/s counts them with tfjs's matmul kernels). */
export const blockMatMulFlops = { total: 0 };

/** Use tfjs's packed matmul instead of blockMatMul (the bench compares both ways: BENCH_AB=matmul). */
export function setBlockMatMul(on: boolean): void {
  ownMatmul = on;
}

/**
 * a·b, a·bᵀ or aᵀ·b for packed 2D tensors with even sizes, written packed (WebGL), ReLU
 * optional: the 2×2 block product of attendPacked (gpu/attention.ts), one vec4 of each input
 * per step of the shared axis. tfjs's packed matmul does the same arithmetic through rank-3
 * samplers ([1, N, K]), whose index arithmetic costs more per read than the 2D one here.
 */
function blockMatMul(a: tf.Tensor, b: tf.Tensor, form: 'ab' | 'abT' | 'aTb', relu = false): tf.Tensor2D {
  const [ar, ac] = a.shape as [number, number];
  const [br, bc] = b.shape as [number, number];
  const [rows, cols, shared] = form === 'ab' ? [ar, bc, ac] : form === 'abT' ? [ar, br, ac] : [ac, bc, ar];
  blockMatMulFlops.total += 2 * rows * cols * shared;
  const step = form === 'ab' ? 'ab(getA(c.x, k), getB(k, c.y))' : form === 'abT' ? 'abT(getA(c.x, k), getB(c.y, k))' : 'aTb(getA(k, c.x), getB(k, c.y))';
  return run({
    variableNames: ['A', 'B'],
    outputShape: [rows, cols],
    packedInputs: true,
    packedOutput: true,
    glslHelpers: BLOCK_HELPERS,
    glsl: `
      vec4 s = vec4(0.0);
      for (int k = 0; k < ${int(shared)}; k += 2) s += ${step};
      setOutput(${relu ? 'max(s, vec4(0.0))' : 's'});`,
    wgsl: '',
  }, [a, b]) as tf.Tensor2D;
}

/**
 * How a joined dense layer's input arrives and its output leaves (WebGL):
 *   'plain'   [N, nIn] in any layout / [N, nOut] unpacked, the layout the other kernels read
 *   'packed'  output only: [N, nOut] as the matmul wrote it, packed (nOut even), for a
 *             kernel that reads packed blocks (attention reads its q, k and v so, layer norm
 *             its residual branch)
 *   'ones'    [N, even(n + 1)] packed: the values, a column of ones, zeros to an even width,
 *             what the next joined layer multiplies by as it is. As output this costs nothing:
 *             the padded weight block gets a constant column, 0 but for a 1 in the bias row,
 *             so the matmul itself writes the ones (ReLU(1) = 1), and the constant is never
 *             trained (its gradient is cropped away with the rest of the padding).
 * A gradient leaving 'ones' padding columns holds values nothing reads (the ones column's
 * gradient, finite); the layers that take 'ones' tensors read only their first n columns.
 */
export type Layout = 'plain' | 'packed' | 'ones';

let layouts = true;

/** Turn the packed layouts between layers off (the bench compares both ways: BENCH_AB=layouts). */
export function setPackedLayouts(on: boolean): void {
  layouts = on;
}

/** Whether layers pass packed layouts to each other where they can (fused WebGL, joined dense layers). */
export const packedLayouts = (): boolean => layouts && onWebGL();

/**
 * The same layer on WebGL with W and b as one block wb = [W; b] [nIn + 1, nOut] (how they lie in
 * the flat weights) and x given a column of ones, so the bias rides in the matmul. Every matmul
 * runs on even sizes (K = nIn + 1 and nOut rounded up, zero padding): measured here, tfjs's
 * packed matmul takes 1.7x as long on an odd size (512×33×32: 0.88 ms, 512×34×32: 0.45 ms).
 *   forward   [x, 1] written packed and padded in one program (in place of packing x), wb
 *             likewise (in place of packing W and b), the matmul with the activation
 *             (blockMatMul; tfjs's fused matmul kernel for an odd row count), its output
 *             cropped as it is unpacked
 *   backward  dz as in dense(), padded; d[x, 1] = dz wbᵀ cropped to dx as it is unpacked (the
 *             ones column's gradient dropped); d wb = [x, 1]ᵀ dz cropped likewise, which is
 *             [dW; db], so no reduction program for db.
 * Two programs fewer per layer than dense(), and db's long serial sum (N rows per output) is gone.
 * With `input` or `output` other than 'plain' (see Layout), the pad, the crop, or both, go too.
 */
export function denseJoined(
  x: tf.Tensor2D,
  wb: tf.Tensor2D,
  activation: 'linear' | 'relu',
  input: 'plain' | 'ones' = 'plain',
  output: Layout = 'plain',
): tf.Tensor2D {
  if (!onWebGL()) throw new Error('denseJoined runs on WebGL only');
  const N = x.shape[0];
  const nIn = wb.shape[0] - 1;
  const nOut = wb.shape[1];
  const K = even(nIn + 1);
  const M = output === 'ones' ? even(nOut + 1) : even(nOut);
  if (input === 'ones' && (x.shape[1] !== K || !isPacked(x))) throw new Error(`denseJoined: a 'ones' input is [N, ${K}] packed, got [${x.shape}]`);
  if (output === 'packed' && (M !== nOut || N % 2 !== 0)) throw new Error(`denseJoined: a 'packed' output needs even sizes, got [${N}, ${nOut}]`);
  if (output === 'ones' && N % 2 !== 0) throw new Error(`denseJoined: a 'ones' output needs an even row count, got ${N}`);
  const relu = activation === 'relu';
  const op = tf.customGrad(((x: tf.Tensor2D, wb: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const xPacked = input === 'plain' && isPacked(x) && N % 2 === 0 && nIn % 2 === 0;
    const xa = input === 'ones' ? x : padPacked(x, N, K, 1); // [N, K]: x, a column of ones, zeros
    const wbp = padPacked(wb, K, M, null, output === 'ones'); // [K, M]: W, b, zeros (and the constant column)
    const own = ownMatmul && N % 2 === 0;
    const y3 = (own ? blockMatMul(xa, wbp, 'ab', relu) : relu
      ? tf.engine().runKernel('_FusedMatMul', { a: tf.reshape(xa, [1, N, K]), b: tf.reshape(wbp, [1, K, M]) }, { transposeA: false, transposeB: false, activation } as never)
      : tf.matMul(tf.reshape(xa, [1, N, K]), tf.reshape(wbp, [1, K, M]))) as tf.Tensor3D; // [1, N, M]
    const y = output === 'plain' ? cropUnpacked(tf.reshape(y3, [N, M]), N, nOut) : tf.reshape(y3, [N, M]); // [N, nOut] or [N, M] packed
    save([xa, wbp, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [xa, wbp, y]: tf.Tensor[]) => {
        let dz: tf.Tensor2D; // [N, M], packed
        // The packed output's gradient, packed (it arrives so from the kernels that read such outputs).
        if (output !== 'plain') dz = relu ? reluGradPacked(packed(dy), y!) : (packed(dy) as tf.Tensor2D);
        // A packed gradient with no padding to add (a linear layer, N and nOut even, such as
        // attention's 2×2-block gradient) is dz already.
        else if (!relu && M === nOut && N % 2 === 0 && isPacked(dy)) dz = dy as tf.Tensor2D;
        else dz = gatedGradient(dy, y!, relu, M);
        const dxa = own ? blockMatMul(dz, wbp!, 'abT') : tf.matMul(dz, wbp as tf.Tensor2D, false, true); // [N, K]
        // A packed x with even sizes gets a packed gradient (the layer norms that write such x read it so).
        const dx = input === 'ones' ? dxa : xPacked ? cropPacked(dxa, N, nIn) : cropUnpacked(dxa, N, nIn); // [N, K] or [N, nIn]
        const dwb = cropUnpacked(own ? blockMatMul(xa!, dz, 'aTb') : tf.matMul(xa as tf.Tensor2D, dz, true, false), nIn + 1, nOut); // [nIn + 1, nOut] = [dW; db]
        return [dx, dwb];
      },
    };
  }) as never) as unknown as (x: tf.Tensor, wb: tf.Tensor) => tf.Tensor2D;
  return op(x, wb);
}
