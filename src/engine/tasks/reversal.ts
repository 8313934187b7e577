import { EngineError } from '../errors';
import { Rng } from '../random';
import { seqBatch } from './seq';
import type { Example, RawBatch, Task } from './types';
import { padInto, Vocab } from './vocab';

/**
 * Sequence reversal: "c a d b" → "b d a c". Symbols are the letters a, b, c, …
 * As seq2seq (encoder-decoder, the default) or as a tagger (encoder only: position i outputs the
 * token at len-1-i; the benchmark's reference configuration).
 */
export interface ReversalSpec {
  task: 'reversal';
  symbols?: number;
  minLength?: number;
  maxLength?: number;
}

export function buildReversal(spec: ReversalSpec, seed: number): Task {
  const { symbols = 8, minLength = 4, maxLength = 8 } = spec;
  if (!(symbols >= 1 && symbols <= 26)) {
    throw new EngineError('invalid-config', { field: 'symbols', value: String(symbols), expected: '1..26' });
  }
  if (!(minLength >= 1 && maxLength >= minLength)) {
    throw new EngineError('invalid-config', { field: 'maxLength', value: String(maxLength), expected: `>= ${minLength}` });
  }
  const letters = Array.from({ length: symbols }, (_, i) => String.fromCharCode(97 + i));
  const vocab = new Vocab(letters, 'reversal');
  const example = (rng: Rng): Example => {
    const tokens = Array.from({ length: rng.int(minLength, maxLength + 1) }, () => rng.pick(letters));
    return { text: tokens.join(' '), tokens, target: [...tokens].reverse() };
  };
  const held = new Rng(seed ^ 0x5eed);
  return {
    name: 'reversal',
    kinds: ['seq2seq', 'additive', 'tagger'],
    // Reversal is about positions: learned positions train faster here than sinusoidal ones.
    modelDefaults: { positional: 'learned' },
    src: vocab,
    tgt: vocab,
    Ts: maxLength,
    Tt: maxLength + 1,
    tokenize: (text) => text.split(/\s+/).filter(Boolean),
    batch: (rng, B, kind) => {
      const pairs = Array.from({ length: B }, () => {
        const e = example(rng);
        return [e.tokens, e.target] as [string[], string[]];
      });
      if (kind !== 'tagger') return seqBatch(pairs, vocab, vocab, maxLength, maxLength + 1);
      const T = maxLength;
      const b: RawBatch = { B, Ts: T, Tt: T, src: new Int32Array(B * T), tgtOut: new Int32Array(B * T), weights: new Float32Array(B * T) };
      pairs.forEach(([s, t], i) => {
        padInto(b.src, i, T, vocab.ids(s));
        padInto(b.tgtOut!, i, T, vocab.ids(t));
        for (let j = 0; j < s.length; j++) b.weights![i * T + j] = 1;
      });
      return b;
    },
    heldOut: Array.from({ length: 200 }, () => example(held)),
    probe: example(new Rng(seed ^ 0x9b0e)),
  };
}
