/**
 * `npm run i18n:new -- <tag> [--name "Native name"] [--dir rtl]`: starts a new locale. Adds it to
 * i18n/locales.ts and copies the source's UI strings to i18n/ui/<tag>.json; copies no content, so
 * every page falls back to the source text (with a notice) until it is translated.
 * Refuses a tag that is not BCP-47 and a locale that exists (exit 1); exit 2 is a usage error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SOURCE_TAG } from '../i18n/locales';
import { scaffoldLocale } from './lib/i18n-new';

const USAGE = 'usage: npm run i18n:new -- <tag> [--name "Native name"] [--dir ltr|rtl]';

const args = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, dir: { type: 'string' } } });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
if (args.positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}

try {
  const r = scaffoldLocale({ i18nDir: path.resolve('i18n'), tag: args.positionals[0], ...args.values, sourceTag: SOURCE_TAG });
  console.log(`Added locale ${r.tag} (${r.name}, ${r.dir}):`);
  for (const f of r.changed) console.log(`  ${f}`);
  console.log(`
Next steps:
  1. Check the name and direction on its line in i18n/locales.ts.
  2. Translate the UI strings in i18n/ui/${r.tag}.json (values only; keep the keys and {placeholders}).
  3. Translate pages one at a time: copy content/${SOURCE_TAG}/<file> to content/${r.tag}/<file>, set
     "translation: human" (or machine-assisted) in its frontmatter, and translate it.
     Untranslated pages show the ${SOURCE_TAG} text with a "not translated yet" notice.
  4. npm run i18n:check     (must pass)    npm run i18n:status   (what is left)
  5. npm run dev            and open /${r.tag.toLowerCase()}/ to read it.
See CONTRIBUTING.md.`);
} catch (e) {
  console.error(`i18n:new: ${(e as Error).message}`);
  process.exit(1);
}
