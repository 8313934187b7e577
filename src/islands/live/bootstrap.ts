/**
 * <live-figure>: the only island code every lesson page loads (keep it tiny: the page's whole
 * pre-interaction JS budget is 20 KB gzipped). Until it is activated the element is the static
 * figure from <Figure>. It shows an "activate" button and watches the figure: when the reader
 * presses the button, or the figure scrolls near, it imports the island's code (and nothing of
 * TensorFlow.js yet: that comes with the first "Start"). Readers without Web Workers keep the
 * static figure. To add an island, add a line to ./registry.ts (see README.md).
 */
import { LIVE_FIGURES } from './registry';
import type { IslandModule } from './shared/context';

type Load = () => Promise<{ island: IslandModule }>;
// Each folder's island.ts as its own lazy chunk (what a hand-written import() per island gave).
const chunks = import.meta.glob<{ island: IslandModule }>('./*/island.ts');
const islands: Record<string, Load | undefined> = Object.fromEntries(Object.entries(LIVE_FIGURES).map(([id, folder]) => [id, chunks[`./${folder}/island.ts`]]));

class LiveFigure extends HTMLElement {
  #loading?: Promise<void>;
  #autostart = false;

  connectedCallback() {
    const load = islands[this.dataset.island ?? ''];
    const button = this.querySelector<HTMLButtonElement>('[data-lf-activate]');
    if (!load || !button || this.#loading || typeof Worker === 'undefined') return;
    button.parentElement!.hidden = false;
    button.addEventListener('click', () => {
      this.#autostart = true;
      button.disabled = true;
      void this.#activate(load);
    });
    if ('IntersectionObserver' in window) {
      const io = new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            io.disconnect();
            void this.#activate(load);
          }
        },
        { rootMargin: '400px 0px' },
      );
      io.observe(this);
    }
  }

  #activate(load: () => Promise<{ island: IslandModule }>): Promise<void> {
    this.#loading ??= Promise.all([load(), import('./shared/context')])
      .then(([{ island }, { createContext }]) => {
        const mount = this.querySelector<HTMLElement>('[data-lf-mount]')!;
        this.querySelector('[data-lf-activate]')?.parentElement?.remove();
        return island.mount(createContext(this, mount), { autostart: this.#autostart });
      })
      .then(() => {
        this.dataset.active = '';
      })
      .catch(() => {
        // A chunk that fails to load (offline, old browser) leaves the static figure as it was.
        this.#loading = undefined;
      });
    return this.#loading;
  }
}

if (!customElements.get('live-figure')) customElements.define('live-figure', LiveFigure);
