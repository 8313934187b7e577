// @ts-check
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import sitemap from '@astrojs/sitemap';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { locales, SOURCE_TAG } from './i18n/locales.ts';
import { remarkContent } from './src/build/remark-content.ts';
import { rehypeMathBlocks } from './src/build/rehype-math-blocks.ts';
import { siteConfig } from './src/site.config.ts';

/** SHA-256 of each is:inline script, so the CSP can allow exactly them and nothing else inline. */
const inlineScriptHashes = ['theme-init', 'root-redirect'].map((name) => {
  const code = readFileSync(new URL(`./src/scripts/inline/${name}.js`, import.meta.url), 'utf8');
  return /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(code).digest('base64')}`);
});

export default defineConfig({
  site: siteConfig.url,
  // BASE_PATH=/repo/ for a project page: every asset, worker, WASM file and link lives under it.
  base: siteConfig.base,
  trailingSlash: 'always',
  // The fallback test builds a second copy of the site (with CONTENT_OMIT) into its own folder.
  outDir: process.env.OUT_DIR ?? './dist',
  build: { format: 'directory' },
  integrations: [
    mdx(),
    sitemap({
      i18n: {
        defaultLocale: locales.find((l) => l.tag === SOURCE_TAG)?.slug ?? 'en',
        locales: Object.fromEntries(locales.map((l) => [l.slug, l.tag])),
      },
    }),
  ],
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath, remarkContent],
      // MathML only: the browser lays it out natively, so math costs no CSS, fonts or JS.
      rehypePlugins: [[rehypeKatex, { output: 'mathml' }], rehypeMathBlocks],
    }),
    shikiConfig: {
      themes: { light: 'github-light', dark: 'github-dark-default' },
      defaultColor: 'light',
    },
  },
  vite: {
    // ES-module workers can split: the engine worker then fetches only the tfjs backend it
    // actually starts (WebGPU, else WebGL, WASM or CPU) instead of all four in one file.
    worker: { format: 'es' },
  },
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        // Pagefind fetches its index; the engine's worker fetches wasm; nothing else leaves.
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: {
        // 'wasm-unsafe-eval': Pagefind's search and tfjs's WASM backend compile WebAssembly.
        resources: ["'self'", "'wasm-unsafe-eval'"],
        hashes: inlineScriptHashes,
      },
      styleDirective: {
        // Shiki colours tokens with style attributes; attributes cannot run code.
        resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }],
      },
    },
  },
});
