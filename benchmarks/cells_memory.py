"""How big the Pyodide heap gets in one visit that runs every cell, with and without the release.

One interpreter serves the whole visit (Material's instant navigation keeps the worker), so every
page's cached data and models share one WebAssembly heap. When a cell runs on a different page
than the previous run, the worker first calls ``casestudies.memo.release()``. This script opens
one Chromium page (fresh profile), visits every page with cells through instant navigation — the
case studies first, then every other page — runs every cell with its Run button, and reads the
heap (``HEAP8.length``, reported by the worker; it only grows) after each page. Twice: as the site
runs, and with the release kept from happening (every cell claims the same page, so the worker
never sees a change of page), which is how the site ran before the release existed.

Not a test (tests/browser/test_cells.py asserts the limit): run with ``./dev bench cells_memory``;
writes benchmarks/results/cells_memory.{json,md}. ``CELLS_MEMORY_ONLY=case-studies/`` visits only
the pages under that path (and writes cells_memory-case-studies.{json,md}).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
TIMEOUT_MS = 180_000

_spec = importlib.util.spec_from_file_location("cells_startup", HERE / "cells_startup.py")
startup = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(startup)

SAME_PAGE = "() => { for (const cell of window.__handbookCells.cells) cell.page = '/'; }"


def pages_with_cells(site: Path) -> list[tuple[str, int]]:
    """(path, number of cells) of every page with cells: case studies first, then the rest."""
    pages = []
    for page in sorted(site.rglob("index.html")):
        count = page.read_text(encoding="utf-8").count('<div class="cell" data-cell=')
        rel = page.parent.relative_to(site).as_posix()
        if count and not rel.startswith("bench"):
            pages.append(("" if rel == "." else rel + "/", count))
    return sorted(pages, key=lambda p: (not p[0].startswith("case-studies/"), p[0]))


def visit(browser, url: str, pages: list[tuple[str, int]], release: bool) -> list[dict]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context()
    page = context.new_page()
    rows = []
    for i, (path, count) in enumerate(pages):
        if i == 0:
            page.goto(url + path)
        else:
            page.evaluate("""(href) => { const a = document.createElement('a'); a.href = href;
                a.textContent = 'next'; document.querySelector('article').append(a); a.click(); }""", url + path)
            page.wait_for_url(url + path)
        page.wait_for_function("""(n) => window.__handbookCells && window.__handbookCells.url === location.href
                                     && window.__handbookCells.cells.length === n""", arg=count, timeout=TIMEOUT_MS)
        if not release:
            page.evaluate(SAME_PAGE)
        states = []
        for n in range(count):
            page.evaluate("(n) => { document.querySelectorAll('.cell')[n].dataset.state = ''; }", n)
            page.locator(".cell .cell-run").nth(n).click()
            try:
                page.wait_for_function("""(n) => ['done', 'error', 'stopped', 'crashed', 'unavailable']
                    .includes(document.querySelectorAll('.cell')[n].dataset.state)""", arg=n, timeout=TIMEOUT_MS)
            except PlaywrightTimeout:
                status = page.evaluate("""(n) => [document.querySelectorAll('.cell')[n].dataset.state,
                    document.querySelectorAll('.cell')[n].querySelector('.cell-status').textContent,
                    window.__handbookRuntime.state]""", n)
                states.append(f"cell {n}: no result after {TIMEOUT_MS / 1000:.0f} s ({' / '.join(status)})")
                print(f"/{path}: {states[-1]}", flush=True)
                stop = page.locator(".cell .cell-stop").nth(n)
                if stop.is_enabled():
                    stop.click()
                    page.wait_for_function("() => window.__handbookRuntime.state === 'ready'", timeout=TIMEOUT_MS)
                continue
            states.append(page.evaluate("(n) => document.querySelectorAll('.cell')[n].dataset.state", n))
        heap = page.evaluate("() => window.__handbookRuntime.memory()")
        rows.append({"page": path, "cells": count, "not_done": [s for s in states if s != "done"], **heap})
        print(f"{'release' if release else 'no release'}: /{path} {heap['bytes'] / 2**20:.0f} MB", flush=True)
    # More than one start (a cell stopped after the timeout) means a fresh heap from there on.
    rows[-1]["python_starts"] = page.evaluate("window.__handbookRuntime.starts")
    context.close()
    return rows


def main() -> int:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="cells-memory-"))
    site = tmp / "site"
    handler = functools.partial(startup._Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}{startup.BASE}"
    prebuilt = os.environ.get("CELLS_BENCH_SITE")
    if prebuilt:
        shutil.copytree(prebuilt, site)
    else:
        print(f"building the site for {url} …", flush=True)
        startup.build_site(site, url)
    only = os.environ.get("CELLS_MEMORY_ONLY", "")
    pages = [p for p in pages_with_cells(site) if p[0].startswith(only)]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=startup.CHROMIUM, args=startup.ARGS, headless=True)
            runs = {"no_release": visit(browser, url, pages, False), "release": visit(browser, url, pages, True)}
            version = browser.version
            browser.close()
    finally:
        httpd.shutdown()
    studies = [p for p, _ in pages if p.startswith("case-studies/")]
    mb = lambda n: n / 2**20  # noqa: E731
    summary = {mode: {"after_case_studies_mb": mb(max(r["bytes"] for r in rows if r["page"] in studies)),
                      "after_every_page_mb": mb(rows[-1]["bytes"]),
                      "releases": rows[-1]["releases"], "dropped": rows[-1]["dropped"],
                      "python_starts": rows[-1]["python_starts"],
                      "cells_without_result": [f"/{r['page']} {s}" for r in rows for s in r["not_done"] if "no result" in s]}
               for mode, rows in runs.items()}
    report = {"summary": summary, "runs": runs, "case_studies": studies, "only": only,
              "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(),
                          "python": platform.python_version(), "chromium": version}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "cells_memory" + (f"-{only.strip('/').replace('/', '-')}" if only else "")
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(report), encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    print(markdown(report))
    return 0


def markdown(report: dict) -> str:
    s = report["summary"]
    lines = [
        "# Cells memory across pages", "",
        f"One visit, one worker: every page with cells{' under /' + report['only'] if report.get('only') else ''} "
        f"(case studies first: "
        f"{', '.join('/' + p for p in report['case_studies'])}), every cell run with its Run button; "
        f"Pyodide's heap (HEAP8.length: it only grows) after each page. Chromium "
        f"{report['machine']['chromium']}, {report['machine']['cpus']} CPUs.", "",
        "| | after the case studies | after every page | releases | cached results dropped | Python starts |",
        "|---|---|---|---|---|---|",
    ]
    for mode, label in (("release", "with release (the site)"), ("no_release", "without release (before)")):
        r = s[mode]
        lines.append(f"| {label} | {r['after_case_studies_mb']:.0f} MB | {r['after_every_page_mb']:.0f} MB "
                     f"| {r['releases']} | {r['dropped']} | {r['python_starts']} |")
        for problem in r["cells_without_result"]:
            lines.append(f"| {label}: {problem} | | | | | |")
    lines += ["", "Per page (MB after its cells ran):", "", "| page | cells | with release | without |",
              "|---|---|---|---|"]
    for a, b in zip(report["runs"]["release"], report["runs"]["no_release"]):
        flag = f" (not done: {', '.join(a['not_done'])})" if a["not_done"] else ""
        lines.append(f"| /{a['page']}{flag} | {a['cells']} | {a['bytes'] / 2**20:.0f} | {b['bytes'] / 2**20:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
