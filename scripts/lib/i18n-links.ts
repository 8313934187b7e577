import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createProcessor } from '@mdx-js/mdx';
import GithubSlugger from 'github-slugger';
import remarkMath from 'remark-math';
import { visit } from 'unist-util-visit';
import type { Heading, Link, Nodes, Root } from 'mdast';

/**
 * `page:<id>#fragment` links, checked against the headings of the target page *in the linking
 * file's locale*: a translated heading has a translated slug, so `page:lesson#bert` may resolve
 * in English and not in Portuguese. Slugs are computed like Astro computes heading ids
 * (github-slugger over the heading's text, one slugger per page so repeats get -1, -2).
 */

/** Page ids whose content is an MDX file with headings; other pages' fragments are not checked. */
const MDX_PAGES: Record<string, string> = { lesson: 'lesson.mdx', assignment: 'assignment.mdx' };

/** An MDX file's text with its frontmatter blanked but its lines kept, so lines stay the file's own. */
function bodyOf(text: string): string {
  const fm = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return fm ? fm[0].replace(/[^\n]/g, '') + text.slice(fm[0].length) : text;
}

function parse(text: string): Root | undefined {
  try {
    return createProcessor({ remarkPlugins: [remarkMath] }).parse(bodyOf(text)) as Root;
  } catch {
    return undefined; // a syntax error: the MDX compile check already reports it, with its line
  }
}

function textOf(node: Nodes): string {
  if ('children' in node) return node.children.map((c) => textOf(c as Nodes)).join('');
  return 'value' in node && typeof node.value === 'string' && node.type !== 'html' ? node.value : '';
}

/** The heading ids Astro gives an MDX page, in document order. */
export function headingSlugs(text: string): string[] {
  const tree = parse(text);
  if (!tree) return [];
  const slugger = new GithubSlugger();
  const slugs: string[] = [];
  visit(tree, 'heading', (h: Heading) => {
    slugs.push(slugger.slug(textOf(h)));
  });
  return slugs;
}

/** Every `page:<id>#fragment` link of an MDX text, with its line. */
export function fragmentLinks(text: string): Array<{ url: string; page: string; fragment: string; line?: number }> {
  const tree = parse(text);
  if (!tree) return [];
  const out: Array<{ url: string; page: string; fragment: string; line?: number }> = [];
  visit(tree, 'link', (link: Link) => {
    const m = /^page:([^#]+)#(.+)$/.exec(link.url);
    if (m) out.push({ url: link.url, page: m[1], fragment: decodeURIComponent(m[2]), line: link.position?.start.line });
  });
  return out;
}

/**
 * Checks the fragment links of `file` (content/<tag>/<local>.mdx). The target is the page in the
 * same locale, or the source locale's page when the locale has none (the site serves that one).
 */
export function checkFragmentLinks(
  file: string,
  text: string,
  opts: { contentDir: string; tag: string; sourceTag: string; cwd: string },
  add: (file: string, message: string, line?: number) => void,
) {
  const cache = new Map<string, string[]>();
  for (const link of fragmentLinks(text)) {
    const name = MDX_PAGES[link.page];
    if (!name) continue;
    const own = path.join(opts.contentDir, opts.tag, name);
    const target = existsSync(own) ? own : path.join(opts.contentDir, opts.sourceTag, name);
    if (!existsSync(target)) continue; // a missing source page is reported on its own
    if (!cache.has(target)) cache.set(target, headingSlugs(readFileSync(target, 'utf8')));
    const slugs = cache.get(target)!;
    if (!slugs.includes(link.fragment)) {
      const shown = path.relative(opts.cwd, target);
      add(
        file,
        `link "${link.url}": ${shown} has no heading with id "${link.fragment}"; ` +
          `use one of ${slugs.map((s) => `#${s}`).join(', ')} (headings are slugged in the page's own language)`,
        link.line,
      );
    }
  }
}
