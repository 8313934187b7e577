import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { highlightSpec, themeSpec } from '../../src/islands/playground/editor-theme';

/**
 * The exercises' code editor: every text colour it uses is at least 4.5:1 (WCAG AA) on every
 * background that text can get — the editor's own, the active line (translucent: over it or over
 * the selection), the selection, matches — in the light and the dark theme, computed from
 * src/styles/tokens.css. axe in the end-to-end tests sees only the state the editor is in; this
 * sees all of them. (The first miss: strings in --cat-3 on the active line, 4.40:1.)
 */
const css = readFileSync(new URL('../../src/styles/tokens.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** The custom properties of one `selector { … }` block of tokens.css. */
function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, `tokens.css has a "${selector}" block`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}
const light = block(':root');
const darkBySystem = block(":root:not([data-theme='light'])");
const darkByToggle = block(":root[data-theme='dark']");
const themes = { light, dark: { ...light, ...darkBySystem } };

interface Rgba { r: number; g: number; b: number; a: number }

function resolve(value: string, vars: Record<string, string>): Rgba {
  const v = value.replace(/\s*!important$/, '').trim();
  const ref = /^var\((--[\w-]+)\)$/.exec(v);
  if (ref) {
    expect(vars[ref[1]], `${ref[1]} is defined`).toBeDefined();
    return resolve(vars[ref[1]], vars);
  }
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(v)?.[1];
  if (!hex) throw new Error(`"${value}": only #hex colours and var() are computed here (extend this test for more)`);
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b, a = 255] = full.match(/../g)!.map((h) => parseInt(h, 16));
  return { r, g, b, a: a / 255 };
}

const over = (top: Rgba, below: Rgba): Rgba => ({
  r: top.r * top.a + below.r * (1 - top.a),
  g: top.g * top.a + below.g * (1 - top.a),
  b: top.b * top.a + below.b * (1 - top.a),
  a: 1,
});
const luminance = ({ r, g, b }: Rgba) => {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Theme rules that paint under the code text, by layer, bottom to top over the editor's own background (label: rule). */
const LAYERS: Record<'selection' | 'line' | 'span', Record<string, string>> = {
  selection: { selection: '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection' },
  line: { 'active line': '.cm-activeLine', 'error line': '.cm-errorLine' },
  span: { match: '.cm-selectionMatch, .cm-searchMatch, .cm-lintRange-active', 'selected search match': '.cm-searchMatch-selected' },
};
const MIN = 4.5;

describe('editor colours meet WCAG AA contrast', () => {
  it('the dark theme is the same whether the system or the toggle picks it', () => {
    expect(darkByToggle).toEqual(darkBySystem);
  });

  it('every theme rule that only paints a background is placed in a layer here', () => {
    const layered = new Set(Object.values(LAYERS).flatMap((l) => Object.values(l)));
    const backgroundsOnly = Object.entries(themeSpec)
      .filter(([key, rule]) => key !== '&' && rule.backgroundColor && !rule.color)
      .map(([key]) => key);
    expect(backgroundsOnly.filter((key) => !layered.has(key))).toEqual([]);
    for (const key of layered) expect(themeSpec[key]?.backgroundColor, key).toBeDefined();
  });

  for (const [name, vars] of Object.entries(themes)) {
    it(`${name}: code text on the editor, the active line, the selection and matches`, () => {
      const base = resolve(themeSpec['&'].backgroundColor, vars);
      expect(base.a, "the editor's background is opaque").toBe(1);
      const layer = (rules: Record<string, string>) => [
        undefined,
        ...Object.entries(rules).map(([label, key]) => ({ label, colour: resolve(themeSpec[key].backgroundColor, vars) })),
      ];
      const backgrounds: { where: string; colour: Rgba }[] = [];
      for (const sel of layer(LAYERS.selection))
        for (const line of layer(LAYERS.line))
          for (const span of layer(LAYERS.span)) {
            const stack = [sel, line, span].filter((l) => l !== undefined);
            backgrounds.push({
              where: ['editor', ...stack.map((l) => l.label)].join(' + '),
              colour: stack.reduce((below, l) => over(l.colour, below), base),
            });
          }
      const texts = [themeSpec['&'].color, ...highlightSpec.map((h) => h.color)];
      const failures: string[] = [];
      for (const text of new Set(texts))
        for (const bg of backgrounds) {
          const ratio = contrast(resolve(text, vars), bg.colour);
          if (ratio < MIN) failures.push(`${text} on ${bg.where}: ${ratio.toFixed(2)}`);
        }
      expect(failures).toEqual([]);
    });

    it(`${name}: gutters, panels and tooltips (text on their own background)`, () => {
      const failures = Object.entries(themeSpec)
        .filter(([, rule]) => rule.color && rule.backgroundColor)
        .map(([key, rule]) => {
          const bg = over(resolve(rule.backgroundColor, vars), resolve(themeSpec['&'].backgroundColor, vars));
          return { key, ratio: contrast(resolve(rule.color, vars), bg) };
        })
        .filter((p) => p.ratio < MIN)
        .map((p) => `${p.key}: ${p.ratio.toFixed(2)}`);
      expect(failures).toEqual([]);
    });
  }
});
