import { fileURLToPath } from 'node:url';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import base from '../../playwright.config';

// Only the engine's project and harness server, for `npm run test:engine` (no site build needed).
const root = fileURLToPath(new URL('../..', import.meta.url));
const servers = [base.webServer ?? []].flat().filter((w) => w.command.includes('engine-harness'));

export default defineConfig({
  ...base,
  // Not test-results/: other suites running at the same time clear that folder.
  outputDir: `${root}node_modules/.cache/engine-test-results`,
  projects: (base.projects ?? []).filter((p) => p.name === 'engine').map((p) => ({ ...p, testDir: '.' })),
  webServer: servers.map((w) => ({ ...w, cwd: root })),
} satisfies PlaywrightTestConfig);
