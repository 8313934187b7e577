/**
 * The pure half of the masked-word island: the mask marker readers type, example sentences
 * cut from the lesson's own text, and the lesson text itself cleaned for training.
 * Unit-tested in tests/unit/islands-more-mlm.test.ts.
 */

/** The marker the engine reads as a hidden word (src/engine/tasks/mlm.ts MASK_MARK). */
export const MASK = '[MASK]';

/** "[mask]", "[ Mask ]", "<mask>" and the full-width "［MASK］" all mean the marker. */
const LOOSE_MASK = /[[［<]\s*mask\s*[\]］>]/giu;

export interface ParsedMask {
  /** The sentence with every marker written exactly as the engine expects it. */
  text: string;
  /** How many words are hidden. */
  masks: number;
}

export function parseMasks(input: string): ParsedMask {
  const text = input.replace(LOOSE_MASK, MASK).replace(/\s+/g, ' ').trim();
  return { text, masks: text.split(MASK).length - 1 };
}

/** Tokens as the engine counts them: every non-space word-segmenter piece (words and punctuation). */
export function countTokens(text: string, locale: string): number {
  let n = 0;
  for (const { segment } of new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)) if (segment.trim()) n++;
  return n;
}

/** Whitespace collapsed; links, formulas and code are already gone (see lessonText in island.ts). */
export function cleanText(text: string): string {
  return text.replace(/https?:\/\/\S+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Up to `n` sentences of `text` that fit the model's window (`minTokens`..`maxTokens` tokens),
 * spread over the text, each with one word hidden: the lesson's own words, so the model has
 * seen the context. The hidden word is one the model is trained to guess (`hideable`: the
 * engine's content words) and, among those, the longest that `corpus` uses more than once (else
 * the longest), so a small model has had a chance to learn it; ties go to the first. Sentences
 * without such a word are skipped.
 */
export function maskExamples(
  text: string, locale: string, n = 4, maxTokens = 12, minTokens = 5, corpus = text,
  hideable: (word: string) => boolean = () => true,
): Array<{ text: string; answer: string }> {
  const words = (s: string) => [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(s)].filter((w) => w.isWordLike);
  const freq = new Map<string, number>();
  for (const w of words(corpus)) {
    const k = w.segment.toLocaleLowerCase(locale);
    freq.set(k, (freq.get(k) ?? 0) + 1);
  }
  const candidates = (s: string) => words(s).filter((w) => !/^\p{Nd}+$/u.test(w.segment) && hideable(w.segment));
  const fits: string[] = [];
  for (const { segment } of new Intl.Segmenter(locale, { granularity: 'sentence' }).segment(text)) {
    const s = segment.trim();
    const k = countTokens(s, locale);
    if (k >= minTokens && k <= maxTokens && !s.includes(MASK) && candidates(s).length) fits.push(s);
  }
  const picked = fits.length <= n ? fits : Array.from({ length: n }, (_, i) => fits[Math.floor((i * fits.length) / n)]!);
  // A repeated word (4+ letters, or any CJK word) beats a one-off; among those, the longer.
  const score = (w: string) => {
    const len = [...w].length;
    const repeated = (len >= 4 || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(w)) && (freq.get(w.toLocaleLowerCase(locale)) ?? 0) >= 2;
    return (repeated ? 1000 : 0) + len;
  };
  return picked.flatMap((s) => {
    let best: { index: number; segment: string } | undefined;
    for (const w of candidates(s)) if (!best || score(w.segment) > score(best.segment)) best = w;
    if (!best) return [];
    return [{ text: s.slice(0, best.index) + MASK + s.slice(best.index + best.segment.length), answer: best.segment.toLocaleLowerCase(locale) }];
  });
}
