/*
 * What the handbook's page modules (practice-timer.js, question-bank.js) share: a small element
 * builder, and mounting on every page switch.
 *
 * Material's instant navigation swaps the page content without reloading and runs a module only
 * once per document, so `mountOnEveryPage` subscribes to Material's `document$` observable, which
 * emits after every page switch: each emission mounts the feature if the page has its root element
 * and tears down the previous mount (intervals, listeners) otherwise.
 */

export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") el.textContent = value;
    else el.setAttribute(name, value);
  }
  for (const child of children) el.append(child);
  return el;
}

/** Call `mount(root)` for the element matching `selector` on every page; it returns `{ root, destroy }`. */
export function mountOnEveryPage(selector, mount) {
  let current = null;
  function mountPage() {
    const root = document.querySelector(selector);
    if (current && current.root === root) return; // same content, already mounted
    if (current) {
      current.destroy();
      current = null;
    }
    if (root) current = mount(root);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountPage, { once: true });
  } else {
    mountPage();
  }
}
