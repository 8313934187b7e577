import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compile } from '@mdx-js/mdx';
import remarkMath from 'remark-math';
import type { ZodType } from 'astro/zod';
import { locales as configuredLocales, SOURCE_TAG, type Locale } from '../../i18n/locales';
import { remarkContent } from '../../src/build/remark-content';
import { findMojibake } from '../../src/lib/mojibake';
import { pageSchema, reviewSchema } from '../../src/schemas/page';
import { EXERCISE_BLOCKS, exerciseSchema, splitExercise } from '../../src/schemas/exercise';
import { quizSchema } from '../../src/schemas/quiz';
import { pronounsSchema, topicsSchema } from '../../src/schemas/data';
import { parseYaml } from './yaml-errors';
import { checkFragmentLinks } from './i18n-links';
import { longestOptionProblem } from './quiz-length';
import { frenchSpacingProblems } from './typography';

/** One problem, as `file:line: message` (line omitted when the whole file is concerned). */
export interface Problem {
  file: string;
  line?: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}

interface Options {
  /** Folder holding <tag>/… content (default: content/). */
  contentDir: string;
  /** Folder holding <tag>.json UI strings (default: i18n/ui/). */
  uiDir: string;
  /** Paths in messages are relative to this (the repository root). */
  cwd: string;
  /** Locales to expect (default: i18n/locales.ts); tests pin theirs so new locales don't break them. */
  locales?: readonly Pick<Locale, 'tag'>[];
}

const PLACEHOLDER = /\{(\w+)\}/g;

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Which schema a content file answers to, by its path under content/<tag>/. */
function schemaFor(rel: string): ZodType | undefined {
  if (/^quiz\/[^/]+\.yaml$/.test(rel)) return quizSchema;
  if (rel === 'review.yaml') return reviewSchema;
  if (rel === 'data/topics.json') return topicsSchema;
  if (rel === 'data/pronouns.json') return pronounsSchema;
  return undefined;
}

/** Every check that `npm run check` runs; returns the problems found (empty: all good). */
export async function checkContent(opts: Options): Promise<Problem[]> {
  const problems: Problem[] = [];
  const rel = (f: string) => path.relative(opts.cwd, f);
  const add = (file: string, message: string, line?: number) => problems.push({ file: rel(file), line, message });
  const locales = opts.locales ?? configuredLocales;
  const tags = new Set(locales.map((l) => l.tag));

  // --- UI strings -------------------------------------------------------------------------
  const sourceUi = path.join(opts.uiDir, `${SOURCE_TAG}.json`);
  const readUi = (file: string): Record<string, unknown> | undefined => {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        add(file, 'must be one JSON object of "dotted.key": "string" pairs');
        return undefined;
      }
      return data as Record<string, unknown>;
    } catch (e) {
      add(file, `is not valid JSON: ${(e as Error).message}`);
      return undefined;
    }
  };
  const source = existsSync(sourceUi) ? readUi(sourceUi) : (add(sourceUi, 'the source locale has no UI strings file'), undefined);
  for (const l of locales) {
    const file = path.join(opts.uiDir, `${l.tag}.json`);
    if (!existsSync(file)) {
      add(file, `missing: locale ${l.tag} is configured in i18n/locales.ts but has no UI strings (start one with npm run i18n:new ${l.tag})`);
      continue;
    }
    const strings = l.tag === SOURCE_TAG ? source : readUi(file);
    if (!strings || !source) continue;
    const text = readFileSync(file, 'utf8');
    const lineOfKey = (key: string) => {
      const i = text.indexOf(`"${key}"`);
      return i < 0 ? undefined : text.slice(0, i).split('\n').length;
    };
    for (const [key, value] of Object.entries(strings)) {
      if (typeof value !== 'string') add(file, `key "${key}" must be a string`, lineOfKey(key));
      if (!(key in source)) add(file, `key "${key}" is not in the source ${SOURCE_TAG}.json; remove it or add it there first`, lineOfKey(key));
    }
    for (const [key, value] of Object.entries(source)) {
      if (!(key in strings)) {
        add(file, `missing key "${key}": add it, translated (source text: ${JSON.stringify(value)})`);
        continue;
      }
      const want = [...String(value).matchAll(PLACEHOLDER)].map((m) => m[1]).sort().join(',');
      const got = [...String(strings[key]).matchAll(PLACEHOLDER)].map((m) => m[1]).sort().join(',');
      if (want !== got) {
        add(file, `key "${key}" has placeholders {${got}} but the source has {${want}}; keep the same {names}`, lineOfKey(key));
      }
    }
    for (const m of findMojibake(text)) add(file, `mojibake "${m.snippet}" (should be "${m.fixed}"); repair with npm run i18n:fix-encoding -- ${rel(file)}`, m.line);
    if (/^fr(-|$)/.test(l.tag)) {
      for (const [key, value] of Object.entries(strings)) {
        if (typeof value !== 'string') continue;
        for (const p of frenchSpacingProblems(value)) add(file, `key "${key}": ${p}`, lineOfKey(key));
      }
    }
  }
  for (const file of listFiles(opts.uiDir)) {
    const tag = path.basename(file, '.json');
    if (file.endsWith('.json') && !tags.has(tag)) add(file, `${tag} is not a configured locale in i18n/locales.ts`);
  }

  // --- Content ----------------------------------------------------------------------------
  const sourceDir = path.join(opts.contentDir, SOURCE_TAG);
  const sourceQuizIds = new Map<string, string[]>();
  const folders = existsSync(opts.contentDir) ? readdirSync(opts.contentDir) : [];
  // Source first: translations are compared with it.
  folders.sort((a, b) => (a === SOURCE_TAG ? -1 : b === SOURCE_TAG ? 1 : a.localeCompare(b)));
  for (const folder of folders) {
    const dir = path.join(opts.contentDir, folder);
    if (!statSync(dir).isDirectory()) continue;
    if (!tags.has(folder)) {
      add(dir, `"${folder}" is not a configured locale (${[...tags].join(', ')}); content folders are named by BCP-47 tag`);
      continue;
    }
    for (const file of listFiles(dir)) {
      const local = path.relative(dir, file).split(path.sep).join('/');
      const text = readFileSync(file, 'utf8');
      if (folder !== SOURCE_TAG && !existsSync(path.join(sourceDir, local))) {
        add(file, `has no source file content/${SOURCE_TAG}/${local}; translations must mirror a source page`);
      }
      for (const m of findMojibake(text)) add(file, `mojibake "${m.snippet}" (should be "${m.fixed}"); repair with npm run i18n:fix-encoding -- ${rel(file)}`, m.line);

      if (file.endsWith('.yaml') || file.endsWith('.yml') || file.endsWith('.json')) {
        const schema = schemaFor(local);
        if (!schema) {
          add(file, 'is not a known content file (expected quiz/<id>.yaml, review.yaml, data/topics.json or data/pronouns.json)');
          continue;
        }
        const parsed = parseYaml(text);
        for (const e of parsed.errors) add(file, `YAML syntax: ${e.message}`, e.line);
        if (parsed.errors.length) continue;
        const result = schema.safeParse(parsed.data);
        if (!result.success) {
          for (const issue of result.error.issues) {
            add(file, `${issue.path.join('.') || '(file)'}: ${issue.message}`, parsed.lineOf(issue.path));
          }
          continue;
        }
        if (schema === quizSchema) {
          const questions = (result.data as { questions: Array<{ id: string; options: Array<{ text: string; correct: boolean }> }> }).questions;
          const ids = questions.map((q) => q.id);
          const longest = longestOptionProblem(questions);
          if (longest) add(file, longest.message, parsed.lineOf(['questions', ids.indexOf(longest.firstId), 'id']));
          if (folder === SOURCE_TAG) sourceQuizIds.set(local, ids);
          else {
            const want = sourceQuizIds.get(local);
            if (want && want.join() !== ids.join()) {
              const i = Math.max(0, ids.findIndex((id, k) => id !== want[k]));
              add(file, `question ids [${ids.join(', ')}] differ from the source's [${want.join(', ')}]; translate the same questions in the same order`, parsed.lineOf(['questions', i, 'id']));
            }
          }
        }
      } else if (file.endsWith('.mdx')) {
        await checkMdx(file, text, add, local.startsWith('exercises/'));
        checkFragmentLinks(file, text, { contentDir: opts.contentDir, tag: folder, sourceTag: SOURCE_TAG, cwd: opts.cwd }, add);
      } else {
        add(file, 'is not a known content file type (.mdx, .yaml, .json)');
      }
    }
  }
  return problems;
}

async function checkMdx(file: string, text: string, add: (file: string, message: string, line?: number) => void, exercise = false) {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!fm) {
    add(file, 'has no frontmatter; start the file with --- title/description/translation ---', 1);
    return;
  }
  const parsed = parseYaml(fm[1]);
  for (const e of parsed.errors) add(file, `frontmatter YAML syntax: ${e.message}`, e.line + 1);
  if (!parsed.errors.length) {
    const result = (exercise ? exerciseSchema : pageSchema).safeParse(parsed.data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const line = parsed.lineOf(issue.path);
        add(file, `frontmatter ${issue.path.join('.') || ''}: ${issue.message}`.replace(' : ', ': '), line ? line + 1 : 1);
      }
    }
  }
  if (exercise) {
    // An exercise's code lives in two fenced blocks the page cuts out; both must be there.
    const parts = splitExercise(text.slice(fm[0].length));
    for (const block of EXERCISE_BLOCKS) {
      if (!parts[block]?.trim()) add(file, `has no \`\`\`ts ${block} block; an exercise needs its starter and solution code`);
    }
  }
  // Blank out the frontmatter but keep its lines, so MDX positions stay the file's own.
  const body = fm[0].replace(/[^\n]/g, '') + text.slice(fm[0].length);
  try {
    await compile({ value: body, path: file }, { remarkPlugins: [remarkMath, remarkContent] });
  } catch (e) {
    const err = e as { message: string; line?: number; place?: { line?: number; start?: { line?: number } } };
    const line = err.line ?? err.place?.start?.line ?? err.place?.line;
    // remarkContent's messages already start with "file:line: "; keep just the explanation.
    const message = err.message.replace(/^[^:]+\.mdx(:\d+)?: /, '');
    add(file, message, line);
  }
}
