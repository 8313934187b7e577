import { describe, expect, it } from 'vitest';
import { localeTags } from '../../i18n/locales';
import { t, type UIKey } from '../../src/lib/i18n';
import { backendBadge } from '../../src/islands/live/shared/messages';
import { formatters } from '../../src/islands/live/shared/format';
import type { BackendInfo } from '../../src/worker/protocol';

const tr = (tag: string) => (key: string, params?: Record<string, string | number>) => t(tag, `island.${key}` as UIKey, params);

const MEASURED: BackendInfo = {
  backend: 'wasm', reason: 'measured', skipped: [], detail: '',
  timings: [
    { backend: 'wasm', msPerStep: 11.2 },
    { backend: 'webgl', msPerStep: 14.4 },
    { backend: 'webgpu', skipped: 'too-slow', atLeastMs: 300, budgetMs: 2000, steps: 15 },
    { backend: 'cpu', skipped: 'failed', detail: 'boom' },
  ],
};

describe('the backend badge says what runs and why, measured', () => {
  it('names the winner, its time a step, and every other candidate', () => {
    const { label, fallback } = backendBadge(tr('en'), MEASURED, formatters('en').rate);
    expect(label).toBe('WebAssembly: fastest measured on this device, 11 ms a step (WebGL 14 ms, WebGPU: fewer than 15 steps in 2 s, CPU failed while being measured)');
    expect(fallback).toBe(false);
  });
  it('a remembered verdict says it was measured before; a starter says measuring', () => {
    expect(backendBadge(tr('en'), { ...MEASURED, reason: 'remembered' }).label).toMatch(/^WebAssembly: fastest when last measured on this device/);
    expect(backendBadge(tr('en'), { backend: 'wasm', reason: 'starter', skipped: [], detail: '' }).label).toBe('Runs on WebAssembly: it starts fast');
    expect(backendBadge(tr('en'), { backend: 'wasm', reason: 'starter', skipped: [], detail: '', measuring: true }).label).toMatch(/measured on this model/);
    // Forced stays forced, even while a measurement result exists.
    expect(backendBadge(tr('en'), { ...MEASURED, reason: 'forced' }).label).toContain('?backend=');
  });
  it('every locale fills every placeholder, with numbers in its own format', () => {
    for (const tag of localeTags) {
      const fmt = formatters(tag).rate;
      for (const info of [MEASURED, { ...MEASURED, reason: 'remembered' as const }, { ...MEASURED, reason: 'starter' as const, timings: undefined, measuring: true }]) {
        const { label } = backendBadge(tr(tag), info, fmt);
        expect(label, `${tag} ${info.reason}`).not.toMatch(/[{}]/);
        expect(label).toContain('WebAssembly');
      }
      expect(backendBadge(tr(tag), { ...MEASURED, timings: [{ backend: 'wasm', msPerStep: 5.25 }] }, fmt).label).toContain(fmt(5.3));
    }
  });
});
