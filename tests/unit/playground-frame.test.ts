import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FRAME_CSP, FRAME_SCRIPT, frameHtml } from '../../src/playground/frame';

/** The sandbox frame's page: its policy allows its one script and nothing that leaves the frame. */
describe('sandbox frame', () => {
  const directives = Object.fromEntries(FRAME_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

  it('allows exactly its own inline script, by hash', () => {
    const hash = `'sha256-${createHash('sha256').update(FRAME_SCRIPT).digest('base64')}'`;
    expect(directives['script-src']).toContain(hash);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(frameHtml()).toContain(`<script>${FRAME_SCRIPT}</script>`);
  });

  it('reaches no origin: every source is none, blob: or an eval keyword', () => {
    expect(directives['default-src']).toEqual(["'none'"]);
    for (const [name, sources] of Object.entries(directives)) {
      for (const s of sources as string[]) expect(`${name} ${s}`).toMatch(/ ('none'|blob:|'unsafe-eval'|'wasm-unsafe-eval'|'sha256-[A-Za-z0-9+/=]+')$/);
    }
  });

  it('puts the policy before the script', () => {
    const html = frameHtml();
    expect(html.indexOf('content-security-policy')).toBeLessThan(html.indexOf('<script>'));
  });
});
