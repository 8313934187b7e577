import type { RawBatch } from './types';
import { BOS, EOS, padInto, type Vocab } from './vocab';

/** Fill a seq2seq batch from (source tokens, target tokens) pairs: tgtIn = BOS y…, tgtOut = y… EOS. */
export function seqBatch(pairs: Array<[string[], string[]]>, src: Vocab, tgt: Vocab, Ts: number, Tt: number): RawBatch {
  const B = pairs.length;
  const b: RawBatch = {
    B, Ts, Tt,
    src: new Int32Array(B * Ts), // [B, Ts]
    tgtIn: new Int32Array(B * Tt), // [B, Tt]
    tgtOut: new Int32Array(B * Tt), // [B, Tt]
  };
  pairs.forEach(([s, t], i) => {
    const y = tgt.ids(t);
    padInto(b.src, i, Ts, src.ids(s));
    padInto(b.tgtIn!, i, Tt, [BOS, ...y]);
    padInto(b.tgtOut!, i, Tt, [...y, EOS]);
  });
  return b;
}
