import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { locales as configuredLocales, SOURCE_TAG, type Locale } from '../../i18n/locales';

/**
 * Translation freshness from git history, for `npm run i18n:status` and the site's status page.
 *
 * The rule: a translation is OUTDATED when some commit that touches its source file
 * (content/en/<same path>, or i18n/ui/en.json for UI strings) is not an ancestor of the last
 * commit that touched the translation, i.e. `git rev-list <last translation commit>..HEAD --
 * <source>` is not empty. Walking the commit graph instead of comparing dates keeps the answer
 * right after rebases and merges, where author and commit dates lie.
 *
 * Override: a source commit whose message contains `[skip i18n]` (a typo fix, a reflowed
 * paragraph) does not make translations outdated. A translator who checked a source change and
 * found nothing to change records that by committing the translation (any edit, even a touch of
 * its frontmatter), which moves its last commit past the source change.
 *
 * A translation file that exists but was never committed counts as up to date (it is being
 * written from today's source). Without usable history (no git, no .git, a shallow clone) every
 * existing translation is UNKNOWN rather than guessed.
 */

export type FileState = 'missing' | 'outdated' | 'up-to-date' | 'unknown';

export interface FileStatus {
  /** Path under content/<tag>/ (e.g. `quiz/pre.yaml`), or `ui` for i18n/ui/<tag>.json. */
  file: string;
  state: FileState;
  /** For outdated files: the translation's last commit, to diff the source against. */
  since?: string;
  /** For outdated files: how many source commits the translation has not seen. */
  sourceCommits?: number;
}

export interface UiCoverage {
  translated: number;
  total: number;
  /** Keys missing or still equal to the source text. */
  untranslated: string[];
}

export interface LocaleStatus {
  tag: string;
  name: string;
  /** One row per source content file, in path order. */
  files: FileStatus[];
  /** The UI strings file, as a file (freshness) and as keys (coverage). */
  ui: FileStatus & { coverage: UiCoverage };
}

export interface StatusReport {
  sourceTag: string;
  /** Short HEAD commit, or why history is unavailable. */
  git: { ok: true; head: string } | { ok: false; reason: string };
  /** Source content files, relative to content/<source>/. */
  files: string[];
  /** Translated locales (every configured locale but the source). */
  locales: LocaleStatus[];
}

export interface StatusOptions {
  /** Repository root (git runs here); content/ and i18n/ui/ default to folders under it. */
  root: string;
  contentDir?: string;
  uiDir?: string;
  locales?: readonly Pick<Locale, 'tag' | 'name'>[];
  sourceTag?: string;
}

export const SKIP_MARKER = '[skip i18n]';

type Git = (args: string[]) => string;

/** A git runner for `root`, or the reason history cannot be trusted there. */
function openGit(root: string): { git: Git; head: string } | { reason: string } {
  const git: Git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    if (git(['rev-parse', '--is-inside-work-tree']) !== 'true') return { reason: 'not a git work tree' };
  } catch {
    return { reason: 'no git repository (or git is not installed)' };
  }
  try {
    if (git(['rev-parse', '--is-shallow-repository']) === 'true') return { reason: 'shallow clone: history is incomplete' };
    return { git, head: git(['rev-parse', '--short', 'HEAD']) };
  } catch {
    return { reason: 'the repository has no commits yet' };
  }
}

/** Freshness of `translation` against `source` (absolute paths). */
export function fileState(git: Git | undefined, root: string, source: string, translation: string): Omit<FileStatus, 'file'> {
  if (!existsSync(translation)) return { state: 'missing' };
  if (!git) return { state: 'unknown' };
  const rel = (f: string) => path.relative(root, f);
  const last = git(['log', '-1', '--format=%H', '--', rel(translation)]);
  if (!last) return { state: 'up-to-date' }; // never committed: written from today's source
  const unseen = git(['rev-list', `${last}..HEAD`, '--invert-grep', '--fixed-strings', `--grep=${SKIP_MARKER}`, '--', rel(source)]);
  const count = unseen ? unseen.split('\n').length : 0;
  return count ? { state: 'outdated', since: last.slice(0, 7), sourceCommits: count } : { state: 'up-to-date' };
}

/** Text that reads the same in every language: no letters once {placeholders} are removed. */
export function isLanguageNeutral(value: string): boolean {
  return !/\p{L}/u.test(value.replace(/\{\w+\}/g, ''));
}

/**
 * Share of UI keys translated: present, a string, and different from the source text unless the
 * text is language-neutral. A value equal to the source counts as untranslated, which is how a
 * locale scaffolded by `npm run i18n:new` (a copy of en.json) starts at 0%; a word that really is
 * the same in both languages ("animal") costs a percent, and is listed so a reviewer can see why.
 */
export function uiCoverage(source: Record<string, unknown>, strings: Record<string, unknown> | undefined): UiCoverage {
  const keys = Object.keys(source);
  const untranslated = keys.filter((k) => {
    const want = String(source[k]);
    const got = strings?.[k];
    return typeof got !== 'string' || (got === want && !isLanguageNeutral(want));
  });
  return { translated: keys.length - untranslated.length, total: keys.length, untranslated };
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
    })
    .sort();
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // npm run check reports the broken file
  }
}

export function translationStatus(opts: StatusOptions): StatusReport {
  const root = path.resolve(opts.root);
  const contentDir = opts.contentDir ?? path.join(root, 'content');
  const uiDir = opts.uiDir ?? path.join(root, 'i18n', 'ui');
  const sourceTag = opts.sourceTag ?? SOURCE_TAG;
  const opened = openGit(root);
  const git = 'git' in opened ? opened.git : undefined;
  const files = listFiles(path.join(contentDir, sourceTag));
  const sourceUiFile = path.join(uiDir, `${sourceTag}.json`);
  const sourceUi = readJson(sourceUiFile) ?? {};

  const locales = (opts.locales ?? configuredLocales)
    .filter((l) => l.tag !== sourceTag)
    .map((l): LocaleStatus => {
      const uiFile = path.join(uiDir, `${l.tag}.json`);
      return {
        tag: l.tag,
        name: l.name,
        files: files.map((f) => ({
          file: f,
          ...fileState(git, root, path.join(contentDir, sourceTag, f), path.join(contentDir, l.tag, f)),
        })),
        ui: {
          file: 'ui',
          ...fileState(git, root, sourceUiFile, uiFile),
          coverage: uiCoverage(sourceUi, existsSync(uiFile) ? readJson(uiFile) : undefined),
        },
      };
    });
  return {
    sourceTag,
    git: 'git' in opened ? { ok: true, head: opened.head } : { ok: false, reason: opened.reason },
    files,
    locales,
  };
}

const memo = new Map<string, StatusReport>();

/**
 * The report for the repository the build runs in, computed once per process: every page of a
 * build asks, and git need only answer once.
 */
export function buildStatus(root = process.cwd()): StatusReport {
  if (!memo.has(root)) memo.set(root, translationStatus({ root }));
  return memo.get(root)!;
}

/** True when `file` (under content/<tag>/) is a committed translation older than its source. */
export function isOutdated(tag: string, file: string, root = process.cwd()): boolean {
  return buildStatus(root).locales.find((l) => l.tag === tag)?.files.find((f) => f.file === file)?.state === 'outdated';
}
