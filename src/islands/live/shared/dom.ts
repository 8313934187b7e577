/** Small DOM helpers the islands share. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Text that must read left to right on any page (ISO dates, numbers, token lists). */
export function ltr(text: string): HTMLElement {
  const b = document.createElement('bdi');
  b.dir = 'ltr';
  b.textContent = text;
  return b;
}

/** `ask` when the reader presses the button, or Enter in the text field. */
export function onAsk(button: HTMLElement, input: HTMLInputElement, ask: () => void): void {
  button.addEventListener('click', ask);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') ask();
  });
}
