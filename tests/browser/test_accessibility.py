"""axe-core (self-hosted from node_modules, injected by the test) on every page, light and dark.

Fails on any violation axe rates serious or critical. Minor and moderate findings are printed so
they stay visible without blocking.
"""

from __future__ import annotations

import pytest

BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(site_page_factory, all_pages, axe_source, scheme):
    # bypass_csp: the page's policy rightly refuses injected scripts; axe is test tooling.
    page = site_page_factory(color_scheme=scheme, bypass_csp=True)
    failures = []
    for path in all_pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.evaluate(axe_source + "\n;undefined")
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
        for v in result:
            line = f"{path or '/'} [{scheme}] {v['impact']}: {v['id']} — {v['help']} at {v['nodes']}"
            if v["impact"] in BLOCKING:
                failures.append(line)
            else:
                print(line)
    assert not failures, "accessibility violations:\n" + "\n".join(failures)
