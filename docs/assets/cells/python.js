/**
 * Start Python (Pyodide) with the handbook's library, and run one cell.
 *
 * Shared by the page's worker (worker.js) and the Node test, so both start Python and run
 * cells the same way: the library zip built with the site is put on `sys.path` and cells run
 * through the `cellrunner` package, exactly as at build time.
 */

// The zip is imported from directly (zipimport): no unpacking, and only the modules used compile.
const LIBRARY_ZIP = "/lib/handbook.zip";

/**
 * @param {object} options
 * @param {(opts: object) => Promise<any>} options.loadPyodide  Pyodide's loader
 * @param {string} options.indexURL  where pyodide.asm.wasm & co. live
 * @param {Promise<ArrayBuffer|Uint8Array>} options.library  the zip with mlsd, casestudies and cellrunner
 * @param {(stage: string, text: string) => void} [options.onStage]  progress
 */
export async function startPython({ loadPyodide, indexURL, library, onStage = () => {} }) {
  onStage("download", "Downloading Python");
  // Hash seed fixed as at build time; no packages: cells use the standard library and our zip.
  const py = await loadPyodide({ indexURL, env: { PYTHONHASHSEED: "0" }, packages: [] });
  onStage("library", "Loading the handbook library");
  const zip = await library;
  py.FS.writeFile(LIBRARY_ZIP, zip instanceof Uint8Array ? zip : new Uint8Array(zip));
  py.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(LIBRARY_ZIP)})
sys.dont_write_bytecode = True
import cellrunner.bridge, mlsd, mlsd.show
`);
  const runJson = py.pyimport("cellrunner.bridge").run_json;
  return { py, runJson, python: py.runPython("import sys; sys.version.split()[0]") };
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
