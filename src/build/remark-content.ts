import path from 'node:path';
import { visit } from 'unist-util-visit';
import type { Root, Link, Text } from 'mdast';
import type { VFile } from 'vfile';
import { locales } from '../../i18n/locales';
import { isMdxComponent, MDX_COMPONENTS } from '../lib/mdx-components';
import { allRoutes, isPageId, pageHref, pageIds } from '../lib/pages';
import { findMojibake } from '../lib/mojibake';

/**
 * Checks and rewrites content MDX at build time (and in `npm run check`, which compiles the
 * same files with the same plugin). Every failure names the file, the line and what to do:
 * - no `import`/`export`: translated content is reviewed text, not code;
 * - only the components in MDX_COMPONENTS;
 * - `page:<id>[#fragment]` links become the page's URL in the file's locale; unknown ids fail;
 * - relative links fail (they break between locales), absolute internal ones must be a route;
 * - text with mojibake (UTF-8 read as Latin-1 or Mac Roman) fails.
 */
export function remarkContent() {
  const routes = new Set(allRoutes());
  return (tree: Root, file: VFile) => {
    const where = describeFile(file);
    const tag = localeOfFile(file);
    const fail = (node: { position?: unknown }, message: string): never => {
      const line = (node.position as { start?: { line?: number } } | undefined)?.start?.line;
      file.fail(`${where}${line ? `:${line}` : ''}: ${message}`, node as never);
    };
    if (!tag) {
      file.fail(
        `${where}: its folder is not a configured locale (${locales.map((l) => l.tag).join(', ')}); add the locale to i18n/locales.ts or move the file`,
      );
    }

    visit(tree, (node) => {
      switch (node.type) {
        case 'mdxjsEsm':
          fail(node, 'content may not import or export anything; use the components listed in src/lib/mdx-components.ts');
          break;
        case 'mdxJsxFlowElement':
        case 'mdxJsxTextElement': {
          const name = (node as { name?: string | null }).name;
          if (name && /^[A-Z]/.test(name) && !isMdxComponent(name)) {
            fail(node, `unknown component <${name}>; content may use only ${MDX_COMPONENTS.map((c) => `<${c}>`).join(', ')}`);
          }
          break;
        }
        case 'link':
          checkLink(node as Link);
          break;
        case 'text': {
          const found = findMojibake((node as Text).value);
          if (found.length > 0) {
            fail(node, `mojibake "${found[0].snippet}" (UTF-8 read as ${found[0].encoding}); repair the file with npm run i18n:fix-encoding -- <file>`);
          }
          break;
        }
      }
    });

    function checkLink(link: Link) {
      const url = link.url;
      if (url.startsWith('page:')) {
        const target = url.slice('page:'.length);
        const id = target.split('#')[0];
        if (!isPageId(id)) {
          fail(link, `link to unknown page "${url}"; known pages: ${pageIds.map((p) => `page:${p}`).join(', ')}`);
        }
        link.url = pageHref(tag!, target);
        return;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#')) return; // external, mailto:, or same page
      if (url.startsWith('/')) {
        const pathOnly = url.split('#')[0].split('?')[0];
        if (!routes.has(pathOnly)) fail(link, `link to "${url}", which is not a page of this site; use page:<id>`);
        return;
      }
      fail(link, `relative link "${url}" would break between locales; link pages with page:<id> (e.g. page:assignment)`);
    }
  };
}

function describeFile(file: VFile): string {
  return file.path ? path.relative(process.cwd(), file.path) : '<content>';
}

/** `content/pt-BR/lesson.mdx` → 'pt-BR' (undefined when the folder is not a configured locale). */
export function localeOfFile(file: VFile): string | undefined {
  const parts = (file.path ?? '').split(path.sep);
  const i = parts.lastIndexOf('content');
  const folder = i >= 0 ? parts[i + 1] : undefined;
  return locales.find((l) => l.tag === folder)?.tag;
}
