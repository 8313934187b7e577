// "/" sends the reader to their language: the one they picked before (saved by the language
// picker), else the first of navigator.languages the site has (exact tag, then base language),
// else the default. Without JS the page is a plain list of languages. The list of locales comes
// from the page itself (data-locales), so it never drifts from i18n/locales.ts.
(function () {
  var root = document.documentElement;
  var list = JSON.parse(root.getAttribute('data-locales') || '[]');
  var fallback = root.getAttribute('data-default-locale');
  var byTag = {};
  list.forEach(function (l) { byTag[l.tag.toLowerCase()] = l.slug; });
  var pick = null;
  try {
    // Key and JSON format as written by src/lib/storage.ts (storageKey('locale', 1)).
    var saved = JSON.parse(localStorage.getItem('atencao-transformers:locale:v1'));
    if (typeof saved === 'string' && byTag[saved.toLowerCase()]) pick = byTag[saved.toLowerCase()];
  } catch (e) {}
  var langs = navigator.languages || [navigator.language];
  for (var i = 0; !pick && i < langs.length; i++) {
    var want = String(langs[i]).toLowerCase();
    if (byTag[want]) { pick = byTag[want]; break; }
    var lang = want.split('-')[0];
    for (var tag in byTag) {
      if (tag === lang || tag.split('-')[0] === lang) { pick = byTag[tag]; break; }
    }
  }
  if (!pick && fallback) pick = byTag[fallback.toLowerCase()];
  // Under a base path (a project page), the language folders are there: data-base says where.
  var base = root.getAttribute('data-base') || '/';
  if (pick) location.replace(base + pick + '/' + location.search + location.hash);
})();
