import { defineConfig } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS, WEBGPU_FLAGS } from './tests/chromium';

// Ports can be moved (E2E_PORT) so two checkouts can test side by side on one machine.
const SITE_PORT = Number(process.env.E2E_PORT ?? 4321);
/** A second build of the real site with one translation left out, to see the fallback. */
const FALLBACK_PORT = SITE_PORT + 2;
export const FALLBACK_OMITTED = 'pt-BR/assignment.mdx';
/** E2E_SKIP_FALLBACK=1 skips that second build when running a few specs by hand. */
const withFallback = !process.env.E2E_SKIP_FALLBACK;
const executablePath = chromiumExecutable();
/** A third build served only under a base path, as on a project page (`BASE_PATH`). */
export const SUBPATH = '/sub/path/';
const SUBPATH_PORT = SITE_PORT + 4;
/** E2E_SKIP_SUBPATH=1 skips it when running a few specs by hand. */
const withSubpath = !process.env.E2E_SKIP_SUBPATH;
/** The model engine's harness page (tests/engine-harness), built by Vite, on its own port. */
const ENGINE_PORT = SITE_PORT + 9;
/** E2E_SKIP_ENGINE=1 skips the engine's browser tests and their harness server. */
const withEngine = !process.env.E2E_SKIP_ENGINE;

// The site is built once (`npm run test:e2e` runs `npm run build` first) and served by
// `astro preview`: tests see exactly what a reader gets, from localhost (a secure context, so
// WebGPU is offered).
export default defineConfig({
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  // scripts/test.ts sets PLAYWRIGHT_JSON_OUTPUT_NAME to sum every suite into one closing line.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: [...QUIET_FLAGS, ...WEBGPU_FLAGS] },
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'site',
      testDir: 'tests/e2e',
      testIgnore: ['fallback.spec.ts', 'subpath.spec.ts'],
      use: { baseURL: `http://127.0.0.1:${SITE_PORT}` },
    },
    ...(withFallback
      ? [
          {
            name: 'fallback',
            testDir: 'tests/e2e',
            testMatch: ['fallback.spec.ts'],
            use: { baseURL: `http://127.0.0.1:${FALLBACK_PORT}` },
          },
        ]
      : []),
    ...(withSubpath
      ? [
          {
            name: 'subpath',
            testDir: 'tests/e2e',
            testMatch: ['subpath.spec.ts'],
            use: { baseURL: `http://127.0.0.1:${SUBPATH_PORT}${SUBPATH}` },
          },
        ]
      : []),
    ...(withEngine
      ? [
          {
            name: 'engine',
            testDir: 'tests/browser',
            // Software WebGPU compiles its shaders for ~11 s: few tests, long timeout.
            timeout: 180_000,
            use: { baseURL: `http://127.0.0.1:${ENGINE_PORT}` },
          },
        ]
      : []),
  ],
  webServer: [
    {
      // --ignore-lock: stay in the foreground (Astro 7 may background itself) and ignore other
      // preview servers on this machine.
      command: `npx astro preview --ignore-lock --host 127.0.0.1 --port ${SITE_PORT}`,
      url: `http://127.0.0.1:${SITE_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    ...(withFallback ? [{
      command:
        `CONTENT_OMIT=${FALLBACK_OMITTED} OUT_DIR=.fallback-dist npx astro build && ` +
        `OUT_DIR=.fallback-dist npx astro preview --ignore-lock --host 127.0.0.1 --port ${FALLBACK_PORT}`,
      url: `http://127.0.0.1:${FALLBACK_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
    }] : []),
    ...(withSubpath ? [{
      command:
        `BASE_PATH=${SUBPATH} OUT_DIR=.subpath-dist npx astro build && npx pagefind --site .subpath-dist && ` +
        `BASE_PATH=${SUBPATH} OUT_DIR=.subpath-dist npx astro preview --ignore-lock --host 127.0.0.1 --port ${SUBPATH_PORT}`,
      url: `http://127.0.0.1:${SUBPATH_PORT}${SUBPATH}`,
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
    }] : []),
    ...(withEngine ? [{
      command:
        'npx vite build -c tests/engine-harness/vite.config.ts && ' +
        `npx vite preview -c tests/engine-harness/vite.config.ts --port ${ENGINE_PORT}`,
      url: `http://127.0.0.1:${ENGINE_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    }] : []),
  ],
});
