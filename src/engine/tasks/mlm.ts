import { EngineError } from '../errors';
import { Rng } from '../random';
import { isContentWord } from './mlm-words';
import type { Example, RawBatch, Task } from './types';
import { MASK, padInto, SPECIALS, Vocab, wordTokens } from './vocab';

/**
 * Masked-word prediction on a text the caller passes (the lesson's own text, in its locale):
 * windows of `window` tokens cut from the text (a batch's windows evenly spaced over all of it,
 * from a random offset), some of their content words hidden, and the model predicts the hidden
 * words. Only content words are ever hidden (./mlm-words.ts: never punctuation, numbers or
 * function words), each with probability `maskRate`, at least one per window. Write a mask as
 * "[MASK]" in prediction inputs.
 *
 * The score (`heldOut`): windows of the same text with one content word hidden, picked evenly
 * over the text; top-1 right or not. It measures how much of its text the model can fill in:
 * it has read every one of these words in training, hidden or not.
 */
export interface MlmSpec {
  task: 'mlm';
  locale: string;
  text: string;
  /** Tokens per window (default 12). */
  window?: number;
  /** Share of a window's content words hidden in training (default 0.5; at least one). */
  maskRate?: number;
  /** Score examples (default 100). */
  scored?: number;
}

export const MASK_MARK = '[MASK]';

export function mlmTokenizer(locale: string): (text: string) => string[] {
  return (text) =>
    text.split(MASK_MARK).flatMap((part, i) => (i === 0 ? wordTokens(part, locale) : [SPECIALS[MASK]!, ...wordTokens(part, locale)]));
}

/** A window of tokens with the positions to hide, as an Example (text joined by spaces). */
function example(words: string[], hide: boolean[]): Example {
  return {
    text: words.map((w, i) => (hide[i] ? MASK_MARK : w)).join(' '),
    tokens: words.map((w, i) => (hide[i] ? SPECIALS[MASK]! : w)),
    target: words.filter((_, i) => hide[i]),
  };
}

export function buildMlm(spec: MlmSpec, seed: number): Task {
  const tokenize = mlmTokenizer(spec.locale);
  const stream = tokenize(spec.text ?? '');
  const content = stream.map((w) => isContentWord(w, spec.locale));
  const contentAt = content.flatMap((c, i) => (c ? [i] : []));
  if (stream.length < 2 || !contentAt.length) throw new EngineError('empty-dataset', { task: 'mlm' });
  const Ts = Math.min(spec.window ?? 12, stream.length);
  const maskRate = spec.maskRate ?? 0.5;
  const vocab = new Vocab(stream, 'mlm');
  const starts = stream.length - Ts + 1;
  /** A window start that puts position `at` somewhere in the window (`offset` tokens in). */
  const startFor = (at: number, offset: number) => Math.max(0, Math.min(starts - 1, at - offset));

  /** Which of the window's tokens to hide: content words with probability maskRate, at least one. */
  const masked = (rng: Rng, start: number): boolean[] => {
    const hide = Array.from({ length: Ts }, (_, j) => content[start + j]! && rng.next() < maskRate);
    if (!hide.some(Boolean)) {
      const cs = hide.flatMap((_, j) => (content[start + j] ? [j] : []));
      if (cs.length) hide[cs[rng.int(0, cs.length)]!] = true;
    }
    return hide;
  };

  // Scored examples: one hidden content word each, picked evenly over the text (one per stretch
  // of the content words, at a seeded place in it), at a seeded place in its window.
  const held = new Rng(seed ^ 0x5eed);
  const n = Math.min(spec.scored ?? 100, contentAt.length);
  const heldOut: Example[] = Array.from({ length: n }, (_, k) => {
    const lo = Math.floor((k * contentAt.length) / n);
    const hi = Math.floor(((k + 1) * contentAt.length) / n);
    const at = contentAt[held.int(lo, Math.max(lo + 1, hi))]!;
    const start = startFor(at, held.int(0, Ts));
    const words = stream.slice(start, start + Ts);
    return example(words, words.map((_, j) => start + j === at));
  });

  return {
    name: 'mlm',
    kinds: ['tagger'],
    src: vocab,
    tgt: vocab,
    Ts,
    Tt: Ts,
    tokenize,
    batch(rng, B): RawBatch {
      const b: RawBatch = {
        B, Ts, Tt: Ts,
        src: new Int32Array(B * Ts), // [B, T] words with some masked
        tgtOut: new Int32Array(B * Ts), // [B, T] the original words
        weights: new Float32Array(B * Ts), // [B, T] 1 where masked
      };
      // Evenly spaced windows from a random offset: every batch reads the whole text once over.
      const offset = rng.next();
      for (let i = 0; i < B; i++) {
        const start = Math.floor(((i + offset) / B) * starts);
        const ids = vocab.ids(stream.slice(start, start + Ts));
        const hide = masked(rng, start);
        padInto(b.src, i, Ts, ids.map((id, j) => (hide[j] ? MASK : id)));
        padInto(b.tgtOut!, i, Ts, ids);
        hide.forEach((h, j) => (b.weights![i * Ts + j] = h ? 1 : 0));
      }
      return b;
    },
    heldOut,
    probe: heldOut[0]!,
  };
}
