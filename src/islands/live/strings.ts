/**
 * Build time only (LiveFigure.astro): which UI strings a live figure carries. The shared `island.*` strings (buttons, fields, errors)
 * go into the page once, in the first <LiveFigure> rendered for a request; each figure carries only
 * its own `island.<name>.*` group. With six figures on a page that is ~10 KB less HTML (gzipped).
 */
import { stringsWithPrefix } from '../../lib/i18n';

const emitted = new WeakSet<object>();

/** True once per request (per `Astro.locals` object): that figure renders the shared strings. */
export function firstOnPage(locals: object): boolean {
  if (emitted.has(locals)) return false;
  emitted.add(locals);
  return true;
}

export function liveStrings(tag: string, group: string, groups: readonly string[]) {
  const all = stringsWithPrefix(tag, 'island.');
  const own: Record<string, string> = {};
  const shared: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    const g = groups.find((name) => k.startsWith(`island.${name}.`));
    if (g === group) own[k] = v;
    else if (!g) shared[k] = v;
  }
  return { own, shared };
}
