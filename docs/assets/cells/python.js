/**
 * Start Python (Pyodide) with the handbook's library, and run one cell.
 *
 * Shared by the page's worker (worker.js), the Node test runner and the build (which makes the
 * memory snapshot here), so all start Python and run cells the same way: the library zip built
 * with the site is put on `sys.path` and cells run through the `cellrunner` package, exactly as at
 * build time. Python starts from a memory snapshot when the site has one (a restore takes a
 * fraction of a plain start), and the plain way whenever the snapshot cannot be used.
 */

// The zip is imported from directly (zipimport): no unpacking, and only the modules used compile.
const LIBRARY_ZIP = "/lib/handbook.zip";
// Started either way, Python ends up the same: the library first on sys.path, no bytecode files.
const PRELUDE = `
import sys
sys.path.insert(0, ${JSON.stringify(LIBRARY_ZIP)})
sys.dont_write_bytecode = True
import cellrunner.bridge, mlsd, mlsd.show
`;
// Hash seed fixed as at build time; no packages: cells use the standard library and our zip.
const OPTIONS = { env: { PYTHONHASHSEED: "0" }, packages: [] };

/**
 * The name a memory snapshot is made and checked under: the library zip it was made with and the
 * Pyodide build that made it. A snapshot only restores into that exact pair.
 */
export function snapshotKey(libraryName, pyodideVersion) {
  return `${libraryName}|pyodide-${pyodideVersion}`;
}

async function writeLibrary(py, library) {
  const zip = await library;
  py.FS.mkdirTree("/lib");
  py.FS.writeFile(LIBRARY_ZIP, zip instanceof Uint8Array ? zip : new Uint8Array(zip));
}

function ready(py, how, fallback = null) {
  const runJson = py.pyimport("cellrunner.bridge").run_json;
  return { py, runJson, python: py.runPython("import sys; sys.version.split()[0]"), how, fallback };
}

async function plainStart({ loadPyodide, indexURL, library, onStage }) {
  onStage("download", "Downloading Python");
  const py = await loadPyodide({ indexURL, ...OPTIONS });
  onStage("library", "Loading the handbook library");
  await writeLibrary(py, library);
  py.runPython(PRELUDE);
  return py;
}

/**
 * Restore Python from a memory snapshot made by makeSnapshot(). Memory is restored, files are
 * not: the library zip is written again at the same path, so modules not imported before the
 * snapshot still import from it (zipimport's cached directory of the zip stays valid, as the
 * snapshot key names the exact zip). Throws if the snapshot is not the one `key` names.
 */
async function restore({ loadPyodide, indexURL, library, snapshot, onStage }) {
  onStage("download", "Restoring Python");
  const py = await loadPyodide({ indexURL, ...OPTIONS, _loadSnapshot: snapshot.bytes });
  const made = py.runPython("import sys; getattr(sys, '_handbook_snapshot', None)");
  if (made !== snapshot.key) throw new Error(`the snapshot was made for ${made}, not ${snapshot.key}`);
  onStage("library", "Loading the handbook library");
  await writeLibrary(py, library);
  return py;
}

/**
 * Start Python with the handbook's library: from a memory snapshot when one is given and it
 * restores, else (and after any failure of the snapshot: download, decompression, restore, key)
 * the plain way. The result says which (`how`: "snapshot" | "plain") and why a snapshot was not
 * used (`fallback`: null, or the error's message).
 *
 * @param {object} options
 * @param {(opts: object) => Promise<any>} options.loadPyodide  Pyodide's loader
 * @param {string} options.indexURL  where pyodide.asm.wasm & co. live
 * @param {Promise<ArrayBuffer|Uint8Array>} options.library  the zip with mlsd, casestudies and cellrunner
 * @param {{bytes: Promise<Uint8Array>, key: string}} [options.snapshot]  a memory snapshot and its key
 * @param {(stage: string, text: string) => void} [options.onStage]  progress
 */
export async function startPython({ loadPyodide, indexURL, library, snapshot = null, onStage = () => {} }) {
  let fallback = null;
  if (snapshot) {
    // A failed download must end as a fallback, not as an unhandled rejection (which the worker
    // treats as a broken start) while Pyodide is still busy before it awaits the bytes.
    Promise.resolve(snapshot.bytes).catch(() => {});
    try {
      return ready(await restore({ loadPyodide, indexURL, library, snapshot, onStage }), "snapshot");
    } catch (error) {
      fallback = String((error && error.message) || error);
    }
  }
  return ready(await plainStart({ loadPyodide, indexURL, library, onStage }), "plain", fallback);
}

/**
 * Start Python the plain way, import `modules` as well (those a cell may need: names that fail to
 * import are skipped and returned), and return a memory snapshot a later start can restore from,
 * marked with `key` (see snapshotKey). Build time only (Node).
 * @returns {Promise<{bytes: Uint8Array, skipped: string[]}>}
 */
export async function makeSnapshot({ loadPyodide, indexURL, library, key, modules = [] }) {
  const py = await loadPyodide({ indexURL, ...OPTIONS, _makeSnapshot: true });
  await writeLibrary(py, library);
  py.runPython(PRELUDE);
  const scope = py.toPy({ modules, key });
  let skipped;
  try {
    skipped = py.runPython(`
import importlib, sys
skipped = []
for name in modules:
    try:
        importlib.import_module(name)
    except Exception:
        skipped.append(name)
sys._handbook_snapshot = key
",".join(skipped)
`, { globals: scope });
  } finally {
    scope.destroy(); // no proxy may outlive the snapshot
  }
  return { bytes: py.makeMemorySnapshot(), skipped: skipped ? skipped.split(",") : [] };
}

/**
 * Run one cell (output caps: cellrunner's defaults). `emit(kind, data)` gets each event as it
 * happens (synchronously, from Python).
 * @returns {{ok: boolean, seconds: number, lines: number, hidden_lines: number, hidden_chars: number}}
 */
export function runCell(python, { source, name }, emit) {
  const onEvent = (kind, json) => emit(kind, JSON.parse(json));
  return JSON.parse(python.runJson(source, name, onEvent));
}

/**
 * Empty the case studies' memoized builders (`casestudies.memo.release()`), imported only now;
 * a library without that module is fine. Returns how many cached results were dropped.
 */
export function releaseCaches(python) {
  const scope = python.py.toPy({});
  try {
    return python.py.runPython(`
try:
    from casestudies import memo
except ImportError:
    dropped = 0
else:
    dropped = memo.release()
dropped
`, { globals: scope });
  } finally {
    scope.destroy();
  }
}

/** Bytes of WebAssembly memory Python has (the heap grows and never shrinks). */
export function heapBytes(python) {
  return python.py._module.HEAP8.length;
}
