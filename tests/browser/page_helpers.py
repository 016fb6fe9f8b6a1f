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
    return len(re.findall(r'<pre class="mermaid"', html))


def wait_for_diagrams(site_page, expected: int) -> None:
    """Wait until Material has replaced every ``pre.mermaid`` with a rendered diagram."""
    if expected == 0:
        return
    site_page.wait_for_function(
        """(n) => document.querySelectorAll('pre.mermaid').length === 0
               && document.querySelectorAll('div.mermaid').length === n
               && window.__handbookDiagrams && window.__handbookDiagrams.rendered >= n""",
        arg=expected, timeout=DIAGRAM_TIMEOUT_MS)
