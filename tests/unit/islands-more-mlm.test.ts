import { describe, expect, it } from 'vitest';
import { cleanText, countTokens, MASK, maskExamples, parseMasks } from '../../src/islands/live/mlm/mask';
import { MASK_MARK } from '../../src/engine/tasks/mlm';

describe('mask marker', () => {
  it('is the engine’s own marker', () => {
    expect(MASK).toBe(MASK_MARK);
  });

  it('accepts loose spellings and writes them exactly', () => {
    expect(parseMasks('o modelo [mask] para as  [ Mask ] palavras')).toEqual({ text: `o modelo ${MASK} para as ${MASK} palavras`, masks: 2 });
    expect(parseMasks('模型［MASK］词').masks).toBe(1);
    expect(parseMasks('a <mask> b').text).toBe(`a ${MASK} b`);
  });

  it('counts zero masks in a sentence without one', () => {
    expect(parseMasks('no mask here').masks).toBe(0);
  });
});

describe('lesson text', () => {
  it('drops links and collapses whitespace', () => {
    expect(cleanText(' see  https://example.com/x \n now ')).toBe('see now');
  });

  it('counts tokens as the engine does: words and punctuation', () => {
    expect(countTokens('The cat, the dog.', 'en')).toBe(6);
    expect(countTokens('自注意力很重要。', 'zh-CN')).toBeGreaterThan(2);
  });

  it('cuts example sentences that fit the window, hiding a word the text uses more than once', () => {
    const text = 'Tiny. Transformers use attention to read sentences. This sentence is far too long to fit in a window of twelve tokens at all. Heads learn different relations between words. Attention weights sum to one.';
    const ex = maskExamples(text, 'en', 4, 12);
    expect(ex).toEqual([
      { text: `Transformers use ${MASK} to read sentences.`, answer: 'attention' }, // twice in the text, unlike the longer 'transformers'
      { text: `Heads learn ${MASK} relations between words.`, answer: 'different' }, // no repeats: the first longest word
      { text: `${MASK} weights sum to one.`, answer: 'attention' },
    ]);
  });

  it('counts frequencies over the whole corpus when given one', () => {
    const ex = maskExamples('Heads learn relations between words.', 'en', 1, 12, 5, 'words words words');
    expect(ex[0]!.answer).toBe('words');
  });

  it('hides only a word the model is trained to guess, and skips sentences without one', () => {
    const fn = ['of', 'the', 'two', 'at', 'once', 'transformers'];
    const hideable = (w: string) => !fn.includes(w.toLowerCase());
    const text = 'Of the two. Transformers read the whole sentence at once.';
    expect(maskExamples(text, 'en', 4, 12, 4, text, hideable)).toEqual([
      { text: `Transformers read the whole ${MASK} at once.`, answer: 'sentence' },
    ]);
    // Without the filter: both sentences, and the longest word of each.
    expect(maskExamples(text, 'en', 4, 12, 4).map((e) => e.answer)).toEqual(['the', 'transformers']);
  });

  it('works for languages written without spaces', () => {
    const ex = maskExamples('自注意力让模型考虑句子的上下文。每个头可以学习词之间不同的关系。', 'zh-CN', 2, 16, 3);
    expect(ex.length).toBeGreaterThan(0);
    for (const e of ex) expect(e.text).toContain(MASK);
  });
});
