import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * A display formula can be wider than a phone: it scrolls sideways inside its own box. A box that
 * scrolls must be reachable by keyboard (WCAG 2.1.1; axe's scrollable-region-focusable), so the
 * formula's wrapper (rehype-katex's `<span class="katex">` around `<math display="block">`)
 * becomes a focusable block, `<div class="math-block" tabindex="0">`, and scrolls instead of the
 * `<math>` element.
 */
export function rehypeMathBlocks() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element) => {
      const math = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'math');
      if (!math || math.properties?.display !== 'block') return;
      node.tagName = 'div';
      const classes = ([] as unknown[]).concat(node.properties?.className ?? []).map(String);
      node.properties = { ...node.properties, className: [...classes, 'math-block'], tabIndex: 0 };
    });
  };
}
