import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { pageSchema, reviewSchema } from './schemas/page';
import { quizSchema } from './schemas/quiz';
import { exerciseSchema } from './schemas/exercise';

/** Entry ids keep the locale's case: `pt-BR/lesson`, `en/quiz/pre`. */
const keepPath = ({ entry }: { entry: string }) => entry.replace(/\.(mdx|ya?ml)$/, '');

/**
 * CONTENT_OMIT="pt-BR/assignment.mdx,…" builds the site as if those files did not exist yet:
 * the end-to-end tests use it to see a real untranslated page fall back to the source.
 */
const omit = (process.env.CONTENT_OMIT ?? '').split(',').filter(Boolean).map((f) => `!${f}`);

/** MDX pages: content/<tag>/lesson.mdx, content/<tag>/assignment.mdx. */
const pages = defineCollection({
  loader: glob({ pattern: ['*/{lesson,assignment}.mdx', ...omit], base: './content', generateId: keepPath }),
  schema: pageSchema,
});

/** Quizzes: content/<tag>/quiz/{pre,post}.yaml, question ids shared across locales. */
const quizzes = defineCollection({
  loader: glob({ pattern: ['*/quiz/*.yaml', ...omit], base: './content', generateId: keepPath }),
  schema: quizSchema,
});

/** Review & self-study links: content/<tag>/review.yaml. */
const review = defineCollection({
  loader: glob({ pattern: '*/review.yaml', base: './content', generateId: keepPath }),
  schema: reviewSchema,
});

/** In-browser exercises: content/<tag>/exercises/<id>.mdx (statement + starter + solution). */
const exercises = defineCollection({
  loader: glob({ pattern: ['*/exercises/*.mdx', ...omit], base: './content', generateId: keepPath }),
  schema: exerciseSchema,
});

export const collections = { pages, quizzes, review, exercises };
