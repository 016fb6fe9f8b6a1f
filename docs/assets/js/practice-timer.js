/*
 * Practice timer for the 45-minute interview plan (docs/interview/practice-timer.md).
 *
 * The page itself holds the plan: each phase is a heading with `data-phase-minutes` and
 * `data-phase-name`, followed by a Markdown task list. Without JavaScript the reader still gets
 * the table and the checklist. This module adds, on top of that markup:
 *   - a timer panel (Start/Pause, Skip to next phase, Reset, Clear ticks) that shows the time left
 *     in the current phase and overall, and announces phase changes through an aria-live region;
 *   - working checkboxes whose ticks are kept in localStorage and restored on reload.
 *
 * The timer's state (time used, and when it was started if it is running) lives in sessionStorage,
 * so a reload or a visit to another page of the handbook does not lose the run. Elapsed time is
 * always computed from Date.now(), never by counting ticks, so a throttled background tab stays
 * exact.
 *
 * Material's instant navigation swaps the page content without reloading, and runs this module
 * only once per document. We therefore subscribe to Material's `document$` observable, which emits
 * after every page switch: each emission mounts the timer if the page has one and tears down the
 * previous mount (interval, listeners) otherwise.
 */

import { h, mountOnEveryPage } from "./page-module.js";

const CHECKS_KEY = "mlsd-handbook:practice-timer:checks:v1";
const CLOCK_KEY = "mlsd-handbook:practice-timer:clock:v1";
const TICK_MS = 250;
const CSS_URL = new URL("../css/practice-timer.css", import.meta.url).href;



// --- small helpers ------------------------------------------------------------------------------


function readJSON(storage, key, fallback) {
  try {
    const raw = storage.getItem(key);
    if (raw === null) return fallback;
    const value = JSON.parse(raw);
    return value && typeof value === "object" ? value : fallback;
  } catch (_) {
    return fallback; // storage disabled, or a value we did not write
  }
}

function writeJSON(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch (_) {
    // Storage may be full or disabled (private mode); the page keeps working without it.
  }
}

function sessionStore() {
  try { return window.sessionStorage; } catch (_) { return null; }
}

function localStore() {
  try { return window.localStorage; } catch (_) { return null; }
}

/** "mm:ss", rounding up so the display reaches 00:00 exactly when the time is over. */
export function formatClock(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

function spokenMinutes(ms) {
  const minutes = Math.max(0, Math.ceil(ms / 60000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

function ensureStylesheet() {
  if (document.querySelector(`link[data-practice-timer-css]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href: CSS_URL, "data-practice-timer-css": "" }));
}

// --- reading the plan from the page -------------------------------------------------------------

function readPhases(root) {
  const headings = Array.from(root.querySelectorAll("[data-phase-minutes]"));
  if (headings.length === 0) throw new Error("practice timer: no element with data-phase-minutes");
  let start = 0;
  return headings.map((heading, index) => {
    const minutes = Number(heading.getAttribute("data-phase-minutes"));
    if (!Number.isFinite(minutes) || minutes <= 0) {
      throw new Error(`practice timer: phase ${index + 1} has data-phase-minutes=` +
        `"${heading.getAttribute("data-phase-minutes")}", expected a positive number`);
    }
    const name = heading.getAttribute("data-phase-name") || heading.textContent.replace("¶", "").trim();
    const items = [];
    for (let el = heading.nextElementSibling; el && !el.hasAttribute("data-phase-minutes");
      el = el.nextElementSibling) {
      items.push(...el.querySelectorAll("li.task-list-item"));
    }
    const phase = { index, name, heading, items, startMs: start, endMs: start + minutes * 60000 };
    start = phase.endMs;
    return phase;
  });
}

// --- the mount ----------------------------------------------------------------------------------

function mount(root) {
  ensureStylesheet();
  const phases = readPhases(root);
  const totalMs = phases[phases.length - 1].endMs;
  const session = sessionStore();
  const local = localStore();

  // Clock state: time used before the last start, and when that start happened (null = paused).
  const saved = session ? readJSON(session, CLOCK_KEY, {}) : {};
  let usedMs = Number.isFinite(saved.usedMs) ? Math.min(Math.max(saved.usedMs, 0), totalMs) : 0;
  let runningSince = Number.isFinite(saved.runningSince) ? saved.runningSince : null;
  let interval = null;
  let shownPhase = -1;

  const elapsed = () => Math.min(totalMs, usedMs + (runningSince === null ? 0 : Date.now() - runningSince));
  const phaseAt = (ms) => {
    const i = phases.findIndex((p) => ms < p.endMs);
    return i === -1 ? phases.length - 1 : i;
  };
  const saveClock = () => { if (session) writeJSON(session, CLOCK_KEY, { usedMs, runningSince }); };

  // --- panel --------------------------------------------------------------------------------
  const ids = {
    phase: "practice-timer-phase-label",
    phaseLeft: "practice-timer-phase-left-label",
    totalLeft: "practice-timer-total-left-label",
  };
  const phaseName = h("span", { class: "practice-timer__value", "aria-labelledby": ids.phase });
  const phaseLeft = h("span", { class: "practice-timer__value practice-timer__clock", role: "timer", "aria-labelledby": ids.phaseLeft });
  const totalLeft = h("span", { class: "practice-timer__value practice-timer__clock", role: "timer", "aria-labelledby": ids.totalLeft });
  const readout = (labelId, label, value) => h("div", { class: "practice-timer__readout" }, [
    h("span", { class: "practice-timer__label", id: labelId, text: label }), value,
  ]);

  const bar = h("div", { class: "practice-timer__bar", "aria-hidden": "true" });
  const fills = phases.map((p) => {
    const fill = h("span", { class: "practice-timer__fill" });
    bar.append(h("span", { class: "practice-timer__segment", style: `flex-grow: ${p.endMs - p.startMs}` }, [fill]));
    return fill;
  });

  const toggle = h("button", { type: "button", class: "md-button md-button--primary", "data-action": "toggle" });
  const skip = h("button", { type: "button", class: "md-button", "data-action": "skip", text: "Skip to next phase" });
  const reset = h("button", { type: "button", class: "md-button", "data-action": "reset", text: "Reset timer" });
  const clear = h("button", { type: "button", class: "md-button", "data-action": "clear", text: "Clear ticks" });
  const status = h("p", { class: "practice-timer__status", role: "status", "aria-live": "polite" });
  const progress = h("p", { class: "practice-timer__progress" });

  const panel = h("section", { class: "practice-timer__panel", "aria-label": "Practice timer" }, [
    h("div", { class: "practice-timer__readouts" }, [
      readout(ids.phase, "Current phase", phaseName),
      readout(ids.phaseLeft, "Left in this phase", phaseLeft),
      readout(ids.totalLeft, "Left overall", totalLeft),
    ]),
    bar,
    h("div", { class: "practice-timer__buttons" }, [toggle, skip, reset, clear]),
    status,
    progress,
  ]);
  root.prepend(panel);
  root.classList.add("practice-timer--active");

  // --- checklist ----------------------------------------------------------------------------
  const ticks = local ? readJSON(local, CHECKS_KEY, {}) : {};
  const boxes = [];
  for (const phase of phases) {
    const used = new Set();
    for (const li of phase.items) {
      const box = li.querySelector('input[type="checkbox"]');
      const label = li.querySelector("label");
      if (!box) continue;
      // Move the item's text into its label: the text becomes clickable and names the checkbox.
      if (label && !label.querySelector(".practice-timer__item-text")) {
        const text = h("span", { class: "practice-timer__item-text" });
        while (label.nextSibling) text.append(label.nextSibling);
        label.append(text);
      }
      let key = `${phase.index + 1}:${slug(li.textContent)}`;
      while (used.has(key)) key += "+";
      used.add(key);
      box.disabled = false;
      box.removeAttribute("disabled");
      box.dataset.key = key;
      box.checked = ticks[key] === true;
      boxes.push(box);
    }
  }

  function countTicks() {
    const done = boxes.filter((b) => b.checked).length;
    progress.textContent = `Checklist: ${done} of ${boxes.length} items ticked.`;
  }

  function onCheck(event) {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.key) return;
    const state = local ? readJSON(local, CHECKS_KEY, {}) : {};
    if (box.checked) state[box.dataset.key] = true;
    else delete state[box.dataset.key];
    if (local) writeJSON(local, CHECKS_KEY, state);
    countTicks();
  }

  // --- rendering and actions ----------------------------------------------------------------
  function announce(message) {
    status.textContent = message;
  }

  function render() {
    const ms = elapsed();
    const i = phaseAt(ms);
    const phase = phases[i];
    const finished = ms >= totalMs;
    phaseName.textContent = finished ? "Finished" : `${i + 1} of ${phases.length}: ${phase.name}`;
    phaseLeft.textContent = formatClock(phase.endMs - ms);
    totalLeft.textContent = formatClock(totalMs - ms);
    phases.forEach((p, j) => {
      const share = Math.min(1, Math.max(0, (ms - p.startMs) / (p.endMs - p.startMs)));
      fills[j].style.width = `${(share * 100).toFixed(2)}%`;
      const isCurrent = j === i && !finished && (ms > 0 || runningSince !== null);
      p.heading.classList.toggle("practice-timer__current", isCurrent);
      if (isCurrent) p.heading.setAttribute("aria-current", "step");
      else p.heading.removeAttribute("aria-current");
    });
    toggle.textContent = runningSince !== null ? "Pause" : ms > 0 && !finished ? "Resume" : "Start";
    toggle.disabled = finished;
    skip.disabled = finished;

    if (runningSince !== null && finished) {
      stop();
      announce("Time is up. Look at the checklist: what did you skip?");
    } else if (runningSince !== null && shownPhase !== -1 && i !== shownPhase) {
      announce(`Phase ${i + 1} of ${phases.length}: ${phase.name}. ` +
        `${spokenMinutes(phase.endMs - ms)} for this phase.`);
    }
    shownPhase = i;
  }

  function startTicking() {
    if (interval === null) interval = window.setInterval(render, TICK_MS);
  }

  function stop() {
    usedMs = elapsed();
    runningSince = null;
    if (interval !== null) {
      window.clearInterval(interval);
      interval = null;
    }
    saveClock();
    render();
  }

  function start() {
    if (elapsed() >= totalMs) return;
    runningSince = Date.now();
    saveClock();
    startTicking();
    const ms = elapsed();
    const phase = phases[phaseAt(ms)];
    shownPhase = phase.index;
    render();
    announce(`Timer running. Phase ${phase.index + 1} of ${phases.length}: ${phase.name}, ` +
      `${spokenMinutes(phase.endMs - ms)} left in this phase.`);
  }

  function onClick(event) {
    const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
    if (!button || !panel.contains(button)) return;
    const action = button.getAttribute("data-action");
    if (action === "toggle") {
      if (runningSince !== null) {
        stop();
        announce(`Paused. ${formatClock(totalMs - elapsed())} left overall.`);
      } else {
        start();
      }
    } else if (action === "skip") {
      const i = phaseAt(elapsed());
      const wasRunning = runningSince !== null;
      usedMs = phases[i].endMs;
      runningSince = wasRunning ? Date.now() : null;
      saveClock();
      if (usedMs >= totalMs) {
        stop();
        announce("Time is up. Look at the checklist: what did you skip?");
        return;
      }
      const next = phases[i + 1];
      shownPhase = next.index;
      render();
      announce(`Phase ${next.index + 1} of ${phases.length}: ${next.name}. ` +
        `${spokenMinutes(next.endMs - next.startMs)} for this phase.`);
    } else if (action === "reset") {
      usedMs = 0;
      runningSince = null;
      stop();
      announce("Timer reset.");
    } else if (action === "clear") {
      for (const box of boxes) box.checked = false;
      if (local) writeJSON(local, CHECKS_KEY, {});
      countTicks();
      announce("All ticks cleared.");
    }
  }

  panel.addEventListener("click", onClick);
  root.addEventListener("change", onCheck);
  countTicks();
  if (runningSince !== null && elapsed() >= totalMs) {
    usedMs = totalMs; // the run ended while the reader was away
    runningSince = null;
    saveClock();
  }
  if (runningSince !== null) startTicking();
  render();

  return {
    root,
    destroy() {
      if (interval !== null) window.clearInterval(interval);
      interval = null;
      saveClock(); // a running timer keeps running (by wall clock) while the reader is elsewhere
      panel.removeEventListener("click", onClick);
      root.removeEventListener("change", onCheck);
      panel.remove();
      root.classList.remove("practice-timer--active");
      for (const p of phases) {
        p.heading.classList.remove("practice-timer__current");
        p.heading.removeAttribute("aria-current");
      }
    },
  };
}

// --- wiring -------------------------------------------------------------------------------------

mountOnEveryPage("[data-practice-timer]", mount);
