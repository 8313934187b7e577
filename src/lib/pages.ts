import { locales } from '../../i18n/locales';
import { BASE } from './base';

/**
 * The pages of the lesson, in the order a learner walks them (previous/next follow this order).
 * `id` is what content links use (`[quiz](page:quiz-pre)`), `path` is the route under /<locale>/.
 */
export const pages = [
  { id: 'quiz-pre', path: 'quiz/pre/', navKey: 'page.quizPre' },
  { id: 'lesson', path: '', navKey: 'page.lesson' },
  { id: 'quiz-post', path: 'quiz/post/', navKey: 'page.quizPost' },
  { id: 'assignment', path: 'assignment/', navKey: 'page.assignment' },
] as const;

/** Pages outside the learning path: reachable from the header, not from previous/next. */
export const extraPages = [
  { id: 'search', path: 'search/', navKey: 'page.search' },
  { id: 'status', path: 'status/', navKey: 'status.title' },
  { id: 'exercises', path: 'exercises/', navKey: 'page.exercises' },
] as const;

export type PageId = (typeof pages)[number]['id'] | (typeof extraPages)[number]['id'];

const allPages = [...pages, ...extraPages];

/** Every page id, for error messages that list what a link may point at. */
export const pageIds: readonly string[] = allPages.map((p) => p.id);

export function isPageId(id: string): id is PageId {
  return allPages.some((p) => p.id === id);
}

/** `/pt-br/quiz/pre/` for ('pt-BR', 'quiz-pre') (under the base path, if any); a `#fragment` may follow the id. */
export function pageHref(tag: string, idWithHash: string): string {
  const [id, hash] = idWithHash.split('#');
  const page = allPages.find((p) => p.id === id);
  if (!page) throw new Error(`unknown page id "${id}"`);
  const slug = tag.toLowerCase();
  return `${BASE}${slug}/${page.path}${hash ? `#${hash}` : ''}`;
}

/** Every route of the site, for the sitemap-driven tests and the link check. */
export function allRoutes(): string[] {
  return [BASE, ...locales.flatMap((l) => allPages.map((p) => pageHref(l.tag, p.id)))];
}

/** getStaticPaths() for a page that exists in every locale. */
export function localePaths() {
  return locales.map((l) => ({ params: { locale: l.slug }, props: { tag: l.tag } }));
}
