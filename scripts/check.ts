/**
 * `npm run check`: validates content and UI strings before a build, with the same schemas and
 * the same MDX checks as the build itself. Every problem is printed as `file:line: what to do`.
 *
 *   npm run check                      # the project's content/ and i18n/ui/
 *   npm run check -- --content DIR --ui DIR   # another tree (the tests' fixtures)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkContent, formatProblem } from './lib/content-check';

const { values } = parseArgs({
  options: { content: { type: 'string', default: 'content' }, ui: { type: 'string', default: 'i18n/ui' } },
});
const cwd = process.cwd();
const problems = await checkContent({
  contentDir: path.resolve(cwd, values.content!),
  uiDir: path.resolve(cwd, values.ui!),
  cwd,
});
if (problems.length) {
  for (const p of problems) console.error(formatProblem(p));
  console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was built.`);
  process.exit(1);
}
console.log('content and UI strings: OK');
