import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The real `astro build`, on a temporary copy of the site with one broken translation: the build
 * itself (not just `npm run check`) must refuse it and name the file. A copy, not CONTENT_DIR:
 * Astro caches content in .astro/ and node_modules/.astro/, which other people's builds in this
 * working tree share. node_modules is linked entry by entry so those caches stay in the copy.
 */
const ROOT = path.resolve(__dirname, '../..');
const COPY = ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'i18n', 'content', 'scripts', 'public'];
const CACHES = new Set(['.astro', '.vite', '.vite-temp', '.vitest-cache', '.cache']);
const tmp = mkdtempSync(path.join(tmpdir(), 'i18n-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('astro build', () => {
  it('fails on a translation that uses a component that does not exist, naming the file and line', () => {
    for (const entry of COPY) {
      if (existsSync(path.join(ROOT, entry))) cpSync(path.join(ROOT, entry), path.join(tmp, entry), { recursive: true });
    }
    mkdirSync(path.join(tmp, 'node_modules'));
    for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
      if (!CACHES.has(entry)) symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(tmp, 'node_modules', entry));
    }
    writeFileSync(
      path.join(tmp, 'content/pt-BR/lesson.mdx'),
      '---\ntitle: Atenção\ndescription: Uma lição quebrada de propósito.\ntranslation: human\n---\n\nTexto.\n\n<Chart id="alignment" />\n',
    );
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, OUT_DIR: path.join(tmp, 'dist'), ASTRO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      timeout: 90_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).not.toBe(0);
    expect(output).toContain('content/pt-BR/lesson.mdx:9');
    expect(output).toContain('unknown component <Chart>');
  }, 120_000);
});
