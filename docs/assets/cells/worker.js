/**
 * The Python worker: Pyodide runs here, never on the page's main thread.
 *
 * It answers the messages of protocol.js. Output is batched: events collected while Python runs
 * are posted at most every ~25 ms (and once at the end), so a chatty program sends a few hundred
 * messages, not one per print. The text cap itself is applied in Python (cellrunner), so a print
 * flood costs the page nothing beyond the capped output.
 */
import { loadPyodide, version } from "../vendor/pyodide/pyodide.mjs"; // fetched with this module: no extra round trip
import { FROM_WORKER, TO_WORKER, mergeEvent, message } from "./protocol.js";
import { heapBytes, releaseCaches, runCell, snapshotKey, startPython } from "./python.js";

const FLUSH_MS = 25;
let python = null;
// The page the last cell ran on, and what releasing the case studies' caches has done so far.
let lastPage = null;
const released = { releases: 0, dropped: 0 };

function post(type, id, payload) {
  self.postMessage(message(type, id, payload));
}

/**
 * Pyodide does not reject when its WebAssembly cannot be fetched or compiled: it logs
 * "wasm instantiation failed!" and waits forever. Watch for that (and for unhandled rejections
 * while starting), so a blocked or broken download becomes a clear failure with Retry.
 */
function watchStartFailures() {
  let reject;
  const failed = new Promise((_, r) => { reject = r; });
  const warn = console.warn;
  let instantiationFailed = false;
  console.warn = (...args) => {
    const text = args.map(String).join(" ");
    if (instantiationFailed) {
      reject(new Error(`Python (pyodide.asm.wasm) could not be loaded: ${text}`));
    } else if (text.includes("wasm instantiation failed")) {
      instantiationFailed = true;
      queueMicrotask(() => queueMicrotask(() => reject(new Error("Python (pyodide.asm.wasm) could not be loaded"))));
    }
    warn.apply(console, args);
  };
  const onRejection = (event) => {
    event.preventDefault();
    const reason = (event.reason && event.reason.message) || String(event.reason);
    reject(new Error(`a file of the Python runtime could not be downloaded (${reason})`));
  };
  self.addEventListener("unhandledrejection", onRejection);
  const stop = () => {
    console.warn = warn;
    self.removeEventListener("unhandledrejection", onRejection);
  };
  return { failed, stop };
}

/**
 * The memory snapshot the build made for this library and this Pyodide build (its name says
 * which, see hooks/cells_assets.py), fetched and decompressed here: it is a gzip file served as
 * it is, so no server-side compression is assumed. A server that labels it Content-Encoding gzip
 * has the browser decompress it already; the gzip magic number tells the two cases apart.
 */
function snapshotFor(libraryURL) {
  const url = libraryURL.replace(/\.zip$/, `.pyodide-${version}.snap.gz`);
  const library = decodeURIComponent(new URL(libraryURL).pathname.split("/").pop());
  const bytes = fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const data = new Uint8Array(await response.arrayBuffer());
    if (data[0] !== 0x1f || data[1] !== 0x8b) return data;
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  });
  return { bytes, key: snapshotKey(library, version) };
}

async function init(id, { indexURL, libraryURL, snapshot }) {
  // Fetch the library (and the snapshot) while Pyodide downloads and compiles.
  const library = fetch(libraryURL).then((response) => {
    if (!response.ok) throw new Error(`${libraryURL}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  library.catch(() => {}); // reported below, through startPython
  const started = performance.now();
  const watch = watchStartFailures();
  try {
    python = await Promise.race([
      startPython({
        loadPyodide, indexURL, library,
        snapshot: snapshot === false ? null : snapshotFor(libraryURL),
        onStage: (stage, text) => post(FROM_WORKER.PROGRESS, id, { stage, text }),
      }),
      watch.failed,
    ]);
    post(FROM_WORKER.READY, id, {
      python: python.python, ms: performance.now() - started, how: python.how, fallback: python.fallback,
    });
  } catch (error) {
    post(FROM_WORKER.FAILED, id, { message: String((error && error.message) || error) });
  } finally {
    watch.stop();
  }
}

/** A cell of another page: let go of the previous page's case-study data and models first. */
function enterPage(page) {
  if (lastPage !== null && page !== lastPage) {
    released.releases += 1;
    released.dropped += releaseCaches(python);
  }
  lastPage = page;
}

function run(id, { source, name, page }) {
  let batch = [];
  let last = performance.now();
  const flush = () => {
    if (batch.length) post(FROM_WORKER.OUTPUT, id, { events: batch });
    batch = [];
    last = performance.now();
  };
  let errorType = null;
  const emit = (kind, data) => {
    if (kind === "error") errorType = data.type;
    mergeEvent(batch, kind, data);
    if (performance.now() - last >= FLUSH_MS) flush();
  };
  let result = null;
  let error = null;
  try {
    enterPage(page);
    result = runCell(python, { source, name }, emit);
  } catch (e) {
    // Python itself broke (e.g. WebAssembly ran out of memory): this worker must be replaced.
    error = String((e && e.message) || e);
  }
  flush();
  // After a MemoryError the heap may stay grown or fragmented: start afresh to be safe.
  post(FROM_WORKER.DONE, id, { result, error, restart: error !== null || errorType === "MemoryError" });
}

self.onmessage = (event) => {
  const { type, id, payload } = event.data;
  if (type === TO_WORKER.INIT) {
    init(id, payload);
  } else if (type === TO_WORKER.RUN) {
    if (!python) {
      post(FROM_WORKER.DONE, id, { result: null, error: "Python is not ready", restart: true });
      return;
    }
    run(id, payload);
  } else if (type === TO_WORKER.MEMORY) {
    post(FROM_WORKER.HEAP, id, { bytes: python ? heapBytes(python) : 0, ...released });
  }
};
