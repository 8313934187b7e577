import en from '../../i18n/ui/en.json';
import { getLocale, locales, SOURCE_TAG, type Locale } from '../../i18n/locales';

/** Every UI key, typed from the source locale's file: a typo is a type error. */
export type UIKey = keyof typeof en;
type Strings = Record<UIKey, string>;

const files = import.meta.glob<Strings>('../../i18n/ui/*.json', { eager: true, import: 'default' });

function stringsFor(tag: string): Partial<Strings> {
  return files[`../../i18n/ui/${tag}.json`] ?? {};
}

/**
 * The string for `key` in `tag`, with `{name}` placeholders filled from `params`.
 * `npm run check` fails on any key missing in a configured locale, so the source-locale
 * fallback here only matters while a translator is mid-edit in `astro dev`.
 */
export function t(tag: string, key: UIKey, params: Record<string, string | number> = {}): string {
  const template = stringsFor(tag)[key] ?? (en as Strings)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A translator bound to one locale, for components: `const tr = translator(tag); tr('nav.next')`. */
export function translator(tag: string) {
  return (key: UIKey, params?: Record<string, string | number>) => t(tag, key, params);
}

/** All strings whose key starts with `prefix`, for handing to a client-side island as JSON. */
export function stringsWithPrefix(tag: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(en) as UIKey[]) {
    if (key.startsWith(prefix)) out[key] = t(tag, key);
  }
  return out;
}

export { locales, getLocale, SOURCE_TAG, type Locale };
