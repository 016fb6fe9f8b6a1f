/*
 * Fetch the search index when the reader reaches for search, not on every page load.
 *
 * Material's bundle requests search/search_index.json (about half a megabyte, the largest file a
 * page loads) as soon as a page opens. This script, loaded before the bundle, holds that one
 * request back until the reader focuses or opens the search box or presses one of Material's
 * search keys (s, f, /); then it is sent and search works as before, after a short
 * "Initializing search". A page opened with a search query (?q=) sends it at once.
 * Measured by benchmarks/cells_startup.py (bytes before the first Run). `window.__handbookSearch`
 * says how many index requests are held and whether they were let go (the tests read it).
 */
(function () {
  var INDEX = /\/search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var wanted = /[?&]q=/.test(location.search);
  var held = [];
  var state = (window.__handbookSearch = { held: 0, sent: wanted });

  XMLHttpRequest.prototype.open = function (method, url) {
    this.handbookSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.handbookSearchIndex && !wanted) {
      held.push([this, arguments]);
      state.held += 1;
      return;
    }
    return send.apply(this, arguments);
  };

  function want() {
    if (wanted) return;
    wanted = true;
    state.sent = true;
    held.splice(0).forEach(function (request) { send.apply(request[0], request[1]); });
  }
  function inSearch(target) {
    return target instanceof Element && target.closest('.md-search, label[for="__search"]');
  }
  document.addEventListener("focusin", function (event) { if (inSearch(event.target)) want(); }, true);
  document.addEventListener("pointerdown", function (event) { if (inSearch(event.target)) want(); }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search") want();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (["s", "S", "f", "F", "/"].indexOf(event.key) !== -1) want();
  }, true);
})();
