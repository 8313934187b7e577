import { describe, expect, it } from 'vitest';
import { correctIsLongest, longestOptionProblem, optionLength } from '../../scripts/lib/quiz-length';

/** A question whose options have these lengths (in characters); `correct` is the right one's index. */
function question(id: string, lengths: number[], correct: number) {
  return { id, options: lengths.map((n, i) => ({ text: 'x'.repeat(n), correct: i === correct })) };
}

describe('optionLength', () => {
  it('counts characters as a reader sees them: code points, spaces collapsed', () => {
    expect(optionLength('  a  b\n c ')).toBe(5);
    expect(optionLength('注意力头')).toBe(4);
    expect(optionLength('e² ≈ 7.4')).toBe(8);
    expect(optionLength('👩🏽')).toBe(2);
  });
});

describe('correctIsLongest', () => {
  it('names only questions whose correct option is longer than every other option', () => {
    const qs = [question('longest', [10, 30, 20], 1), question('tie', [30, 30, 20], 1), question('shortest', [10, 30, 20], 0)];
    expect(correctIsLongest(qs)).toEqual(['longest']);
  });

  it('ignores questions without exactly one correct option (the schema reports those)', () => {
    const none = { id: 'none', options: [{ text: 'aaaa' }, { text: 'b' }] };
    const two = { id: 'two', options: [{ text: 'aaaa', correct: true }, { text: 'b', correct: true }] };
    expect(correctIsLongest([none, two])).toEqual([]);
  });
});

describe('longestOptionProblem', () => {
  const quiz = (longest: number, total: number) =>
    Array.from({ length: total }, (_, i) => question(`q${i + 1}`, [10, 20, 30], i < longest ? 2 : 0));

  it('passes a quiz where the correct option is the longest in at most a third of the questions', () => {
    expect(longestOptionProblem(quiz(3, 9))).toBeUndefined();
    expect(longestOptionProblem(quiz(2, 6))).toBeUndefined();
    expect(longestOptionProblem(quiz(0, 7))).toBeUndefined();
  });

  it('fails one with more, naming how many, which, and how many are allowed', () => {
    const problem = longestOptionProblem(quiz(4, 9));
    expect(problem?.firstId).toBe('q1');
    expect(problem?.message).toContain('strictly the longest in 4 of 9 questions (q1, q2, q3, q4)');
    expect(problem?.message).toContain('at most 3 may be');
    expect(longestOptionProblem(quiz(3, 8))?.message).toContain('3 of 8');
  });
});
