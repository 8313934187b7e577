import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { localeTags, SOURCE_TAG } from '../../i18n/locales';
import { quizSchema, type Quiz } from '../../src/schemas/quiz';
import { correctIsLongest, optionLength } from '../../scripts/lib/quiz-length';

// The build validates each quiz against the schema too; these tests add what a schema can't see:
// the same questions in every locale, and answers that neither sit in the same place nor give
// themselves away by their length.
const kinds = ['pre', 'post'] as const;

function load(tag: string, kind: string): Quiz {
  const text = readFileSync(new URL(`../../content/${tag}/quiz/${kind}.yaml`, import.meta.url), 'utf8');
  return quizSchema.parse(parse(text));
}

function uiStrings(tag: string): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`../../i18n/ui/${tag}.json`, import.meta.url), 'utf8'));
}

const correctIndex = (quiz: Quiz) => quiz.questions.map((q) => q.options.findIndex((o) => o.correct));

describe.each(kinds)('%s quiz', (kind) => {
  const source = load(SOURCE_TAG, kind);

  it('has at least six questions', () => {
    expect(source.questions.length).toBeGreaterThanOrEqual(6);
  });

  it('puts the correct option in at least three different places', () => {
    expect(new Set(correctIndex(source)).size).toBeGreaterThanOrEqual(3);
  });

  it.each(localeTags)('in %s: valid, same ids, same answers, same option counts as the source', (tag) => {
    const quiz = load(tag, kind);
    expect(quiz.questions.map((q) => q.id)).toEqual(source.questions.map((q) => q.id));
    expect(quiz.questions.map((q) => q.options.length)).toEqual(source.questions.map((q) => q.options.length));
    expect(correctIndex(quiz)).toEqual(correctIndex(source));
  });

  it.each(localeTags)('in %s: the correct option is strictly the longest in at most a third of the questions', (tag) => {
    const quiz = load(tag, kind);
    expect(correctIsLongest(quiz.questions).length * 3, correctIsLongest(quiz.questions).join(', ')).toBeLessThanOrEqual(quiz.questions.length);
  });

  it.each(localeTags)('in %s: the correct option is not systematically the shortest either', (tag) => {
    const quiz = load(tag, kind);
    const shortest = quiz.questions.filter((q) => {
      const length = optionLength(q.options.find((o) => o.correct)!.text);
      return q.options.every((o) => o.correct || optionLength(o.text) > length);
    });
    expect(shortest.length * 3, shortest.map((q) => q.id).join(', ')).toBeLessThanOrEqual(quiz.questions.length);
  });
});

describe('quiz.* UI strings', () => {
  const source = uiStrings(SOURCE_TAG);
  const keys = Object.keys(source).filter((k) => k.startsWith('quiz.'));
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(localeTags)('in %s: every key, with the same placeholders', (tag) => {
    const strings = uiStrings(tag);
    for (const key of keys) {
      expect(strings[key], key).toBeTruthy();
      expect(placeholders(strings[key]!), key).toEqual(placeholders(source[key]!));
    }
  });
});
