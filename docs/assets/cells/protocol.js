/**
 * The one contract between the page and the Python worker, and the outcomes a run can have.
 *
 * Every message is `{ type, id, payload }`: `type` says what it is, `id` ties replies to the request
 * that caused them (a run, the start-up, a memory reading), and `payload` carries the data — never
 * mixed into the message itself. Only the types below exist; `message()` refuses anything else.
 *
 *   page -> worker
 *     init      { indexURL: string, libraryURL: string }         start Python, load the library
 *     run       { source: string, name: string, page: string }   run one cell of page `page`
 *     memory    {}                                               how big is the WebAssembly heap?
 *   worker -> page
 *     progress  { stage: "download" | "python" | "library", text: string }
 *     ready     { python: string, ms: number, how: "snapshot" | "plain",
 *                 fallback: string | null }                       reply to init (how Python started;
 *                                                                 why not from the snapshot)
 *     failed    { message: string }                              init failed (e.g. a file blocked)
 *     output    { events: Array<{kind: string, data: object}> }  a batch of a run's events
 *     done      { result: RunResult | null, error: string | null, restart: boolean }
 *     heap      { bytes: number, releases: number, dropped: number }  reply to memory
 *
 * Run events are those of the Python package `cellrunner` (stdout, stderr, table, chart, truncated,
 * error); output caps are cellrunner's defaults. `restart: true` asks the page to replace the worker
 * (after MemoryError, or a crash).
 *
 * One interpreter serves the whole visit. When a cell runs on a different page than the previous
 * run, the worker first empties the case studies' memoized data and models
 * (`casestudies.memo.release()`), so the heap holds one case study's working set, not all of them.
 * `heap` reports the heap's size (`bytes`: it only grows), how many releases happened and how many
 * cached results they dropped.
 *
 * @typedef {{ok: boolean, seconds: number, lines: number, hidden_lines: number, hidden_chars: number}} RunResult
 */

export const TO_WORKER = Object.freeze({ INIT: "init", RUN: "run", MEMORY: "memory" });
export const FROM_WORKER = Object.freeze({
  PROGRESS: "progress", READY: "ready", FAILED: "failed", OUTPUT: "output", DONE: "done", HEAP: "heap",
});

/**
 * How a run ends, as the page's runtime reports it to a cell: `{ status, result, error }`.
 *
 *   done        the program ran; `result.ok` says whether it raised
 *   stopped     the reader pressed Stop (or left the page) before it finished
 *   crashed     Python itself broke while running it (`error`); a fresh worker is starting
 *   unavailable Python could not be loaded (`error`), so nothing ran; the build's output stays
 */
export const RUN_STATUS = Object.freeze({
  DONE: "done", STOPPED: "stopped", CRASHED: "crashed", UNAVAILABLE: "unavailable",
});

const KNOWN = new Set([...Object.values(TO_WORKER), ...Object.values(FROM_WORKER)]);

/**
 * Build a protocol message.
 * @param {string} type one of TO_WORKER / FROM_WORKER
 * @param {number} id the request this message belongs to
 * @param {object} payload the data for this type (see the table above)
 */
export function message(type, id, payload) {
  if (!KNOWN.has(type)) throw new TypeError(`unknown message type ${JSON.stringify(type)}`);
  if (!Number.isInteger(id)) throw new TypeError(`message id must be an integer, got ${id}`);
  if (payload === null || typeof payload !== "object") throw new TypeError(`${type}: payload must be an object`);
  return { type, id, payload };
}

/**
 * Add one run event to `events`, joining it to the last one when both are text of the same stream
 * (stdout or stderr): what the reader sees does not depend on how the program's writes were cut
 * into chunks. The same rule as Python's `cellrunner.merge_event`.
 * @param {Array<{kind: string, data: object}>} events
 * @param {string} kind
 * @param {object} data
 */
export function mergeEvent(events, kind, data) {
  const last = events[events.length - 1];
  if ((kind === "stdout" || kind === "stderr") && last && last.kind === kind) {
    last.data = { text: last.data.text + data.text };
  } else {
    events.push({ kind, data });
  }
  return events;
}
