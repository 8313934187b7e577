/**
 * Top-k guesses (class probabilities, masked words, the pronoun's referent) as the three extra
 * islands print them: special tokens marked, probabilities by Intl, bars scaled to the best
 * guess. Pure: unit-tested in tests/unit/islands-more-guesses.test.ts; the DOM half is guesses-view.ts.
 */
import type { TokenGuess } from '../../../worker/protocol';

/** The engine's reserved tokens (src/engine/tasks/vocab.ts SPECIALS): not words a reader wrote. */
export const SPECIAL_TOKENS = ['<pad>', '<s>', '</s>', '<unk>', '<mask>'] as const;

export interface GuessRow {
  token: string;
  p: number;
  /** The probability as the page's locale writes a percent. */
  label: string;
  /** Bar length relative to the most likely guess, in [0, 1]. */
  bar: number;
  special: boolean;
}

/** The `k` most likely guesses, highest first, with their labels; non-finite p counts as 0. */
export function topGuesses(guesses: TokenGuess[], k: number, percent: (p: number) => string): GuessRow[] {
  const clean = guesses.map((g) => ({ token: g.token, p: Number.isFinite(g.p) ? Math.max(0, g.p) : 0 }));
  clean.sort((a, b) => b.p - a.p);
  const top = clean.slice(0, Math.max(0, k));
  const best = top[0]?.p || 1;
  return top.map((g) => ({
    token: g.token,
    p: g.p,
    label: percent(g.p),
    bar: Math.min(1, g.p / best),
    special: (SPECIAL_TOKENS as readonly string[]).includes(g.token),
  }));
}

/** Tokens of `tokens` the model has never seen (they read as `<unk>`), by position. */
export function unknownPositions(tokens: string[], vocabulary: Iterable<string>): number[] {
  const known = new Set(vocabulary);
  return tokens.flatMap((t, i) => (known.has(t) ? [] : [i]));
}
