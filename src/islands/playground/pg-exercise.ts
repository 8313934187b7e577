/**
 * <pg-exercise>: the few hundred bytes every reader downloads. The exercise is static HTML
 * (statement, highlighted starter code, solution in <details>) until the learner presses
 * "Edit and run" or it scrolls near the viewport; then the editor and sandbox chunk load.
 * A share link (#code=<id>.…) activates its exercise at once.
 */
class PgExercise extends HTMLElement {
  #started = false;
  #observer: IntersectionObserver | undefined;

  connectedCallback() {
    const button = this.querySelector<HTMLButtonElement>('[data-activate]');
    button?.addEventListener('click', () => void this.activate(true));
    if (location.hash.startsWith(`#code=${this.dataset.id}.`)) {
      void this.activate(false).then(() => this.scrollIntoView());
      return;
    }
    this.#observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void this.activate(false);
    }, { rootMargin: '200px 0px' });
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
  }

  async activate(focus: boolean) {
    if (this.#started) return;
    this.#started = true;
    this.#observer?.disconnect();
    // The code is read from the highlighted blocks the page already shows (each block is the
    // fenced code without its final newline); the UI strings sit once on the page.
    const code = (pre: Element | null | undefined) => (pre?.textContent ? `${pre.textContent}\n` : '');
    const strings = (() => {
      try {
        return JSON.parse(document.querySelector('script[data-pg-strings]')?.textContent ?? '{}');
      } catch {
        return {};
      }
    })();
    const params = new URLSearchParams(location.search);
    const [{ mount }, { rememberedBackend }] = await Promise.all([import('./workbench'), import('../../worker/chooser')]);
    const editor = await mount({
      root: this,
      id: this.dataset.id!,
      locale: this.dataset.locale!,
      starter: code(this.querySelector('[data-starter] pre')),
      solution: code(this.closest('.exercise')?.querySelector('[data-solution] pre')),
      strings,
      // ?limit=<seconds> shortens the visible time limit (the end-to-end tests use it).
      limitS: Number(params.get('limit')) || Number(this.dataset.limit) || 30,
      // The backend this device measured fastest for the lesson's models (src/worker/chooser.ts).
      backend: params.get('backend') ?? this.dataset.backend ?? rememberedBackend() ?? 'wasm',
    });
    this.dataset.ready = '';
    if (focus) editor.focus();
  }
}

if (!customElements.get('pg-exercise')) customElements.define('pg-exercise', PgExercise);

/**
 * <ex-hints>: an exercise's hints, hidden until asked for, one per press of "Show a hint (n of
 * N)". Focus stays on the button, so Enter again shows the next; the list is a polite live
 * region, so a screen reader reads each new hint. After the last one the button goes and focus
 * moves to that hint.
 */
class ExHints extends HTMLElement {
  connectedCallback() {
    const button = this.querySelector<HTMLButtonElement>('[data-hint-next]');
    const items = [...this.querySelectorAll<HTMLLIElement>('li')];
    let labels: string[] = [];
    try {
      labels = JSON.parse(this.dataset.labels ?? '[]');
    } catch {
      /* the labels stay server-rendered */
    }
    button?.addEventListener('click', () => {
      const next = items.findIndex((li) => li.hidden);
      if (next < 0) return;
      items[next]!.hidden = false;
      this.dataset.shown = String(next + 1);
      if (next + 1 < items.length) button.textContent = labels[next + 1] ?? button.textContent;
      else {
        button.hidden = true;
        items[next]!.focus();
      }
    });
  }
}

if (!customElements.get('ex-hints')) customElements.define('ex-hints', ExHints);
