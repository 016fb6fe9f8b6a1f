/**
 * Draw a run's events into a cell's output area — the same markup the build writes
 * (hooks/cells_html.py), so a run in the page and the pre-rendered output look and compare alike.
 *
 * Text is only ever set with textContent / Text nodes: a program that prints HTML shows the
 * characters. Tables are built with DOM calls; charts are drawn by the self-hosted vega-embed
 * bundle, imported the first time a chart appears. Events are applied once per animation frame.
 */
import { prepareSpec } from "./chart-spec.js";

const CHARTS_URL = new URL("./charts.bundle.js", import.meta.url).href;
let charts = null;

function loadCharts() {
  charts ||= import(CHARTS_URL).catch((error) => { charts = null; throw error; });
  return charts;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const number = (n) => n.toLocaleString("en-US");

export function truncatedText(data) {
  return `Output truncated: only the first ${number(data.max_lines)} lines ` +
    `(${number(data.max_chars)} characters at most) are shown.`;
}

export function hiddenText(result) {
  return `${number(result.hidden_lines)} more lines (${number(result.hidden_chars)} characters) were not shown.`;
}

function tableBlock(data) {
  const box = el("div", "cell-table");
  box.dataset.varies = String(Boolean(data.varies));
  // A wide table scrolls sideways: keyboard users reach it with Tab.
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", `Table: ${data.title || data.columns.join(", ")}`);
  const table = el("table", "cell-grid");
  if (data.title) table.append(el("caption", "", data.title));
  const head = el("thead");
  const headRow = el("tr");
  for (const name of data.columns) {
    const th = el("th", "", name);
    th.scope = "col";
    headRow.append(th);
  }
  head.append(headRow);
  const body = el("tbody");
  data.cells.forEach((row, i) => {
    const tr = el("tr");
    row.forEach((text, j) => {
      const td = el("td", typeof data.rows[i][j] === "number" ? "cell-num" : "", text);
      tr.append(td);
    });
    body.append(tr);
  });
  table.append(head, body);
  box.append(table);
  if (data.hidden_rows) box.append(el("p", "cell-note", `${number(data.hidden_rows)} more rows not shown.`));
  return box;
}

function chartBlock(data) {
  const figure = el("figure", "cell-chart");
  const values = (data.spec.data && data.spec.data.values) || [];
  figure.dataset.points = String(values.length);
  figure.dataset.varies = String(Boolean(data.varies));
  figure.setAttribute("aria-label", `Chart: ${data.title || "untitled"}`);
  const view = el("div", "cell-chart-view");
  figure.append(view);
  figure.ready = loadCharts()
    .then((mod) => mod.drawChart(view, prepareSpec(data.spec)))
    .then(() => {
      // The figure carries the name; the drawing itself is hidden from the accessibility tree.
      const svg = view.querySelector("svg");
      if (svg) svg.setAttribute("aria-hidden", "true");
    })
    .catch((error) => {
      view.replaceChildren(el("p", "cell-note", `The chart could not be drawn: ${error.message || error}`));
    });
  return figure;
}

function errorBlock(data) {
  const pre = el("pre", "cell-error", data.traceback);
  pre.dataset.errorType = data.type;
  if (data.line) pre.dataset.line = String(data.line);
  return pre;
}

/** The output area of one cell. */
export class OutputView {
  /** @param {HTMLElement} container  the cell's `.cell-output` element */
  constructor(container) {
    this.container = container;
    this.pending = [];
    this.frame = 0;
    this.stream = null;   // {name, text: Text} the stream block text is appended to
  }

  /**
   * Empty the output. With `holdHeight`, the area keeps its current height until `release()`,
   * so the page below does not jump while a run replaces the output (it can still grow).
   */
  clear({ holdHeight = false } = {}) {
    this.pending = [];
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.stream = null;
    this.charts = [];
    if (holdHeight) this.container.style.minHeight = `${this.container.offsetHeight}px`;
    this.container.replaceChildren();
  }

  /** Resolves once every chart is drawn; then the held height is let go. */
  async release() {
    this.flush();
    await Promise.all(this.charts || []);
    this.container.style.minHeight = "";
  }

  /** Queue events; they are drawn on the next animation frame. */
  push(events) {
    this.pending.push(...events);
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.flush(); });
  }

  /** Draw everything queued now. */
  flush() {
    const events = this.pending;
    this.pending = [];
    for (const { kind, data } of events) this._draw(kind, data);
  }

  _draw(kind, data) {
    if (kind === "stdout" || kind === "stderr") {
      if (!this.stream || this.stream.name !== kind) {
        const pre = el("pre", kind === "stderr" ? "cell-stream cell-stderr" : "cell-stream");
        pre.dataset.stream = kind;
        const text = document.createTextNode("");
        pre.append(text);
        this.container.append(pre);
        this.stream = { name: kind, text };
      }
      this.stream.text.appendData(data.text);
      return;
    }
    this.stream = null;
    if (kind === "table") this.container.append(tableBlock(data));
    else if (kind === "chart") {
      const figure = chartBlock(data);
      (this.charts ||= []).push(figure.ready);
      this.container.append(figure);
    }
    else if (kind === "error") this.container.append(errorBlock(data));
    else if (kind === "truncated") this.container.append(el("p", "cell-notice", truncatedText(data)));
  }

  /** A line of our own (stopped, failed, hidden output) under the program's output. */
  note(text, kind = "note") {
    this.flush();
    this.stream = null;
    const p = el("p", "cell-notice", text);
    p.dataset.note = kind;
    this.container.append(p);
    return p;
  }
}
