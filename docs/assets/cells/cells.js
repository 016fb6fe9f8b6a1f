/**
 * Entry point, loaded on every page (the build bundles it with its imports into cells.bundle.js;
 * on a page without cells it only looks for cells).
 *
 * On each page Material shows — the first one and every instant navigation — it mounts the cells,
 * then warms up in the background: the Python worker starts when the page is idle or a cell
 * scrolls into view (on the first page, as soon as the parser has put an on-screen cell there); the editor follows once Python is ready (so the two do not compete for the
 * CPU), or at once when the reader reaches for the code. The runtime outlives page switches.
 */
import { runtime } from "./runtime.js";

const EDITOR_URL = new URL("./editor.bundle.js", import.meta.url).href;
let editorModule = null;
let mounted = [];
let observer = null;

function loadEditor() {
  editorModule ||= import(EDITOR_URL).catch((error) => { editorModule = null; throw error; });
  return editorModule;
}

function mountEditors() {
  const cells = mounted;
  loadEditor().then((mod) => cells.forEach((cell) => cell.mountEditor(mod.createEditor)))
    .catch(() => { /* the highlighted code stays; Run still works */ });
}

function startPython() {
  if (!performance.getEntriesByName("cells:warmup").length) performance.mark("cells:warmup");
  if (runtime.state === "off") runtime.start().catch(() => {});
}

function warmUp() {
  if (!mounted.length || !mounted[0].root.isConnected) return;
  startPython();
  const ready = runtime.ready || Promise.resolve();
  ready.then(mountEditors, mountEditors);
}

async function mountPage() {
  for (const cell of mounted) cell.destroy();
  mounted = [];
  if (observer) observer.disconnect();
  const roots = document.querySelectorAll(".cell[data-cell]");
  if (!roots.length) return;
  const { Cell } = await import("./cell.js");
  runtime.configure({ library: roots[0].dataset.cellLib });
  mounted = Array.from(roots, (root) => new Cell(root, runtime));
  // A saved edit must be visible at once; a reader reaching for the code gets the editor now.
  if (mounted.some((cell) => cell.edited)) mountEditors();
  for (const cell of mounted) {
    cell.code.addEventListener("pointerdown", mountEditors, { once: true });
    cell.code.addEventListener("focusin", mountEditors, { once: true });
  }
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  // Either trigger starts Python: the page going idle, or a cell being on screen (at once: the
  // reader may press Run any moment, and Python takes seconds to load in the worker).
  idle(warmUp, { timeout: 4000 });
  observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) { observer.disconnect(); warmUp(); }
  });
  roots.forEach((root) => observer.observe(root));
  window.__handbookCells = { runtime, cells: mounted };
}

/**
 * The early start. This script is an async module in the head, so it usually runs while the page
 * is still being parsed. Python takes seconds to load, and a reader may press Run as soon as the
 * first cell is on screen: so watch for that cell as the parser adds it, and if it is on screen,
 * start Python then, instead of waiting for the whole page (and Material) to be ready.
 */
function startWhenFirstCellIsSeen() {
  // On screen already? Ask now: an IntersectionObserver would only answer after the first frame,
  // which waits for the rest of the page and Material's bundle. (A cell further down is left to
  // the observer mountPage sets up.)
  const start = (cell) => {
    const box = cell.getBoundingClientRect();
    if (box.top >= window.innerHeight || box.bottom <= 0) return;
    runtime.configure({ library: cell.dataset.cellLib });
    startPython();
  };
  const first = () => document.querySelector(".cell[data-cell]");
  if (first()) return start(first());
  if (document.readyState !== "loading") return;
  const parsing = new MutationObserver(() => {
    const cell = first();
    if (cell) { parsing.disconnect(); start(cell); }
  });
  parsing.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => parsing.disconnect(), { once: true });
}

// Mount on every page Material shows: its document$ replays the current page to late subscribers
// and emits again after each instant navigation. It exists once Material's bundle has run, which
// is before DOMContentLoaded (the bundle is a plain script at the end of the body).
function followPages() {
  if (window.document$) window.document$.subscribe(() => { mountPage(); });
  else mountPage();
}

startWhenFirstCellIsSeen();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", followPages, { once: true });
else followPages();
