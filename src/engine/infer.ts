import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors';
import type { buildAdditive } from './models/additive';
import type { AttentionMap } from './models/types';
import type { Session } from './session';
import type { Example } from './tasks/types';
import { BOS, EOS, MASK, padInto } from './tasks/vocab';

/**
 * Inference: greedy decoding with the attention of every step, predictions with attention,
 * held-out evaluation. Everything returned is plain data (typed arrays, strings), ready to be
 * posted from the worker.
 */

/** One attention map: `heads` matrices of rows × cols, row-major in `data`. */
export interface AttentionMatrix {
  /** `enc0` (encoder layer 0 self-attention), `dec0.self`, `dec0.cross`, or `additive` (α). */
  name: string;
  heads: number;
  rows: number;
  cols: number;
  data: Float32Array; // [heads, rows, cols]
  rowTokens: string[];
  colTokens: string[];
}

export interface TokenGuess {
  token: string;
  p: number;
}

export interface DecodeResult {
  input: string;
  inputTokens: string[];
  outputTokens: string[];
  output: string;
  /** Per output step: the top guesses (the chosen one first). */
  steps: TokenGuess[][];
  /** Cross-attention (`decN.cross`) or α (`additive`): row i = output step i. Plus decoder self-attention. */
  attention: AttentionMatrix[];
}

export interface PredictResult {
  input: string;
  tokens: string[];
  /** Classifier: one entry, the class probabilities (all classes, descending). */
  /** Tagger: the guesses at each position that asks (masks, the pronoun), keyed by position. */
  predictions: Array<{ position: number; top: TokenGuess[] }>;
  attention: AttentionMatrix[];
}

export interface Evaluation {
  examples: number;
  /** seq2seq/additive: whole output right · classifier/tagger: the answer right. */
  exactMatch: number;
  /** seq2seq/additive: per-token accuracy (teacher-forced positions of the greedy output). */
  tokenAccuracy: number;
  /** classifier only: confusion[trueClass][predictedClass] counts. */
  confusion?: number[][];
  classes?: string[];
}

const TOP_K = 5;

function encodeSrc(s: Session, texts: string[]): { ids: Int32Array; tokens: string[][] } {
  const { Ts, src } = s.task;
  const ids = new Int32Array(texts.length * Ts);
  const tokens = texts.map((t, i) => {
    const toks = s.task.tokenize(t);
    if (toks.length > Ts) throw new EngineError('sequence-too-long', { length: toks.length, maxLen: Ts });
    padInto(ids, i, Ts, src.ids(toks));
    return toks;
  });
  return { ids, tokens };
}

function topK(probs: Float32Array, offset: number, n: number, names: string[], k = TOP_K): TokenGuess[] {
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[offset + b]! - probs[offset + a]!);
  return idx.slice(0, k).map((i) => ({ token: names[i] ?? '?', p: probs[offset + i]! }));
}

/** Example b's slices of every attention map, rows cut to `rows` and cols to `cols` (no padding). */
async function attentionOf(
  maps: AttentionMap,
  b: number,
  rowTokens: (name: string) => string[],
  colTokens: (name: string) => string[],
): Promise<AttentionMatrix[]> {
  const out: AttentionMatrix[] = [];
  for (const [name, w] of Object.entries(maps)) {
    const [, H, Tq, Tk] = w.shape;
    const rows = Math.min(Tq, rowTokens(name).length);
    const cols = Math.min(Tk, colTokens(name).length);
    const cut = tf.slice(w, [b, 0, 0, 0], [1, H, rows, cols]); // [1, H, rows, cols]
    out.push({ name, heads: H, rows, cols, data: (await cut.data()) as Float32Array, rowTokens: rowTokens(name).slice(0, rows), colTokens: colTokens(name).slice(0, cols) });
    cut.dispose();
  }
  return out;
}

/** Greedy decoding of a batch of inputs (seq2seq or additive). */
export async function decode(s: Session, texts: string[]): Promise<DecodeResult[]> {
  const kind = s.model.kind;
  if (kind !== 'seq2seq' && kind !== 'additive') {
    throw new EngineError('wrong-model-kind', { kind, expected: 'seq2seq|additive' });
  }
  const { Tt, tgt } = s.task;
  const B = texts.length;
  const { ids, tokens } = encodeSrc(s, texts);
  const src = tf.tensor2d(ids, [B, s.task.Ts], 'int32'); // [B, Ts]
  const tgtIn = new Int32Array(B * Tt); // [B, Tt]  BOS y1 y2 …, grown one step at a time
  for (let b = 0; b < B; b++) tgtIn[b * Tt] = BOS;
  const out: number[][] = texts.map(() => []);
  let probs: Float32Array;
  let maps: AttentionMap;

  if (kind === 'seq2seq') {
    // Each step reruns the decoder at the full fixed length Tt (kernels compile once); the
    // causal mask makes position t blind to the not-yet-written positions after it.
    for (let t = 0; t < Tt; t++) {
      const pred = tf.tidy(() => {
        const logits = s.model.forward(s.params(), { src, tgtIn: tf.tensor2d(tgtIn, [B, Tt], 'int32') }).logits; // [B, Tt, V]
        return tf.argMax(tf.squeeze(tf.slice(logits, [0, t, 0], [B, 1, -1]), [1]), -1); // [B]
      });
      const p = (await pred.data()) as Int32Array;
      pred.dispose();
      for (let b = 0; b < B; b++) {
        out[b]!.push(p[b]!);
        if (t + 1 < Tt) tgtIn[b * Tt + t + 1] = p[b]!;
      }
    }
    // One last pass over the finished outputs gives every step's distribution and attention.
    const final = tf.tidy(() => {
      const r = s.model.forward(s.params(), { src, tgtIn: tf.tensor2d(tgtIn, [B, Tt], 'int32') });
      return { probs: tf.softmax(r.logits), attention: r.attention }; // [B, Tt, V]
    });
    probs = (await final.probs.data()) as Float32Array;
    final.probs.dispose();
    maps = final.attention;
  } else {
    const model = s.model as ReturnType<typeof buildAdditive>;
    const P = s.params();
    let st = tf.tidy(() => model.start(P, src));
    const alphas: tf.Tensor2D[] = [];
    const stepProbs: tf.Tensor2D[] = [];
    let prev = tf.tensor1d(new Int32Array(B).fill(BOS), 'int32');
    for (let t = 0; t < Tt; t++) {
      const r = tf.tidy(() => {
        const o = model.step(P, st, prev);
        return { ...o, pred: tf.cast(tf.argMax(o.logits, -1), 'int32') as tf.Tensor1D, probs: tf.softmax(o.logits) as tf.Tensor2D };
      });
      tf.dispose([st.s, prev, r.logits]);
      st = r.state;
      prev = r.pred;
      alphas.push(r.alpha); // [B, Ts]
      stepProbs.push(r.probs); // [B, V]
      const p = (await r.pred.data()) as Int32Array;
      for (let b = 0; b < B; b++) out[b]!.push(p[b]!);
    }
    const stacked = tf.tidy(() => ({
      probs: tf.stack(stepProbs, 1), // [B, Tt, V]
      alpha: tf.expandDims(tf.stack(alphas, 1), 1) as tf.Tensor4D, // [B, 1, Tt, Ts]
    }));
    probs = (await stacked.probs.data()) as Float32Array;
    maps = { additive: stacked.alpha };
    tf.dispose([...alphas, ...stepProbs, stacked.probs, prev, st.H, st.UH, st.maskAdd, st.s]);
  }

  const V = tgt!.size;
  const results: DecodeResult[] = [];
  for (let b = 0; b < B; b++) {
    const end = out[b]!.indexOf(EOS);
    const outTokens = tgt!.decode(out[b]!);
    const steps = Array.from({ length: end < 0 ? Tt : end + 1 }, (_, t) => topK(probs, (b * Tt + t) * V, V, tgt!.tokens));
    const outWithEos = [...outTokens, tgt!.tokens[EOS]!];
    const decIn = [tgt!.tokens[BOS]!, ...outTokens];
    const attention = await attentionOf(
      maps, b,
      () => outWithEos,
      (name) => (name.endsWith('.self') ? decIn : tokens[b]!),
    );
    results.push({
      input: texts[b]!, inputTokens: tokens[b]!, outputTokens: outTokens,
      output: outTokens.join(s.task.name === 'reversal' ? ' ' : ''), steps, attention,
    });
  }
  src.dispose();
  tf.dispose(Object.values(maps));
  return results;
}

/** Predictions with attention: classifier (class probabilities) or tagger (masks / pronoun). */
export async function predict(s: Session, texts: string[]): Promise<PredictResult[]> {
  const kind = s.model.kind;
  if (kind !== 'classifier' && kind !== 'tagger') {
    throw new EngineError('wrong-model-kind', { kind, expected: 'classifier|tagger' });
  }
  const B = texts.length;
  const { ids, tokens } = encodeSrc(s, texts);
  const r = tf.tidy(() => {
    const f = s.model.forward(s.params(), { src: tf.tensor2d(ids, [B, s.task.Ts], 'int32') });
    return { probs: tf.softmax(f.logits), attention: f.attention }; // [B, C] or [B, T, V]
  });
  const probs = (await r.probs.data()) as Float32Array;
  const results: PredictResult[] = [];
  const pronounAt = (s.task as { pronounAt?: (t: string[]) => number }).pronounAt;
  for (let b = 0; b < B; b++) {
    const toks = tokens[b]!;
    let predictions: PredictResult['predictions'];
    if (kind === 'classifier') {
      const C = s.task.classes!.length;
      predictions = [{ position: -1, top: topK(probs, b * C, C, s.task.classes!, C) }];
    } else {
      const V = s.model.outSize;
      const Ts = s.task.Ts;
      const rowIds = Array.from(ids.subarray(b * Ts, b * Ts + toks.length));
      const masks = rowIds.flatMap((id, i) => (id === MASK ? [i] : []));
      // The pronoun's position; else the [MASK]s; else every position (reversal as tagging).
      const ask = pronounAt ? [pronounAt(toks)].filter((i) => i >= 0) : masks.length ? masks : rowIds.map((_, i) => i);
      predictions = ask.map((i) => ({ position: i, top: topK(probs, (b * Ts + i) * V, V, s.task.src.tokens) }));
    }
    results.push({ input: texts[b]!, tokens: toks, predictions, attention: await attentionOf(r.attention, b, () => toks, () => toks) });
  }
  tf.dispose([r.probs, ...Object.values(r.attention)]);
  return results;
}

/**
 * Masked words: top-1 at every hidden position of the task's own tokens (no re-tokenizing of
 * the joined text, which a segmenter may cut differently), one forward pass, no attention read.
 * exactMatch: examples with every hidden word right; tokenAccuracy: hidden words right.
 */
async function evaluateMasked(s: Session, ex: Example[]): Promise<Evaluation> {
  const { Ts, src } = s.task;
  const B = ex.length;
  const ids = new Int32Array(B * Ts);
  ex.forEach((e, i) => padInto(ids, i, Ts, src.ids(e.tokens.slice(0, Ts))));
  const best = tf.tidy(() => {
    const { logits } = s.model.forward(s.params(), { src: tf.tensor2d(ids, [B, Ts], 'int32') }); // [B, T, V]
    return tf.argMax(logits, -1); // [B, T]
  });
  const got = (await best.data()) as Int32Array;
  best.dispose();
  let right = 0, total = 0, exact = 0;
  ex.forEach((e, i) => {
    let all = true;
    let k = 0;
    for (let j = 0; j < Ts; j++) {
      if (ids[i * Ts + j] !== MASK) continue;
      const ok = got[i * Ts + j] === src.id(e.target[k++] ?? '');
      total++;
      if (ok) right++;
      else all = false;
    }
    if (all) exact++;
  });
  return { examples: B, exactMatch: exact / Math.max(B, 1), tokenAccuracy: right / Math.max(total, 1) };
}

/** Scores on the task's held-out examples. */
export async function evaluate(s: Session, limit = 200): Promise<Evaluation> {
  const ex = s.task.heldOut.slice(0, limit);
  const kind = s.model.kind;
  if (s.task.name === 'mlm' && kind === 'tagger') return evaluateMasked(s, ex);
  if (kind === 'seq2seq' || kind === 'additive') {
    const res = await decode(s, ex.map((e) => e.text));
    let exact = 0, right = 0, total = 0;
    res.forEach((r, i) => {
      const want = ex[i]!.target;
      if (r.outputTokens.join('\u0000') === want.join('\u0000')) exact++;
      want.forEach((w, j) => (total++, (right += r.outputTokens[j] === w ? 1 : 0)));
    });
    return { examples: ex.length, exactMatch: exact / ex.length, tokenAccuracy: right / total };
  }
  const res = await predict(s, ex.map((e) => e.text));
  if (kind === 'classifier') {
    const classes = s.task.classes!;
    const confusion = classes.map(() => classes.map(() => 0));
    let right = 0;
    res.forEach((r, i) => {
      const want = classes.indexOf(ex[i]!.target[0]!);
      const got = classes.indexOf(r.predictions[0]!.top[0]!.token);
      confusion[want]![got]!++;
      if (want === got) right++;
    });
    return { examples: ex.length, exactMatch: right / ex.length, tokenAccuracy: right / ex.length, confusion, classes };
  }
  let right = 0, total = 0, exact = 0;
  res.forEach((r, i) => {
    const want = ex[i]!.target;
    const got = r.predictions.map((p) => p.top[0]!.token);
    want.forEach((w, j) => (total++, (right += got[j] === w ? 1 : 0)));
    if (got.join('\u0000') === want.join('\u0000')) exact++;
  });
  return { examples: ex.length, exactMatch: exact / ex.length, tokenAccuracy: right / Math.max(total, 1) };
}

