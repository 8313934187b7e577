import { z } from 'astro/zod';

/** One answer option. Every option explains itself, right or wrong: learners learn from both. */
export const quizOption = z.object({
  /** The option as the learner reads it. */
  text: z.string().min(1),
  /** Exactly one option per question is correct. */
  correct: z.boolean().default(false),
  /** Shown after the learner answers: why this option is right or wrong. */
  explanation: z.string().min(1),
});

export const quizQuestion = z
  .object({
    /** Stable id, the same in every locale: saved progress and translations key on it. */
    id: z.string().regex(/^[a-z0-9-]+$/, 'use lower-case letters, digits and dashes'),
    /** The question. Markdown-free plain text. */
    prompt: z.string().min(1),
    options: z.array(quizOption).min(2).max(6),
  })
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (correct !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `question "${q.id}" has ${correct} correct options; it needs exactly one (mark it with "correct: true")`,
      });
    }
  });

export const quizSchema = z
  .object({
    /** Page title, e.g. "Pre-lesson quiz". */
    title: z.string().min(1),
    /** One or two sentences above the questions. */
    intro: z.string().min(1),
    questions: z.array(quizQuestion).min(5),
  })
  .superRefine((quiz, ctx) => {
    const seen = new Set<string>();
    quiz.questions.forEach((q, i) => {
      if (seen.has(q.id)) {
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      }
      seen.add(q.id);
    });
  });

export type Quiz = z.infer<typeof quizSchema>;
export type QuizQuestion = z.infer<typeof quizQuestion>;
