import { EngineError } from '../errors';

/**
 * Token ↔ id. Ids 0-4 are the same special tokens in every vocabulary; 0 is padding everywhere
 * (the masks rely on it).
 */
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const UNK = 3;
export const MASK = 4;
export const SPECIALS = ['<pad>', '<s>', '</s>', '<unk>', '<mask>'];

export class Vocab {
  readonly tokens: string[];
  private readonly index = new Map<string, number>();

  constructor(tokens: Iterable<string>, task: string) {
    this.tokens = [...SPECIALS];
    this.tokens.forEach((t, i) => this.index.set(t, i));
    for (const t of tokens) {
      if (this.index.has(t)) continue;
      this.index.set(t, this.tokens.length);
      this.tokens.push(t);
    }
    if (this.tokens.length === SPECIALS.length) throw new EngineError('empty-vocabulary', { task });
  }

  get size(): number {
    return this.tokens.length;
  }

  id(token: string): number {
    return this.index.get(token) ?? UNK;
  }

  ids(tokens: string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  /** Tokens up to (not including) EOS, without padding or BOS. */
  decode(ids: ArrayLike<number>): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === EOS) break;
      if (id !== PAD && id !== BOS) out.push(this.tokens[id] ?? SPECIALS[UNK]!);
    }
    return out;
  }
}

/** Characters, by code point (so "日", "ف" and emoji are one token each). */
export function charTokens(text: string): string[] {
  return Array.from(text);
}

/**
 * Words and punctuation by the locale's own word segmenter (Intl.Segmenter handles languages
 * written without spaces: zh-CN, ja), lower-cased; spaces dropped. With `splitDigits`, runs of
 * digits become one token per digit, so a date's numbers need no vocabulary of their own.
 */
export function wordTokens(text: string, locale: string, splitDigits = false): string[] {
  const seg = new Intl.Segmenter(locale, { granularity: 'word' });
  const out: string[] = [];
  for (const { segment } of seg.segment(text)) {
    const s = segment.trim().toLocaleLowerCase(locale);
    if (!s) continue;
    if (splitDigits && /^\p{Nd}+$/u.test(s)) out.push(...Array.from(s));
    else out.push(s);
  }
  return out;
}

/** Pad or cut `ids` to `len` (a Int32Array row of a batch). */
export function padInto(dst: Int32Array, row: number, len: number, ids: number[]): void {
  for (let j = 0; j < len; j++) dst[row * len + j] = j < ids.length ? ids[j]! : PAD;
}
