import { flt, int } from './run';

/**
 * Multi-head scaled dot-product attention straight from the projection outputs, with no head
 * split, transpose or merge: heads are column ranges. Q lives in columns [qOff, qOff + d) of
 * `qs` [B, Tq, *], K and V in columns [kOff, …) and [vOff, …) of `kvs` [B, Tk, *] (the same
 * tensor for self-attention: the fused [d, 3d] projection). Forward, three programs (draws on
 * WebGL, dispatches on WebGPU):
 *   S [B, H, Tq, Tk]  q·k/√dk + mask        W = softmax(S) per row        O [B, Tq, d] = W·V, heads side by side
 * W is computed outside autodiff: nothing differentiates it directly (it is the figures'
 * picture), so one differentiable op O(qs, kvs), holding W, carries the whole backward:
 *   dW = dO·Vᵀ, dS = W ⊙ (dW − Σ_j dW·W)/√dk, then each source tensor's gradient in one program
 *   (its q, k and v columns: Σ_j dS·K, Σ_i dS·Q, Σ_i W·dO).
 * Three programs backward for self-attention, four for cross-attention (stock ops: ~35 with
 * conversions). The mask is additive, [Bm, Qm, Tk] with Bm ∈ {1, B}, Qm ∈ {1, Tq}.
 */
export interface Geometry {
  B: number;
  Tq: number;
  Tk: number;
  H: number;
  dk: number;
  qOff: number;
  kOff: number;
  vOff: number;
}

/**
 * S = q·k/√dk + mask. `packed` (WebGL, Tq and Tk even): each invocation writes the 2×2 block
 * (i, j), (i, j+1), (i+1, j), (i+1, j+1), so each q and k value read serves two scores.
 */
export function scoresProgram(g: Geometry, mask: number[] | null, packed = false) {
  const { B, Tq, Tk, H, dk, qOff, kOff } = g;
  const m = (i: string, j: string) => `getMask(${mask?.[0] === 1 ? '0' : 'b'}, ${mask?.[1] === 1 ? '0' : i}, ${j})`;
  const maskTerm = mask ? `s += ${m('i', 'j')};` : '';
  const blockMask = mask ? `s += vec4(${m('i', 'j')}, ${m('i', 'j + 1')}, ${m('i + 1', 'j')}, ${m('i + 1', 'j + 1')});` : '';
  return {
    variableNames: mask ? ['Q', 'KV', 'Mask'] : ['Q', 'KV'],
    outputShape: [B, H, Tq, Tk],
    ...(packed ? { packedOutput: true } : {}),
    glsl: packed
      ? `
      int b = c.x; int h = c.y; int i = c.z; int j = c.w;
      int q0 = ${int(qOff)} + h * ${int(dk)};
      int k0 = ${int(kOff)} + h * ${int(dk)};
      vec4 s = vec4(0.0);
      for (int e = 0; e < ${int(dk)}; e++) {
        vec2 q = vec2(getQ(b, i, q0 + e), getQ(b, i + 1, q0 + e));
        vec2 k = vec2(getKV(b, j, k0 + e), getKV(b, j + 1, k0 + e));
        s += vec4(q.x * k, q.y * k);
      }
      s *= ${flt(1 / Math.sqrt(dk))};
      ${blockMask}
      setOutput(s);`
      : `
      int b = c.x; int h = c.y; int i = c.z; int j = c.w;
      int q0 = ${int(qOff)} + h * ${int(dk)};
      int k0 = ${int(kOff)} + h * ${int(dk)};
      float s = 0.0;
      for (int e = 0; e < ${int(dk)}; e++) s += getQ(b, i, q0 + e) * getKV(b, j, k0 + e);
      s *= ${flt(1 / Math.sqrt(dk))};
      ${maskTerm}
      setOutput(s);`,
    wgsl: `
      let b = c.x; let h = c.y; let i = c.z; let j = c.w;
      let q0 = ${int(qOff)} + h * ${int(dk)};
      let k0 = ${int(kOff)} + h * ${int(dk)};
      var s = 0.0;
      for (var e = 0; e < ${int(dk)}; e++) { s += getQ(b, i, q0 + e) * getKV(b, j, k0 + e); }
      s *= ${flt(1 / Math.sqrt(dk))};
      ${maskTerm}
      setOutput(s);`,
  };
}

/**
 * W = softmax(S) along each row. `packedInput` (WebGL, S from the packed scores): a row's Tk
 * values come in Tk/2 reads, each texel holding two of them (.xy for an even row, .zw odd).
 */
export function softmaxProgram(g: Geometry, packedInput = false) {
  const half = int(g.Tk / 2);
  return {
    variableNames: ['S'],
    outputShape: [g.B, g.H, g.Tq, g.Tk],
    ...(packedInput ? { packedInputs: true } : {}),
    glsl: packedInput
      ? `
      bool odd = c.z - (c.z / 2) * 2 == 1;
      float mx = -1e38;
      for (int p = 0; p < ${half}; p++) {
        vec4 t = getS(c.x, c.y, c.z, 2 * p);
        vec2 v = odd ? t.zw : t.xy;
        mx = max(mx, max(v.x, v.y));
      }
      float se = 0.0;
      for (int p = 0; p < ${half}; p++) {
        vec4 t = getS(c.x, c.y, c.z, 2 * p);
        vec2 v = odd ? t.zw : t.xy;
        se += exp(v.x - mx) + exp(v.y - mx);
      }
      vec4 t = getS(c.x, c.y, c.z, c.w);
      vec2 v = odd ? t.zw : t.xy;
      setOutput(exp((c.w - (c.w / 2) * 2 == 1 ? v.y : v.x) - mx) / se);`
      : `
      float mx = getS(c.x, c.y, c.z, 0);
      for (int j = 1; j < ${int(g.Tk)}; j++) mx = max(mx, getS(c.x, c.y, c.z, j));
      float se = 0.0;
      for (int j = 0; j < ${int(g.Tk)}; j++) se += exp(getS(c.x, c.y, c.z, j) - mx);
      setOutput(exp(getS(c.x, c.y, c.z, c.w) - mx) / se);`,
    wgsl: `
      var mx = getS(c.x, c.y, c.z, 0);
      for (var j = 1; j < ${int(g.Tk)}; j++) { mx = max(mx, getS(c.x, c.y, c.z, j)); }
      var se = 0.0;
      for (var j = 0; j < ${int(g.Tk)}; j++) { se += exp(getS(c.x, c.y, c.z, j) - mx); }
      setOutput(exp(getS(c.x, c.y, c.z, c.w) - mx) / se);`,
  };
}

/**
 * O = W·V, heads side by side. `packed` (WebGL, Tq and dk even): 2×2 blocks (rows i, i+1 by
 * two columns of a head), half the reads, written packed for the projection that follows.
 */
export function outputProgram(g: Geometry, packed = false) {
  const d = g.H * g.dk;
  return {
    variableNames: ['W', 'KV'],
    outputShape: [g.B, g.Tq, d],
    ...(packed ? { packedOutput: true } : {}),
    glsl: packed
      ? `
      int b = c.x; int i = c.y; int col = c.z;
      int h = col / ${int(g.dk)};
      vec4 s = vec4(0.0);
      for (int j = 0; j < ${int(g.Tk)}; j++) {
        vec2 w = vec2(getW(b, h, i, j), getW(b, h, i + 1, j));
        vec2 v = vec2(getKV(b, j, ${int(g.vOff)} + col), getKV(b, j, ${int(g.vOff + 1)} + col));
        s += vec4(w.x * v, w.y * v);
      }
      setOutput(s);`
      : `
      int b = c.x; int i = c.y; int col = c.z;
      int h = col / ${int(g.dk)};
      float s = 0.0;
      for (int j = 0; j < ${int(g.Tk)}; j++) s += getW(b, h, i, j) * getKV(b, j, ${int(g.vOff)} + col);
      setOutput(s);`,
    wgsl: `
      let b = c.x; let i = c.y; let col = c.z;
      let h = col / ${int(g.dk)};
      var s = 0.0;
      for (var j = 0; j < ${int(g.Tk)}; j++) { s += getW(b, h, i, j) * getKV(b, j, ${int(g.vOff)} + col); }
      setOutput(s);`,
  };
}

/** dW [B, H, Tq, Tk] = dO · Vᵀ per head. */
export function dWeightsProgram(g: Geometry) {
  return {
    variableNames: ['DO', 'KV'],
    outputShape: [g.B, g.H, g.Tq, g.Tk],
    glsl: `
      int b = c.x; int h = c.y; int i = c.z; int j = c.w;
      int c0 = h * ${int(g.dk)};
      float s = 0.0;
      for (int e = 0; e < ${int(g.dk)}; e++) s += getDO(b, i, c0 + e) * getKV(b, j, ${int(g.vOff)} + c0 + e);
      setOutput(s);`,
    wgsl: `
      let b = c.x; let h = c.y; let i = c.z; let j = c.w;
      let c0 = h * ${int(g.dk)};
      var s = 0.0;
      for (var e = 0; e < ${int(g.dk)}; e++) { s += getDO(b, i, c0 + e) * getKV(b, j, ${int(g.vOff)} + c0 + e); }
      setOutput(s);`,
  };
}

/** dS = W ⊙ (dW − Σ_j dW·W) / √dk: the softmax's backward, with the score scale folded in. */
export function dScoresProgram(g: Geometry) {
  return {
    variableNames: ['W', 'DW'],
    outputShape: [g.B, g.H, g.Tq, g.Tk],
    glsl: `
      float rowDot = 0.0;
      for (int j = 0; j < ${int(g.Tk)}; j++) rowDot += getDW(c.x, c.y, c.z, j) * getW(c.x, c.y, c.z, j);
      setOutput(getW(c.x, c.y, c.z, c.w) * (getDW(c.x, c.y, c.z, c.w) - rowDot) * ${flt(1 / Math.sqrt(g.dk))});`,
    wgsl: `
      var rowDot = 0.0;
      for (var j = 0; j < ${int(g.Tk)}; j++) { rowDot += getDW(c.x, c.y, c.z, j) * getW(c.x, c.y, c.z, j); }
      setOutput(getW(c.x, c.y, c.z, c.w) * (getDW(c.x, c.y, c.z, c.w) - rowDot) * ${flt(1 / Math.sqrt(g.dk))});`,
  };
}

/**
 * The gradient of a source tensor [B, T, width] whose columns hold some of q, k (from dS) and
 * v (from W and dO). Column ranges not in `roles` get 0.
 * `packed` (WebGL, when T, dk and width are even): each invocation writes a 2×2 block, rows t
 * and t+1 by columns e and e+1 of one head, so every dS (or W) value read serves two outputs
 * and every q, k or dO value read serves two: half the reads (measured 2.0 → 1.1 ms for the
 * reference step's 512×96 gradient), and the dense layer below takes the packed block as is.
 */
export function sourceGradProgram(g: Geometry, T: number, width: number, roles: Array<'q' | 'k' | 'v'>, packed = false) {
  const d = g.H * g.dk;
  const branch = (lang: 'glsl' | 'wgsl') =>
    roles.map((role) => {
      const off = role === 'q' ? g.qOff : role === 'k' ? g.kOff : g.vOff;
      const [loop, decl] = lang === 'glsl' ? ['int', 'int'] : ['var', 'let'];
      const sum =
        role === 'q'
          ? `for (${loop} j = 0; j < ${int(g.Tk)}; j++) { s += getDS(b, h, t, j) * getKV(b, j, ${int(g.kOff)} + e); }`
          : role === 'k'
            ? `for (${loop} i = 0; i < ${int(g.Tq)}; i++) { s += getDS(b, h, i, t) * getQ(b, i, ${int(g.qOff)} + e); }`
            : `for (${loop} i = 0; i < ${int(g.Tq)}; i++) { s += getW(b, h, i, t) * getDO(b, i, e); }`;
      return `if (col >= ${int(off)} && col < ${int(off + d)}) {
          ${decl} e = col - ${int(off)};
          ${decl} h = e / ${int(g.dk)};
          ${sum}
        }`;
    }).join(' else ');
  // The 2×2 form: s = (t, e), (t, e+1), (t+1, e), (t+1, e+1), from a pair of weights (rows t,
  // t+1) and a pair of values (columns e, e+1) at each step of the loop.
  const block = () =>
    roles.map((role) => {
      const off = role === 'q' ? g.qOff : role === 'k' ? g.kOff : g.vOff;
      // Loop length, the weight for output row r at step j, the value for output column x.
      const [n, weight, value]: [number, (r: string) => string, (x: string) => string] =
        role === 'q'
          ? [g.Tk, (r: string) => `getDS(b, h, ${r}, j)`, (x: string) => `getKV(b, j, ${int(g.kOff)} + ${x})`]
          : role === 'k'
            ? [g.Tq, (r: string) => `getDS(b, h, j, ${r})`, (x: string) => `getQ(b, j, ${int(g.qOff)} + ${x})`]
            : [g.Tq, (r: string) => `getW(b, h, j, ${r})`, (x: string) => `getDO(b, j, ${x})`];
      return `if (col >= ${int(off)} && col < ${int(off + d)}) {
          int e = col - ${int(off)};
          int h = e / ${int(g.dk)};
          for (int j = 0; j < ${int(n)}; j++) {
            vec2 a = vec2(${weight('t')}, ${weight('t + 1')});
            vec2 v = vec2(${value('e')}, ${value('e + 1')});
            s += vec4(a.x * v, a.y * v);
          }
        }`;
    }).join(' else ');
  return {
    // Inputs the code does not read cost nothing (WebGL skips their binding, run() drops them on WebGPU).
    variableNames: ['Q', 'KV', 'DS', 'W', 'DO'],
    outputShape: [g.B, T, width],
    ...(packed ? { packedOutput: true } : {}),
    glsl: packed
      ? `
      int b = c.x; int t = c.y; int col = c.z;
      vec4 s = vec4(0.0);
      ${block()}
      setOutput(s);`
      : `
      int b = c.x; int t = c.y; int col = c.z;
      float s = 0.0;
      ${branch('glsl')}
      setOutput(s);`,
    wgsl: `
      let b = c.x; let t = c.y; let col = c.z;
      var s = 0.0;
      ${branch('wgsl')}
      setOutput(s);`,
  };
}

