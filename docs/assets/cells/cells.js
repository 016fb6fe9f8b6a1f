/**
 * Entry point, loaded on every page as an async module in the head (the build bundles it with its
 * imports into cells.bundle.js).
 *
 * One signal starts Python: the build writes `<meta name="handbook-cells" content="<library zip>">`
 * into the head of every page that has cells (overrides/main.html), and nowhere else. This module
 * runs while the page is still being parsed, reads the signal and starts the Python worker at once:
 * Python takes seconds to load, and the reader may press Run as soon as the first cell shows.
 * Material's instant navigation swaps the head's meta tags, so each page it shows is read the same
 * way; the worker, once started, lives for the whole visit. The editors follow once Python is
 * ready (so the two do not compete for the CPU), or at once when the reader reaches for the code.
 * Each mounts when its cell comes into view, not all together. An editor mounted off screen
 * cannot measure its lines, so CodeMirror guesses their heights (from default sizes, often twice
 * the real ones) and corrects them when the reader scrolls there: the page moved by up to 760 px
 * under the reader's pointer. Mounted in view, it measures before it is first drawn, and the
 * highlighted code it replaces is laid out like it (cells.css), so nothing moves. And mounting a
 * long page's editors in one go held the main thread for about a quarter of a second.
 *
 * The warm-up can be switched off before the page's scripts run, with
 * `window.__handbookCellsOptions = { warmUp: false }` (the site and accessibility tests do, as they
 * look at the DOM, not at Python): then nothing loads until the reader presses Run or clicks
 * into the code. `{ snapshot: false }` starts Python the plain way instead of from the build's
 * memory snapshot.
 */
import { runtime } from "./runtime.js";

const EDITOR_URL = new URL("./editor.bundle.js", import.meta.url).href;
let editorModule = null;
let mounted = [];
let shown = 0; // which page Material showed last: a mount that an instant navigation overtook stops
let inView = null; // the IntersectionObserver that mounts the editors of the page shown

function loadEditor() {
  editorModule ||= import(EDITOR_URL).catch((error) => { editorModule = null; throw error; });
  return editorModule;
}

/** Mount these cells' editors now, then the others as they come into view. */
function mountEditors(cells = []) {
  const page = shown;
  loadEditor().then((mod) => {
    if (page !== shown) return;
    cells.forEach((cell) => cell.mountEditor(mod.createEditor));
    if (inView) return;
    const byRoot = new Map(mounted.map((cell) => [cell.root, cell]));
    inView = new IntersectionObserver((entries, observer) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        byRoot.get(entry.target).mountEditor(mod.createEditor);
      }
    });
    for (const cell of mounted) if (!cell.editor) inView.observe(cell.root);
  }).catch(() => { /* the highlighted code stays; Run still works */ });
}

function warmUpAllowed() {
  const options = window.__handbookCellsOptions;
  return !(options && options.warmUp === false);
}

/** The build's signal: the library of a page with cells, or null on a page without cells. */
function signal() {
  const meta = document.head.querySelector('meta[name="handbook-cells"]');
  return meta ? meta.content : null;
}

/** Read the signal; on a page with cells, start Python (once per visit). */
function warmUp() {
  const library = signal();
  if (!library) return false;
  const options = window.__handbookCellsOptions;
  // Run needs the library even when the warm-up is off; tests and benchmarks may turn the
  // snapshot off to measure or check the plain start.
  runtime.configure({ library, snapshot: !(options && options.snapshot === false) });
  if (!warmUpAllowed()) return false;
  if (runtime.state === "off") {
    performance.mark("cells:warmup");
    runtime.start().catch(() => {});
  }
  return true;
}

async function mountPage() {
  const page = ++shown;
  for (const cell of mounted) cell.destroy();
  mounted = [];
  if (inView) inView.disconnect();
  inView = null;
  const warming = warmUp();
  const roots = document.querySelectorAll(".cell[data-cell]");
  if (roots.length) {
    const { Cell } = await import("./cell.js");
    if (page !== shown) return;
    mounted = Array.from(roots, (root) => new Cell(root, runtime));
    // A saved edit must be visible at once; a reader reaching for the code gets the editor now.
    const edited = mounted.filter((cell) => cell.edited);
    if (edited.length) mountEditors(edited);
    for (const cell of mounted) {
      const reach = () => mountEditors([cell]);
      cell.code.addEventListener("pointerdown", reach, { once: true });
      cell.code.addEventListener("focusin", reach, { once: true });
    }
    if (warming) runtime.ready.then(() => mountEditors(), () => mountEditors());
  }
  // Which page the runtime has taken in (tests wait for this before checking what it loaded).
  window.__handbookCells = { runtime, cells: mounted, url: location.href };
}

// Mount on every page Material shows: its document$ replays the current page to late subscribers
// and emits again after each instant navigation. It exists once Material's bundle has run, which
// is before DOMContentLoaded (the bundle is a plain script at the end of the body).
function followPages() {
  if (window.document$) window.document$.subscribe(() => { mountPage(); });
  else mountPage();
}

warmUp();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", followPages, { once: true });
else followPages();
