/**
 * `npm run i18n:status`: per locale and per file, missing / outdated / up to date, and the share
 * of UI strings translated. Freshness comes from git history (see src/lib/i18n-status.ts for
 * the rule). Informational: it always exits 0.
 *
 *   npm run i18n:status               a table
 *   npm run i18n:status -- --json     the same report as JSON
 *   npm run i18n:status -- --keys     also list each locale's untranslated UI keys
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { translationStatus, type FileStatus, type StatusReport } from '../src/lib/i18n-status';

const LABEL: Record<FileStatus['state'], string> = {
  missing: 'missing',
  outdated: 'OUTDATED',
  'up-to-date': 'up to date',
  unknown: 'unknown',
};

export function formatStatus(report: StatusReport, opts: { keys?: boolean } = {}): string {
  const src = report.sourceTag;
  const lines = [
    `Translation status (source: ${src}; ${report.git.ok ? `git HEAD ${report.git.head}` : `git history unavailable: ${report.git.reason}`})`,
  ];
  const row = (f: FileStatus, sourcePath: string, translationPath: string) => {
    let line = `  ${LABEL[f.state].padEnd(11)} ${f.file === 'ui' ? translationPath : f.file}`;
    if (f.state === 'outdated') {
      line += `  (${f.sourceCommits} source commit${f.sourceCommits === 1 ? '' : 's'} since ${f.since}: git diff ${f.since} HEAD -- ${sourcePath})`;
    }
    return line;
  };
  for (const l of report.locales) {
    const c = l.ui.coverage;
    const pct = c.total ? Math.floor((100 * c.translated) / c.total) : 100;
    lines.push('', `${l.tag}  ${l.name}  UI strings ${c.translated}/${c.total} translated (${pct}%)`);
    for (const f of l.files) lines.push(row(f, `content/${src}/${f.file}`, `content/${l.tag}/${f.file}`));
    lines.push(row(l.ui, `i18n/ui/${src}.json`, `i18n/ui/${l.tag}.json`));
    if (opts.keys && c.untranslated.length) lines.push(`  untranslated UI keys: ${c.untranslated.join(', ')}`);
  }
  const all = report.locales.flatMap((l) => [...l.files, l.ui]);
  const count = (s: FileStatus['state']) => all.filter((f) => f.state === s).length;
  lines.push(
    '',
    `${report.locales.length} locale(s) × ${report.files.length + 1} file(s): ${count('up-to-date')} up to date, ` +
      `${count('outdated')} outdated, ${count('missing')} missing${count('unknown') ? `, ${count('unknown')} unknown` : ''}.`,
  );
  if (count('missing')) lines.push('Missing pages are served in the source language with a notice until translated.');
  return lines.join('\n');
}

const { values } = parseArgs({ options: { json: { type: 'boolean' }, keys: { type: 'boolean' } } });
const report = translationStatus({ root: path.resolve('.') });
console.log(values.json ? JSON.stringify(report, null, 2) : formatStatus(report, { keys: values.keys }));
