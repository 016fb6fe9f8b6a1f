"""Small helpers shared by the browser tests: quiet pages and rendered diagrams."""

from __future__ import annotations

import re

DIAGRAM_TIMEOUT_MS = 20_000

# Pages with cells warm up Python in a worker when the browser is idle or a cell scrolls into view.
# That costs seconds of CPU per page and is not what the site and accessibility tests look at (the
# page's DOM is), so they keep the warm-up from starting: no idle callbacks, no intersection events.
NO_WARM_UP = """
window.requestIdleCallback = () => 0;
window.cancelIdleCallback = () => {};
window.IntersectionObserver = class { observe() {} unobserve() {} disconnect() {} takeRecords() { return []; } };
"""


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
