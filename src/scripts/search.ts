/**
 * The search page: Pagefind's index (built from dist/ after `astro build`) queried through its
 * JS API, with results rendered by us so every word on screen comes from the locale's strings.
 * Pagefind keeps one index per <html lang>, so each locale searches its own text.
 */
import { BASE, withBase } from '../lib/base';

interface PagefindResult {
  data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }>;
}
interface Pagefind {
  search(query: string): Promise<{ results: PagefindResult[] }>;
  options(o: { baseUrl?: string }): Promise<void>;
}

function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function mountSearch(): void {
  const host = document.querySelector<HTMLElement>('site-search');
  if (!host) return;
  const strings = JSON.parse(host.dataset.strings ?? '{}') as Record<string, string>;
  const input = host.querySelector<HTMLInputElement>('input[type="search"]')!;
  const status = host.querySelector<HTMLElement>('.status')!;
  const list = host.querySelector<HTMLOListElement>('.results')!;
  let pagefind: Promise<Pagefind> | undefined;
  let latest = 0;

  // Pagefind is written into dist/ after the build, so Vite must not try to resolve it; a plain
  // variable keeps Vite's preload wrapper away too (it breaks in inlined scripts).
  const pagefindUrl = withBase('pagefind/pagefind.js');
  // Its result URLs are paths in dist/ ('/en/'): under a base path they need it in front.
  const load = () =>
    (pagefind ??= (import(/* @vite-ignore */ pagefindUrl) as Promise<Pagefind>).then(async (p) => {
      await p.options({ baseUrl: BASE });
      return p;
    }));

  async function run(query: string) {
    const ticket = ++latest;
    list.replaceChildren();
    if (!query.trim()) {
      status.textContent = '';
      return;
    }
    status.textContent = strings['search.loading'];
    try {
      const search = await (await load()).search(query);
      const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
      if (ticket !== latest) return;
      status.textContent = format(strings[data.length ? 'search.results' : 'search.none'], {
        count: data.length,
        query,
      });
      for (const item of data) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = item.url;
        a.textContent = item.meta.title ?? item.url;
        const p = document.createElement('p');
        // Pagefind's excerpt is our own page text with <mark> around hits; keep only the marks.
        p.append(...excerptNodes(item.excerpt));
        li.append(a, p);
        list.append(li);
      }
    } catch {
      if (ticket === latest) status.textContent = strings['search.unavailable'];
    }
  }

  const form = host.querySelector('form')!;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.replaceState(null, '', url);
    void run(input.value);
  });
  const initial = new URLSearchParams(location.search).get('q') ?? '';
  input.value = initial;
  if (initial) void run(initial);
}

/** Text and <mark> nodes from an excerpt, never its other markup. */
function excerptNodes(html: string): Node[] {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  return [...doc.body.firstChild!.childNodes].map((n) => {
    if (n.nodeName === 'MARK') {
      const m = document.createElement('mark');
      m.textContent = n.textContent;
      return m;
    }
    return document.createTextNode(n.textContent ?? '');
  });
}
