// Runs in <head> before first paint so a reader's chosen theme never flashes the other one.
// Kept tiny and dependency-free; its SHA-256 is allowed by the CSP (astro.config.mjs).
(function () {
  try {
    // Key and JSON format as written by src/lib/storage.ts (storageKey('theme', 1)).
    var t = JSON.parse(localStorage.getItem('atencao-transformers:theme:v1'));
    if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
  } catch (e) {}
  document.documentElement.classList.add('js');
})();
