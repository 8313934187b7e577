import { getEntry, type CollectionEntry } from 'astro:content';
import { SOURCE_TAG } from '../../i18n/locales';

type Collection = 'pages' | 'quizzes' | 'review';

/**
 * The entry `name` (e.g. 'lesson', 'quiz/pre') of `collection` in locale `tag`, or the source
 * locale's entry with `fallback: true` when that locale has no such file yet: a page missing in
 * a translation is served in the source language with a notice, never a 404.
 */
export async function localizedEntry<C extends Collection>(
  collection: C,
  tag: string,
  name: string,
): Promise<{ entry: CollectionEntry<C>; fallback: boolean }> {
  const own = (await getEntry(collection, `${tag}/${name}`)) as CollectionEntry<C> | undefined;
  if (own) return { entry: own, fallback: false };
  const source = (await getEntry(collection, `${SOURCE_TAG}/${name}`)) as CollectionEntry<C> | undefined;
  if (!source) throw new Error(`content/${SOURCE_TAG}/${name} is missing: every page needs a source-locale file`);
  return { entry: source, fallback: true };
}
