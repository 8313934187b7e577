import { describe, expect, it } from 'vitest';
import {
  detectMojibakeEncoding,
  findMojibake,
  repairMojibake,
  type MojibakeEncoding,
} from '../../src/lib/mojibake';

/** Garble `text` the way it happens in the wild: its UTF-8 bytes read as a single-byte encoding. */
function garble(text: string, encoding: MojibakeEncoding | 'latin1'): string {
  const bytes = new TextEncoder().encode(text);
  if (encoding === 'latin1') return String.fromCharCode(...bytes);
  return new TextDecoder(encoding).decode(bytes);
}

// Our own sentences, chosen for the characters that look like mojibake to a naive detector.
const CLEAN: Record<string, string> = {
  'pt-BR': 'Atenção: a seção “Codificação posicional” é difícil? Não! —É verdade, disse ela. À noite, às 20h, irmã.',
  'pt-BR caps': 'AÇÃO, CORAÇÃO, NÃO… IRMÔ e “AMANHÔ.',
  es: '¿Qué pasó, señor Muñoz? ¡Ñandú—Ñu! «ADIÓS…» Él está aquí.',
  fr: '« Ça coûte cher », dit-il. «Édition» ÉTÉ… l’été » — d’où ? De 10\u00A0à 20\u00A0€.',
  'fr caps': 'ÇA COÛTE CHER», DIT-IL ; L’ÉTÉ À LA MER.',
  // é, no-break space, » is also windows-1252 for the bytes of 頻: French typography, not damage.
  'fr nbsp': '«\u00A0C’est l’été\u00A0», dit-elle\u00A0: «\u00A0déjà\u00A0» et «\u00A0café\u00A0».',
  de: '„Fuß“ ist ÜBER die Straße gegangen, sagte Jürgen. GRÖẞE… Öl, Ärger, Übel.',
  cs: 'PŘÍŠERNĚ ČÚŠ žluťoučký kůň úpěl ďábelské ódy.',
  ar: 'تعمل آلية الانتباه على وزن الكلمات حسب أهميتها… «مثال».',
  'zh-CN': '注意力机制让模型在翻译时关注输入句子的相关部分——这很重要…',
  ja: '注意機構は、入力文のどの単語に注目するかを学習します。「トランスフォーマー」…',
  symbols: '© 2025 — 50 % ± 2 °C, 3² = 9, ¼ ½ ¾, “quotes”, ‘single’, •, …, ™, ®, § 3, ¶ 2.',
  emoji: '🚀 Desafio ✍️ Exercícios 👩🏽‍💻 🇧🇷',
};

describe('findMojibake on clean text', () => {
  for (const [lang, text] of Object.entries(CLEAN)) {
    it(`reports nothing in clean ${lang}`, () => {
      expect(findMojibake(text)).toEqual([]);
      expect(detectMojibakeEncoding(text)).toBeNull();
    });
  }
  it('reports nothing in all the clean samples together', () => {
    expect(findMojibake(Object.values(CLEAN).join('\n'))).toEqual([]);
  });
});

describe('findMojibake on garbled text', () => {
  const encodings: Array<MojibakeEncoding | 'latin1'> = ['windows-1252', 'macintosh', 'latin1'];
  for (const encoding of encodings) {
    for (const [lang, text] of Object.entries(CLEAN)) {
      it(`finds and repairs ${lang} read as ${encoding}`, () => {
        const bad = garble(text, encoding);
        const expected = encoding === 'latin1' ? 'windows-1252' : encoding;
        expect(detectMojibakeEncoding(bad)).toBe(expected);
        expect(findMojibake(bad).length).toBeGreaterThan(0);
        expect(repairMojibake(bad, expected)).toBe(text);
      });
    }
  }

  it('recognises the classic forms', () => {
    expect(findMojibake('AtenÃ§Ã£o')[0]).toMatchObject({ snippet: 'Ã§Ã£', fixed: 'çã', encoding: 'windows-1252' });
    expect(findMojibake('Aten√ß√£o')[0]).toMatchObject({ snippet: '√ß√£', fixed: 'çã', encoding: 'macintosh' });
    expect(findMojibake('don‚Äôt')[0]).toMatchObject({ fixed: '’', encoding: 'macintosh' });
    expect(findMojibake('donâ€™t')[0]).toMatchObject({ fixed: '’', encoding: 'windows-1252' });
    expect(findMojibake('\uF8FFüöÄ Go')[0]).toMatchObject({ fixed: '🚀', encoding: 'macintosh' });
  });

  it('gives line, column and index of each run', () => {
    const text = 'ok\nA Aten√ß√£o e a tradu√ß√£o\n√©';
    const found = findMojibake(text);
    expect(found.map((f) => [f.line, f.column, f.snippet])).toEqual([
      [2, 7, '√ß√£'],
      [2, 22, '√ß√£'],
      [3, 1, '√©'],
    ]);
    for (const f of found) expect(text.slice(f.index, f.index + f.snippet.length)).toBe(f.snippet);
  });

  it('does not touch clean characters around mojibake', () => {
    const text = `${CLEAN.fr} ${garble('Atenção', 'windows-1252')}`;
    expect(repairMojibake(text, 'windows-1252')).toBe(`${CLEAN.fr} Atenção`);
  });

  it('ignores broken sequences: a lead byte without its continuation bytes', () => {
    // E2 80 (no third byte) then ASCII; C3 at the end of the text.
    expect(findMojibake('â€ x Ã')).toEqual([]);
    expect(findMojibake('‚Ä x √')).toEqual([]);
  });

  it('needs corroboration for sequences that also read as text', () => {
    // Alone, "—É" (Mac Roman D1 83 = "у") is Portuguese dialogue; with other mojibake it is Cyrillic.
    expect(findMojibake('—É verdade')).toEqual([]);
    expect(findMojibake(garble('у меня', 'macintosh'))).not.toEqual([]);
  });
});
