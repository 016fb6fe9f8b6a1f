/**
 * The one contract between the page and the Python worker.
 *
 * Every message is `{ type, id, payload }`: `type` says what it is, `id` ties replies to the request
 * that caused them (a run, or the start-up), and `payload` carries the data — never mixed into the
 * message itself. Only the types below exist; `message()` refuses anything else.
 *
 *   page -> worker
 *     init      { indexURL: string, libraryURL: string }         start Python, load the library
 *     run       { source: string, name: string }                 run one cell
 *   worker -> page
 *     progress  { stage: "download" | "python" | "library", text: string }
 *     ready     { python: string, ms: number }                   reply to init
 *     failed    { message: string }                              init failed (e.g. a file blocked)
 *     output    { events: Array<{kind: string, data: object}> }  a batch of a run's events
 *     done      { result: RunResult | null, error: string | null, restart: boolean }
 *
 * Run events are those of the Python package `cellrunner` (stdout, stderr, table, chart, truncated,
 * error). `restart: true` asks the page to replace the worker (after MemoryError, or a crash).
 *
 * @typedef {{ok: boolean, seconds: number, lines: number, hidden_lines: number, hidden_chars: number}} RunResult
 */

export const TO_WORKER = Object.freeze({ INIT: "init", RUN: "run" });
export const FROM_WORKER = Object.freeze({
  PROGRESS: "progress", READY: "ready", FAILED: "failed", OUTPUT: "output", DONE: "done",
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

/** Output caps, shared by the worker and the page (the worker enforces them in Python). */
export const LIMITS = Object.freeze({ maxLines: 2000, maxChars: 200000 });

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
