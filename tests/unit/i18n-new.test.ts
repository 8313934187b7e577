import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalTag, scaffoldLocale } from '../../scripts/lib/i18n-new';
import { isLanguageNeutral, uiCoverage } from '../../src/lib/i18n-status';

/** i18n:new on a temporary copy of i18n/: the real one is being edited by translators. */
const I18N = path.resolve(__dirname, '../../i18n');
let dir: string;
let i18nDir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'i18n-new-'));
  i18nDir = path.join(dir, 'i18n');
  cpSync(I18N, i18nDir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (f: string) => readFileSync(path.join(i18nDir, f), 'utf8');

describe('scaffoldLocale', () => {
  it('adds the locale to locales.ts and copies en.json, which counts as 0% translated', () => {
    // Esperanto: not one of the locales translators are adding to the real i18n/.
    const result = scaffoldLocale({ i18nDir, tag: 'eo', name: 'Esperanto', dir: 'ltr' });
    expect(result).toEqual({ tag: 'eo', name: 'Esperanto', dir: 'ltr', changed: ['i18n/locales.ts', 'i18n/ui/eo.json'] });
    expect(read('locales.ts')).toContain("  { tag: 'eo', name: 'Esperanto', dir: 'ltr' },\n];");
    expect(read('ui/eo.json')).toBe(read('ui/en.json'));
    const source = JSON.parse(read('ui/en.json')) as Record<string, string>;
    // 0%, but for text no language changes (numbers, symbols), which en.json may come to hold.
    expect(uiCoverage(source, JSON.parse(read('ui/eo.json'))).translated).toBe(Object.values(source).filter(isLanguageNeutral).length);
  });

  it('copies no content: pages fall back to the source until translated', () => {
    scaffoldLocale({ i18nDir, tag: 'eo' });
    expect(existsSync(path.join(dir, 'content'))).toBe(false);
  });

  it('canonicalises the tag and takes name and direction from Intl when not given', () => {
    expect(scaffoldLocale({ i18nDir, tag: 'he' })).toMatchObject({ tag: 'he', name: 'עברית', dir: 'rtl' });
    expect(scaffoldLocale({ i18nDir, tag: 'sr-latn-rs' })).toMatchObject({ tag: 'sr-Latn-RS', dir: 'ltr' });
    expect(read('locales.ts')).toContain("tag: 'sr-Latn-RS'");
  });

  it('refuses a tag that is not BCP-47, an existing locale (any case) and a bad direction, changing nothing', () => {
    const before = read('locales.ts');
    expect(() => scaffoldLocale({ i18nDir, tag: 'english!' })).toThrow(/not a valid BCP-47/);
    expect(() => scaffoldLocale({ i18nDir, tag: 'pt-br' })).toThrow(/pt-BR already exists/);
    expect(() => scaffoldLocale({ i18nDir, tag: 'en' })).toThrow(/already exists/);
    expect(() => scaffoldLocale({ i18nDir, tag: 'eo', dir: 'down' })).toThrow(/ltr or rtl/);
    expect(read('locales.ts')).toBe(before);
    expect(existsSync(path.join(i18nDir, 'ui', 'eo.json'))).toBe(false);
  });

  it('escapes quotes in the name', () => {
    scaffoldLocale({ i18nDir, tag: 'eo', name: "Esperant'o" });
    expect(read('locales.ts')).toContain("name: 'Esperant\\'o'");
  });
});

describe('canonicalTag', () => {
  it('uses Intl.getCanonicalLocales', () => {
    expect(canonicalTag('ZH-cn')).toBe('zh-CN');
    expect(() => canonicalTag('')).toThrow();
  });
});
