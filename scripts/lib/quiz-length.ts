/**
 * A quiz must not be passable by picking the longest option. Writers tend to make the correct
 * option the most careful, hence the longest, one; a learner soon learns to exploit that. With
 * four options, chance is 25 %: `npm run check` fails a quiz whose correct option is strictly the
 * longest (longer than every other option) in more than a third of its questions.
 */

/** At most 1/MAX_LONGEST_DIVISOR of the questions may have a correct option that is strictly the longest. */
export const MAX_LONGEST_DIVISOR = 3;

interface Option {
  text: string;
  correct?: boolean;
}

interface Question {
  id: string;
  options: readonly Option[];
}

/** Length as a reader sees it: code points (so CJK and Arabic count per character), spaces collapsed. */
export function optionLength(text: string): number {
  return [...text.replace(/\s+/g, ' ').trim()].length;
}

/** Ids of the questions whose (single) correct option is longer than each of the others. */
export function correctIsLongest(questions: readonly Question[]): string[] {
  return questions
    .filter((q) => {
      const correct = q.options.filter((o) => o.correct);
      if (correct.length !== 1) return false; // the schema reports that
      const length = optionLength(correct[0]!.text);
      return q.options.every((o) => o.correct || optionLength(o.text) < length);
    })
    .map((q) => q.id);
}

/** The problem to report for a quiz, or undefined when length gives nothing away. */
export function longestOptionProblem(questions: readonly Question[]): { message: string; firstId: string } | undefined {
  const ids = correctIsLongest(questions);
  // Integers only: "more than a third" without floating-point edge cases (3 of 9 passes, 4 fails).
  if (ids.length * MAX_LONGEST_DIVISOR <= questions.length) return undefined;
  const allowed = Math.floor(questions.length / MAX_LONGEST_DIVISOR);
  return {
    firstId: ids[0]!,
    message:
      `the correct option is strictly the longest in ${ids.length} of ${questions.length} questions (${ids.join(', ')}), ` +
      `so picking the longest option passes the quiz; at most ${allowed} may be: shorten those correct options ` +
      `or make a wrong option as long (a plausible mistake, not padding)`,
  };
}
