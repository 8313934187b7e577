/**
 * Takes away what learner code must not have: the network, storage, other workers, and ways to
 * compile strings into code (which would reach `import()` around the transpiler's refusal).
 * Runs once per worker, after tfjs and its backends (and the WASM binary) are loaded. Names are
 * deleted from the global object AND every prototype on its chain (WorkerGlobalScope.prototype
 * holds fetch, importScripts, indexedDB, caches), then checked gone; a name that survives makes
 * the worker refuse to run anything.
 */
export const REMOVED = [
  'fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'WebTransport', 'EventSource',
  'indexedDB', 'caches', 'importScripts', 'BroadcastChannel', 'Worker', 'SharedWorker',
  'localStorage', 'sessionStorage', 'cookieStore', 'close',
] as const;

function removeEverywhere(root: object, name: string): void {
  for (let o: object | null = root; o; o = Object.getPrototypeOf(o)) {
    if (!Object.prototype.hasOwnProperty.call(o, name)) continue;
    if (!Reflect.deleteProperty(o, name)) {
      Object.defineProperty(o, name, { value: undefined, writable: false, configurable: false });
    }
  }
}

/** Returns the names still reachable (empty: locked down). */
export function lockDown(g: typeof globalThis = globalThis): string[] {
  for (const name of REMOVED) removeEverywhere(g, name);
  // Origin storage reachable through navigator (the origin-private file system).
  const nav = (g as { navigator?: object }).navigator;
  if (nav) removeEverywhere(nav, 'storage');

  const refuse = (what: string) =>
    function blocked() {
      throw new EvalError(`${what} is not available in the exercise sandbox`);
    };
  // Constructors of every function kind, so `(async () => {}).constructor('…')` is closed too.
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const f of kinds) {
    const proto = Object.getPrototypeOf(f) as { constructor: unknown };
    const stub = refuse('Compiling code from strings');
    stub.prototype = (proto.constructor as { prototype: unknown }).prototype as never;
    Object.defineProperty(proto, 'constructor', { value: stub, writable: false, configurable: false });
  }
  const fnStub = Object.getPrototypeOf(function () {}).constructor as unknown;
  Object.defineProperty(g, 'Function', { value: fnStub, writable: false, configurable: false });
  Object.defineProperty(g, 'eval', { value: refuse('eval'), writable: false, configurable: false });
  // setTimeout('code') compiles a string too.
  for (const timer of ['setTimeout', 'setInterval'] as const) {
    const original = g[timer].bind(g) as (...a: unknown[]) => number;
    const safe = (handler: unknown, ...rest: unknown[]) => {
      if (typeof handler !== 'function') throw new EvalError(`${timer} needs a function, not a string`);
      return original(handler, ...rest);
    };
    Object.defineProperty(g, timer, { value: safe, writable: false, configurable: false });
  }
  return REMOVED.filter((name) => typeof (g as Record<string, unknown>)[name] !== 'undefined');
}
