// Vite's `?url` imports (the WASM binaries), typed without pulling in vite/client.
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
