/**
 * `npm test`: every suite, in order, even when an earlier one fails, then one closing line
 * `N passed, N failed` summing them all (what CI reads).
 *   0. lint (`npm run lint`: Biome's linter over the tree, its formatter over the files it owns);
 *      counted as one test, failed when Biome reports an error
 *   1. unit tests (Vitest, Node, tfjs cpu backend)
 *   2. the site build (content checks run first and fail the build on bad content)
 *   3. end-to-end and browser tests (Playwright, real Chromium, the built site)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;

if (run('npm', ['run', 'lint']) === 0) passed += 1;
else failed += 1;

const unitCode = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${results}/unit.json`]);
if (existsSync(`${results}/unit.json`)) {
  const unit = JSON.parse(readFileSync(`${results}/unit.json`, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
} else if (unitCode !== 0) failed += 1;

const buildCode = run('npm', ['run', 'build']);
if (buildCode !== 0) {
  console.error('\nthe site did not build: end-to-end tests cannot run');
  failed += 1;
} else {
  run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/e2e.json` });
  if (existsSync(`${results}/e2e.json`)) {
    const e2e = JSON.parse(readFileSync(`${results}/e2e.json`, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number };
    };
    passed += e2e.stats.expected + e2e.stats.flaky;
    failed += e2e.stats.unexpected;
  } else failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
