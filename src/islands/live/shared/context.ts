/**
 * What every island gets from <live-figure>: its element, the page's locale and direction, the
 * `island.*` UI strings (rendered into the page by LiveFigure.astro) and Intl formatters.
 */
import { formatters, type Formatters } from './format';

export interface IslandContext {
  /** The <live-figure> element; the static <figure> stays its first child. */
  root: HTMLElement;
  /** Where the island draws its panel (below the static figure, which it may hide). */
  mount: HTMLElement;
  /** The static figure (SVG + caption): shown until the island has something of its own to draw. */
  figure: HTMLElement | null;
  /** Figure id: `alignment`, `position-embedding`, `cross-attention`. */
  id: string;
  /** BCP-47 tag of the surrounding text (the content's language). */
  locale: string;
  dir: 'ltr' | 'rtl';
  /** A UI string with `{name}` placeholders filled; the key without its `island.` prefix. */
  t(key: string, params?: Record<string, string | number>): string;
  fmt: Formatters;
}

export interface IslandModule {
  /** Build the island's UI into `ctx.mount`. `autostart`: the reader pressed the start button. */
  mount(ctx: IslandContext, opts: { autostart: boolean }): void | Promise<void>;
}

function parse(json: string | null | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(json || '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {}; // broken JSON leaves keys visible rather than breaking the page
  }
}

export function createContext(root: HTMLElement, mount: HTMLElement): IslandContext {
  // Shared strings sit once in the page (LiveFigure.astro); the island's own on its element.
  const strings = { ...parse(document.querySelector('script[data-lf-strings]')?.textContent), ...parse(root.dataset.strings) };
  const locale = root.dataset.locale || document.documentElement.lang || 'en';
  return {
    root,
    mount,
    figure: root.querySelector('figure'),
    id: root.dataset.island ?? '',
    locale,
    dir: document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr',
    t(key, params = {}) {
      const template = strings[`island.${key}`] ?? `island.${key}`;
      return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
    },
    fmt: formatters(locale),
  };
}
