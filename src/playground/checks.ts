import * as tf from '@tensorflow/tfjs-core';
import * as lesson from './lesson-api';
import { attempt, compare, firstDiff, needFunction, sameAs, type Check } from './check-tools';
import { classifier, decoder, mlm } from './checks-train';
import type { CheckResult } from './protocol';

/**
 * The checks learners run after their code, one per exercise id. A check reads what the
 * learner's code exported (`export function sinusoid …`), calls it on fresh inputs and compares
 * with a reference written here in plain tfjs. When the answer is wrong, the check looks for the
 * usual mistake (the √d left out, sine and cosine swapped, a future position leaking, heads
 * concatenated in the wrong order, pre-norm for post-norm…) and names it. Checks are code, not
 * content: each result names a `playground.check.*` UI key and its parameters, translated on the
 * page.
 */

/** PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same), with variants of the usual slips. */
function sinusoidRef(T: number, d: number, slip?: 'swapped' | 'exponent'): tf.Tensor2D {
  const out = new Float32Array(T * d);
  for (let pos = 0; pos < T; pos++) {
    for (let j = 0; j < d; j++) {
      const pair = j - (j % 2); // 2i: dimensions 2i and 2i+1 share a frequency
      const angle = pos / Math.pow(10000, (slip === 'exponent' ? 2 * j : pair) / d);
      const even = j % 2 === 0;
      out[pos * d + j] = even !== (slip === 'swapped') ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(out, [T, d]);
}

const embedding: Check = (exports) => {
  const pe = needFunction(exports, 'sinusoid');
  const em = needFunction(exports, 'embed');
  if (!pe.fn || !em.fn) return [pe, em];
  const out: CheckResult[] = [pe, em];
  const [T, d] = [7, 8];
  const want = sinusoidRef(T, d);
  const r = attempt('sinusoid', () => pe.fn!(T, d));
  if (r.failure) out.push(r.failure);
  else {
    const got = r.value;
    const shape = compare('sinusoid(7, 8)', got, want, 1e-4, true);
    out.push(shape[0]!);
    if (shape[0]!.pass) {
      const slips = [['swapped', 'peSwapped'], ['exponent', 'peExponent']] as const;
      const slip = slips.find(([s]) => {
        const ref = sinusoidRef(T, d, s);
        const same = sameAs(got as tf.Tensor, ref);
        ref.dispose();
        return same;
      });
      if (slip) out.push({ pass: false, key: slip[1], params: { name: 'sinusoid' } });
      else {
        const diff = firstDiff(got as tf.Tensor, want);
        out.push(diff
          ? { pass: false, key: 'peValue', params: { pos: diff.index[0]!, dim: diff.index[1]!, want: diff.want.toFixed(4), got: diff.got.toFixed(4) } }
          : { pass: true, key: 'close', params: { name: 'sinusoid(7, 8)', diff: '0' } });
      }
    }
    if (got instanceof tf.Tensor) got.dispose();
  }
  // embed: the table's rows for the ids, plus the positions (the reference's, so a wrong
  // sinusoid is reported once, above, and embed is judged on the lookup and the sum).
  const table = lesson.embeddingTable(12, d, 3); // [V, d]
  const ids = randomIds(3, 5, 12, 9); // [B, T]
  const lookup = tf.gather(table, ids); // [B, T, d]
  const pos = sinusoidRef(5, d);
  const full = tf.add(lookup, pos); // [B, T, d]
  const e = attempt('embed', () => em.fn!(ids, table));
  if (e.failure) out.push(e.failure);
  else if (e.value instanceof tf.Tensor && e.value.shape.join() === full.shape.join() && sameAs(e.value, lookup)) {
    out.push({ pass: false, key: 'noPositions', params: { name: 'embed(ids, table)' } });
  } else out.push(...compare('embed(ids, table)', e.value, full));
  tf.dispose([want, table, ids, lookup, pos, full, e.value as tf.Tensor]);
  return out;
};

const randomIds = (B: number, T: number, V: number, seed: number) => {
  const rng = new lesson.Rng(seed);
  return tf.tensor2d(Array.from({ length: B * T }, () => rng.int(1, V)), [B, T], 'int32');
};

/** softmax(q kᵀ · scale + mask) with the mistakes a learner makes: no scale, 1/dk, the wrong axis. */
function attentionWeightsRef(q: tf.Tensor, k: tf.Tensor, mask: tf.Tensor | undefined, scale: number, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    let s = tf.mul(tf.matMul(q, k, false, true), scale);
    if (mask) s = tf.add(s, mask);
    // tf.softmax runs over the last axis: for the wrong axis (over the queries), transpose around it.
    return axis === -1 ? tf.softmax(s) : tf.transpose(tf.softmax(tf.transpose(s, [0, 1, 3, 2])), [0, 1, 3, 2]);
  });
}

const attention: Check = (exports) => {
  const fn = needFunction(exports, 'attention');
  if (!fn.fn) return [fn];
  const dk = 16;
  const [q, k, v] = [1, 2, 3].map((s) => tf.randomNormal([2, 2, 5, dk], 0, 1, 'float32', s) as tf.Tensor4D); // [B, H, T, dk]
  const mask = lesson.causalMask(5); // [1, 1, T, T]
  const want = tf.tidy(() => lesson.scaledDotProductAttention(q!, k!, v!, mask));
  const r = attempt('attention', () => fn.fn!(q, k, v, mask) as { output?: unknown; weights?: unknown });
  const out: CheckResult[] = [fn];
  if (r.failure) out.push(r.failure);
  else {
    const got = r.value ?? {};
    const w = got.weights;
    const shape = compare('weights', w, want.weights, 1e-4, true);
    out.push(shape[0]!);
    if (shape[0]!.pass) {
      const weights = w as tf.Tensor;
      const sqrt = Math.sqrt(dk).toFixed(0);
      const slips: Array<[tf.Tensor, CheckResult]> = [
        [attentionWeightsRef(q!, k!, mask, 1), { pass: false, key: 'noScale', params: { sqrt } }],
        [attentionWeightsRef(q!, k!, mask, 1 / dk), { pass: false, key: 'scaleByD', params: { dk, sqrt } }],
        [attentionWeightsRef(q!, k!, mask, 1 / Math.sqrt(dk), 2), { pass: false, key: 'softmaxAxis' }],
        [attentionWeightsRef(q!, k!, undefined, 1 / Math.sqrt(dk)), { pass: false, key: 'maskIgnored', params: leakOf(weights) }],
      ];
      const slip = slips.find(([ref]) => sameAs(weights, ref));
      tf.dispose(slips.map(([t]) => t));
      const rowSums = tf.tidy(() => tf.sum(weights, -1).dataSync());
      const worst = Array.from(rowSums).reduce((a, x) => (Math.abs(x - 1) > Math.abs(a - 1) ? x : a), 1);
      if (slip) out.push(slip[1]);
      else if (Math.abs(worst - 1) > 1e-3) out.push({ pass: false, key: 'rows', params: { worst: worst.toFixed(4) } });
      else if (leakOf(weights).weight !== '0') out.push({ pass: false, key: 'maskIgnored', params: leakOf(weights) });
      else out.push(...compare('weights', weights, want.weights).slice(1));
      out.push(...compare('output', got.output, want.output));
    }
    tf.dispose([got.weights as tf.Tensor, got.output as tf.Tensor].filter((t) => t instanceof tf.Tensor));
  }
  tf.dispose([q!, k!, v!, mask, want.output, want.weights]);
  return out;
};

/** The largest weight above the diagonal of [B, H, T, T] weights (a causal mask forbids them all). */
function leakOf(weights: tf.Tensor): { query: number; key: number; weight: string } {
  const [T] = weights.shape.slice(-1) as [number];
  const w = weights.dataSync();
  let best = { query: 0, key: 0, weight: 0 };
  for (let n = 0; n < w.length; n++) {
    const [i, j] = [Math.floor(n / T) % T, n % T];
    if (j > i && w[n]! > best.weight) best = { query: i + 1, key: j + 1, weight: w[n]! };
  }
  return { query: best.query, key: best.key, weight: best.weight > 1e-6 ? best.weight.toFixed(3) : '0' };
}

const masks: Check = (exports) => {
  const pm = needFunction(exports, 'paddingMask');
  const cm = needFunction(exports, 'causalMask');
  if (!pm.fn || !cm.fn) return [pm, cm];
  const out: CheckResult[] = [pm, cm];
  const T = 6;
  // Causal: shape, the diagonal, then behaviour: change the last token, earlier outputs stay put.
  const c = attempt('causalMask', () => cm.fn!(T) as tf.Tensor);
  if (c.failure) out.push(c.failure);
  else {
    const wantC = lesson.causalMask(T);
    const shape = compare(`causalMask(${T})`, c.value, wantC, 1e-4, true);
    out.push(shape[0]!);
    if (shape[0]!.pass) {
      const m = c.value as tf.Tensor;
      const diag = tf.tidy(() => tf.min(tf.mul(tf.eye(T), tf.reshape(m, [T, T]))).dataSync()[0]!);
      if (diag < -1) out.push({ pass: false, key: 'causalDiagonal' });
      else {
        const leak = leakWhenChanged(m, T);
        if (leak) out.push({ pass: false, key: 'futureLeaks', params: leak });
        else out.push(...compare(`causalMask(${T})`, m, wantC, 1e-2).slice(1));
      }
    }
    tf.dispose([wantC, c.value as tf.Tensor]);
  }
  // Padding: real tokens 0, MASKED where the id is PAD_ID; a padded key changes nothing.
  const ids = tf.tensor2d([[7, 8, 9, 0, 0, 0], [5, 6, 7, 8, 9, 0]], [2, T], 'int32');
  const p = attempt('paddingMask', () => pm.fn!(ids) as tf.Tensor);
  if (p.failure) out.push(p.failure);
  else {
    const wantP = tf.tidy(() => lesson.paddingMask(ids));
    const shape = compare('paddingMask(ids)', p.value, wantP, 1e-4, true);
    out.push(shape[0]!);
    if (shape[0]!.pass) {
      const m = p.value as tf.Tensor;
      const inverted = tf.tidy(() => tf.min(tf.reshape(m, [2, T])).dataSync()[0]! < -1 && tf.reshape(m, [2, T]).dataSync()[0]! < -1);
      const padLeak = padLeakWhenChanged(m, ids);
      if (inverted) out.push({ pass: false, key: 'padInverted' });
      else if (padLeak) out.push({ pass: false, key: 'padLeaks', params: padLeak });
      else out.push(...compare('paddingMask(ids)', m, wantP, 1e-2).slice(1));
    }
    tf.dispose([wantP, p.value as tf.Tensor]);
  }
  ids.dispose();
  return out;
};

/** Self-attention over random vectors with `mask`; the last token changes; the first earlier position whose output moved. */
function leakWhenChanged(mask: tf.Tensor, T: number): { pos: number; later: number } | undefined {
  return tf.tidy(() => {
    const x = tf.randomNormal([1, 1, T, 8], 0, 1, 'float32', 21) as tf.Tensor4D;
    const y = tf.concat([tf.slice(x, [0, 0, 0, 0], [1, 1, T - 1, 8]), tf.randomNormal([1, 1, 1, 8], 0, 1, 'float32', 22)], 2) as tf.Tensor4D;
    const a = lesson.scaledDotProductAttention(x, x, x, mask).output;
    const b = lesson.scaledDotProductAttention(y, y, y, mask).output;
    const moved = tf.max(tf.abs(tf.sub(a, b)), -1).dataSync(); // [T]
    const pos = Array.from(moved).findIndex((m, i) => i < T - 1 && m > 1e-4);
    return pos < 0 ? undefined : { pos: pos + 1, later: T };
  });
}

/** The same with a padding mask: new vectors at the padded positions; the first real position that moved. */
function padLeakWhenChanged(mask: tf.Tensor, ids: tf.Tensor2D): { pos: number } | undefined {
  return tf.tidy(() => {
    const [B, T] = ids.shape;
    const isPad = tf.reshape(tf.cast(tf.equal(ids, 0), 'float32'), [B, 1, T, 1]);
    const x = tf.randomNormal([B, 1, T, 8], 0, 1, 'float32', 31) as tf.Tensor4D;
    const y = tf.add(x, tf.mul(isPad, tf.randomNormal([B, 1, T, 8], 0, 3, 'float32', 32))) as tf.Tensor4D;
    // Queries stay the same; only the padded keys and values change.
    const a = lesson.scaledDotProductAttention(x, x, x, mask).output;
    const b = lesson.scaledDotProductAttention(x, y, y, mask).output;
    const moved = tf.max(tf.abs(tf.sub(a, b)), -1).dataSync(); // [B, 1, T]
    const real = ids.dataSync();
    const n = Array.from(moved).findIndex((m, i) => real[i] !== 0 && m > 1e-4);
    return n < 0 ? undefined : { pos: (n % T) + 1 };
  });
}

const multihead: Check = (exports) => {
  const fns = ['splitHeads', 'combineHeads', 'multiHead'].map((n) => needFunction(exports, n));
  if (fns.some((f) => !f.fn)) return fns;
  const [split, combine, multi] = fns.map((f) => f.fn!) as [(...a: unknown[]) => unknown, (...a: unknown[]) => unknown, (...a: unknown[]) => unknown];
  const out: CheckResult[] = [...fns];
  const [B, T, H, dh] = [2, 5, 4, 3];
  const d = H * dh;
  const x = tf.randomNormal([B, T, d], 0, 1, 'float32', 41) as tf.Tensor3D; // [B, T, d]
  const wantSplit = tf.tidy(() => tf.transpose(tf.reshape(x, [B, T, H, dh]), [0, 2, 1, 3])); // [B, H, T, dh]
  const s = attempt('splitHeads', () => split(x, H));
  if (s.failure) out.push(s.failure);
  else {
    const wrong = tf.reshape(x, [B, H, T, dh]);
    const slip = s.value instanceof tf.Tensor && s.value.shape.join() === wrong.shape.join() && sameAs(s.value, wrong);
    out.push(...(slip ? [{ pass: false, key: 'splitOrder', params: { name: 'splitHeads(x, 4)' } }] : compare('splitHeads(x, 4)', s.value, wantSplit)));
    tf.dispose([wrong, s.value as tf.Tensor]);
  }
  const heads = tf.randomNormal([B, H, T, dh], 0, 1, 'float32', 42) as tf.Tensor4D; // [B, H, T, dh]
  const wantCombine = tf.tidy(() => tf.reshape(tf.transpose(heads, [0, 2, 1, 3]), [B, T, d])); // [B, T, H·dh]
  const cb = attempt('combineHeads', () => combine(heads));
  if (cb.failure) out.push(cb.failure);
  else {
    const noTranspose = tf.reshape(heads, [B, T, d]);
    const reversed = tf.tidy(() => tf.reshape(tf.transpose(tf.reverse(heads, 1), [0, 2, 1, 3]), [B, T, d]));
    const got = cb.value;
    const slip = got instanceof tf.Tensor && got.shape.join() === wantCombine.shape.join() && (sameAs(got, noTranspose) || sameAs(got, reversed));
    out.push(...(slip ? [{ pass: false, key: 'combineOrder', params: { name: 'combineHeads(heads)' } }] : compare('combineHeads(heads)', got, wantCombine)));
    tf.dispose([noTranspose, reversed, got as tf.Tensor]);
  }
  // The whole layer: project, split, attend per head, combine, project back.
  const w = lesson.attentionWeights(d, 43);
  const mask = lesson.causalMask(T);
  const want = tf.tidy(() => {
    const proj = (m: tf.Tensor2D) => tf.transpose(tf.reshape(tf.matMul(tf.reshape(x, [B * T, d]), m), [B, T, H, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
    const a = lesson.scaledDotProductAttention(proj(w.wq), proj(w.wk), proj(w.wv), mask);
    const o = tf.matMul(tf.reshape(tf.transpose(a.output, [0, 2, 1, 3]), [B * T, d]), w.wo);
    return { output: tf.reshape(o, [B, T, d]), weights: a.weights };
  });
  const m = attempt('multiHead', () => multi(x, w, H, mask) as { output?: unknown; weights?: unknown });
  if (m.failure) out.push(m.failure);
  else {
    const got = m.value ?? {};
    out.push(...compare('multiHead(x, w, 4, mask).weights', got.weights, want.weights), ...compare('multiHead(x, w, 4, mask).output', got.output, want.output));
    tf.dispose([got.weights as tf.Tensor, got.output as tf.Tensor].filter((t) => t instanceof tf.Tensor));
  }
  tf.dispose([x, wantSplit, heads, wantCombine, w.wq, w.wk, w.wv, w.wo, mask, want.output, want.weights]);
  return out;
};

const block: Check = (exports) => {
  const post = needFunction(exports, 'postNorm');
  const pre = needFunction(exports, 'preNorm');
  if (!post.fn || !pre.fn) return [post, pre];
  const out: CheckResult[] = [post, pre];
  const b = lesson.createTransformerBlock({ dModel: 16, heads: 2, ffn: 32, seed: 11 });
  const x = tf.randomNormal([2, 6, 16], 0, 1, 'float32', 5) as tf.Tensor3D; // [B, T, d]
  const mask = lesson.causalMask(6);
  const att = (h: tf.Tensor3D) => b.attention(h, mask).output;
  const refs = tf.tidy(() => {
    const h1 = b.norm1(tf.add(x, att(x)) as tf.Tensor3D); // LN(x + att(x))
    const postRef = b.norm2(tf.add(h1, b.feedForward(h1)) as tf.Tensor3D);
    const h2 = tf.add(x, att(b.norm1(x))) as tf.Tensor3D; // x + att(LN(x))
    const preRef = tf.add(h2, b.feedForward(b.norm2(h2)));
    const n1 = b.norm1(att(x));
    const postNoRes = b.norm2(b.feedForward(n1));
    const h3 = att(b.norm1(x));
    const preNoRes = b.feedForward(b.norm2(h3));
    return { postRef, preRef, postNoRes, preNoRes };
  });
  const judge = (name: string, fn: (...a: unknown[]) => unknown, want: tf.Tensor, other: tf.Tensor, otherKey: string, noRes: tf.Tensor) => {
    const r = attempt(name, () => fn(b, x, mask));
    if (r.failure) return out.push(r.failure);
    const got = r.value;
    const label = `${name}(block, x, mask)`;
    const fits = got instanceof tf.Tensor && got.shape.join() === want.shape.join();
    if (fits && sameAs(got, other)) out.push({ pass: false, key: otherKey, params: { name } });
    else if (fits && sameAs(got, noRes)) out.push({ pass: false, key: 'noResidual', params: { name } });
    else out.push(...compare(label, got, want));
    if (got instanceof tf.Tensor) got.dispose();
  };
  judge('postNorm', post.fn, refs.postRef, refs.preRef, 'preForPost', refs.postNoRes);
  judge('preNorm', pre.fn, refs.preRef, refs.postRef, 'postForPre', refs.preNoRes);
  tf.dispose([x, mask, refs.postRef, refs.preRef, refs.postNoRes, refs.preNoRes]);
  b.dispose();
  return out;
};

export const checks: Record<string, Check> = { embedding, attention, masks, multihead, block, classifier, mlm, decoder };
