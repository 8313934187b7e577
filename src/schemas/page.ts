import { z } from 'astro/zod';

/** How a translation came to be; readers are told (the curricula this lesson comes from do too). */
export const translationStatus = z.enum(['source', 'human', 'machine-assisted']);

/** Frontmatter of an MDX page: content/<tag>/lesson.mdx, content/<tag>/assignment.mdx. */
export const pageSchema = z.object({
  /** The page's <h1> and <title>. */
  title: z.string().min(1),
  /** One sentence for <meta name="description"> and search results. */
  description: z.string().min(1).max(300),
  /** `source` for the source locale (en); otherwise who translated it. */
  translation: translationStatus,
});

/** content/<tag>/review.yaml: the lesson's "Review & self-study" links. */
export const reviewSchema = z.object({
  links: z
    .array(
      z.object({
        /** Stable id shared across locales. */
        id: z.string().regex(/^[a-z0-9-]+$/),
        /** Where it goes (an external reading). */
        url: z.url(),
        /** The link text, in the page's language where the work has a translated title. */
        title: z.string().min(1),
        /** One line: what the reader gets from it. */
        description: z.string().min(1),
      }),
    )
    .min(1),
});

export type PageData = z.infer<typeof pageSchema>;
export type Review = z.infer<typeof reviewSchema>;
