/*
 * Small accessibility fixes to the theme's markup: give the search dialog an accessible name
 * (axe: aria-dialog-name). The header is kept across instant navigation, so once is enough.
 */
(function () {
  "use strict";
  function label() {
    var search = document.querySelector(".md-search[role='dialog']");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
})();
