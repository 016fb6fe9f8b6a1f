/**
 * Offline reading: register the site's service worker (sw.js, written by the build, see
 * hooks/offline.py) once the page has loaded, and tell it what this page loaded, so that the page
 * opens again without a network. When Python is ready (the cells runtime says so), the worker also
 * keeps Python's files, so cells run offline too.
 *
 * The worker is registered after `load`: it never competes with the page's own downloads.
 */
(function () {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var script = document.currentScript;
  var worker = new URL("../../sw.js", script.src);

  function loaded() {
    var urls = [location.href.split("#")[0]];
    performance.getEntriesByType("resource").forEach(function (entry) { urls.push(entry.name); });
    return urls;
  }

  function tell(message) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker.href).then(function () {
      tell({ type: "keep", urls: loaded() });
    }).catch(function () { /* no offline reading; the site works as before */ });
  });
  // Material's instant navigation: each page shown is kept too (it came through the worker
  // already when the worker controls the page; this covers the first visit).
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.document$) return;
    window.document$.subscribe(function () {
      if (navigator.serviceWorker.controller) tell({ type: "keep", urls: loaded() });
    });
  });
  var pythonReady = false;
  window.addEventListener("handbook:python-ready", function () {
    pythonReady = true;
    tell({ type: "python-ready" });
  });
  // A new build's worker took over (it deleted the old build's cache): keep this page, and the
  // runtime if Python has loaded, in the new cache too.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    tell({ type: "keep", urls: loaded() });
    if (pythonReady) tell({ type: "python-ready" });
  });
})();
