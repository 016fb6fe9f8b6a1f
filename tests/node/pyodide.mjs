/**
 * The one way tests and benchmarks run Python in Pyodide under Node: the page's own start-up code
 * (`startPython` in docs/assets/cells/python.js — the pinned npm Pyodide, the fixed hash seed) and
 * the library zip the site serves (mlsd, casestudies, cellrunner). Use it through
 * tests/node/node_pyodide.py, which builds the zip and reads the results.
 *
 *   node tests/node/pyodide.mjs <job.json>
 *
 * job.json has "library" (the zip's path), optionally "snapshot": {"path", "key"} (a gzipped memory
 * snapshot, see hooks/cells_snapshot.mjs, to start from as the page does), and one of:
 *   "cells": [{"id", "name", "source"}]   run each cell through cellrunner, as a page does, in one
 *       interpreter, each in fresh globals (or, with "fresh": true, each in a new interpreter). Prints one JSON line first,
 *       {"id": "__start__", "python", "how", "fallback", "wall_ms"}, then one per cell: {"id", "events", "result",
 *       "error", "wall_ms", "cpu_ms"}, events merged by protocol.js's mergeEvent.
 *   "program": path, "out": path | null, "files": [path]   run a whole program with the library
 *       importable and each file copied to /data/; the value of its last expression (a string,
 *       e.g. json.dumps(...)) is written to "out". What it prints goes to stdout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const load = (path) => import(pathToFileURL(resolve(ROOT, path)).href);
const { loadPyodide } = await load("node_modules/pyodide/pyodide.mjs");
const { startPython, runCell } = await load("docs/assets/cells/python.js");
const { mergeEvent } = await load("docs/assets/cells/protocol.js");

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (typeof job.library !== "string") throw new TypeError("job.library must be the path of the library zip");
const started = performance.now();
// Read when a start awaits it, so a missing file is a failed snapshot (the fallback), as in a page.
const snapshotBytes = job.snapshot ? Promise.resolve().then(() => gunzipSync(readFileSync(job.snapshot.path))) : null;
const libraryBytes = new Uint8Array(readFileSync(job.library));
const start = () => startPython({
  loadPyodide,
  indexURL: resolve(ROOT, "node_modules/pyodide") + "/",
  library: Promise.resolve(libraryBytes),
  snapshot: job.snapshot ? { key: job.snapshot.key, bytes: snapshotBytes } : null,
});
let python = await start();

if (Array.isArray(job.cells)) {
  process.stdout.write(JSON.stringify({ id: "__start__", python: python.python, how: python.how, fallback: python.fallback, wall_ms: performance.now() - started }) + "\n");
  for (const [i, cell] of job.cells.entries()) {
    // "fresh": every cell in a new interpreter, as if it were the first cell a reader runs.
    if (job.fresh && i > 0) python = await start();
    const events = [];
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let result = null;
    let error = null;
    try {
      result = runCell(python, { source: cell.source, name: cell.name }, (kind, data) => mergeEvent(events, kind, data));
    } catch (e) {
      error = String((e && e.stack) || e);
    }
    const cpu = process.cpuUsage(c0);
    process.stdout.write(JSON.stringify({
      id: cell.id, events, result, error,
      wall_ms: performance.now() - t0, cpu_ms: (cpu.user + cpu.system) / 1000,
    }) + "\n");
  }
} else if (typeof job.program === "string") {
  const { py } = python;
  py.FS.mkdirTree("/data");
  for (const file of job.files || []) py.FS.writeFile(`/data/${basename(file)}`, readFileSync(file));
  let value;
  try {
    value = py.runPython(readFileSync(job.program, "utf8"));
  } catch (e) {
    // A Python error's message is its traceback; the JavaScript stack around it says nothing.
    console.error(String((e && e.message) || e));
    process.exit(1);
  }
  if (job.out && value !== undefined) writeFileSync(job.out, String(value));
} else {
  throw new TypeError('job.json needs "cells" (a list) or "program" (a path)');
}
