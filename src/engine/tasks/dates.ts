import { EngineError } from '../errors';
import { Rng } from '../random';
import { seqBatch } from './seq';
import type { Example, Task } from './types';
import { charTokens, Vocab, wordTokens } from './vocab';

/**
 * Date translation: a date written out in a locale's words → ISO 8601.
 *   pt-BR "27 de novembro de 2026" → "2026-11-27";  en "November 27, 2026";  ja "2026年11月27日".
 * Intl.DateTimeFormat writes the sources, so any locale works with no word lists.
 */
export interface DatesSpec {
  task: 'dates';
  locale: string;
  /** 'char': one token per character · 'word': words by Intl.Segmenter, digits one by one. */
  tokenizer?: 'char' | 'word';
  yearFrom?: number;
  yearTo?: number;
}

const DAY = 86_400_000;

export function buildDates(spec: DatesSpec, seed: number): Task {
  const { locale, tokenizer = 'char', yearFrom = 1950, yearTo = 2049 } = spec;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  } catch {
    throw new EngineError('invalid-config', { field: 'locale', value: String(locale), expected: 'BCP-47 tag' });
  }
  if (!(yearTo >= yearFrom)) {
    throw new EngineError('invalid-config', { field: 'yearTo', value: String(yearTo), expected: `>= ${yearFrom}` });
  }
  const tokenize = (text: string) => (tokenizer === 'word' ? wordTokens(text, locale, true) : charTokens(text));
  const t0 = Date.UTC(yearFrom, 0, 1);
  const days = Math.round((Date.UTC(yearTo + 1, 0, 1) - t0) / DAY);
  const example = (day: number): Example => {
    const d = new Date(t0 + day * DAY);
    const text = fmt.format(d);
    return { text, tokens: tokenize(text), target: charTokens(d.toISOString().slice(0, 10)) };
  };

  // Every token the locale can produce: all months and days, years covering every digit.
  const seen = new Set<string>();
  for (let y = 0; y < 10; y++) {
    for (let m = 0; m < 12; m++) {
      for (let dd = 1; dd <= 31; dd += y === 0 ? 1 : 9) {
        const t = Date.UTC(yearFrom + y, m, dd);
        if (new Date(t).getUTCMonth() === m) tokenize(fmt.format(new Date(t))).forEach((tok) => seen.add(tok));
      }
    }
  }
  const src = new Vocab(seen, 'dates');
  const tgt = new Vocab(charTokens('0123456789-'), 'dates');
  let Ts = 0;
  for (let m = 0; m < 12; m++) {
    const t = tokenize(fmt.format(new Date(Date.UTC(yearTo, m, 28)))).length;
    Ts = Math.max(Ts, t + 1);
  }

  const held = new Rng(seed ^ 0x5eed);
  const heldOut = Array.from({ length: 200 }, () => example(held.int(0, days)));
  return {
    name: 'dates',
    kinds: ['seq2seq', 'additive'],
    src,
    tgt,
    Ts,
    Tt: 11, // "YYYY-MM-DD" + EOS
    tokenize,
    batch: (rng, B) =>
      seqBatch(Array.from({ length: B }, () => {
        const e = example(rng.int(0, days));
        return [e.tokens, e.target] as [string[], string[]];
      }), src, tgt, Ts, 11),
    heldOut,
    probe: example(Math.round((Date.UTC(2026, 10, 27) - t0) / DAY) % days),
  };
}
