/**
 * French typography in UI strings. French sets a space before the high punctuation marks and
 * inside guillemets; a plain space there lets a browser wrap the mark onto a line of its own
 * ("Attendu" | ": …"). The content files use no-break spaces; these checks keep the UI strings
 * (i18n/ui/fr.json) the same:
 *   before ; ! ?   U+202F NARROW NO-BREAK SPACE
 *   before :       U+00A0 NO-BREAK SPACE
 *   inside « »     U+202F (U+00A0 is accepted too)
 */

const NAMES: Record<string, string> = {
  ':': 'a no-break space (U+00A0)',
  ';': 'a narrow no-break space (U+202F)',
  '!': 'a narrow no-break space (U+202F)',
  '?': 'a narrow no-break space (U+202F)',
  '»': 'a narrow no-break space (U+202F)',
};

/**
 * A mark counts as punctuation when the text goes on with a space, a closing mark or nothing:
 * "?backend=" in "Retirez ?backend= de l’adresse" is a URL parameter, not a question mark.
 */
const BEFORE = /(?<= )([:;!?])(?=$|[\s\u00a0\u202f»)\]"”’.,…])|(?<= )(»)/g;
const AFTER = /«(?= )/g;

/** What is wrong with the spacing of one French string (empty: nothing). */
export function frenchSpacingProblems(value: string): string[] {
  const problems: string[] = [];
  for (const m of value.matchAll(BEFORE)) {
    const mark = m[1] ?? m[2]!;
    problems.push(`plain space before "${mark}" (…${excerpt(value, m.index!)}…); French sets ${NAMES[mark]} there, so the mark can't wrap onto a line of its own`);
  }
  for (const m of value.matchAll(AFTER)) {
    problems.push(`plain space after "«" (…${excerpt(value, m.index!)}…); French sets a narrow no-break space (U+202F) inside guillemets`);
  }
  return problems;
}

function excerpt(value: string, at: number): string {
  return value.slice(Math.max(0, at - 12), at + 4);
}
