import { createHash } from 'node:crypto';

/**
 * The sandbox frame (served as /sandbox.html, see src/pages/sandbox.html.ts). The exercises page
 * loads it in <iframe sandbox="allow-scripts">: an opaque origin, so no storage and no cookies,
 * and in Chromium with site isolation a process of its own (an out-of-memory kills the frame,
 * not the tab). Its CSP allows no request at all; the only script is the one below (by hash),
 * plus blob: URLs it creates itself. It loads nothing from the site (an opaque origin would need
 * CORS headers static hosts do not send): the page posts the runner's code as a string, and the
 * frame starts it as a worker from a blob: URL, handing it the page's MessagePort. A classic
 * worker: Chromium 156 refuses a module worker from a blob: URL in an opaque origin (measured:
 * an error event with no message), and the runner bundles have no import or export anyway. From
 * then on the worker and the page talk directly; the frame only answers the page's heartbeat, so
 * the page knows it is alive. A dedicated worker (not code run in the frame itself) keeps a
 * frame that shares the page's process (browsers without that isolation) from freezing the page,
 * and the page can always end a run by removing the frame, which ends its worker.
 *
 * Page -> frame: {type:'ping', n} · {type:'start', code} + [port]. Frame -> page: {type:'loaded'} ·
 * {type:'pong', n} · {type:'worker-error', message}.
 */
export const FRAME_SCRIPT = `(() => {
  const page = window.parent;
  let started = false;
  addEventListener('message', (e) => {
    const m = e.data;
    if (e.source !== page || !m) return;
    if (m.type === 'ping') page.postMessage({ type: 'pong', n: m.n }, '*');
    else if (m.type === 'start' && !started && typeof m.code === 'string' && e.ports[0]) {
      started = true;
      const url = URL.createObjectURL(new Blob([m.code], { type: 'text/javascript' }));
      const worker = new Worker(url, { name: 'exercise' });
      worker.onerror = (ev) => {
        ev.preventDefault();
        page.postMessage({ type: 'worker-error', message: String(ev.message || 'the runner did not start') }, '*');
      };
      worker.postMessage('connect', [e.ports[0]]);
    }
  });
  page.postMessage({ type: 'loaded' }, '*');
})();`;

const hash = `sha256-${createHash('sha256').update(FRAME_SCRIPT).digest('base64')}`;

/**
 * 'unsafe-eval': the runner compiles the learner's code (lockdown.ts takes the compilers away
 * before that code runs). 'wasm-unsafe-eval': the WASM backend. connect-src blob: lets tfjs read
 * the WASM binary from the worker's own blob: URL; nothing else is reachable.
 */
export const FRAME_CSP = [
  "default-src 'none'",
  `script-src '${hash}' blob: 'unsafe-eval' 'wasm-unsafe-eval'`,
  'worker-src blob:',
  'connect-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function frameHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="content-security-policy" content="${FRAME_CSP}">
<meta name="robots" content="noindex">
<title>Exercise sandbox</title>
</head>
<body>
<script>${FRAME_SCRIPT}</script>
</body>
</html>
`;
}
