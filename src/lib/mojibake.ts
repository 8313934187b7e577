/**
 * Mojibake: UTF-8 bytes that were decoded with a single-byte encoding, so `ç` (C3 A7) shows up as
 * `Ã§` (windows-1252 / Latin-1) or `√ß` (Mac Roman). Pure TypeScript (TextDecoder only), so the
 * build, the CLI (scripts/fix-encoding.ts) and browser tests can share it.
 *
 * Detection is deliberately strict, because clean text in French, German, Spanish or Portuguese is
 * full of the same characters (`É…`, `„Fuß“`, `l’été`, `—É verdade`):
 * 1. the characters must map back to one complete, valid UTF-8 sequence (lead byte plus exactly
 *    the right number of continuation bytes; no overlong forms, surrogates or > U+10FFFF);
 * 2. the decoded character must be plausible in real text (a list of scripts and symbol blocks,
 *    never unassigned, private-use or control characters);
 * 3. a 2-byte sequence that also reads as ordinary text (a dash or quote before a letter, a
 *    capital before closing punctuation, two capitals) only counts when the same text holds
 *    unambiguous mojibake of the same encoding, or when it touches another sequence.
 */

/** The single-byte encodings whose misreading of UTF-8 we detect. `windows-1252` also covers
 * ISO-8859-1 (Latin-1), whose bytes 0x80-0x9F become C1 control characters. */
export type MojibakeEncoding = 'windows-1252' | 'macintosh';

export const MOJIBAKE_ENCODINGS: readonly MojibakeEncoding[] = ['windows-1252', 'macintosh'];

export interface MojibakeFinding {
  /** UTF-16 offset of the first garbled character. */
  index: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** The garbled text, one or more adjacent sequences (`√ß√£`). */
  snippet: string;
  /** What the snippet should have been (`çã`). */
  fixed: string;
  /** The encoding the UTF-8 bytes were wrongly read as. */
  encoding: MojibakeEncoding;
}

/** Character → byte for bytes 0x80-0xFF of an encoding (ASCII maps to itself and is not stored). */
type ByteTable = ReadonlyMap<string, number>;

const tables = new Map<MojibakeEncoding, ByteTable>();

/** Built from the platform's own decoder, so no hand-typed table can be wrong. */
function byteTable(encoding: MojibakeEncoding): ByteTable {
  let table = tables.get(encoding);
  if (table) return table;
  const decoder = new TextDecoder(encoding);
  const map = new Map<string, number>();
  for (let b = 0x80; b <= 0xff; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if (ch !== '\uFFFD' && !map.has(ch)) map.set(ch, b);
  }
  if (encoding === 'windows-1252') {
    // Latin-1 decodes 0x80-0x9F to C1 controls; windows-1252 already does so for its five holes.
    for (let b = 0x80; b <= 0x9f; b++) {
      const ch = String.fromCharCode(b);
      if (!map.has(ch)) map.set(ch, b);
    }
  }
  table = map;
  tables.set(encoding, table);
  return table;
}

/** Inclusive code point ranges that real text plausibly contains. */
const PLAUSIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00a0, 0x017f], // Latin-1 Supplement, Latin Extended-A
  [0x0192, 0x0192], // ƒ
  [0x01a0, 0x01b0], // Vietnamese ơ ư
  [0x01cd, 0x01dc], // pinyin tone marks
  [0x0218, 0x021b], // Romanian ș ț
  [0x02bb, 0x02bc], // ʻ ʼ
  [0x02c6, 0x02c7], // ˆ ˇ
  [0x02d8, 0x02dd], // ˘ ˙ ˚ ˛ ˜ ˝
  [0x0384, 0x03ce], // Greek
  [0x0400, 0x04ff], // Cyrillic
  [0x0531, 0x058a], // Armenian
  [0x05b0, 0x05f4], // Hebrew
  [0x0600, 0x06ff], // Arabic
  [0x0900, 0x0dff], // Indic scripts
  [0x0e00, 0x0e7f], // Thai
  [0x10a0, 0x10ff], // Georgian
  [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese)
  [0x2000, 0x206f], // General Punctuation (incl. ZWJ for emoji sequences)
  [0x20a0, 0x20cf], // currency
  [0x2100, 0x2bff], // letterlike, arrows, maths, technical, boxes, shapes, dingbats
  [0x3000, 0x9fff], // CJK punctuation, kana, CJK ideographs
  [0xac00, 0xd7a3], // Hangul
  [0xf900, 0xfaff], // CJK compatibility
  [0xfe00, 0xfe0f], // variation selectors (emoji presentation)
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xffef], // half/full-width forms
  [0x1d400, 0x1d7ff], // mathematical alphanumerics
  [0x1f000, 0x1faff], // emoji and pictographs
  [0x20000, 0x3134f], // CJK extensions
  [0xe0020, 0xe007f], // tag characters (flag sequences)
];

/** Combining marks that decomposed (NFD) Latin text uses; only plausible after a letter. */
const PLAUSIBLE_COMBINING: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x0308],
  [0x030a, 0x030c],
  [0x0327, 0x0328],
];

const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>) =>
  ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

const NOT_TEXT = /[\p{Cn}\p{Co}\p{Cs}\p{Cc}]/u;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const PUNCT_OR_SPACE = /[\p{P}\p{Zs}]/u;

function plausible(cp: number, before: string | undefined): boolean {
  const ch = String.fromCodePoint(cp);
  if (NOT_TEXT.test(ch)) return false;
  if (inRanges(cp, PLAUSIBLE)) return true;
  return inRanges(cp, PLAUSIBLE_COMBINING) && before !== undefined && LETTER.test(before);
}

/** Continuation bytes needed after a lead byte, or 0 when it cannot start a sequence. */
function continuationCount(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return 0;
}

/** The code point of a complete sequence, or null when it is overlong, a surrogate or too big. */
function decodeSequence(bytes: readonly number[]): number | null {
  const [b0, b1] = bytes;
  if (bytes.slice(1).some((b) => b < 0x80 || b > 0xbf)) return null;
  if (bytes.length === 2) return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  if (bytes.length === 3) {
    if (b0 === 0xe0 && b1 < 0xa0) return null; // overlong
    if (b0 === 0xed && b1 > 0x9f) return null; // surrogate
    return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (bytes[2] & 0x3f);
  }
  if (b0 === 0xf0 && b1 < 0x90) return null; // overlong
  if (b0 === 0xf4 && b1 > 0x8f) return null; // > U+10FFFF
  return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((bytes[2] & 0x3f) << 6) | (bytes[3] & 0x3f);
}

interface Sequence {
  start: number;
  end: number;
  decoded: string;
  /** Also reads as ordinary text; needs corroboration. */
  ambiguous: boolean;
}

/** A 2-byte sequence that clean text could contain: `—É`, `’é`, `É…`, `Ã»`, `ÚŠ`. */
function looksLikeText(lead: string, cont: string, after: string | undefined): boolean {
  if (PUNCT_OR_SPACE.test(lead) && LETTER.test(cont)) return true;
  if (LETTER.test(lead) && PUNCT_OR_SPACE.test(cont)) return !after || !LETTER_OR_DIGIT.test(after);
  return UPPER.test(lead) && UPPER.test(cont);
}

function scan(text: string, encoding: MojibakeEncoding): Sequence[] {
  const table = byteTable(encoding);
  const found: Sequence[] = [];
  let i = 0;
  while (i < text.length) {
    const lead = table.get(text[i]);
    const n = lead === undefined ? 0 : continuationCount(lead);
    if (n > 0 && i + n < text.length) {
      const bytes = [lead as number];
      for (let k = 1; k <= n; k++) {
        const b = table.get(text[i + k]);
        if (b === undefined) break;
        bytes.push(b);
      }
      const cp = bytes.length === n + 1 ? decodeSequence(bytes) : null;
      if (cp !== null && plausible(cp, text[i - 1])) {
        // A combining mark right after a lower-case letter is NFD text, not two capitals.
        const nfd = inRanges(cp, PLAUSIBLE_COMBINING) && LOWER.test(text[i - 1] ?? '');
        const ambiguous =
          !nfd &&
          (n === 1
            ? looksLikeText(text[i], text[i + 1], text[i + 2])
            : // A letter then only spaces/punctuation: French «l'été »» reads é NBSP » as 頻.
              LETTER.test(text[i]) && [...text.slice(i + 1, i + n + 1)].every((c) => PUNCT_OR_SPACE.test(c)));
        found.push({ start: i, end: i + n + 1, decoded: String.fromCodePoint(cp), ambiguous });
        i += n + 1;
        continue;
      }
    }
    i++;
  }
  return found;
}

/** The sequences of one encoding that survive the corroboration rule (3. in the header). */
function confirmed(text: string, encoding: MojibakeEncoding): Sequence[] {
  const all = scan(text, encoding);
  const anyStrong = all.some((s) => !s.ambiguous);
  return all.filter(
    (s, k) =>
      !s.ambiguous ||
      anyStrong ||
      all[k - 1]?.end === s.start ||
      all[k + 1]?.start === s.end,
  );
}

/** The encoding UTF-8 was misread as, or null when the text shows no mojibake. */
export function detectMojibakeEncoding(text: string): MojibakeEncoding | null {
  let best: MojibakeEncoding | null = null;
  let bestChars = 0;
  for (const encoding of MOJIBAKE_ENCODINGS) {
    const chars = confirmed(text, encoding).reduce((sum, s) => sum + (s.end - s.start), 0);
    if (chars > bestChars) [best, bestChars] = [encoding, chars];
  }
  return best;
}

/** Adjacent sequences merged into findings, with line and column. */
function toFindings(text: string, seqs: Sequence[], encoding: MojibakeEncoding): MojibakeFinding[] {
  const findings: MojibakeFinding[] = [];
  let line = 1;
  let lineStart = 0;
  let pos = 0;
  for (let k = 0; k < seqs.length; k++) {
    let last = k;
    while (seqs[last + 1]?.start === seqs[last].end) last++;
    const start = seqs[k].start;
    for (; pos < start; pos++) {
      if (text[pos] === '\n') [line, lineStart] = [line + 1, pos + 1];
    }
    findings.push({
      index: start,
      line,
      column: start - lineStart + 1,
      snippet: text.slice(start, seqs[last].end),
      fixed: seqs.slice(k, last + 1).map((s) => s.decoded).join(''),
      encoding,
    });
    k = last;
  }
  return findings;
}

/**
 * Every run of mojibake in `text`, in order. Where both encodings claim the same characters, the
 * one that explains more of the text wins.
 */
export function findMojibake(text: string): MojibakeFinding[] {
  const primary = detectMojibakeEncoding(text);
  if (!primary) return [];
  const mine = confirmed(text, primary);
  const other = MOJIBAKE_ENCODINGS.find((e) => e !== primary) as MojibakeEncoding;
  const free = confirmed(text, other).filter(
    (s) => !mine.some((m) => s.start < m.end && m.start < s.end),
  );
  return [...toFindings(text, mine, primary), ...toFindings(text, free, other)].sort(
    (a, b) => a.index - b.index,
  );
}

/** `text` with the mojibake of `encoding` decoded back to what the UTF-8 bytes meant. */
export function repairMojibake(text: string, encoding: MojibakeEncoding): string {
  let out = '';
  let pos = 0;
  for (const s of confirmed(text, encoding)) {
    out += text.slice(pos, s.start) + s.decoded;
    pos = s.end;
  }
  return out + text.slice(pos);
}
