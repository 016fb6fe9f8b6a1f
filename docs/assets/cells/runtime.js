/**
 * The page's side of the Python worker: start it, run cells one at a time, stop, restart.
 *
 * One runtime lives for the whole visit (module scope), so Material's instant navigation keeps
 * the warm interpreter. States: "off" -> "loading" -> "ready" | "failed". Stop terminates the worker
 * (a busy WebAssembly loop cannot be interrupted without cross-origin isolation, which static
 * hosting does not give) and starts a fresh one in the background.
 *
 * Listeners get `change` events (detail: {state, text}) to show progress and failures. Runs end
 * with one of protocol.js's RUN_STATUS values.
 */
import { FROM_WORKER, RUN_STATUS, TO_WORKER, message } from "./protocol.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);
const PYODIDE_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const LIBRARY_DIR = new URL("../py/", import.meta.url);

let nextId = 1;

/**
 * @typedef {object} Job
 * @property {string} source
 * @property {string} name
 * @property {string} page  the page the cell is on (a change of page releases cached case studies)
 * @property {(events: Array<{kind: string, data: object}>) => void} onEvents
 * @property {() => void} [onStart]  the worker has begun running it
 */

export class Runtime extends EventTarget {
  constructor() {
    super();
    this.state = "off";
    this.text = "";
    this.library = null;    // file name of the library zip (from the page)
    this.worker = null;
    this.ready = null;      // Promise that settles when the current worker is ready
    this.queue = [];        // jobs waiting: {job, id, resolve}
    this.current = null;    // the job running now
    this.starts = 0;        // how many workers this visit has started (1 unless stopped or failed)
    this.asked = new Map(); // id -> resolve, for memory readings
    this.snapshot = true;   // start from the build's memory snapshot (falls back by itself)
    this.how = null;        // how the current worker's Python started: "snapshot" | "plain"
    this.fallback = null;   // why it did not start from the snapshot, if it tried
  }

  /** The library zip's file name comes from the page (it is content-hashed at build). */
  configure({ library, snapshot }) {
    if (library && !this.library) this.library = library;
    if (snapshot === false) this.snapshot = false;
  }

  _set(state, text) {
    this.state = state;
    this.text = text;
    this.dispatchEvent(new CustomEvent("change", { detail: { state, text } }));
  }

  /**
   * Start the worker unless it is loading or ready (after a failure this tries again from
   * scratch); resolves when Python is ready.
   */
  start() {
    if (this.state === "loading" || this.state === "ready") return this.ready;
    if (!this.library) return Promise.reject(new Error("no library configured"));
    performance.mark("cells:start");
    const worker = new Worker(WORKER_URL, { type: "module", name: "python" });
    this.starts += 1;
    const id = nextId++;
    this.worker = worker;
    this._set("loading", "Loading Python…");
    this.ready = new Promise((resolve, reject) => {
      const fail = (text) => {
        if (this.worker !== worker) return;
        worker.terminate();
        this.worker = null;
        this._set("failed", text);
        this._failQueue(text);
        reject(new Error(text));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        if (this.state === "loading") fail(`the Python worker could not start (${event.message || "script error"})`);
        else this._crashed(worker, event.message || "the Python worker stopped unexpectedly");
      };
      worker.onmessage = (event) => {
        const { type, id: replyTo, payload } = event.data;
        if (replyTo === id) {
          if (type === FROM_WORKER.PROGRESS) {
            performance.mark(`cells:${payload.stage}`);
            this._set("loading", payload.text + "…");
          } else if (type === FROM_WORKER.READY) {
            performance.mark("cells:ready");
            this.how = payload.how;
            this.fallback = payload.fallback;
            this._set("ready", `Python ${payload.python} ready`);
            // For offline reading (assets/js/offline.js): Python's files can now be kept.
            globalThis.dispatchEvent?.(new Event("handbook:python-ready"));
            resolve();
            this._pump();
          } else if (type === FROM_WORKER.FAILED) fail(payload.message);
          return;
        }
        if (type === FROM_WORKER.HEAP) {
          const answer = this.asked.get(replyTo);
          this.asked.delete(replyTo);
          if (answer) answer(payload);
          return;
        }
        this._onRunMessage(type, replyTo, payload);
      };
    });
    this.ready.catch(() => {});
    worker.postMessage(message(TO_WORKER.INIT, id, {
      indexURL: PYODIDE_URL,
      libraryURL: new URL(this.library, LIBRARY_DIR).href,
      snapshot: this.snapshot,
    }));
    return this.ready;
  }

  /** Replace the worker with a fresh one (after Stop, a crash or a MemoryError). */
  restart() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    for (const answer of this.asked.values()) answer(null); // that heap is gone
    this.asked.clear();
    this.state = "off";
    return this.start();
  }

  /**
   * Queue a run. Resolves with {status (a RUN_STATUS), result, error}.
   * @param {Job} job
   */
  run(job) {
    return new Promise((resolve) => {
      this.queue.push({ job, id: nextId++, resolve });
      if (this.state === "off" || this.state === "failed") this.start().catch(() => {});
      else this._pump();
    });
  }

  /** Stop a job: drop it from the queue, or end the worker that runs it. */
  stop(job) {
    const queued = this.queue.findIndex((entry) => entry.job === job);
    if (queued >= 0) {
      const [entry] = this.queue.splice(queued, 1);
      entry.resolve({ status: RUN_STATUS.STOPPED, result: null, error: null });
      return;
    }
    if (this.current && this.current.job === job) {
      const entry = this.current;
      this.current = null;
      entry.resolve({ status: RUN_STATUS.STOPPED, result: null, error: null });
      this.restart().catch(() => {});
    }
  }

  /**
   * The WebAssembly heap of the running Python: {bytes, releases, dropped} (see protocol.js), or
   * null when no Python is ready.
   */
  memory() {
    if (this.state !== "ready" || !this.worker) return Promise.resolve(null);
    const id = nextId++;
    return new Promise((resolve) => {
      this.asked.set(id, resolve);
      this.worker.postMessage(message(TO_WORKER.MEMORY, id, {}));
    });
  }

  _pump() {
    if (this.current || this.state !== "ready" || !this.queue.length) return;
    const entry = this.queue.shift();
    this.current = entry;
    if (entry.job.onStart) entry.job.onStart();
    this.worker.postMessage(message(TO_WORKER.RUN, entry.id, {
      source: entry.job.source, name: entry.job.name, page: entry.job.page,
    }));
  }

  _onRunMessage(type, id, payload) {
    const entry = this.current;
    if (!entry || entry.id !== id) return; // a reply for a run that was stopped
    if (type === FROM_WORKER.OUTPUT) {
      entry.job.onEvents(payload.events);
    } else if (type === FROM_WORKER.DONE) {
      this.current = null;
      entry.resolve({
        status: payload.error ? RUN_STATUS.CRASHED : RUN_STATUS.DONE, result: payload.result, error: payload.error,
      });
      if (payload.restart) this.restart().catch(() => {});
      else this._pump();
    }
  }

  _crashed(worker, text) {
    if (this.worker !== worker) return;
    const entry = this.current;
    this.current = null;
    if (entry) entry.resolve({ status: RUN_STATUS.CRASHED, result: null, error: text });
    this.restart().catch(() => {});
  }

  _failQueue(text) {
    const waiting = this.queue.splice(0);
    for (const entry of waiting) entry.resolve({ status: RUN_STATUS.UNAVAILABLE, result: null, error: text });
  }
}

/** The one runtime of this visit (survives Material's instant navigation). */
export const runtime = (globalThis.__handbookRuntime ||= new Runtime());
