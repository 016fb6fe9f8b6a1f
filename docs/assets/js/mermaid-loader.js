/*
 * Self-hosted Mermaid, loaded only when a page actually has a diagram.
 *
 * Material for MkDocs renders `pre.mermaid` blocks through the global `mermaid` object and, when
 * that global is missing, fetches Mermaid from a CDN. This tiny stand-in defines the global so no
 * CDN request is ever made; its first `render` call loads the real, pinned mermaid.min.js from this
 * site and forwards to it. Pages without diagrams never download Mermaid, and instant navigation
 * keeps working because Material calls `render` for each diagram on each page it shows.
 *
 * Most diagrams never need it: the build draws them (hooks/diagrams.py) into a declarative shadow
 * root, `<div class="mermaid" data-diagram="drawn"><template shadowrootmode="open">`. The browser
 * attaches such a root while parsing a page, but not in a page that Material's instant navigation
 * parsed with DOMParser: there the template stays inert, and `attachDrawn` attaches it instead.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  // assets/js/mermaid-loader.js -> assets/vendor/mermaid/mermaid.min.js, relative to this script.
  var src = new URL("../vendor/mermaid/mermaid.min.js", script.src).href;
  var config = null;
  var loading = null;
  var stats = (window.__handbookDiagrams = { rendered: 0, failed: 0, errors: [] });

  function attachDrawn() {
    var templates = document.querySelectorAll('div.mermaid[data-diagram="drawn"] > template[shadowrootmode]');
    for (var i = 0; i < templates.length; i++) {
      var host = templates[i].parentNode;
      if (!host.shadowRoot) host.attachShadow({ mode: "open" }).appendChild(templates[i].content);
      templates[i].remove();
    }
  }
  function watchPages() {
    attachDrawn();
    // Material's observable of page switches (instant navigation); it exists once its bundle ran.
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(attachDrawn);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchPages, { once: true });
  else watchPages();

  function loadReal() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = src;
        tag.onload = function () {
          var real = window.mermaid;
          real.initialize(config || { startOnLoad: false });
          // Mermaid measures each label to size its box: measure in the site's font, not a fallback.
          (document.fonts ? document.fonts.ready : Promise.resolve()).then(function () { resolve(real); });
        };
        tag.onerror = function () { loading = null; reject(new Error("could not load " + src)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  window.mermaid = {
    initialize: function (cfg) { config = cfg; },
    render: function (id, text) {
      return loadReal().then(function (real) {
        // From now on Material talks to the real Mermaid; keep counting renders for the tests.
        var wrapped = real.__handbookWrapped ? real : wrap(real);
        window.mermaid = wrapped;
        return wrapped.render(id, text);
      });
    },
  };

  function wrap(real) {
    var render = real.render.bind(real);
    real.render = function (id, text) {
      return render(id, text).then(
        function (result) { stats.rendered += 1; return result; },
        function (error) { stats.failed += 1; stats.errors.push(String(error && error.message || error)); throw error; }
      );
    };
    real.__handbookWrapped = true;
    return real;
  }
})();
