"""hooks/diagrams.py in Chromium: the build draws a diagram as Mermaid would in the page, and a
source Mermaid cannot parse fails the build with the reason."""

from __future__ import annotations

import importlib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

HOOKS = Path(__file__).resolve().parents[2] / "hooks"
sys.path.insert(0, str(HOOKS))
try:
    diagrams = importlib.import_module("diagrams")
finally:
    sys.path.remove(str(HOOKS))


def draw(*args):
    """hooks/diagrams.py drives Chromium with Playwright's sync API, which cannot run in a thread
    where another Playwright (the browser tests' own) already runs: draw in a thread of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(diagrams.draw, *args).result()


@pytest.fixture
def harness(built_site):
    """A built page with one diagram left as source, beside the page it copies (same relative
    URLs), so Material initialises Mermaid on it as on any page."""
    page = next(p for p in sorted(built_site.rglob("index.html"))
                if '<div class="mermaid" data-diagram="drawn">' in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    first = html.index('<div class="mermaid" data-diagram="drawn">')
    end = html.index("</template></div>", first) + len("</template></div>")
    copy = page.with_name("diagram-harness.html")
    copy.write_text(html[:first] + '<pre class="mermaid"><code>flowchart LR\n  P --&gt; Q</code></pre>'
                    + html[end:], encoding="utf-8")
    yield built_site, copy.relative_to(built_site).as_posix()
    copy.unlink()


def test_the_build_draws_each_source_into_an_svg_named_after_it(harness):
    site, page = harness
    sources = ["flowchart LR\n  A[Logged events] --> B[(Feature store)]",
               "sequenceDiagram\n  Client->>Server: request\n  Server-->>Client: scores"]
    svgs = draw(site, page, sources)
    for source in sources:
        svg = svgs[source]
        assert svg.startswith(f'<svg id="{diagrams.svg_id(source)}"'), svg[:80]
        assert "var(--md-mermaid" in svg, "Material's theme: colours stay custom properties"
    assert "Logged events" in svgs[sources[0]] and "Feature store" in svgs[sources[0]]
    assert "request" in svgs[sources[1]]


def test_a_source_mermaid_cannot_parse_fails_the_build_with_its_first_line(harness):
    site, page = harness
    with pytest.raises(PluginError, match=r"'flowchart LR'…: .*"):
        draw(site, page, ["flowchart LR\n  A --> B", "flowchart LR\n  A -->> -- [[["])
