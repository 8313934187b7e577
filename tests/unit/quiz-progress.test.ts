import { describe, expect, it } from 'vitest';
import {
  fill,
  parseProgress,
  progressKey,
  PROGRESS_VERSION,
  serializeProgress,
  tally,
  withAnswer,
  type QuestionKey,
} from '../../src/lib/quiz-progress';
import { safeStorage, type StorageBackend } from '../../src/lib/storage';

const questions: QuestionKey[] = [
  { id: 'a', options: 4, correct: 1 },
  { id: 'b', options: 4, correct: 3 },
  { id: 'c', options: 3, correct: 0 },
];

describe('progressKey', () => {
  it('is versioned and keyed by locale and quiz', () => {
    expect(progressKey('pre', 'pt-BR')).toBe(`atencao-transformers:quiz:v${PROGRESS_VERSION}:pt-BR:pre`);
    expect(progressKey('post', 'en')).not.toBe(progressKey('post', 'pt-BR'));
    expect(progressKey('pre', 'en')).not.toBe(progressKey('post', 'en'));
  });
});

describe('tally', () => {
  it('counts nothing for no answers', () => {
    expect(tally({}, questions)).toEqual({ correct: 0, answered: 0, total: 3, done: false });
  });

  it('counts right and wrong answers', () => {
    expect(tally({ a: 1, b: 0 }, questions)).toEqual({ correct: 1, answered: 2, total: 3, done: false });
  });

  it('is done when every question is answered', () => {
    expect(tally({ a: 1, b: 3, c: 0 }, questions)).toEqual({ correct: 3, answered: 3, total: 3, done: true });
  });

  it('ignores answers to questions the quiz does not have', () => {
    expect(tally({ zzz: 0, a: 1 }, questions)).toMatchObject({ correct: 1, answered: 1 });
  });
});

describe('withAnswer', () => {
  it('adds an answer without mutating', () => {
    const before = { a: 1 };
    const after = withAnswer(before, 'b', 2);
    expect(after).toEqual({ a: 1, b: 2 });
    expect(before).toEqual({ a: 1 });
  });

  it('keeps the first answer: a checked question is locked', () => {
    expect(withAnswer({ a: 0 }, 'a', 1)).toEqual({ a: 0 });
  });
});

describe('parseProgress', () => {
  it('round-trips what serializeProgress writes', () => {
    const answers = { a: 1, c: 2 };
    const stored = JSON.parse(JSON.stringify(serializeProgress(answers)));
    expect(parseProgress(stored, questions)).toEqual(answers);
  });

  it.each([
    ['undefined (nothing saved, or corrupt JSON)', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', '{"v":1}'],
    ['an array', [1, 2]],
    ['an object without a version', { answers: { a: 1 } }],
    ['an old version', { v: 0, answers: { a: 1 } }],
    ['a newer version', { v: PROGRESS_VERSION + 1, answers: { a: 1 } }],
    ['a version as a string', { v: String(PROGRESS_VERSION), answers: { a: 1 } }],
    ['answers that are an array', { v: PROGRESS_VERSION, answers: [1, 2] }],
    ['answers that are null', { v: PROGRESS_VERSION, answers: null }],
  ])('reads %s as no answers', (_, raw) => {
    expect(parseProgress(raw, questions)).toEqual({});
  });

  it('drops entries that do not fit the quiz, keeps the rest', () => {
    const raw = {
      v: PROGRESS_VERSION,
      answers: {
        a: 1, // fine
        b: 4, // out of range (4 options: 0–3)
        c: -1, // negative
        gone: 0, // question removed from the quiz
      },
    };
    expect(parseProgress(raw, questions)).toEqual({ a: 1 });
  });

  it.each([['1'], [1.5], [Number.NaN], [true], [null], [{}]])('drops a non-integer option %s', (bad) => {
    expect(parseProgress({ v: PROGRESS_VERSION, answers: { a: bad, c: 0 } }, questions)).toEqual({ c: 0 });
  });

  it('ignores inherited keys: a question id never matches Object.prototype', () => {
    const proto = [{ id: 'constructor', options: 2, correct: 0 }];
    expect(parseProgress({ v: PROGRESS_VERSION, answers: {} }, proto)).toEqual({});
  });
});

describe('saved progress through safeStorage', () => {
  function memory(initial: Record<string, string>): StorageBackend {
    const data = new Map(Object.entries(initial));
    return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
  }
  const key = progressKey('pre', 'en');

  it('restores answers saved by an earlier visit', () => {
    const s = safeStorage(() => memory({}));
    s.setJSON(key, serializeProgress({ a: 1, b: 0 }));
    const answers = parseProgress(s.getJSON(key), questions);
    expect(tally(answers, questions)).toMatchObject({ correct: 1, answered: 2 });
  });

  it.each([['not json at all'], ['{"v":1,"answers":{"a":1}'], ['null'], ['"pre"'], ['[]']])(
    'starts afresh on a corrupt value %j',
    (raw) => {
      const s = safeStorage(() => memory({ [key]: raw }));
      expect(parseProgress(s.getJSON(key), questions)).toEqual({});
    },
  );
});

describe('fill', () => {
  it('fills known placeholders and leaves unknown ones', () => {
    expect(fill('{correct} of {total} correct', { correct: 3, total: 6 })).toBe('3 of 6 correct');
    expect(fill('{a} {b}', { a: 'x' })).toBe('x {b}');
  });

  it('does not read inherited properties as parameters', () => {
    expect(fill('{constructor}', {})).toBe('{constructor}');
  });
});
