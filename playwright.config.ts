import { defineConfig } from '@playwright/test';
import { chromiumExecutable, QUIET_FLAGS, WEBGPU_FLAGS } from './tests/chromium';

const SITE_PORT = 4321;
const executablePath = chromiumExecutable();

// The site is built once (`npm run test:e2e` runs `npm run build` first) and served by
// `astro preview`: tests see exactly what a reader gets, from localhost (a secure context, so
// WebGPU is offered).
export default defineConfig({
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : 'list',
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
      use: { baseURL: `http://127.0.0.1:${SITE_PORT}` },
    },
  ],
  webServer: [
    {
      command: `npx astro preview --host 127.0.0.1 --port ${SITE_PORT}`,
      url: `http://127.0.0.1:${SITE_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
