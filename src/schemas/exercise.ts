import { z } from 'astro/zod';
import { translationStatus } from './page';

/**
 * content/<tag>/exercises/<id>.mdx: one in-browser exercise. The frontmatter names it; the body
 * is the task statement (Markdown) followed by two fenced blocks, ```ts starter and
 * ```ts solution, whose comments and strings translators translate. The check that grades it
 * is code (src/playground/checks.ts, keyed by <id>), not content.
 */
export const exerciseSchema = z.object({
  /** The exercise's heading. */
  title: z.string().min(1),
  /** Position on the exercises page (1, 2, …); the same number in every locale. */
  order: z.number().int().min(1),
  /** `source` for the source locale (en); otherwise who translated it. */
  translation: translationStatus,
  /**
   * Hints, revealed one at a time by the learner (Markdown, inline code and math allowed): the
   * first nudges, the last nearly gives the answer. Two to five, in the page's language.
   */
  hints: z.array(z.string().trim().min(1, 'a hint must not be empty')).min(2, 'give at least 2 hints').max(5, 'give at most 5 hints'),
});

export type ExerciseData = z.infer<typeof exerciseSchema>;

/** The fenced blocks an exercise body must contain, by their info string. */
export const EXERCISE_BLOCKS = ['starter', 'solution'] as const;

/** Splits an exercise body into its statement (Markdown before the first block) and its code. */
export function splitExercise(body: string): { statement: string; starter?: string; solution?: string } {
  const out: { statement: string; starter?: string; solution?: string } = { statement: body };
  const fence = /^```ts (starter|solution)[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
  let first = -1;
  for (const m of body.matchAll(fence)) {
    if (first < 0) first = m.index!;
    out[m[1] as 'starter' | 'solution'] = m[2]!;
  }
  if (first >= 0) out.statement = body.slice(0, first).trim();
  return out;
}
