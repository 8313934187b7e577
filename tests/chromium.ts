import { existsSync } from 'node:fs';

/**
 * Which Chromium Playwright drives. The system browser wins where there is one (CHROMIUM_PATH,
 * or Debian's /usr/bin/chromium): browser downloads are refused on the CI machines. Elsewhere
 * `executablePath` stays undefined and Playwright uses its own managed browser.
 */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/** Flags for a quiet headless Chromium: without them it keeps dialing hosts this network refuses. */
export const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Root on CI machines: the sandbox needs an unprivileged user.
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** Software WebGPU (SwiftShader) in headless Chromium; without it requestAdapter() returns null. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu'];
