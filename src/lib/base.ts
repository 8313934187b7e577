/**
 * The path the site is served under: '/' by default, or e.g. '/attention-transformers/' for a
 * project page (`BASE_PATH=/attention-transformers/ npm run build`). Astro prefixes its own assets
 * (CSS, scripts, workers, WASM) with it; every link the site writes goes through `withBase`.
 * In the browser it is Vite's `import.meta.env.BASE_URL`; in Node (the build, scripts, tests), the
 * BASE_PATH environment variable.
 */
export function normalizeBase(base: string | undefined): string {
  const b = (base ?? '').trim();
  if (!b || b === '/') return '/';
  return `/${b.replace(/^\/+|\/+$/g, '')}/`.replace(/\/{2,}/g, '/');
}

const fromVite = (import.meta as ImportMeta & { env?: { BASE_URL?: string } }).env?.BASE_URL;
const fromNode = typeof process !== 'undefined' ? process.env?.BASE_PATH : undefined;

/**
 * '/' or '/sub/path/': always with a slash at both ends. At build time BASE_PATH wins: code that
 * runs while Astro loads its config (the remark plugin writing content links) sees Vite's default.
 */
export const BASE = normalizeBase(fromNode ?? fromVite);

/** A site path ('favicon.svg', '/pt-br/quiz/pre/') under the base path. */
export function withBase(path: string): string {
  return BASE + path.replace(/^\/+/, '');
}
