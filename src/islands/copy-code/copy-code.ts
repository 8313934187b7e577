import './copy-code.css';
/**
 * <copy-code>: one per page (Base.astro). Gives every highlighted code block (`pre.astro-code`)
 * a "Copy" button with the page's localized label, and announces "Copied" in its own polite
 * live region. Blocks added later (none today) are not watched: code blocks are static HTML.
 */
class CopyCode extends HTMLElement {
  connectedCallback() {
    const label = this.dataset.label ?? 'Copy';
    const done = this.dataset.copied ?? 'Copied';
    const failed = this.dataset.failed ?? '';
    const live = document.createElement('span');
    live.className = 'visually-hidden';
    live.setAttribute('role', 'status');
    this.append(live);
    for (const pre of document.querySelectorAll<HTMLPreElement>('pre.astro-code')) {
      if (pre.parentElement?.classList.contains('code-copy')) continue;
      const wrap = document.createElement('div');
      wrap.className = 'code-copy';
      pre.replaceWith(wrap);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'code-copy-button';
      button.textContent = label;
      wrap.append(pre, button);
      button.addEventListener('click', async () => {
        let ok = true;
        try {
          await navigator.clipboard.writeText(pre.innerText.replace(/\n$/, ''));
        } catch {
          ok = false;
        }
        live.textContent = '';
        live.textContent = ok ? done : failed;
        button.textContent = ok ? done : label;
        setTimeout(() => (button.textContent = label), 1500);
      });
    }
  }
}

if (!customElements.get('copy-code')) customElements.define('copy-code', CopyCode);
