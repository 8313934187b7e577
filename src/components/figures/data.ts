/**
 * The numbers the static figures draw. Pure and deterministic, so the picture a reader without
 * JavaScript sees is the same on every build, and the live islands can start from it.
 *
 * Example sentences come from UI strings as `|`-separated token lists ("27|de|novembro|de|2026"):
 * a translator into a language written without spaces (zh-CN, ja) marks the tokens themselves.
 */

/** `"a| b |c"` → `['a', 'b', 'c']`. */
export function splitTokens(list: string): string[] {
  return list
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Softmax of `scores` (numerically stable). */
export function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * `weights` (summing to 1) as whole percents that still sum to exactly 100 (largest remainder),
 * so the numbers printed in a row never add up to 99 or 101.
 */
export function toPercents(weights: number[]): number[] {
  const raw = weights.map((w) => w * 100);
  const floors = raw.map(Math.floor);
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rest: r - Math.floor(r) })).sort((a, b) => b.rest - a.rest);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i] += 1;
    missing -= 1;
  }
  return floors;
}

/** `weights` rounded to hundredths that still sum to exactly 1 (what the figures print). */
export function toWeights(weights: number[]): number[] {
  return toPercents(weights).map((p) => p / 100);
}

// ---------------------------------------------------------------------------------------------
// The date-translation example: a written-out date → ISO 8601, the task the site's models learn.

export type DateRole = 'year' | 'month' | 'day' | 'other';
const DATE_ROLES: readonly DateRole[] = ['year', 'month', 'day', 'other'];

export interface OutputToken {
  text: string;
  /** The part of the date this output token spells; `sep` for the hyphens. */
  role: Exclude<DateRole, 'other'> | 'sep';
  /** For `sep`: the part that comes next (what the model must look up to continue). */
  next?: Exclude<DateRole, 'other'>;
}

/** "2026-11-27" in groups: the same in every language, so it lives here, not in UI strings. */
export const ISO_OUTPUT: readonly OutputToken[] = [
  { text: '2026', role: 'year' },
  { text: '-', role: 'sep', next: 'month' },
  { text: '11', role: 'month' },
  { text: '-', role: 'sep', next: 'day' },
  { text: '27', role: 'day' },
];

/** Index of the output step the encoder-decoder and cross-attention figures freeze on ("11"). */
export const CURRENT_STEP = 2;

export interface DateExample {
  input: string[];
  roles: DateRole[];
}

/**
 * The input tokens and, for each, which part of the date it is (`fig.date.input`,
 * `fig.date.inputRoles`). Throws, naming the keys, when the two lists disagree.
 */
export function dateExample(inputList: string, rolesList: string): DateExample {
  const input = splitTokens(inputList);
  const roles = splitTokens(rolesList);
  const where = `UI strings "fig.date.input" ("${inputList}") and "fig.date.inputRoles" ("${rolesList}")`;
  if (input.length !== roles.length) {
    throw new Error(`${where}: ${input.length} tokens but ${roles.length} roles; give one role per token`);
  }
  for (const r of roles) {
    if (!(DATE_ROLES as readonly string[]).includes(r)) {
      throw new Error(`${where}: unknown role "${r}"; use only ${DATE_ROLES.join(', ')} (untranslated)`);
    }
  }
  for (const needed of ['year', 'month', 'day'] as const) {
    if (!roles.includes(needed)) throw new Error(`${where}: no token has the role "${needed}"`);
  }
  return { input, roles: roles as DateRole[] };
}

/**
 * A plausible alignment matrix [output token][input token], each row summing to 1: an output
 * group looks mostly at the input word for the same part of the date; a hyphen looks ahead to the
 * part that follows it and a little at the one before; filler words get a small share. The
 * softmax temperature keeps it soft, like a trained model's weights, not one-hot.
 */
export function alignment(roles: DateRole[], output: readonly OutputToken[] = ISO_OUTPUT): number[][] {
  return output.map((out, t) => {
    const prev = output[t - 1]?.role;
    const scores = roles.map((r) => {
      if (out.role !== 'sep') return r === out.role ? 3.2 : r === 'other' ? 0.6 : 0.9;
      if (r === out.next) return 2.4;
      if (r === prev) return 1.5;
      return r === 'other' ? 1.1 : 0.4;
    });
    return softmax(scores);
  });
}

// ---------------------------------------------------------------------------------------------
// Self-attention: which token a pronoun looks at.

export interface PronounExample {
  tokens: string[];
  /** Indices into `tokens`: the pronoun, what it stands for, and the word that decides it. */
  query: number;
  referent: number;
  cue: number;
  weights: number[];
}

/**
 * Weights from the pronoun to every token of its sentence: the referent gets most, the other
 * noun (the wrong reading) and the word that decides between them (tired / wide) a fair share,
 * the pronoun itself a little, the rest a small varied remainder.
 */
export function pronounAttention(
  sentence: string,
  pronoun: string,
  referent: string,
  rival: string,
  cue: string,
): PronounExample {
  const tokens = splitTokens(sentence);
  const find = (word: string, key: string) => {
    const i = tokens.findIndex((tok) => tok.toLocaleLowerCase() === word.toLocaleLowerCase());
    if (i < 0) throw new Error(`UI string ${key}: "${word}" is not one of the tokens of "${sentence}"`);
    return i;
  };
  const q = find(pronoun, 'pronoun');
  const ref = find(referent, 'referent');
  const c = find(cue, 'cue');
  const special = new Map<number, number>([
    [find(rival, 'rival'), 1.9],
    [c, 1.6],
    [q, 1.3],
    [ref, 3.6],
  ]);
  // Small fixed jitter so the unimportant tokens aren't all identical.
  const scores = tokens.map((_, i) => special.get(i) ?? 0.2 * Math.sin(i * 2.7) - 0.1);
  return { tokens, query: q, referent: ref, cue: c, weights: softmax(scores) };
}

// ---------------------------------------------------------------------------------------------
// Embeddings: small made-up vectors, the same in every language.

/** Deterministic values in [-1, 1] from a seed (a tiny LCG), rounded to two decimals. */
export function vectorFor(seed: number, dim: number, scale = 1): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  const out: number[] = [];
  for (let k = 0; k < dim; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(Math.round(((s / 2 ** 32) * 2 - 1) * scale * 100) / 100);
  }
  return out;
}

/** Width of the embeddings the position-embedding figure draws (small enough to see every number). */
export const EMBEDDING_DIM = 6;

export interface EmbeddedToken {
  token: string;
  tokenVec: number[];
  positionVec: number[];
  sum: number[];
}

/** Token embedding + learned position embedding, both of dimension `dim`, for each token. */
export function embed(tokens: string[], dim = EMBEDDING_DIM): EmbeddedToken[] {
  return tokens.map((token, i) => {
    const tokenVec = vectorFor(101 + [...token].reduce((a, c) => a + c.codePointAt(0)!, 0), dim);
    const positionVec = vectorFor(7 + i, dim, 0.6);
    const sum = tokenVec.map((v, k) => Math.round((v + positionVec[k]) * 100) / 100);
    return { token, tokenVec, positionVec, sum };
  });
}
