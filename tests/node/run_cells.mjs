/**
 * Run cells in real Pyodide under Node, through the page's own start-up and run code
 * (docs/assets/cells/python.js) and the library zip the site serves.
 *
 *   node tests/node/run_cells.mjs <jobs.json>
 *
 * jobs.json: {"library": "<path to the zip>", "cells": [{"id": str, "name": str, "source": str}]}
 * Prints one JSON line per cell: {"id", "events", "result", "error", "wall_ms", "cpu_ms"}; events
 * are merged like cellrunner.collect (consecutive text chunks of one stream joined). One Python
 * interpreter runs every cell in order, each in fresh globals, as on a page.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { loadPyodide } = await import(pathToFileURL(resolve(ROOT, "node_modules/pyodide/pyodide.mjs")).href);
const { startPython, runCell } = await import(pathToFileURL(resolve(ROOT, "docs/assets/cells/python.js")).href);
const { LIMITS } = await import(pathToFileURL(resolve(ROOT, "docs/assets/cells/protocol.js")).href);

const jobs = JSON.parse(readFileSync(process.argv[2], "utf8"));
const started = performance.now();
const python = await startPython({
  loadPyodide,
  indexURL: resolve(ROOT, "node_modules/pyodide") + "/",
  library: Promise.resolve(new Uint8Array(readFileSync(jobs.library))),
});
process.stdout.write(JSON.stringify({ id: "__start__", python: python.python, wall_ms: performance.now() - started }) + "\n");

for (const cell of jobs.cells) {
  const events = [];
  const emit = (kind, data) => {
    const last = events[events.length - 1];
    if ((kind === "stdout" || kind === "stderr") && last && last.kind === kind) last.data.text += data.text;
    else events.push({ kind, data });
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let result = null;
  let error = null;
  try {
    result = runCell(python, { source: cell.source, name: cell.name, maxLines: LIMITS.maxLines, maxChars: LIMITS.maxChars }, emit);
  } catch (e) {
    error = String((e && e.stack) || e);
  }
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({
    id: cell.id, events, result, error,
    wall_ms: performance.now() - t0, cpu_ms: (cpu.user + cpu.system) / 1000,
  }) + "\n");
}
