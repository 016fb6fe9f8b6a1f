"""hooks/diagrams.py without a browser: finding the diagram sources in a built page, swapping in
drawings, the cache, and leaving diagrams to the browser when they cannot be drawn here. Drawing
in Chromium is tested in tests/browser/test_diagrams_build.py."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"

sys.path.insert(0, str(HOOKS))
try:
    diagrams = importlib.import_module("diagrams")
finally:
    sys.path.remove(str(HOOKS))

FLOW = "flowchart LR\n  A[Data &amp; labels] --> B[Model]"
SOURCE = "flowchart LR\n  A[Data & labels] --> B[Model]"       # what Mermaid reads
PAGE = (f'<p>Before.</p>\n<pre class="mermaid"><code>{FLOW.replace(">", "&gt;")}</code></pre>\n'
        '<p>Between.</p>\n<pre class="mermaid"><code>flowchart TB\n  X --&gt; Y</code></pre>\n<p>After.</p>')


def test_sources_are_read_as_mermaid_reads_them_in_page_order():
    assert diagrams.sources(PAGE) == [SOURCE, "flowchart TB\n  X --> Y"]
    assert diagrams.sources("<pre><code>flowchart LR</code></pre>") == []


def test_rewrite_swaps_only_the_drawn_diagrams_and_counts_both():
    new, drawn, left = diagrams.rewrite(PAGE, {SOURCE: "<svg id='s'></svg>"})
    assert (drawn, left) == (1, 1)
    assert ('<div class="mermaid" data-diagram="drawn"><template shadowrootmode="open">'
            "<svg id='s'></svg></template></div>") in new
    assert new.count('<pre class="mermaid">') == 1 and "X --&gt; Y" in new
    assert new.startswith("<p>Before.</p>") and new.endswith("<p>After.</p>")
    assert diagrams.rewrite(PAGE, {}) == (PAGE, 0, 2)


def test_the_key_and_the_svg_id_follow_the_source():
    assert diagrams.key(SOURCE) == diagrams.key(SOURCE)
    assert diagrams.key(SOURCE) != diagrams.key(SOURCE + " ")
    assert diagrams.svg_id(SOURCE).startswith("mmd-") and diagrams.svg_id(SOURCE) != diagrams.svg_id("x")
    assert "mermaid " in diagrams.versions() and "mkdocs-material " in diagrams.versions()


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(diagrams, "CACHE", tmp_path / "cache")
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "page" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "plain.html").write_text("<p>No diagram.</p>", encoding="utf-8")
    return site


def test_without_a_browser_the_diagrams_stay_for_the_browser_to_draw(site, monkeypatch, caplog):
    monkeypatch.setenv("HANDBOOK_DIAGRAMS", "browser")
    assert diagrams.renderer_available() == "HANDBOOK_DIAGRAMS=browser"
    with caplog.at_level("INFO", logger="mkdocs.plugins.diagrams"):
        diagrams.on_post_build({"site_dir": str(site)})
    assert (site / "page" / "index.html").read_text(encoding="utf-8") == PAGE
    assert "2 of 2 not drawn at build time (HANDBOOK_DIAGRAMS=browser)" in caplog.text


def test_cached_drawings_are_used_without_a_browser(site, monkeypatch):
    monkeypatch.setenv("HANDBOOK_DIAGRAMS", "browser")
    diagrams.store(SOURCE, "<svg id='cached'></svg>")
    assert diagrams.cached(SOURCE) == "<svg id='cached'></svg>"
    assert [p.name for p in diagrams.CACHE.iterdir()] == [f"{diagrams.key(SOURCE)}.svg"]  # no temp file left
    diagrams.on_post_build({"site_dir": str(site)})
    page = (site / "page" / "index.html").read_text(encoding="utf-8")
    assert "<svg id='cached'></svg>" in page and page.count('<pre class="mermaid">') == 1
    assert (site / "plain.html").read_text(encoding="utf-8") == "<p>No diagram.</p>"
