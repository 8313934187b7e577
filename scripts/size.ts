/**
 * `npm run size`: gzipped bytes each built page ships before any interaction (HTML, JS, CSS),
 * against the budgets in scripts/lib/size.ts. A measurement of dist/, not a timed test: run
 * `npm run build` first. Exits 1 when a page is over budget.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { BUDGETS, kb, measurePages, overBudget } from './lib/size';

const dist = path.resolve(process.argv[2] ?? 'dist');
if (!existsSync(dist)) {
  console.error(`${dist} does not exist: run npm run build first`);
  process.exit(1);
}
const sizes = measurePages(dist);
const rows = sizes.map((s) => [s.page, kb(s.html), kb(s.js), kb(s.css)]);
const header = ['page', 'HTML gz', 'JS gz (before interaction)', 'CSS gz'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log(`\nbudgets: JS ${kb(BUDGETS.js)}, HTML ${kb(BUDGETS.html)} per page (gzipped)`);
const over = overBudget(sizes);
if (over.length) {
  console.error(`\nover budget:\n${over.join('\n')}`);
  process.exit(1);
}
console.log('all pages within budget');
