import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budgets per page, gzipped bytes. The lesson's 20 KB of JS is before any interaction. */
export const BUDGETS = { js: 20 * 1024, html: 30 * 1024 };

export interface PageSize {
  page: string;
  /** gzipped HTML document. */
  html: number;
  /** gzipped JS that runs before any interaction: inline scripts, module scripts and their static imports. */
  js: number;
  /** gzipped CSS linked or inlined. */
  css: number;
  /** The JS files counted in `js`. */
  jsFiles: string[];
}

const gz = (buf: Buffer | string) => gzipSync(buf, { level: 9 }).length;

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'pagefind' ? [] : htmlFiles(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

/** A built JS file plus everything it imports statically (dynamic import() is not counted: it waits for interaction). */
function withStaticImports(dist: string, file: string, seen: Set<string>) {
  if (seen.has(file) || !existsSync(file)) return;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  const imports = [...code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
  for (const spec of imports) {
    if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
    const target = spec.startsWith('/') ? path.join(dist, spec) : path.resolve(path.dirname(file), spec);
    withStaticImports(dist, target, seen);
  }
}

export function measurePages(dist: string): PageSize[] {
  return htmlFiles(dist)
    .map((file) => {
      const html = readFileSync(file, 'utf8');
      const page = '/' + path.relative(dist, file).replace(/index\.html$/, '').split(path.sep).join('/');
      let js = 0;
      let css = 0;
      for (const m of html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)) {
        js += gz(m[1]);
      }
      const files = new Set<string>();
      for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) withStaticImports(dist, path.join(dist, m[1]), files);
      for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) withStaticImports(dist, path.join(dist, m[1]), files);
      for (const f of files) js += gz(readFileSync(f));
      for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
        const f = path.join(dist, m[1]);
        if (existsSync(f)) css += gz(readFileSync(f));
      }
      for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) css += gz(m[1]);
      return { page, html: gz(html), js, css, jsFiles: [...files].map((f) => path.relative(dist, f)) };
    })
    .sort((a, b) => a.page.localeCompare(b.page));
}

export function overBudget(sizes: PageSize[]): string[] {
  return sizes.flatMap((s) => [
    ...(s.js > BUDGETS.js ? [`${s.page}: ${kb(s.js)} of JS before interaction (budget ${kb(BUDGETS.js)})`] : []),
    ...(s.html > BUDGETS.html ? [`${s.page}: ${kb(s.html)} of HTML (budget ${kb(BUDGETS.html)})`] : []),
  ]);
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
