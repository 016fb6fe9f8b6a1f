/**
 * Entry point (loaded on every page, a few hundred bytes of work on pages without cells).
 *
 * On each page Material shows — the first one and every instant navigation — it mounts the cells,
 * then warms up in the background: the Python worker and the editor start loading when the page
 * is idle or a cell scrolls into view. The runtime itself outlives page switches.
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

function warmUp() {
  if (!mounted.length || !mounted[0].root.isConnected) return;
  if (runtime.state === "off") runtime.start().catch(() => {});
  const cells = mounted;
  loadEditor().then((mod) => cells.forEach((cell) => cell.mountEditor(mod.createEditor)))
    .catch(() => { /* the highlighted code stays; Run still works */ });
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
  // A saved edit must be visible at once: those cells get their editor right away.
  if (mounted.some((cell) => cell.edited)) warmUp();
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  // Both triggers wait for a quiet moment, so the page itself always loads first.
  idle(warmUp, { timeout: 4000 });
  observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) { observer.disconnect(); idle(warmUp, { timeout: 500 }); }
  });
  roots.forEach((root) => observer.observe(root));
  window.__handbookCells = { runtime, cells: mounted };
}

if (window.document$) window.document$.subscribe(() => { mountPage(); });
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountPage);
else mountPage();
