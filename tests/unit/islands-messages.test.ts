import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/ui/en.json';
import { t, type UIKey } from '../../src/lib/i18n';
import { LIVE_FIGURES } from '../../src/islands/live/registry';
import { backendBadge, errorMessage } from '../../src/islands/live/shared/messages';

const tr = (tag: string) => (key: string, params?: Record<string, string | number>) => t(tag, `island.${key}` as UIKey, params);

describe('engine errors as localized sentences', () => {
  it('fills the params of the error code', () => {
    expect(errorMessage(tr('en'), { code: 'heads-not-divisor', params: { dModel: 30, heads: 4 } })).toBe(
      'd_model 30 cannot be split into 4 heads: choose a number of heads that divides it.',
    );
    expect(errorMessage(tr('pt-BR'), { code: 'nan-loss', params: { step: 12 } })).toContain('passo 12');
    // After a rollback the sentence says which step the model went back to, in every locale.
    expect(errorMessage(tr('en'), { code: 'nan-loss', params: { step: 40, restoredStep: 30 } })).toBe(
      'Training diverged at step 40 (the loss is not a number), so the model went back to step 30, its last good state. Reset and try a smaller learning rate.',
    );
    for (const tag of ['ar', 'de', 'es', 'fr', 'ja', 'pt-BR', 'zh-CN']) {
      const s = errorMessage(tr(tag), { code: 'nan-loss', params: { step: 40, restoredStep: 30 } });
      expect(s).toContain('40');
      expect(s).toContain('30');
      expect(s).not.toMatch(/[{}]/);
    }
    expect(errorMessage(tr('en'), { code: 'out-of-memory', params: { backend: 'webgl', detail: 'x', restoredStep: 2 } })).toBe(
      'WebGL ran out of memory. Reset and try a smaller model.',
    );
    expect(errorMessage(tr('en'), { code: 'backend-unavailable', params: { backend: 'webgpu', reason: 'no-adapter' } })).toMatch(/^WebGPU cannot start/);
  });

  it('unknown codes and non-engine errors read as the generic message', () => {
    expect(errorMessage(tr('en'), new Error('boom'))).toBe(en['island.error.internal']);
    expect(errorMessage(tr('en'), { code: 'unknown-task', params: {} })).toBe(en['island.error.internal']);
  });
});

describe('backend badge', () => {
  it('says which backend runs and why', () => {
    expect(backendBadge(tr('en'), { backend: 'webgpu', reason: 'preferred', skipped: [], detail: '' })).toEqual({ label: 'Runs on WebGPU', fallback: false });
    expect(backendBadge(tr('en'), { backend: 'cpu', reason: 'forced', skipped: [], detail: '' }).label).toContain('?backend=');
    const b = backendBadge(tr('en'), { backend: 'webgl', reason: 'fallback', skipped: [{ backend: 'webgpu', reason: 'no-adapter', detail: '' }], detail: '' });
    expect(b).toEqual({ label: 'Runs on WebGL (fallback: no WebGPU adapter on this device)', fallback: true });
  });
});

describe('island UI keys', () => {
  it('every island.* key the islands use exists in the source locale', () => {
    const dir = path.resolve('src/islands/live');
    const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? files(path.join(d, n)) : [path.join(d, n)]));
    // Every island (a folder with an island.ts), and the code they all share.
    const islands = readdirSync(dir).filter((n) => existsSync(path.join(dir, n, 'island.ts')));
    expect(islands.length, 'island folders found').toBeGreaterThanOrEqual(6);
    // The registry lists exactly these folders (bootstrap.ts loads nothing else).
    expect([...Object.values(LIVE_FIGURES)].sort()).toEqual([...islands].sort());
    for (const n of readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory())) {
      expect(n === 'shared' || islands.includes(n), `${n}/ is an island (island.ts) or shared/`).toBe(true);
    }
    const used = new Set<string>();
    const mine = [path.join(dir, 'bootstrap.ts'), ...['shared', ...islands].flatMap((d) => files(path.join(dir, d)))];
    for (const f of mine.filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z.]+)'/g)) used.add(`island.${m[1]}`);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
