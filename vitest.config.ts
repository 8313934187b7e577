import { defineConfig } from 'vitest/config';

// Unit tests: pure logic and the model engine on tfjs's cpu backend, in Node.
// Browser behaviour is tested by Playwright (tests/e2e, tests/browser), never here.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores on the CI machine: model tests are CPU-bound, so don't oversubscribe.
    maxWorkers: 2,
  },
});
