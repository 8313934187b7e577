import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, formatProblem } from '../../scripts/lib/content-check';
import { headingSlugs } from '../../scripts/lib/i18n-links';

/**
 * Every rule of `npm run i18n:check` (= `npm run check`) against tests/fixtures/i18n/<case>/:
 * `valid` breaks no rule; each other case breaks exactly one, and the message must name the file,
 * the line or key, and what to do.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/i18n');

/** The fixtures' locales, pinned: translators adding locales to the site must not break these tests. */
const LOCALES = [{ tag: 'en' }, { tag: 'pt-BR' }];

async function check(name: string): Promise<string[]> {
  const dir = path.join(FIXTURES, name);
  const problems = await checkContent({ contentDir: path.join(dir, 'content'), uiDir: path.join(dir, 'ui'), cwd: dir, locales: LOCALES });
  return problems.map(formatProblem);
}

describe('the passing fixture', () => {
  it('has no problem: UI keys and placeholders match, sources exist, allowed components, links resolve per locale, quiz ids match', async () => {
    expect(await check('valid')).toEqual([]);
  });
});

/** [case, the one message expected (all of these substrings), why] */
const cases: Array<[string, string[], string]> = [
  ['ui-missing-key', ['ui/pt-BR.json: ', 'missing key "nav.next"', 'add it', '"Next"'], 'a UI key of en.json absent from a translation'],
  ['ui-extra-key', ['ui/pt-BR.json:5: ', 'key "nav.nxet" is not in the source en.json', 'remove it'], 'a UI key en.json does not have'],
  ['ui-placeholders', ['ui/pt-BR.json:3: ', 'key "quiz.score"', '{corretas,total}', '{correct,total}', 'keep the same {names}'], 'placeholders that differ from the source'],
  ['ui-mojibake', ['ui/pt-BR.json:2: ', 'mojibake "Ã§Ã£"', 'should be "çã"', 'npm run i18n:fix-encoding -- ui/pt-BR.json'], 'mojibake in UI strings'],
  ['no-source', ['content/pt-BR/review.yaml: ', 'has no source file content/en/review.yaml'], 'a translated file with no source file'],
  ['frontmatter-broken', ['content/en/lesson.mdx:2: ', 'frontmatter title'], 'frontmatter without a title'],
  ['frontmatter-yaml', ['content/en/lesson.mdx:4: ', 'frontmatter YAML syntax'], 'frontmatter that is not YAML'],
  ['mdx-unknown-component', ['content/pt-BR/lesson.mdx:11: ', 'unknown component <Chart>', 'may use only <Figure>'], 'a component that does not exist'],
  ['mdx-import', ['content/en/lesson.mdx:9: ', 'may not import or export anything'], 'an import in content'],
  ['link-unknown-page', ['content/en/lesson.mdx:9: ', 'unknown page "page:inputs"', 'known pages: page:quiz-pre'], 'a link to a page that does not exist'],
  ['link-not-a-route', ['content/en/lesson.mdx:9: ', '"/en/inputs/", which is not a page of this site', 'use page:<id>'], 'an absolute internal link to no route'],
  [
    'link-fragment',
    ['content/pt-BR/assignment.mdx:7: ', '"page:lesson#positional-encodingembedding"', 'content/pt-BR/lesson.mdx has no heading with id', '#codificaçãoembutimento-posicional'],
    "an English heading slug used in the Portuguese assignment (it exists only in the English lesson)",
  ],
  ['quiz-ids', ['content/pt-BR/quiz/pre.yaml:28: ', 'question ids [q-one, q-two, q-3', "the source's [q-one, q-two, q-three", 'same questions in the same order'], 'quiz question ids that differ from the source'],
  ['quiz-correct', ['content/en/quiz/pre.yaml:19: ', 'question "q-two" has 2 correct options', 'exactly one'], 'a question without exactly one correct answer'],
  [
    'quiz-longest',
    ['content/en/quiz/pre.yaml:17: ', 'strictly the longest in 2 of 5 questions (q-two, q-four)', 'picking the longest option passes', 'at most 1'],
    'a quiz whose correct option is the longest in more than a third of its questions',
  ],
  ['yaml-schema', ['content/en/review.yaml:3: ', 'links.0.url', 'Invalid URL'], 'a YAML schema error'],
];

describe.each(cases)('the %s fixture', (name, expected, why) => {
  it(`fails with one message naming the file, line or key and what to do: ${why}`, async () => {
    const messages = await check(name);
    const matching = messages.filter((m) => expected.every((part) => m.includes(part)));
    expect(matching, messages.join('\n')).toHaveLength(1);
    // The rule fails alone: the fixture breaks nothing else (mojibake aside, reported per line).
    expect(messages).toHaveLength(1);
  });
});

describe('French UI strings (the ui-fr-spacing fixture, locales en and fr)', () => {
  it('fail on a plain space before ":" with the key, the line and the space to use; no-break spaces and "?backend=" pass', async () => {
    const dir = path.join(FIXTURES, 'ui-fr-spacing');
    const problems = await checkContent({ contentDir: path.join(dir, 'content'), uiDir: path.join(dir, 'ui'), cwd: dir, locales: [{ tag: 'en' }, { tag: 'fr' }] });
    const messages = problems.map(formatProblem);
    expect(messages, messages.join('\n')).toHaveLength(1);
    for (const part of ['ui/fr.json:3: ', 'key "quiz.feedbackWrong"', 'plain space before ":"', 'U+00A0']) expect(messages[0]).toContain(part);
  });
});

describe('mojibake in content (Ã§, √ß, Ã£)', () => {
  it('is reported per run with its line and the repair command; the valid text has none', async () => {
    const messages = await check('content-mojibake');
    for (const snippet of ['Ã§Ã£', '√ß√£', '√™']) {
      expect(messages.some((m) => m.startsWith('content/pt-BR/lesson.mdx:9: ') && m.includes(`mojibake "${snippet}"`) && m.includes('npm run i18n:fix-encoding -- content/pt-BR/lesson.mdx'))).toBe(true);
    }
    expect(messages.every((m) => m.startsWith('content/pt-BR/lesson.mdx:9: '))).toBe(true);
  });
});

describe('headingSlugs', () => {
  it('slugs headings as Astro does (github-slugger, link text, emoji, repeats)', () => {
    const text = '---\ntitle: x\n---\n\n## [Quiz pré-aula](page:quiz-pre)\n\n### Codificação/Embutimento Posicional\n\n## ✍️ Exercícios: Transformers\n\n## BERT\n\n## BERT\n';
    expect(headingSlugs(text)).toEqual(['quiz-pré-aula', 'codificaçãoembutimento-posicional', '️-exercícios-transformers', 'bert', 'bert-1']);
  });
});
