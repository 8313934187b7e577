import path from 'node:path';
import { expect, test } from '@playwright/test';
import { measurePages, overBudget } from '../../scripts/lib/size';
import { localeRoutes } from './support';

// Size is measured from the built files (deterministic), never timed. `npm run size` prints
// the same figures as a table.
test('every page ships within the JS and HTML budgets', () => {
  const sizes = measurePages(path.resolve('dist'));
  for (const route of localeRoutes) expect(sizes.map((s) => s.page)).toContain(route);
  expect(overBudget(sizes)).toEqual([]);
});
