import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Scaffolds a locale: one line in i18n/locales.ts and i18n/ui/<tag>.json as a copy of the
 * source's UI strings. No content is copied: a new locale starts as a working site that serves
 * the source text with a "not translated yet" notice, and each translated file replaces that
 * page. The copied UI strings equal the source, so i18n:status counts them as 0% translated.
 */
export interface NewLocaleOptions {
  /** The i18n/ folder (holds locales.ts and ui/). */
  i18nDir: string;
  tag: string;
  /** The language's name in itself; default: what Intl knows (`español`, `العربية`). */
  name?: string;
  /** Writing direction; default: what Intl knows about the script. */
  dir?: string;
  sourceTag?: string;
}

export interface NewLocaleResult {
  tag: string;
  name: string;
  dir: 'ltr' | 'rtl';
  /** Files written or changed, relative to i18nDir's parent. */
  changed: string[];
}

/** The canonical form of a BCP-47 tag, or an Error saying why it is not one. */
export function canonicalTag(tag: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // RangeError: not well-formed
  }
  throw new Error(`"${tag}" is not a valid BCP-47 language tag (e.g. es, fr, zh-CN, pt-BR)`);
}

function defaultName(tag: string): string {
  const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
}

function defaultDir(tag: string): 'ltr' | 'rtl' {
  const loc = new Intl.Locale(tag) as Intl.Locale & { getTextInfo?: () => { direction?: string }; textInfo?: { direction?: string } };
  const info = loc.getTextInfo?.() ?? loc.textInfo;
  return info?.direction === 'rtl' ? 'rtl' : 'ltr';
}

export function scaffoldLocale(opts: NewLocaleOptions): NewLocaleResult {
  const tag = canonicalTag(opts.tag);
  const sourceTag = opts.sourceTag ?? 'en';
  if (opts.dir !== undefined && opts.dir !== 'ltr' && opts.dir !== 'rtl') throw new Error(`--dir must be ltr or rtl, not "${opts.dir}"`);
  const dir = (opts.dir as 'ltr' | 'rtl' | undefined) ?? defaultDir(tag);
  const name = opts.name?.trim() || defaultName(tag);

  const localesFile = path.join(opts.i18nDir, 'locales.ts');
  const uiFile = path.join(opts.i18nDir, 'ui', `${tag}.json`);
  const sourceUi = path.join(opts.i18nDir, 'ui', `${sourceTag}.json`);
  const text = readFileSync(localesFile, 'utf8');
  const known = [...text.matchAll(/\btag:\s*'([^']+)'/g)].map((m) => m[1]);
  const clash = known.find((k) => k.toLowerCase() === tag.toLowerCase());
  if (clash) throw new Error(`locale ${clash} already exists in i18n/locales.ts`);
  if (existsSync(uiFile)) throw new Error(`i18n/ui/${tag}.json already exists; add the locale to i18n/locales.ts by hand or remove the file`);

  // The entries array is `const entries … = [ … ];`; the new line goes before its closing bracket.
  const block = /(const entries[^=]*=\s*\[[\s\S]*?)(\n\];)/.exec(text);
  if (!block) throw new Error('cannot find the `const entries = [ … ];` list in i18n/locales.ts');
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const line = `\n  { tag: ${quote(tag)}, name: ${quote(name)}, dir: '${dir}' },`;
  const at = block.index + block[1].length;
  writeFileSync(localesFile, text.slice(0, at) + line + text.slice(at));
  writeFileSync(uiFile, readFileSync(sourceUi, 'utf8'));

  const rel = (f: string) => path.relative(path.dirname(opts.i18nDir), f);
  return { tag, name, dir, changed: [rel(localesFile), rel(uiFile)] };
}
