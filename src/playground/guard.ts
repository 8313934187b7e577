import { parse } from 'sucrase/dist/esm/parser';
import { ContextualKeyword } from 'sucrase/dist/esm/parser/tokenizer/keywords';
import { TokenType as tt } from 'sucrase/dist/esm/parser/tokenizer/types';

/**
 * Loop guards. A worker that loops forever can always be terminated from the page, but a worker
 * that fills its heap takes the whole tab down with it (measured here: Chromium's workers share
 * the renderer's V8 heap and do not expose performance.memory, so the page cannot watch it).
 * So every loop of the learner's code calls GUARD, which counts and, every few thousand calls,
 * checks the time limit and a memory estimate (see runner.ts). The call goes into the
 * loop's condition, on the same line, so line numbers and braces-free loops both survive:
 *   while (c)          → while (GUARD(), c)
 *   for (a; c; u)      → for (a; GUARD(), c; u)        for (;;) → for (; GUARD();)
 *   for (x of xs) s    → unchanged header; finite unless the iterable is endless
 */
export const GUARD = '__pgGuard';

export function instrumentLoops(source: string): string {
  const { tokens } = parse(source, false, true, false);
  const inserts: Array<[number, string]> = [];
  for (let i = 0; i < tokens.length; i++) {
    const k = tokens[i]!.type;
    if ((k !== tt._while && k !== tt._for) || tokens[i]!.isType) continue;
    let j = i + 1;
    if (tokens[j]?.contextualKeyword === ContextualKeyword._await) j++; // for await (…)
    if (tokens[j]?.type !== tt.parenL) continue;
    if (k === tt._while) {
      inserts.push([tokens[j]!.end, `${GUARD}(), `]);
      continue;
    }
    // for: find the first ';' at depth 1 inside the header.
    let depth = 0;
    for (let m = j; m < tokens.length; m++) {
      const t = tokens[m]!.type;
      if (t === tt.parenL || t === tt.bracketL || t === tt.braceL || t === tt.dollarBraceL) depth++;
      else if (t === tt.parenR || t === tt.bracketR || t === tt.braceR) {
        depth--;
        if (depth === 0) break;
      } else if (t === tt.semi && depth === 1) {
        const next = tokens[m + 1];
        inserts.push([tokens[m]!.end, next?.type === tt.semi ? ` ${GUARD}()` : ` ${GUARD}(), `]);
        break;
      }
    }
  }
  let out = source;
  for (const [at, text] of inserts.sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
