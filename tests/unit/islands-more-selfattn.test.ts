import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/ui/en.json';
import { argmaxPerHead, encoderLayers, exampleSentences, queryRows } from '../../src/islands/live/selfattn/pronoun';
import type { AttentionMatrix, PronounTemplates } from '../../src/worker/protocol';

const pt = JSON.parse(readFileSync('content/pt-BR/data/pronouns.json', 'utf8')) as PronounTemplates;

describe('pronoun examples', () => {
  it('alternate the two readings and fill every slot', () => {
    const ex = exampleSentences(pt, 4);
    expect(ex).toHaveLength(4);
    expect(ex[0]!.referent).toBe(pt.agents[0]);
    expect(ex[1]!.referent).toBe(pt.places[0]);
    for (const e of ex) {
      expect(e.text).not.toMatch(/\{\w+\}/);
      expect(e.text.toLowerCase()).toContain(pt.pronoun);
    }
  });
});

describe('attention rows of one query token', () => {
  // 2 heads × 3 × 3, row-major: head h, row r, col c = h*9 + r*3 + c.
  const data = new Float32Array([
    0.2, 0.3, 0.5, 0.1, 0.8, 0.1, 1, 0, 0,
    0.6, 0.2, 0.2, 0, 0, 1, 0.3, 0.3, 0.4,
  ]);
  const m: AttentionMatrix = { name: 'enc0', heads: 2, rows: 3, cols: 3, data, rowTokens: ['a', 'b', 'c'], colTokens: ['a', 'b', 'c'] };

  it('takes row q of every head, each still summing to 1', () => {
    expect(Array.from(queryRows(m, 1))).toEqual(Array.from(new Float32Array([0.1, 0.8, 0.1, 0, 0, 1])));
    expect(argmaxPerHead(queryRows(m, 1), 2, 3)).toEqual([1, 2]);
  });

  it('clamps the query to the sentence', () => {
    expect(Array.from(queryRows(m, 9))).toEqual(Array.from(queryRows(m, 2)));
  });

  it('orders encoder layers and skips other maps', () => {
    const names = encoderLayers([{ ...m, name: 'enc1' }, { ...m, name: 'dec0.cross' }, m]).map((x) => x.name);
    expect(names).toEqual(['enc0', 'enc1']);
  });
});

describe('UI keys of the three extra islands', () => {
  it('every island.* and fig.* key they use exists in the source locale', () => {
    const dir = path.resolve('src/islands/live');
    const used = new Set<string>();
    // The three islands' folders, and the guesses view they share (in shared/).
    const files = [
      ...['selfattn', 'classifier', 'mlm'].flatMap((folder) => readdirSync(path.join(dir, folder)).map((f) => path.join(dir, folder, f))),
      ...readdirSync(path.join(dir, 'shared')).filter((f) => f.startsWith('guesses')).map((f) => path.join(dir, 'shared', f)),
    ];
    expect(files.some((f) => f.endsWith('guesses-view.ts'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z.]+)'/g)) used.add(`island.${m[1]}`);
      for (const m of text.matchAll(/\btr\(\s*'([a-zA-Z.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
