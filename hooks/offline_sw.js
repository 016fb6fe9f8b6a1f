/**
 * The handbook's service worker: every page visited once reads again without a network.
 *
 * Written into the built site as /sw.js by hooks/offline.py, which fills in the build's id, the
 * Pyodide version and the runtime's files. Each build has its own cache; when a new build's worker
 * activates it deletes the others, so a page never mixes files from two builds. Pyodide's files
 * live in a cache of their own, named after the Pyodide version, so a new build of the text does
 * not download Python again.
 *
 * - Pages and the site's own files: network first (a reader online always gets the current build),
 *   the cached copy when the network fails.
 * - Files whose name changes with their content (Pyodide, the library zip, the snapshot, Material's
 *   hashed bundles): cache first, they never change under the same name.
 * - The page tells the worker what it loaded before the worker controlled it (the first visit), and
 *   that Python is ready (then the worker keeps the runtime's files, from the browser's HTTP cache).
 */
const BUILD = "__BUILD__";
const PYODIDE = "__PYODIDE__";
const RUNTIME_FILES = __RUNTIME_FILES__; // relative to the scope: what a Run needs
const PAGES = `handbook-${BUILD}`;
const PYTHON = `handbook-pyodide-${PYODIDE}`;
const SCOPE = new URL(self.registration.scope);
const PYODIDE_PATH = new URL("assets/vendor/pyodide/", SCOPE).pathname;
const IMMUTABLE = /\/assets\/vendor\/pyodide\/|\/assets\/py\/handbook-[0-9a-f]{16}\.|\.[0-9a-f]{8}\.min\.(js|css)$/;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("handbook-") && name !== PAGES && name !== PYTHON) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function inScope(url) {
  return url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname) && !url.pathname.endsWith("/sw.js");
}

function cacheName(url) {
  return url.pathname.startsWith(PYODIDE_PATH) ? PYTHON : PAGES;
}

/** Only whole, successful, same-origin answers are kept (no 404 page, no partial content). */
function keepable(response) {
  return response.ok && response.status === 200 && response.type === "basic";
}

async function networkFirst(request, url) {
  const cache = await caches.open(cacheName(url));
  try {
    const response = await fetch(request);
    if (keepable(response)) await cache.put(url.href.split("#")[0], response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw error;
  }
}

async function cacheFirst(request, url) {
  const cache = await caches.open(cacheName(url));
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(url.href, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (!inScope(url)) return;
  event.respondWith(IMMUTABLE.test(url.pathname) ? cacheFirst(request, url) : networkFirst(request, url));
});

/** Keep files the page already has (they come from the HTTP cache, so this costs no download). */
async function keep(urls) {
  for (const href of urls) {
    const url = new URL(href, SCOPE);
    if (!inScope(url)) continue;
    const key = url.href.split("#")[0];
    const cache = await caches.open(cacheName(url));
    if (await cache.match(key, { ignoreSearch: true })) continue;
    try {
      const response = await fetch(key);
      if (keepable(response)) await cache.put(key, response);
    } catch {
      // Offline or gone: the next visit online keeps it.
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) event.waitUntil(keep(data.urls));
  else if (data.type === "python-ready") event.waitUntil(keep(RUNTIME_FILES));
  else if (data.type === "build" && event.source) event.source.postMessage({ type: "build", build: BUILD });
});
