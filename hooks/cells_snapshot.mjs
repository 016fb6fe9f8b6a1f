/**
 * Make the memory snapshot the browser restores Python from (see hooks/cells_assets.py).
 *
 *   node hooks/cells_snapshot.mjs <job.json>
 *
 * job.json: {"library": zip path, "key": snapshot key, "modules": [names to import], "out": path}.
 * Writes the snapshot gzip-compressed to "out" (the worker decompresses it itself, so any static
 * host serves it as it is) and prints {"raw", "gzip", "skipped"} as JSON.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const load = (path) => import(pathToFileURL(resolve(ROOT, path)).href);
const { loadPyodide } = await load("node_modules/pyodide/pyodide.mjs");
const { makeSnapshot } = await load("docs/assets/cells/python.js");

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { bytes, skipped } = await makeSnapshot({
  loadPyodide,
  indexURL: resolve(ROOT, "node_modules/pyodide") + "/",
  library: Promise.resolve(new Uint8Array(readFileSync(job.library))),
  key: job.key,
  modules: job.modules,
});
const packed = gzipSync(bytes, { level: 9 });
writeFileSync(job.out, packed);
process.stdout.write(JSON.stringify({ raw: bytes.length, gzip: packed.length, skipped }) + "\n");
