/**
 * The one list of locales. Routes, the language picker, hreflang alternates, the sitemap, the
 * content and UI-string checks and the end-to-end tests all derive from this array: adding a
 * locale means adding a line here and its files under content/<tag>/ and i18n/ui/<tag>.json.
 */
export interface Locale {
  /** BCP-47 language tag: `<html lang>`, file and folder names (content/pt-BR/, i18n/ui/pt-BR.json). */
  tag: string;
  /** URL segment: the tag in lower case (`/pt-br/`). */
  slug: string;
  /** The language's name in itself, as the picker shows it. */
  name: string;
  /** Writing direction; the layout uses logical CSS properties, so `rtl` needs nothing else. */
  dir: 'ltr' | 'rtl';
}

/** The locale translators translate from. Pages missing elsewhere fall back to it. */
export const SOURCE_TAG = 'en';

/**
 * Where `/` sends a reader none of whose browser languages the site has. The source locale:
 * a reader of an unlisted language is likelier to read English than Portuguese.
 */
export const DEFAULT_TAG = SOURCE_TAG;

const entries: Array<Omit<Locale, 'slug'>> = [
  { tag: 'en', name: 'English', dir: 'ltr' },
  { tag: 'pt-BR', name: 'Português (Brasil)', dir: 'ltr' },
  { tag: 'es', name: 'Español', dir: 'ltr' },
  { tag: 'fr', name: 'Français', dir: 'ltr' },
  { tag: 'zh-CN', name: '简体中文', dir: 'ltr' },
  { tag: 'ja', name: '日本語', dir: 'ltr' },
  { tag: 'de', name: 'Deutsch', dir: 'ltr' },
  { tag: 'ar', name: 'العربية', dir: 'rtl' },
];

export const locales: readonly Locale[] = entries.map((l) => ({ ...l, slug: l.tag.toLowerCase() }));

export const localeTags = locales.map((l) => l.tag);

export function getLocale(tagOrSlug: string): Locale | undefined {
  const wanted = tagOrSlug.toLowerCase();
  return locales.find((l) => l.slug === wanted);
}

export function sourceLocale(): Locale {
  return getLocale(SOURCE_TAG)!;
}
