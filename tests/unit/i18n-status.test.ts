import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLanguageNeutral, translationStatus, uiCoverage, type StatusReport } from '../../src/lib/i18n-status';

/** i18n:status against a throwaway git repository, commit by commit. */
let repo: string;
const LOCALES = [
  { tag: 'en', name: 'English' },
  { tag: 'pt-BR', name: 'Português (Brasil)' },
];

function git(...args: string[]) {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
}
function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  writeFileSync(path.join(repo, file), text);
}
function commit(message: string) {
  git('add', '-A');
  git('commit', '-q', '-m', message);
}
function status(): StatusReport {
  return translationStatus({ root: repo, locales: LOCALES, sourceTag: 'en' });
}
function stateOf(report: StatusReport, file: string) {
  const pt = report.locales.find((l) => l.tag === 'pt-BR')!;
  return file === 'ui' ? pt.ui.state : pt.files.find((f) => f.file === file)?.state;
}

beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'i18n-status-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.org');
  git('config', 'user.name', 'Test');
  git('config', 'commit.gpgsign', 'false');
  write('content/en/lesson.mdx', '# Attention\n');
  write('content/pt-BR/lesson.mdx', '# Atenção\n');
  write('content/en/review.yaml', 'links: []\n');
  write('i18n/ui/en.json', '{ "a": "Next", "b": "{n} of {total}", "c": "Search" }\n');
  write('i18n/ui/pt-BR.json', '{ "a": "Próxima", "b": "{n} de {total}", "c": "Search" }\n');
  commit('source and translation');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('translationStatus', () => {
  it('lists every source file per locale: translated and committed after the source → up to date; absent → missing', () => {
    const r = status();
    expect(r.git.ok).toBe(true);
    expect(r.files).toEqual(['lesson.mdx', 'review.yaml']);
    expect(r.locales.map((l) => l.tag)).toEqual(['pt-BR']);
    expect(stateOf(r, 'lesson.mdx')).toBe('up-to-date');
    expect(stateOf(r, 'review.yaml')).toBe('missing');
    expect(stateOf(r, 'ui')).toBe('up-to-date');
  });

  it('a later commit to the source makes the translation outdated; updating the translation makes it up to date', () => {
    write('content/en/lesson.mdx', '# Attention\n\nA new paragraph.\n');
    commit('source: new paragraph');
    let r = status();
    const row = r.locales[0].files.find((f) => f.file === 'lesson.mdx')!;
    expect(row).toMatchObject({ state: 'outdated', sourceCommits: 1 });
    expect(row.since).toMatch(/^[0-9a-f]{7}$/);

    write('content/pt-BR/lesson.mdx', '# Atenção\n\nUm parágrafo novo.\n');
    commit('pt-BR: new paragraph');
    r = status();
    expect(stateOf(r, 'lesson.mdx')).toBe('up-to-date');
  });

  it('deleting the translation makes it missing', () => {
    rmSync(path.join(repo, 'content/pt-BR/lesson.mdx'));
    commit('pt-BR: remove the lesson');
    expect(stateOf(status(), 'lesson.mdx')).toBe('missing');
  });

  it('follows the commit graph, not dates: a source change on a merged branch counts even if dated earlier', () => {
    git('checkout', '-q', '-b', 'fix');
    write('content/en/lesson.mdx', '# Attention!\n');
    execFileSync('git', ['commit', '-q', '-am', 'source fix, dated in the past'], {
      cwd: repo,
      env: { ...process.env, GIT_AUTHOR_DATE: '2001-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2001-01-01T00:00:00Z' },
    });
    git('checkout', '-q', 'main');
    write('content/pt-BR/lesson.mdx', '# Atenção, revisada\n');
    commit('pt-BR: review');
    git('merge', '-q', '--no-edit', 'fix');
    expect(stateOf(status(), 'lesson.mdx')).toBe('outdated');
  });

  it('a source commit marked [skip i18n] does not make translations outdated', () => {
    write('content/en/lesson.mdx', '# Attention \n');
    commit('source: trailing space [skip i18n]');
    expect(stateOf(status(), 'lesson.mdx')).toBe('up-to-date');
  });

  it('UI strings: new source keys make the file outdated and lower coverage', () => {
    write('i18n/ui/en.json', '{ "a": "Next", "b": "{n} of {total}", "c": "Search", "d": "Edit this page" }\n');
    commit('source: new key');
    const pt = status().locales[0];
    expect(pt.ui.state).toBe('outdated');
    expect(pt.ui.coverage).toEqual({ translated: 2, total: 4, untranslated: ['c', 'd'] });
  });

  it('a translation that exists but was never committed counts as up to date (written from today\'s source)', () => {
    write('content/pt-BR/review.yaml', 'links: []\n');
    expect(stateOf(status(), 'review.yaml')).toBe('up-to-date');
  });

  it('without git history every existing translation is unknown, not guessed', () => {
    rmSync(path.join(repo, '.git'), { recursive: true, force: true });
    const r = status();
    expect(r.git).toMatchObject({ ok: false });
    expect(stateOf(r, 'lesson.mdx')).toBe('unknown');
    expect(stateOf(r, 'review.yaml')).toBe('missing');
  });

  it('a shallow clone is unknown too', () => {
    write('content/en/lesson.mdx', '# Attention, again\n');
    commit('second');
    const clone = mkdtempSync(path.join(tmpdir(), 'i18n-status-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, clone]);
      const r = translationStatus({ root: clone, locales: LOCALES, sourceTag: 'en' });
      expect(r.git).toMatchObject({ ok: false, reason: expect.stringContaining('shallow') });
      expect(stateOf(r, 'lesson.mdx')).toBe('unknown');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

describe('uiCoverage', () => {
  it('counts a key translated when present and different from the source, unless the text is language-neutral', () => {
    const source = { a: 'Next', b: '{n} / {total}', c: 'Search', d: 'Edit' };
    expect(uiCoverage(source, { a: 'Próxima', b: '{n} / {total}', c: 'Search' })).toEqual({
      translated: 2,
      total: 4,
      untranslated: ['c', 'd'],
    });
    expect(uiCoverage(source, source).translated).toBe(1); // a scaffolded copy: only the neutral key
    expect(isLanguageNeutral('{n} / {total}')).toBe(true);
    expect(isLanguageNeutral('Encoder × N')).toBe(false);
  });
});
