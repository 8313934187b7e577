import { describe, expect, it } from 'vitest';
import { frenchSpacingProblems } from '../../scripts/lib/typography';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('frenchSpacingProblems', () => {
  it.each([
    [`Attendu : {referent}`, ':', 'U+00A0'],
    [`une ligne par tête ; chaque ligne`, ';', 'U+202F'],
    [`Bravo !`, '!', 'U+202F'],
    [`Y a-t-il une boucle ?`, '?', 'U+202F'],
    [`le mot ${NNBSP}«${NNBSP}{token} »`, '»', 'U+202F'],
  ])('catches a plain space before the mark in %j', (value, mark, space) => {
    const problems = frenchSpacingProblems(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`plain space before "${mark}"`);
    expect(problems[0]).toContain(space);
  });

  it('catches a plain space after «', () => {
    const problems = frenchSpacingProblems(`le module « {name}${NNBSP}»`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('plain space after "«"');
  });

  it('reports every plain space of a string', () => {
    expect(frenchSpacingProblems('Attendu : « {referent} ».')).toHaveLength(3);
  });

  it('accepts no-break spaces, narrow or not, and marks that are not punctuation', () => {
    for (const ok of [
      `Attendu${NBSP}: «${NNBSP}{referent}${NNBSP}».`,
      `Attendu${NNBSP}: «${NBSP}{referent}${NBSP}».`,
      `une ligne par tête${NNBSP}; Bravo${NNBSP}! Vraiment${NNBSP}?`,
      'Retirez ?backend= de l’adresse pour laisser la page choisir.',
      'https://example.org/a?b=c, 10:30, Ctrl+Z',
      'Chaque ligne a pour somme 1.',
    ]) {
      expect(frenchSpacingProblems(ok), ok).toEqual([]);
    }
  });
});
