/**
 * Share links: the code travels in the URL's hash as base64url(deflate-raw(utf-8)), so it never
 * reaches a server log and a typical exercise fits in a couple of kilobytes of URL.
 * `#code=<exercise id>.<payload>`.
 */
const PREFIX = 'code=';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function encodeShare(exerciseId: string, code: string): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(code), new CompressionStream('deflate-raw'));
  return `${PREFIX}${exerciseId}.${toBase64url(packed)}`;
}

/** The exercise id and code in a hash (with or without '#'), or undefined when it is not a share link or is damaged. */
export async function decodeShare(hash: string): Promise<{ exerciseId: string; code: string } | undefined> {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith(PREFIX)) return undefined;
  const m = /^([a-z0-9-]+)\.([A-Za-z0-9_-]+)$/.exec(h.slice(PREFIX.length));
  if (!m) return undefined;
  try {
    const bytes = await pipe(fromBase64url(m[2]!), new DecompressionStream('deflate-raw'));
    return { exerciseId: m[1]!, code: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return undefined;
  }
}
