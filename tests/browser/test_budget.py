"""The page's own cost: what a page without diagrams transfers before Python's warm-up.

Every such page is opened in a fresh browser context (empty cache), with the cells' warm-up off
(Python, the library, the editor and chart bundles are the warm-up's cost, fetched in the
background on pages with cells, and not this budget's). The server compresses text as a static
host does, so the sum is what a reader downloads: response bodies as transferred, plus headers.
Diagrams bring Mermaid (its own cost, loaded only where a page has one), so pages with diagrams
are left out.
"""

from __future__ import annotations

import pytest
from page_helpers import NO_WARM_UP, diagram_count

BUDGET_BYTES = 200_000  # transferred (gzip for text) before the warm-up, per page without diagrams


def test_every_page_without_diagrams_transfers_less_than_the_budget(site_page_factory, site_server, all_pages):
    pages = [p for p in all_pages if not diagram_count(site_server, p)]
    assert len(pages) > 10, pages
    over, sizes = [], {}
    for path in pages:
        page = site_page_factory()
        page.add_init_script(NO_WARM_UP)
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(path, wait_until="networkidle")
        total = 0
        for request in finished:
            size = request.sizes()
            total += size["responseBodySize"] + size["responseHeadersSize"]
        sizes[path] = total
        if total > BUDGET_BYTES:
            over.append(f"/{path}: {total:,} bytes")
        page.context.close()
    heaviest = max(sizes, key=sizes.get)
    print(f"heaviest page without diagrams: /{heaviest} {sizes[heaviest]:,} bytes transferred")
    assert not over, f"over the {BUDGET_BYTES:,}-byte budget: " + "; ".join(over)
    assert sizes[heaviest] > 50_000, "the sizes are not being counted"
