import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * Every built page is valid HTML by a real validator: the W3C Nu HTML Checker (vnu-jar, on the
 * JVM; `.ci/run` installs Java where there is none), errors only, over the whole built site.
 */
test('every built page passes the Nu HTML Checker', async () => {
  test.setTimeout(300_000);
  const jar = path.join(path.dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
  const dir = process.env.OUT_DIR ?? 'dist';
  const r = spawnSync('java', ['-Xss1m', '-jar', jar, '--skip-non-html', '--errors-only', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.error, 'java must be installed to run the validator').toBeUndefined();
  const report = JSON.parse(r.stderr || '{"messages":[]}') as { messages: Array<{ url: string; message: string; lastLine?: number }> };
  const errors = report.messages.map((m) => `${path.relative(process.cwd(), new URL(m.url).pathname)}:${m.lastLine ?? '?'}: ${m.message}`);
  expect(errors).toEqual([]);
  // The checker saw the pages (an empty folder would pass too).
  expect(r.status).toBe(0);
});
