import { z } from 'astro/zod';

/**
 * Per-locale data for the toy models the figures train (content/<tag>/data/*.json). Written
 * for this project in each language; dates need no file (Intl.DateTimeFormat writes them).
 */

/** content/<tag>/data/topics.json: sentences for the topic classifier. */
export const topicsSchema = z
  .array(
    z.object({
      /** A short everyday sentence. */
      text: z.string().min(3),
      /** Its topic, as readers of this language would name it (shown in the figure). */
      label: z.string().min(1),
    }),
  )
  .min(24)
  .superRefine((rows, ctx) => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    if (counts.size < 3) ctx.addIssue({ code: 'custom', message: `needs at least 3 topics, has ${counts.size}` });
    for (const [label, n] of counts) {
      if (n < 8) ctx.addIssue({ code: 'custom', message: `topic "${label}" has ${n} sentences; give each topic at least 8` });
    }
  });

/**
 * content/<tag>/data/pronouns.json: templates for the pronoun-resolution task. The pronoun
 * refers to the agent when {adj} comes from agentAdjectives, to the place otherwise; nouns
 * share gender and number so that only meaning decides.
 */
export const pronounsSchema = z
  .object({
    /** BCP-47 tag of the language. */
    locale: z.string(),
    /** Sentences with {agent}, {place} and {adj}, each containing the pronoun. */
    templates: z.array(z.string().regex(/\{agent\}[\s\S]*\{place\}[\s\S]*\{adj\}/, 'use {agent}, {place} and {adj} in that order')).min(2),
    /** The pronoun as written in the templates, lower-cased ("it", "ele", "它"). */
    pronoun: z.string().min(1),
    agents: z.array(z.string().min(1)).min(4),
    places: z.array(z.string().min(1)).min(4),
    agentAdjectives: z.array(z.string().min(1)).min(4),
    placeAdjectives: z.array(z.string().min(1)).min(4),
  })
  .superRefine((p, ctx) => {
    p.templates.forEach((t, i) => {
      if (!t.toLowerCase().includes(p.pronoun)) {
        ctx.addIssue({ code: 'custom', path: ['templates', i], message: `template does not contain the pronoun "${p.pronoun}"` });
      }
    });
  });
