"""Small helpers shared by the browser tests: quiet pages and rendered diagrams."""

from __future__ import annotations

import re

DIAGRAM_TIMEOUT_MS = 20_000

# Pages with cells start Python in a worker as soon as they open (the build's signal in the head).
# That costs seconds of CPU per page and is not what the site and accessibility tests look at (the
# page's DOM is), so they switch the warm-up off with the runtime's own option (docs/assets/cells/
# cells.js): then nothing loads until a Run.
NO_WARM_UP = "window.__handbookCellsOptions = { warmUp: false };"

# Material fetches sitemap.xml after load and hands link clicks to instant navigation only once the
# sitemap is parsed. Its parse goes through DOMParser: flag it, in a microtask, so the flag is up
# only once the parsed URL set is in place.
WATCH_SITEMAP = """(() => { const parse = DOMParser.prototype.parseFromString;
  DOMParser.prototype.parseFromString = function (text, type) {
    const doc = parse.call(this, text, type);
    if (doc.querySelector && doc.querySelector("urlset")) queueMicrotask(() => { window.__handbookSitemap = true; });
    return doc;
  }; })();"""


def wait_for_cells_runtime(site_page) -> None:
    """Wait until the cells runtime has taken in the page shown now (it mounts every page Material
    shows, after Material's own components): whatever it decided to load, it has asked for."""
    site_page.wait_for_function(
        "() => window.__handbookCells !== undefined && window.__handbookCells.url === location.href",
        timeout=DIAGRAM_TIMEOUT_MS)


def diagram_count(server, path: str) -> int:
    """How many Mermaid diagrams the built page at ``path`` has."""
    html = (server.root / path / "index.html").read_text(encoding="utf-8")
    return len(re.findall(r'<pre class="mermaid"|<div class="mermaid" data-diagram="drawn"', html))


def wait_for_diagrams(site_page, expected: int) -> None:
    """Wait until the page has ``expected`` diagrams: each one drawn at build time has its SVG
    attached in an open shadow root, and Material has replaced every other
    ``pre.mermaid`` with a diagram Mermaid drew in the browser (into a closed root)."""
    if expected == 0:
        return
    site_page.wait_for_function(
        """(n) => {
            const all = [...document.querySelectorAll('div.mermaid')];
            const drawn = all.filter(d => d.dataset.diagram === 'drawn');
            const shown = drawn.every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'));
            const inBrowser = all.length - drawn.length;
            return document.querySelectorAll('pre.mermaid').length === 0 && all.length === n && shown
                && (inBrowser === 0 || (window.__handbookDiagrams && window.__handbookDiagrams.rendered >= inBrowser));
        }""",
        arg=expected, timeout=DIAGRAM_TIMEOUT_MS)
