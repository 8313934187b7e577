import { EngineError } from '../errors';
import { Rng } from '../random';
import type { Example, RawBatch, Task } from './types';
import { MASK, padInto, SPECIALS, Vocab, wordTokens } from './vocab';

/**
 * Masked-word prediction on a text the caller passes (the lesson's own text, in its locale):
 * windows of `window` words, each word masked with probability `maskRate` (at least one per
 * window), the model predicts the hidden words. Write a mask as "[MASK]" in prediction inputs.
 */
export interface MlmSpec {
  task: 'mlm';
  locale: string;
  text: string;
  window?: number;
  maskRate?: number;
}

export const MASK_MARK = '[MASK]';

export function mlmTokenizer(locale: string): (text: string) => string[] {
  return (text) =>
    text.split(MASK_MARK).flatMap((part, i) => (i === 0 ? wordTokens(part, locale) : [SPECIALS[MASK]!, ...wordTokens(part, locale)]));
}

export function buildMlm(spec: MlmSpec, seed: number): Task {
  const tokenize = mlmTokenizer(spec.locale);
  const stream = tokenize(spec.text ?? '');
  if (stream.length < 2) throw new EngineError('empty-dataset', { task: 'mlm' });
  const Ts = Math.min(spec.window ?? 12, stream.length);
  const maskRate = spec.maskRate ?? 0.15;
  const vocab = new Vocab(stream, 'mlm');
  const windowAt = (start: number) => stream.slice(start, start + Ts);
  const starts = stream.length - Ts + 1;

  const masked = (rng: Rng, words: string[]) => {
    const hide = words.map(() => rng.next() < maskRate);
    if (!hide.some(Boolean)) hide[rng.int(0, words.length)] = true;
    return hide;
  };
  const held = new Rng(seed ^ 0x5eed);
  const heldOut: Example[] = Array.from({ length: 20 }, () => {
    const words = windowAt(held.int(0, starts));
    const hide = masked(held, words);
    return {
      text: words.map((w, i) => (hide[i] ? MASK_MARK : w)).join(' '),
      tokens: words.map((w, i) => (hide[i] ? SPECIALS[MASK]! : w)),
      target: words.filter((_, i) => hide[i]),
    };
  });
  const probeWords = windowAt(0);
  const mid = Math.floor(probeWords.length / 2);
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
      for (let i = 0; i < B; i++) {
        const words = windowAt(rng.int(0, starts));
        const ids = vocab.ids(words);
        const hide = masked(rng, words);
        padInto(b.src, i, Ts, ids.map((id, j) => (hide[j] ? MASK : id)));
        padInto(b.tgtOut!, i, Ts, ids);
        hide.forEach((h, j) => (b.weights![i * Ts + j] = h ? 1 : 0));
      }
      return b;
    },
    heldOut,
    probe: {
      text: probeWords.map((w, i) => (i === mid ? MASK_MARK : w)).join(' '),
      tokens: probeWords.map((w, i) => (i === mid ? SPECIALS[MASK]! : w)),
      target: [probeWords[mid]!],
    },
  };
}
