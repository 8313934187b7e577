import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare } from '../../src/playground/share';

/** A promise that must settle: a damaged link may fail, but must not hang the page. */
const settles = <T>(p: Promise<T>, ms = 5000) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not settle')), ms))]);

describe('share links', () => {
  it('round-trips code through the hash', async () => {
    const code = "import * as tf from '@tensorflow/tfjs';\nconsole.log(tf.ones([2]));\n";
    const hash = await encodeShare('embedding', code);
    expect(hash.startsWith('code=embedding.')).toBe(true);
    expect(await decodeShare(hash)).toEqual({ exerciseId: 'embedding', code });
    expect(await decodeShare(`#${hash}`)).toEqual({ exerciseId: 'embedding', code });
  });

  it('keeps unicode exactly: accents, RTL text, CJK, emoji, combining marks, CRLF', async () => {
    const code = "// Experimente: 0 é preenchimento\nconst a = 'مرحبا بالعالم';\nconst b = '猫が座った 你好';\nconst c = '🎉👩🏽‍💻';\nconst d = 'e\u0301';\r\nconst e = '\u202e';\n";
    const hash = await encodeShare('attention', code);
    expect((await decodeShare(hash))?.code).toBe(code);
  });

  it('uses only URL-safe characters and no padding', async () => {
    for (const code of ['', '?', '??>', 'ÿÿÿ', 'x'.repeat(1000), '\u{10ffff}']) {
      const hash = await encodeShare('block', code);
      expect(hash).toMatch(/^code=block\.[A-Za-z0-9_-]+$/);
      expect((await decodeShare(hash))?.code).toBe(code);
    }
  });

  it('compresses and round-trips large code', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `const v${i} = tf.scalar(${i}); // line ${i} — ligne ${i} — 行 ${i}`);
    const code = lines.join('\n');
    const hash = await encodeShare('classifier', code);
    expect(hash.length).toBeLessThan(code.length);
    expect((await decodeShare(hash))?.code).toBe(code);
  });

  it('round-trips incompressible code too', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const code = Array.from({ length: 50_000 }, () => String.fromCodePoint(0x20 + Math.floor(rand() * 0x3000))).join('');
    expect((await decodeShare(await encodeShare('mlm', code)))?.code).toBe(code);
  });

  it('ignores hashes that are not share links', async () => {
    for (const hash of ['', '#', '#embedding', '#code', '#top', '#code=', '#code=embedding', '#code=embedding.', '#code=.abc', '#CODE=embedding.abc']) {
      expect(await decodeShare(hash)).toBeUndefined();
    }
  });

  it('refuses exercise ids and payloads outside their alphabets', async () => {
    const hash = await encodeShare('embedding', 'x');
    const payload = hash.split('.')[1]!;
    expect(await decodeShare(`code=Embedding.${payload}`)).toBeUndefined();
    expect(await decodeShare(`code=../x.${payload}`)).toBeUndefined();
    expect(await decodeShare(`code=embedding.${payload}=`)).toBeUndefined();
    expect(await decodeShare(`code=embedding.${payload}+/`)).toBeUndefined();
    expect(await decodeShare(`code=embedding.${payload}%20`)).toBeUndefined();
  });

  it('turns damaged payloads into undefined: no throw, no hang', async () => {
    const hash = await encodeShare('attention', 'const x = 1;\n'.repeat(50));
    const [head, payload] = [hash.slice(0, hash.indexOf('.') + 1), hash.slice(hash.indexOf('.') + 1)];
    const damaged = [
      payload.slice(0, -5), // truncated (as when a chat app cuts a long link)
      payload.slice(0, 1), // base64 of impossible length
      'AAAAAAAAAAAA', // not deflate data
      '_____________', // invalid deflate block type
      payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11), // one character changed
    ];
    for (const p of damaged) {
      const result = await settles(decodeShare(head + p));
      // A flipped bit can still inflate to *something*; it must then be a string, never a throw.
      expect(result === undefined || typeof result.code === 'string').toBe(true);
    }
    expect(await settles(decodeShare(head + damaged[0]!))).toBeUndefined();
    expect(await settles(decodeShare(head + damaged[2]!))).toBeUndefined();
  });

  it('refuses a payload that inflates to invalid UTF-8 rather than showing mojibake', async () => {
    const bytes = new Uint8Array([0x63, 0x6f, 0xff, 0xfe, 0x80]); // 'co' + bytes no UTF-8 text contains
    const packed = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const b64 = btoa(String.fromCharCode(...packed)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(await decodeShare(`code=embedding.${b64}`)).toBeUndefined();
  });
});
