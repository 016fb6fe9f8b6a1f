"""The site as a reader meets it: every page loads, every diagram renders, search works.

Every test here runs through the ``site_page`` fixture, so each one also proves that the page made
no request to another origin, got no HTTP error and logged no console error.
"""

from __future__ import annotations

import pytest
from page_helpers import NO_WARM_UP, WATCH_SITEMAP, diagram_count, wait_for_cells_runtime, wait_for_diagrams


@pytest.fixture
def site_page(site_page_factory):
    """These tests are about pages, diagrams and search; the cells have their own tests. Keep
    Python from warming up in the background on every page visited (seconds of CPU each)."""
    page = site_page_factory()
    page.add_init_script(NO_WARM_UP)
    return page


def test_every_page_loads_with_title_and_content(site_page, all_pages):
    for path in all_pages:
        site_page.goto(path)
        title = site_page.title()
        assert title and "404" not in title, f"{path}: bad title {title!r}"
        h1 = site_page.locator("article h1").first
        assert h1.count() == 1 and h1.inner_text().strip(), f"{path}: no heading"


def test_every_diagram_renders_as_svg(site_page, site_server, all_pages):
    pages_with_diagrams = [p for p in all_pages if diagram_count(site_server, p)]
    assert pages_with_diagrams, "no page has a diagram; the landing page should"
    for path in pages_with_diagrams:
        expected = diagram_count(site_server, path)
        site_page.goto(path)
        wait_for_diagrams(site_page, expected)


def test_diagrams_render_after_instant_navigation(site_page, site_server, all_pages):
    """Go to a page without diagrams first, then follow in-site links (Material's instant loading)."""
    with_diagrams = [p for p in all_pages if diagram_count(site_server, p)]
    without = [p for p in all_pages if not diagram_count(site_server, p)]
    start = without[0] if without else all_pages[0]
    # Material hands a click to instant navigation only for URLs in the sitemap it fetches after
    # load; a click before the sitemap arrives is an ordinary full page load.
    site_page.add_init_script(WATCH_SITEMAP)
    site_page.goto(start)
    site_page.wait_for_function("() => window.__handbookSitemap === true", timeout=20_000)
    for path in with_diagrams[:6]:
        href = site_server.url(path)
        # Trigger a real link click so Material's instant navigation handles it (no full reload).
        site_page.evaluate(
            """(href) => { const a = document.createElement('a'); a.href = href;
                           a.textContent = 'go'; document.querySelector('article').append(a); a.click(); }""",
            href)
        site_page.wait_for_url(href)
        wait_for_diagrams(site_page, diagram_count(site_server, path))
    # It really was instant navigation: the document that loaded first is still the same one.
    assert site_page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert site_page.evaluate("performance.getEntriesByType('navigation')[0].name") == site_server.url(start)


def test_mermaid_is_not_downloaded_where_the_build_drew_the_diagrams(site_page, site_server, all_pages):
    """The build draws every diagram (hooks/diagrams.py), so no page downloads Mermaid."""
    with_diagrams = [p for p in all_pages if diagram_count(site_server, p)]
    without = [p for p in all_pages if not diagram_count(site_server, p)]
    if not without:
        pytest.fail("every page has a diagram; this test needs one without", pytrace=False)
    requested = []
    site_page.on("request", lambda r: requested.append(r.url))
    for path in [without[0], *with_diagrams[:3]]:
        site_page.goto(path)
        wait_for_cells_runtime(site_page)   # Material has taken in the page, diagrams and all
        wait_for_diagrams(site_page, diagram_count(site_server, path))
    assert site_page.evaluate("window.__handbookDiagrams.rendered") == 0
    assert not [u for u in requested if "mermaid.min.js" in u]


def test_a_drawn_diagram_is_laid_out_and_follows_the_palette(site_page_factory, site_server, all_pages):
    path = next(p for p in all_pages if diagram_count(site_server, p))
    inks = {}
    for scheme in ("light", "dark"):
        page = site_page_factory(color_scheme=scheme)
        page.add_init_script(NO_WARM_UP)
        page.goto(path)
        wait_for_diagrams(page, diagram_count(site_server, path))
        box = page.evaluate("""() => {
            const svg = document.querySelector('div.mermaid[data-diagram=drawn]').shadowRoot.querySelector('svg');
            svg.scrollIntoView();
            const r = svg.getBoundingClientRect();
            const label = svg.querySelector('.node .nodeLabel, .node text, .nodeLabel');
            return { width: r.width, height: r.height, labels: svg.textContent.trim().length,
                     ink: label ? getComputedStyle(label).color : null };
        }""")
        assert box["width"] > 100 and box["height"] > 30, box
        assert box["labels"] > 0, "the diagram's labels are part of the drawing"
        inks[scheme] = box["ink"]
    # The drawing keeps Material's colour variables, so the dark palette recolours its labels.
    assert inks["light"] and inks["dark"] and inks["light"] != inks["dark"], inks


def test_a_diagram_left_as_source_is_drawn_in_the_browser(site_page, site_server, all_pages):
    """The fallback (a build without Chromium keeps the source): mermaid-loader.js loads the pinned
    Mermaid from this site and Material draws the diagram."""
    path = next(p for p in all_pages if diagram_count(site_server, p))
    html = (site_server.root / path / "index.html").read_text(encoding="utf-8")
    source = '<pre class="mermaid"><code>flowchart LR\n  A[Source] --&gt; B[Drawn in the browser]</code></pre>'
    first = html.index('<div class="mermaid" data-diagram="drawn">')
    end = html.index("</template></div>", first) + len("</template></div>")
    served = html[:first] + source + html[end:]
    site_page.page.route(site_server.url(path), lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=served))
    requested = []
    site_page.on("request", lambda r: requested.append(r.url))
    site_page.goto(path)
    wait_for_diagrams(site_page, diagram_count(site_server, path))
    assert site_page.evaluate("window.__handbookDiagrams.rendered") == 1
    assert [u for u in requested if u.startswith(site_server.origin) and u.endswith("mermaid.min.js")]


def test_search_finds_a_term(site_page):
    requested = []
    site_page.on("request", lambda r: requested.append(r.url))
    site_page.goto("")
    # Material has asked for the index (it mounts search after load), and it is held back: the index
    # (the largest file a page would load) waits until the reader reaches for search.
    site_page.wait_for_function("() => window.__handbookSearch.held >= 1", timeout=20_000)
    assert not [u for u in requested if u.endswith("/search/search_index.json")]
    with site_page.expect_request_finished(lambda r: r.url.endswith("/search/search_index.json")):
        site_page.locator("input.md-search__input").click()
    # Type like a reader: Material searches on each keystroke, through its search worker.
    site_page.keyboard.type("framework", delay=40)
    results = site_page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1
    assert "framework" in results.first.inner_text().lower()


def test_404_page_is_served_for_unknown_paths(site_page):
    site_page.record.expect_failure(r"HTTP 404: .*/no-such-page/")
    site_page.record.expect_console_error(r"status of 404")
    response = site_page.page.goto(site_page.server.url("no-such-page/"))
    assert response.status == 404
    # The site's own 404 page, styled (its assets load from the base path, not the missing path).
    assert "404" in site_page.locator("article").inner_text()
    assert site_page.evaluate("getComputedStyle(document.body).fontFamily") != ""


def test_palette_toggle_switches_dark_and_light(site_page_factory):
    page = site_page_factory(color_scheme="dark")
    page.goto("")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    light = site_page_factory(color_scheme="light")
    light.goto("")
    assert light.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
