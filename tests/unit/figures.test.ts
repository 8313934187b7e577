import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeTags } from '../../i18n/locales';
import {
  alignment,
  dateExample,
  embed,
  ISO_OUTPUT,
  pronounAttention,
  splitTokens,
  toPercents,
  toWeights,
} from '../../src/components/figures/data';
import { weightBin, withLtr, wrapLabel } from '../../src/components/figures/layout';

const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('figure data', () => {
  it('splits |-separated token lists, so languages without spaces can mark tokens', () => {
    expect(splitTokens('27| de |novembro||')).toEqual(['27', 'de', 'novembro']);
    expect(splitTokens('2026年|11月|27日')).toEqual(['2026年', '11月', '27日']);
  });

  it('rounds weights to percents that still sum to 100', () => {
    expect(sum(toPercents([1 / 3, 1 / 3, 1 / 3]))).toBe(100);
    expect(sum(toWeights([0.125, 0.125, 0.75]).map((w) => w * 100))).toBeCloseTo(100, 9);
  });

  it('aligns each output piece mostly with the input word of the same part, rows summing to 1', () => {
    const { input, roles } = dateExample('27|de|novembro|de|2026', 'day|other|month|other|year');
    const rows = alignment(roles);
    expect(rows).toHaveLength(ISO_OUTPUT.length);
    for (const row of rows) expect(sum(row)).toBeCloseTo(1, 9);
    expect(input[argmax(rows[0])]).toBe('2026');
    expect(input[argmax(rows[2])]).toBe('novembro');
    expect(input[argmax(rows[4])]).toBe('27');
    // Soft, like a trained model: no cell is one-hot.
    expect(Math.max(...rows.flat())).toBeLessThan(0.9);
  });

  it('names the UI keys when the date example is malformed', () => {
    expect(() => dateExample('a|b', 'year')).toThrow(/fig\.date\.inputRoles.*2 tokens but 1 roles/);
    expect(() => dateExample('a|b|c', 'ano|month|day')).toThrow(/unknown role "ano"/);
    expect(() => dateExample('a|b', 'year|month')).toThrow(/no token has the role "day"/);
  });

  it('makes the pronoun attend most to its referent', () => {
    const ex = pronounAttention('The|animal|was|tired|because|it|was', 'it', 'animal', 'tired', 'was');
    expect(ex.tokens[argmax(ex.weights)]).toBe('animal');
    expect(sum(ex.weights)).toBeCloseTo(1, 9);
    expect(() => pronounAttention('a|b', 'it', 'a', 'b', 'a')).toThrow(/"it" is not one of the tokens/);
  });

  it('sums token and position embeddings element-wise, same token → same token vector', () => {
    const [dog1, , dog3] = embed(['dog', 'bites', 'dog'], 6);
    expect(dog1.tokenVec).toEqual(dog3.tokenVec);
    expect(dog1.positionVec).not.toEqual(dog3.positionVec);
    dog1.sum.forEach((v, k) => expect(v).toBeCloseTo(dog1.tokenVec[k] + dog1.positionVec[k], 9));
  });
});

describe('figure layout helpers', () => {
  it('bins weights for the colour scale', () => {
    expect([0, 0.09, 0.1, 0.34, 0.5, 0.69, 0.7, 1].map(weightBin)).toEqual([0, 0, 1, 2, 4, 4, 5, 5]);
  });
  it('wraps a long label at the space nearest its middle', () => {
    expect(wrapLabel('Masked self-attention', 16)).toEqual(['Masked', 'self-attention']);
    expect(wrapLabel('交叉注意力', 4)).toEqual(['交叉注意力']);
  });
  it('marks dates in captions for <bdi dir="ltr">', () => {
    expect(withLtr('into {iso}.', { iso: '2026-11-27' })).toEqual([
      { text: 'into ', ltr: false },
      { text: '2026-11-27', ltr: true },
      { text: '.', ltr: false },
    ]);
  });
});

describe('figure UI strings in every locale', () => {
  for (const tag of localeTags) {
    const ui = JSON.parse(readFileSync(`i18n/ui/${tag}.json`, 'utf8')) as Record<string, string>;
    it(`${tag}: the example sentences are well formed`, () => {
      expect(() => dateExample(ui['fig.date.input'], ui['fig.date.inputRoles'])).not.toThrow();
      for (const p of ['', 'wide']) {
        const k = (name: string) => ui[`fig.selfAttention.${p ? p + name[0].toUpperCase() + name.slice(1) : name}`];
        const ex = pronounAttention(k('sentence'), k('pronoun'), k('referent'), k('rival'), k('cue'));
        expect(argmax(ex.weights)).toBe(ex.referent);
      }
      expect(splitTokens(ui['fig.positionEmbedding.sentence']).length).toBeGreaterThan(1);
    });
  }
});

describe('figure components obey the CSP', () => {
  const dir = 'src/components/figures';
  const files = [...readdirSync(dir).map((f) => join(dir, f)), 'src/components/Figure.astro'];
  it('have no style attributes, inline scripts or hex colours in markup', () => {
    for (const file of files.filter((f) => f.endsWith('.astro'))) {
      const markup = readFileSync(file, 'utf8').replace(/<style[\s\S]*?<\/style>/g, '');
      expect(markup, file).not.toMatch(/\sstyle=/);
      expect(markup, file).not.toMatch(/<script/);
      expect(markup, file).not.toMatch(/#[0-9a-f]{3,6}\b/i);
    }
  });
});
