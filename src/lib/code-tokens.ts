/**
 * A Shiki transformer that keeps the exercises page small. Shiki writes each token's colours
 * inline (`style="color:#D73A49;--shiki-dark:#FF7B72"`); the exercises page shows 16 blocks of
 * code, and those attributes made it 63-75 KB of gzipped HTML. The two themes use eight colour
 * pairs, so each becomes a class (global.css `.tk-*`, which sets the same two properties) and
 * the plain foreground needs no span at all. A pair not in the table keeps its inline style, so a
 * new token colour still shows right. github-light's parameter colour #E36209 is 3.4:1 on white
 * (below WCAG AA): it is darkened to #B04A00 (5.3:1) on the way.
 */
import type { ShikiTransformer } from 'shiki';

/** The foreground pair: text in this colour is left as plain text in the block. */
const FOREGROUND = 'color:#24292e;--shiki-dark:#e6edf3';

/** Light and dark colour pairs of github-light / github-dark-default → class (global.css). */
export const TOKEN_CLASSES: Record<string, string> = {
  'color:#d73a49;--shiki-dark:#ff7b72': 'tk-k',
  'color:#005cc5;--shiki-dark:#79c0ff': 'tk-c',
  'color:#032f62;--shiki-dark:#a5d6ff': 'tk-s',
  'color:#6a737d;--shiki-dark:#8b949e': 'tk-m',
  'color:#6f42c1;--shiki-dark:#d2a8ff': 'tk-f',
  'color:#b04a00;--shiki-dark:#ffa657': 'tk-p',
  'color:#6f42c1;--shiki-dark:#ffa657': 'tk-t',
  'color:#22863a;--shiki-dark:#7ee787': 'tk-g',
};

interface Node {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: Node[];
}

export const compactTokens: ShikiTransformer = {
  name: 'compact-tokens',
  line(line) {
    const out: Node[] = [];
    for (const child of line.children as Node[]) {
      const style = child.type === 'element' && child.tagName === 'span' ? child.properties?.style : undefined;
      if (typeof style !== 'string') {
        out.push(child);
        continue;
      }
      const fixed = style.replace(/color:#E36209/i, 'color:#B04A00');
      const key = fixed.replace(/\s+/g, '').toLowerCase();
      if (key === FOREGROUND) {
        out.push(...(child.children ?? []));
        continue;
      }
      const cls = TOKEN_CLASSES[key];
      if (cls) {
        delete child.properties!.style;
        child.properties!.class = cls;
      } else child.properties!.style = fixed;
      out.push(child);
    }
    line.children = out as typeof line.children;
  },
};
