/*
 * Practice mode for the question bank (docs/interview/question-bank.md, generated at build time by
 * hooks/question_bank.py from the follow-up questions in the pages).
 *
 * The page itself is the data: every question is a `.qb-item` with `data-qid`, `data-topic`,
 * `data-page` and `data-level`, holding a collapsible question whose body is the answer. Without
 * JavaScript the reader gets that plain list. This module adds, on top of it:
 *   - filters (topic, page, level, and what the reader has marked) that hide the other questions;
 *   - "Draw a question": a random question from the filtered set, a countdown to answer it out
 *     loud, a button to reveal the answer, and "I knew it" / "Not yet" marks;
 *   - progress (the marks) kept in localStorage, shown on each question, and resettable.
 * Every control is a native button or select, so the page works with the keyboard alone; the
 * letters D, R, K and N are shortcuts when focus is not in a form field.
 *
 * As in practice-timer.js, Material's instant navigation runs this module once per document, so
 * it subscribes to `document$` and mounts or tears down on every page switch.
 */

import { h, mountOnEveryPage } from "./page-module.js";

const MARKS_KEY = "mlsd-handbook:question-bank:marks:v1";
const SECONDS_KEY = "mlsd-handbook:question-bank:seconds:v1";
const TICK_MS = 250;
const COUNTDOWNS = [60, 120, 180, 300];
const CSS_URL = new URL("../css/question-bank.css", import.meta.url).href;
const TOPICS = {
  requirements: "Requirements and framing",
  data: "Data and features",
  model: "Model",
  evaluation: "Evaluation and experiments",
  serving: "Serving and scale",
  monitoring: "Monitoring and iteration",
};
const LEVELS = { 1: "foundation", 2: "technique", 3: "design" };



// --- small helpers ------------------------------------------------------------------------------


function storage() {
  try {
    return window.localStorage;
  } catch (_) {
    return null; // disabled storage: the page still works, marks last until the page is left
  }
}

function readJSON(key, fallback) {
  try {
    const raw = storage()?.getItem(key);
    if (raw === null || raw === undefined) return fallback;
    const value = JSON.parse(raw);
    return value && typeof value === "object" ? value : fallback;
  } catch (_) {
    return fallback;
  }
}

function write(key, value) {
  try {
    storage()?.setItem(key, typeof value === "string" ? value : JSON.stringify(value));
  } catch (_) {
    // Storage may be full or disabled (private mode); the page keeps working without it.
  }
}

export function formatCountdown(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function ensureStyles() {
  if (document.querySelector(`link[href="${CSS_URL}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href: CSS_URL }));
}

function select(label, name, options) {
  const el = h("select", { "data-qb-filter": name });
  for (const [value, text] of options) el.append(h("option", { value, text }));
  return h("label", { class: "qb-field" }, [h("span", { text: label }), el]);
}

// --- the practice panel -------------------------------------------------------------------------

function mount(root) {
  ensureStyles();
  const items = [...root.querySelectorAll(".qb-item[data-qid]")].map((el) => ({
    el,
    qid: el.dataset.qid,
    topic: el.dataset.topic,
    page: el.dataset.page,
    level: el.dataset.level,
    details: el.querySelector("details"),
    question: el.querySelector("summary")?.textContent.trim() ?? "",
  }));
  const pageTitles = new Map();
  for (const heading of root.querySelectorAll("h2[data-qb-page]")) {
    pageTitles.set(heading.dataset.qbPage, heading.firstChild?.textContent.trim() || heading.dataset.qbPage);
  }
  let marks = readJSON(MARKS_KEY, {});
  const storedSeconds = Number(storage()?.getItem(SECONDS_KEY));
  let seconds = COUNTDOWNS.includes(storedSeconds) ? storedSeconds : 120;
  let drawn = null; // the item on the card
  let deadline = null; // Date.now() value when the countdown ends
  let interval = null;
  let resetArmed = null; // timeout id while "Reset" waits for its confirming second press

  // Controls.
  const topics = [["", "All topics"], ...Object.entries(TOPICS).filter(([k]) => items.some((i) => i.topic === k))];
  const pages = [["", "All pages"], ...[...pageTitles].map(([k, v]) => [k, v])];
  const levels = [["", "All levels"], ...Object.entries(LEVELS).filter(([k]) => items.some((i) => i.level === k))];
  const statuses = [["", "Any"], ["unmarked", "Not marked yet"], ["unknown", "Marked “not yet”"], ["known", "Marked known"]];
  const filters = h("div", { class: "qb-filters" }, [
    select("Topic", "topic", topics),
    select("Page", "page", pages),
    select("Level", "level", levels),
    select("Show", "status", statuses),
    select("Countdown", "seconds", COUNTDOWNS.map((s) => [String(s), `${s / 60} min`])),
  ]);
  filters.querySelector('[data-qb-filter="seconds"]').value = String(seconds);
  const summary = h("p", { class: "qb-summary", "aria-live": "polite" });
  const drawButton = h("button", { type: "button", class: "md-button md-button--primary", "data-qb-draw": "", text: "Draw a question" });
  const resetButton = h("button", { type: "button", class: "md-button", "data-qb-reset": "", text: "Reset progress" });
  const where = h("p", { class: "qb-card__where" });
  const question = h("p", { class: "qb-card__question", tabindex: "-1" });
  const clock = h("p", { class: "qb-card__clock", role: "timer", "aria-label": "Time left to answer" });
  const status = h("p", { class: "qb-card__status", "aria-live": "assertive" });
  const answer = h("div", { class: "qb-card__answer", "data-qb-answer": "" });
  answer.hidden = true;
  const revealButton = h("button", { type: "button", class: "md-button", "data-qb-reveal": "", text: "Reveal answer" });
  const knownButton = h("button", { type: "button", class: "md-button", "data-qb-known": "", text: "I knew it" });
  const unknownButton = h("button", { type: "button", class: "md-button", "data-qb-unknown": "", text: "Not yet" });
  const card = h("div", { class: "qb-card", "data-qb-card": "" }, [
    where, question, clock, status, answer,
    h("div", { class: "qb-buttons" }, [revealButton, knownButton, unknownButton]),
  ]);
  card.hidden = true;
  const panel = h("section", { class: "qb-panel", "aria-label": "Practice" }, [
    filters, summary, h("div", { class: "qb-buttons" }, [drawButton, resetButton]), card,
  ]);
  root.before(panel);
  root.classList.add("question-bank--active");

  function filterValue(name) {
    return filters.querySelector(`[data-qb-filter="${name}"]`).value;
  }

  function matches(item) {
    const topic = filterValue("topic");
    const page = filterValue("page");
    const level = filterValue("level");
    const wanted = filterValue("status");
    const mark = marks[item.qid];
    if (topic && item.topic !== topic) return false;
    if (page && item.page !== page) return false;
    if (level && item.level !== level) return false;
    if (wanted === "unmarked" && mark) return false;
    if ((wanted === "known" || wanted === "unknown") && mark !== wanted) return false;
    return true;
  }

  function render() {
    let shown = 0;
    for (const item of items) {
      const visible = matches(item);
      item.el.hidden = !visible;
      if (visible) shown += 1;
      const mark = marks[item.qid];
      item.el.classList.toggle("qb-item--known", mark === "known");
      item.el.classList.toggle("qb-item--unknown", mark === "unknown");
      let badge = item.el.querySelector(".qb-mark");
      if (!mark && badge) badge.remove();
      if (mark) {
        if (!badge) {
          badge = h("span", { class: "qb-mark" });
          item.details?.querySelector("summary")?.append(badge);
        }
        badge.textContent = mark === "known" ? " — known" : " — not yet";
      }
    }
    // A page heading (and its one-line intro) shows only while one of its questions does.
    for (const heading of root.querySelectorAll("h2[data-qb-page]")) {
      const any = items.some((i) => i.page === heading.dataset.qbPage && !i.el.hidden);
      heading.hidden = !any;
      const intro = heading.nextElementSibling;
      if (intro && intro.tagName === "P") intro.hidden = !any;
    }
    const known = items.filter((i) => marks[i.qid] === "known").length;
    const unknown = items.filter((i) => marks[i.qid] === "unknown").length;
    summary.textContent =
      `${shown} of ${items.length} questions match. Progress: ${known} known, ${unknown} not yet, ` +
      `${items.length - known - unknown} not marked.`;
    drawButton.disabled = shown === 0;
    const onCard = drawn !== null;
    revealButton.disabled = !onCard || !answer.hidden;
    knownButton.disabled = !onCard;
    unknownButton.disabled = !onCard;
  }

  function stopClock() {
    if (interval !== null) window.clearInterval(interval);
    interval = null;
  }

  function tick() {
    const left = deadline - Date.now();
    clock.textContent = formatCountdown(left);
    if (left <= 0) {
      stopClock();
      status.textContent = "Time is up. Reveal the answer and compare.";
    }
  }

  function draw() {
    const pool = items.filter(matches);
    if (pool.length === 0) return;
    // Never the same question twice in a row when there is another one to ask.
    const choices = pool.length > 1 && drawn ? pool.filter((i) => i !== drawn) : pool;
    drawn = choices[Math.floor(Math.random() * choices.length)];
    const level = LEVELS[drawn.level] ?? "";
    where.textContent = `${TOPICS[drawn.topic] ?? drawn.topic} · ${level} · ${pageTitles.get(drawn.page) ?? drawn.page}`;
    question.textContent = drawn.question;
    answer.replaceChildren(...[...(drawn.details?.children ?? [])]
      .filter((child) => child.tagName !== "SUMMARY")
      .map((child) => child.cloneNode(true)));
    answer.hidden = true;
    status.textContent = "";
    card.hidden = false;
    stopClock();
    deadline = Date.now() + seconds * 1000;
    tick();
    interval = window.setInterval(tick, TICK_MS);
    render();
    question.focus();
  }

  function reveal() {
    if (!drawn) return;
    stopClock();
    answer.hidden = false;
    status.textContent = "";
    render();
  }

  function mark(value) {
    if (!drawn) return;
    marks = { ...marks, [drawn.qid]: value };
    write(MARKS_KEY, marks);
    reveal();
    status.textContent = value === "known" ? "Marked as known." : "Marked as not yet known.";
  }

  function reset() {
    if (resetArmed === null) {
      resetButton.textContent = "Press again to reset";
      resetArmed = window.setTimeout(() => {
        resetArmed = null;
        resetButton.textContent = "Reset progress";
      }, 4000);
      return;
    }
    window.clearTimeout(resetArmed);
    resetArmed = null;
    resetButton.textContent = "Reset progress";
    marks = {};
    try {
      storage()?.removeItem(MARKS_KEY);
    } catch (_) {
      // nothing kept, nothing to clear
    }
    status.textContent = "Progress reset.";
    render();
  }

  function onClick(event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button === drawButton) draw();
    else if (button === resetButton) reset();
    else if (button === revealButton) reveal();
    else if (button === knownButton) mark("known");
    else if (button === unknownButton) mark("unknown");
  }

  function onChange(event) {
    if (event.target.dataset.qbFilter === "seconds") {
      seconds = Number(event.target.value);
      write(SECONDS_KEY, String(seconds));
      return;
    }
    render();
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    const actions = { d: draw, r: reveal, k: () => mark("known"), n: () => mark("unknown") };
    if (!(key in actions)) return;
    if (key !== "d" && drawn === null) return;
    // Material binds N and P to "next/previous page": on this page the letters are ours.
    event.preventDefault();
    event.stopImmediatePropagation();
    actions[key]();
  }

  panel.addEventListener("click", onClick);
  panel.addEventListener("change", onChange);
  window.addEventListener("keydown", onKey, { capture: true }); // before Material's own shortcuts
  render();

  return {
    root,
    destroy() {
      stopClock();
      if (resetArmed !== null) window.clearTimeout(resetArmed);
      panel.removeEventListener("click", onClick);
      panel.removeEventListener("change", onChange);
      window.removeEventListener("keydown", onKey, { capture: true });
      panel.remove();
      root.classList.remove("question-bank--active");
    },
  };
}

// --- wiring -------------------------------------------------------------------------------------

mountOnEveryPage("[data-question-bank]", mount);
