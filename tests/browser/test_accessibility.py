"""axe-core (self-hosted from node_modules, injected by the test) on every page, light and dark.

Fails on any violation axe rates serious or critical; minor and moderate findings are printed so
they stay visible without blocking.

Every rule runs on every page in the light palette. The dark palette changes colours and nothing
else in the DOM, so in dark mode only the colour-contrast rule runs. One more economy: the contrast
of syntax-highlighted code (thousands of token spans per page with cells, many seconds of axe time
each) is checked on a sample of pages; token colours come from one stylesheet, so the pages with
the most highlighted code cover them.
"""

from __future__ import annotations

import pytest
from page_helpers import NO_WARM_UP, diagram_count, wait_for_diagrams

BLOCKING = {"serious", "critical"}
CODE_SAMPLE = 3  # pages whose highlighted code is contrast-checked, per colour scheme

RUN_AXE = """async ([context, options]) => {
    const r = await axe.run(context || document, Object.assign({resultTypes: ['violations']}, options));
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _code_heavy_pages(server, pages: list[str]) -> list[str]:
    def spans(path: str) -> int:
        return (server.root / path / "index.html").read_text(encoding="utf-8").count("<span class=")
    return sorted(pages, key=spans, reverse=True)[:CODE_SAMPLE]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(site_page_factory, site_server, all_pages, axe_source, scheme):
    # bypass_csp: the page's policy rightly refuses injected scripts; axe is test tooling.
    page = site_page_factory(color_scheme=scheme, bypass_csp=True)
    page.add_init_script(NO_WARM_UP)
    full_check = set(_code_heavy_pages(site_server, all_pages))
    failures = []
    for path in all_pages:
        # "load", not "networkidle": pages with cells keep fetching Pyodide in the background.
        page.goto(path)
        wait_for_diagrams(page, diagram_count(site_server, path))  # axe checks the page as read
        page.evaluate(axe_source + "\n;undefined")
        contrast = [(None if path in full_check else {"exclude": [[".highlight"]]},
                     {"runOnly": ["color-contrast"]})]   # None: the whole document
        if scheme == "light":
            runs = [(None, {"rules": {"color-contrast": {"enabled": False}}})] + contrast
        else:
            runs = contrast
        for context, options in runs:
            result = page.evaluate(RUN_AXE, [context, options])
            for v in result:
                line = f"{path or '/'} [{scheme}] {v['impact']}: {v['id']} — {v['help']} at {v['nodes']}"
                if v["impact"] in BLOCKING:
                    failures.append(line)
                else:
                    print(line)
    assert not failures, "accessibility violations:\n" + "\n".join(failures)
