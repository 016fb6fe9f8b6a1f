/**
 * One cell on the page: its toolbar (Run, Stop, Reset), its editor and its output.
 *
 * Before the editor bundle arrives the highlighted code stays as it is; Run works from the first
 * moment with the original code (or the reader's saved edit). Edits are kept in localStorage under
 * a key made of the page, the snippet and the hash of its original code, so a changed snippet never
 * resurrects a stale edit.
 */
import { RUN_STATUS } from "./protocol.js";
import { OutputView, hiddenText } from "./render.js";

const KEY_PREFIX = "handbook-cell:";

function button(className, text, label, title) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `md-button cell-button ${className}`;
  b.textContent = text;
  b.setAttribute("aria-label", label);
  if (title) b.title = title;
  return b;
}

function storage() {
  try { return window.localStorage; } catch { return null; } // storage may be disabled
}

export class Cell {
  /**
   * @param {HTMLElement} root  the `.cell` element written by the build
   * @param {import("./runtime.js").Runtime} runtime
   */
  constructor(root, runtime) {
    this.root = root;
    this.runtime = runtime;
    this.path = root.dataset.cell;
    this.page = root.dataset.cellPage;
    this.name = this.path.split("/").pop();
    // The exact source: the highlighted code's text, unless the build had to spell it out.
    this.original = root.dataset.cellSource ?? root.querySelector(".cell-code code").textContent;
    // The page as the build named it: the same key whatever the base URL or navigation.
    this.key = `${KEY_PREFIX}${this.page}:${this.path}:${root.dataset.cellHash}`;
    this.code = root.querySelector(".cell-code");
    // The highlighted code takes the focus in the editor's place until the editor mounts (when
    // the cell comes into view, or as the code gets the focus): a keyboard reader tabbing into a
    // cell that is still off screen reaches its code, which becomes the editor, not its Run button.
    this.code.tabIndex = 0;
    this.code.setAttribute("role", "group");
    this.code.setAttribute("aria-label", `Python code of ${this.name}`);
    this.outputEl = root.querySelector(".cell-output");
    this.prerendered = Array.from(this.outputEl.childNodes, (n) => n.cloneNode(true));
    this.output = new OutputView(this.outputEl);
    this.editor = null;
    this.job = null;
    this.saveTimer = 0;
    this.text = this._load() ?? this.original;
    this.abort = new AbortController();
    this._buildToolbar();
    runtime.addEventListener("change", () => this._onRuntime(), { signal: this.abort.signal });
    window.addEventListener("pagehide", () => this._save(), { signal: this.abort.signal });
    this._onRuntime();
    this._markEdited();
  }

  get edited() { return this.text !== this.original; }

  // --- toolbar --------------------------------------------------------------------------------
  _buildToolbar() {
    const bar = document.createElement("div");
    bar.className = "cell-toolbar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", `Cell ${this.name}`);
    this.runButton = button("cell-run", "Run", `Run ${this.name}`, "Run (Shift+Enter)");
    this.stopButton = button("cell-stop", "Stop", `Stop ${this.name}`);
    this.resetButton = button("cell-reset", "Reset", `Reset ${this.name} to the original code`);
    this.retryButton = button("cell-retry", "Retry", "Retry loading Python");
    this.stopButton.disabled = true;
    this.retryButton.hidden = true;
    this.status = document.createElement("span");
    this.status.className = "cell-status";
    this.status.setAttribute("role", "status");
    this.badge = document.createElement("span");
    this.badge.className = "cell-edited";
    this.badge.textContent = "edited";
    this.badge.hidden = true;
    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    this.retryButton.addEventListener("click", () => this.retry());
    bar.append(this.runButton, this.stopButton, this.resetButton, this.badge, this.status, this.retryButton);
    this.outputEl.before(bar);
    this.root.classList.add("cell--live");
  }

  _setStatus(text, kind = "") {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  _onRuntime() {
    if (this.job) return; // the run's own messages take precedence
    const { state, text } = this.runtime;
    this.retryButton.hidden = state !== "failed";
    if (state === "failed") this._setStatus(`Python could not be loaded: ${text}. The output shown is from the build.`, "failed");
    else if (state === "loading") this._setStatus(text, "loading");
    else if (state === "ready") this._setStatus("", "ready");
  }

  // --- editor ---------------------------------------------------------------------------------
  /** Replace the highlighted code with the editor (called once the bundle is loaded). */
  mountEditor(createEditor) {
    if (this.editor || !this.root.isConnected) return;
    const host = document.createElement("div");
    host.className = "cell-editor";
    const focused = this.code.contains(document.activeElement); // hiding the code loses it
    // The code leaves and the editor takes its place in one step, the page never holding both
    // (the highlighted code has the editor's layout, cells.css, so the lines in view stay put).
    this.code.hidden = true;
    this.code.after(host);
    try {
      this.editor = createEditor({
        parent: host,
        doc: this.text,
        label: `Python code of ${this.name} (editable; Shift+Enter runs, Esc leaves the editor)`,
        onRun: () => this.run(),
        onChange: (text) => this._changed(text),
        onEscape: () => this.runButton.focus(),
      });
      if (focused) this.editor.focus();
    } catch (error) {
      host.remove(); // the highlighted code stays, and Run still works
      this.code.hidden = false;
      throw error;
    }
  }

  _changed(text) {
    this.text = text;
    this._markEdited();
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this._save(), 250);
  }

  _markEdited() { this.badge.hidden = !this.edited; }

  _load() {
    const store = storage();
    const value = store && store.getItem(this.key);
    return value === null || value === undefined ? null : value;
  }

  _save() {
    clearTimeout(this.saveTimer);
    const store = storage();
    if (!store) return;
    try {
      if (this.edited) store.setItem(this.key, this.text);
      else store.removeItem(this.key);
    } catch { /* storage full: the edit stays in the page */ }
  }

  // --- actions --------------------------------------------------------------------------------
  async run() {
    if (this.job) return;
    if (this.editor) this.editor.markError(null);
    const job = {
      source: this.text,
      name: this.name,
      page: this.page,
      onStart: () => {
        this.output.clear({ holdHeight: true });
        this._setStatus("Running…", "running");
        this.root.dataset.state = "running";
      },
      onEvents: (events) => this.output.push(events),
    };
    this.job = job;
    this.root.dataset.state = "queued";
    this.runButton.disabled = true;
    this.stopButton.disabled = false;
    this.retryButton.hidden = true;
    if (this.runtime.state !== "ready") this._setStatus(this.runtime.text || "Loading Python…", "loading");
    else if (this.runtime.current) this._setStatus("Waiting for another cell to finish…", "queued");
    const started = performance.now();
    this.running = this.runtime.run(job);
    const outcome = await this.running;
    this.job = null;
    this.running = null;
    this.runButton.disabled = false;
    this.stopButton.disabled = true;
    this.output.flush();
    this._finish(outcome, performance.now() - started);
  }

  _finish({ status, result, error }, ms) {
    if (status === RUN_STATUS.STOPPED) {
      this.output.note("Stopped. Python restarts in the background; Run again when you are ready.", "stopped");
      this._setStatus("Stopped", "stopped");
    } else if (status === RUN_STATUS.UNAVAILABLE) {
      // Python never started: keep whatever output is shown (the build's), offer Retry.
      this._setStatus(`Python could not be loaded: ${error}. The output shown is from the build.`, "failed");
      this.retryButton.hidden = false;
      this.rerunOnRetry = true;
    } else if (status === RUN_STATUS.CRASHED) {
      this.output.note(`Python stopped working (${error}). It restarts in the background; Run again.`, "crashed");
      this._setStatus("Python restarted", "failed");
    } else {
      if (result.hidden_lines || result.hidden_chars) this.output.note(hiddenText(result), "hidden");
      const errorBlock = this.outputEl.querySelector(".cell-error");
      if (errorBlock && this.editor && errorBlock.dataset.line) this.editor.markError(Number(errorBlock.dataset.line));
      this._setStatus(result.ok ? `Done in ${(ms / 1000).toFixed(2)} s` : "Error", result.ok ? "done" : "error");
    }
    this.root.dataset.state = status !== RUN_STATUS.DONE ? status : result.ok ? "done" : "error";
    this.root.dataset.settled = "false";
    // Charts may still be drawing: the output's height is held until they are.
    this.output.release().then(() => {
      this.root.dataset.settled = "true";
      this.root.dispatchEvent(new CustomEvent("cell:settled", { bubbles: true, detail: { status } }));
    });
  }

  stop() {
    if (this.job) this.runtime.stop(this.job);
  }

  /** Load Python again; run this cell too if that is what failed. */
  retry() {
    this.retryButton.hidden = true;
    if (this.rerunOnRetry) {
      this.rerunOnRetry = false;
      this.run();
    } else {
      this.runtime.start().catch(() => {});
    }
  }

  async reset() {
    if (this.edited && !window.confirm(`Discard your changes to ${this.name} and restore the original code?`)) return;
    if (this.running) {
      const finished = this.running;
      this.stop();
      await finished;
      await Promise.resolve(); // let run() finish its own bookkeeping first
    }
    this.text = this.original;
    if (this.editor) {
      this.editor.setText(this.original);
      this.editor.markError(null);
    }
    this._save();
    this._markEdited();
    this.output.clear();
    this.output.release();
    this.outputEl.append(...this.prerendered.map((n) => n.cloneNode(true)));
    this._setStatus("Restored the original code and output", "reset");
    this.root.dataset.state = "reset";
  }

  /** The page is going away (instant navigation): stop this cell's run, free the editor. */
  destroy() {
    this._save();
    this.stop();
    this.abort.abort();
    if (this.editor) this.editor.destroy();
  }
}
