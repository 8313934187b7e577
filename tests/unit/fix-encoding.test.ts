import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, planRepair } from '../../scripts/fix-encoding';
import { findMojibake } from '../../src/lib/mojibake';

/**
 * A few paragraphs of the project's seed translation as it arrived: UTF-8 read as Mac Roman
 * ("Aten√ß√£o"), emoji headings included ("‚úçÔ∏è", "üöÄ"). Copied byte for byte; never repair it.
 */
const SEED = new URL('../fixtures/fix-encoding/transformers.pt-BR.seed-excerpt.md', import.meta.url);

describe('planRepair', () => {
  it('repairs the Mac Roman seed cleanly', () => {
    const seed = readFileSync(SEED, 'utf8');
    expect(findMojibake(seed), 'the fixture is still damaged').not.toEqual([]);
    const plan = planRepair(seed);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.encoding).toBe('macintosh');
    expect(plan.repaired).toContain('# Mecanismos de Atenção e Transformers');
    expect(plan.repaired).toContain('## 🚀 Desafio');
    expect(plan.repaired).toContain('## ✍️ Exercícios: Transformers');
    expect(plan.repaired).not.toMatch(/[√‚Ô∏]/);
    expect(findMojibake(plan.repaired)).toEqual([]);
  });

  it('repairs UTF-8 read as Latin-1 (C1 controls included)', () => {
    const latin1 = String.fromCharCode(...new TextEncoder().encode('“Atenção” é tudo — não?'));
    const plan = planRepair(latin1);
    expect(plan).toMatchObject({ ok: true, encoding: 'windows-1252', repaired: '“Atenção” é tudo — não?' });
  });

  it('refuses clean text', () => {
    expect(planRepair('Atenção: « Ça coûte cher », ¿Qué? ÜBER')).toMatchObject({ ok: false });
  });

  it('refuses text garbled twice, which one pass cannot repair', () => {
    const once = new TextDecoder('windows-1252').decode(new TextEncoder().encode('Atenção'));
    const twice = new TextDecoder('windows-1252').decode(new TextEncoder().encode(once));
    const plan = planRepair(twice);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.reason).toMatch(/not be clean/);
  });

  it('refuses text garbled in two encodings', () => {
    expect(planRepair('AtenÃ§Ã£o e tradu√ß√£o')).toMatchObject({ ok: false });
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fix-encoding-'));
  const quiet = <T>(fn: () => T): T => {
    const error = console.error;
    console.error = () => {};
    try {
      return fn();
    } finally {
      console.error = error;
    }
  };

  it('writes the repaired file with --out and leaves the input alone', () => {
    const input = join(dir, 'in.md');
    const output = join(dir, 'out.md');
    writeFileSync(input, 'Tradu√ß√£o autom√°tica');
    expect(quiet(() => main([input, '--out', output]))).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('Tradução automática');
    expect(readFileSync(input, 'utf8')).toBe('Tradu√ß√£o autom√°tica');
  });

  it('repairs in place with --write', () => {
    const file = join(dir, 'inplace.md');
    writeFileSync(file, 'donâ€™t');
    expect(quiet(() => main([file, '--write']))).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('don’t');
  });

  it('exits 1 with a clear message on clean text, and 2 on bad usage', () => {
    const file = join(dir, 'clean.md');
    writeFileSync(file, 'Atenção é tudo.');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/fix-encoding.ts', file], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refused: no mojibake/);
    expect(readFileSync(file, 'utf8')).toBe('Atenção é tudo.');
    expect(quiet(() => main([]))).toBe(2);
    expect(quiet(() => main([file, '--write', '--out', 'x']))).toBe(2);
  });

  it('prints what it changed and the repaired text', () => {
    const file = join(dir, 'print.md');
    writeFileSync(file, 'Aten√ß√£o');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/fix-encoding.ts', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout).toBe('Atenção');
  });
});
