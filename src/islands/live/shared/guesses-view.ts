/**
 * A list of guesses with bars (probabilities left to right on every page), shared by the
 * self-attention, classifier and masked-word islands.
 */
import type { TokenGuess } from '../../../worker/protocol';
import { topGuesses } from './guesses';
import './guesses.css';

export function renderGuesses(
  host: HTMLElement,
  guesses: TokenGuess[],
  k: number,
  percent: (p: number) => string,
  specialLabel: (token: string) => string = (t) => t,
): void {
  const rows = topGuesses(guesses, k, percent);
  const list = document.createElement('ol');
  list.className = 'lfm-guesses';
  for (const g of rows) {
    const li = document.createElement('li');
    li.className = g.special ? 'lfm-guess lfm-special' : 'lfm-guess';
    const token = document.createElement('bdi');
    token.className = 'lfm-token';
    token.textContent = g.special ? specialLabel(g.token) : g.token;
    const bar = document.createElement('span');
    bar.className = 'lfm-bar';
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.style.inlineSize = `${(g.bar * 100).toFixed(1)}%`;
    bar.append(fill);
    const p = document.createElement('bdi');
    p.dir = 'ltr';
    p.className = 'lfm-p';
    p.textContent = g.label;
    li.append(token, bar, p);
    li.dataset.p = g.p.toFixed(4);
    list.append(li);
  }
  host.replaceChildren(list);
}
