/**
 * Repairs a UTF-8 file whose text went through a wrong decoding once: UTF-8 bytes read as
 * windows-1252 / Latin-1 (`AtenÃ§Ã£o`) or Mac Roman (`Aten√ß√£o`).
 *
 *   npm run i18n:fix-encoding -- <file>             report, and print the repaired text
 *   npm run i18n:fix-encoding -- <file> --write     repair the file in place
 *   npm run i18n:fix-encoding -- <file> --out F     write the repaired text to F
 *
 * It refuses (exit 1) text with no mojibake, and text whose repair would not be clean (mojibake
 * left over, e.g. text garbled twice or in two encodings): a half-repaired file is harder to fix
 * than the original. Exit 2 is a usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  detectMojibakeEncoding,
  findMojibake,
  repairMojibake,
  type MojibakeEncoding,
  type MojibakeFinding,
} from '../src/lib/mojibake';

const ENCODING_NAMES: Record<MojibakeEncoding, string> = {
  'windows-1252': 'windows-1252 / Latin-1',
  macintosh: 'Mac Roman',
};

export type RepairPlan =
  | { ok: true; encoding: MojibakeEncoding; repaired: string; findings: MojibakeFinding[] }
  | { ok: false; reason: string };

/** What repairing `text` would do, or why it must not be done. */
export function planRepair(text: string): RepairPlan {
  const findings = findMojibake(text);
  const encoding = detectMojibakeEncoding(text);
  if (!encoding || findings.length === 0) {
    return { ok: false, reason: 'no mojibake found: nothing to repair' };
  }
  const repaired = repairMojibake(text, encoding);
  const left = findMojibake(repaired);
  if (left.length > 0) {
    const where = left.slice(0, 3).map((f) => `${f.line}:${f.column} "${f.snippet}"`);
    return {
      ok: false,
      reason:
        `repair would not be clean: after undoing ${ENCODING_NAMES[encoding]}, ` +
        `${left.length} run(s) of mojibake remain (${where.join(', ')})`,
    };
  }
  const count = (s: string) => s.split('\uFFFD').length - 1;
  if (count(repaired) > count(text)) {
    return { ok: false, reason: 'repair would not be clean: it introduces U+FFFD' };
  }
  return { ok: true, encoding, repaired, findings: findings.filter((f) => f.encoding === encoding) };
}

/** A few human lines: how many runs, which replacements, a few places. */
export function describe(file: string, plan: Extract<RepairPlan, { ok: true }>): string {
  const { findings, encoding } = plan;
  const chars = findings.reduce((n, f) => n + [...f.fixed].length, 0);
  const lines = new Set(findings.map((f) => f.line)).size;
  const byPair = new Map<string, number>();
  for (const f of findings) {
    const key = `"${f.snippet}" → "${f.fixed}"`;
    byPair.set(key, (byPair.get(key) ?? 0) + 1);
  }
  const common = [...byPair].sort((a, b) => b[1] - a[1]).slice(0, 6);
  return [
    `${file}: UTF-8 read as ${ENCODING_NAMES[encoding]}`,
    `  ${findings.length} run(s) on ${lines} line(s), ${chars} character(s) restored`,
    `  most frequent: ${common.map(([k, n]) => `${k} ×${n}`).join(', ')}`,
    ...findings.slice(0, 3).map((f) => `  e.g. ${file}:${f.line}:${f.column} "${f.snippet}" → "${f.fixed}"`),
  ].join('\n');
}

const USAGE = 'usage: tsx scripts/fix-encoding.ts <file> [--write | --out <file>]';

export function main(argv: string[]): number {
  let write = false;
  let out: string | undefined;
  const files: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--write') write = true;
    else if (a === '--out') out = argv[++k] ?? '';
    else if (a.startsWith('--')) files.length = 99; // unknown flag: usage error below
    else files.push(a);
  }
  if (files.length !== 1 || out === '' || (write && out)) {
    console.error(USAGE);
    return 2;
  }
  const [file] = files;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (e) {
    const why = e instanceof TypeError ? 'it is not valid UTF-8' : String((e as Error).message);
    console.error(`${file}: cannot read: ${why}`);
    return 1;
  }
  const plan = planRepair(text);
  if (!plan.ok) {
    console.error(`${file}: refused: ${plan.reason}`);
    return 1;
  }
  console.error(describe(file, plan));
  if (write || out) {
    writeFileSync(out ?? file, plan.repaired);
    console.error(`  wrote ${out ?? file}`);
  } else {
    process.stdout.write(plan.repaired);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
