"""How fast a reader gets output from a cell, against the floor of loading Pyodide at all.

One run, one Chromium (the system one), a fresh profile (browser context: empty cache and storage)
for every measurement, the site served from 127.0.0.1 under /handbook/ like a project site:

F  floor: a blank page whose module worker only loads the same Pyodide (same files, same options).
   Time from navigation start to "Pyodide ready" in the page.
C  cold: open a page with cells and click Run as soon as the button exists, on a cell that imports
   mlsd and prints one line. Time from navigation start to that line on screen. Python starts from
   the build's memory snapshot (checked: the run fails if it started the plain way). Target
   C <= 0.5 F.
P  plain: C with the snapshot switched off (`__handbookCellsOptions.snapshot = false`): what a
   reader waits when the snapshot cannot be used and Python falls back to the plain start.
I  idle: same page, wait 10 s (the page warms up in the background), then click Run. Time from
   the click to the line on screen. Target <= 300 ms.
W  warm: run a `print(1)` cell once, then again. Time from the second click to "1" on screen.
   Target <= 50 ms.
B  bytes: what the page transferred apart from the background warm-up (the page's own cost: every
   file but Python's worker, Pyodide, the library zip and the editor and chart bundles — the
   warm-up starts from a signal in the head, so it overlaps the page's own downloads), and in
   total before the first Run after 10 s idle (with the warm-up). Sizes are as served here,
   uncompressed; the gzip size of each file is given too, since static hosts such as GitHub Pages
   compress text.
S  snapshot: the size of the memory snapshot, raw and as served (gzip).

The page is a real built page with cells whose first two cells' programs are replaced by the two
benchmark programs, and whose diagrams are removed (the byte target is for a page without
diagrams) — the same HTML, scripts and styles otherwise.

Not a test: run with ``./dev bench cells_startup`` (or ``python benchmarks/cells_startup.py``);
writes benchmarks/results/cells_startup.{json,md}.
"""

from __future__ import annotations

import functools
import gzip
import html
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BASE = "/handbook/"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUNS = int(os.environ.get("CELLS_BENCH_RUNS", "9"))  # single runs swing by a third on 2 busy cores
IDLE_S = 10
MLSD_CELL = 'from mlsd import show\nprint("mlsd is ready", len(show.VARIES))\n'
MLSD_LINE = "mlsd is ready 1"
PRINT_CELL = "print(1)\n"
# The files of the background warm-up; everything else a page loads is the page's own cost.
WARM_UP_FILES = re.compile(r"/assets/(vendor/pyodide/|py/|cells/(worker|protocol|python)\.js$"
                           r"|cells/(editor|charts)\.bundle\.js$)")
TIMEOUT_MS = 180_000

FLOOR_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body>
<p id="state">loading</p><script type="module" src="floor.js"></script></body></html>"""
FLOOR_JS = """const worker = new Worker(new URL("./floor-worker.js", import.meta.url), {type: "module"});
worker.onmessage = (e) => { window.__floor = {ready: performance.now(), worker: e.data};
  document.getElementById("state").textContent = "ready"; };
worker.onerror = (e) => { window.__floor = {error: e.message || "worker error"}; };"""
FLOOR_WORKER = """const indexURL = new URL("../../assets/vendor/pyodide/", self.location.href).href;
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
const py = await loadPyodide({ indexURL, env: { PYTHONHASHSEED: "0" }, packages: [] });
py.runPython("print(1)");
postMessage("ready");"""

# Record when cell n's Run button is clicked, and when its output — cleared by the run — first
# contains `text` (the pre-rendered output of the original program never counts).
WATCH = """([n, text]) => {
  const cell = document.querySelectorAll('.cell')[n];
  const out = cell.querySelector('.cell-output');
  const bench = window.__bench = {clicked: null, cleared: false, shown: null};
  cell.querySelector('.cell-run').addEventListener('click', () => { bench.clicked = performance.now(); },
                                                   {capture: true, once: true});
  new MutationObserver(() => {
    if (bench.clicked === null || bench.shown !== null) return;
    if (out.textContent === '') bench.cleared = true;
    else if (bench.cleared && out.textContent.includes(text)) bench.shown = performance.now();
  }).observe(out, {childList: true, subtree: true, characterData: true});
}"""


# --- site --------------------------------------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".zip": "application/zip"}

    def translate_path(self, path):
        clean = urlsplit(path).path
        if not clean.startswith(BASE):
            return str(Path(self.directory) / "__outside__")
        return super().translate_path("/" + clean[len(BASE):])

    def log_message(self, *args):
        pass


def build_site(dest: Path, url: str) -> None:
    env = dict(os.environ, SITE_URL=url, NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    proc = subprocess.run([str(mkdocs), "build", "--site-dir", str(dest)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{proc.stderr[-3000:]}")


def pick_page(site: Path) -> Path:
    """A section/page/ with at least two cells, the fewest diagrams first."""
    pages = []
    for html in sorted(site.glob("*/*/index.html")):
        text = html.read_text(encoding="utf-8")
        if text.count('<div class="cell" data-cell=') >= 2:
            pages.append((text.count('class="mermaid"'), html))
    if not pages:
        raise SystemExit("no page with two cells in the built site")
    return min(pages, key=lambda p: p[0])[1]


def make_bench_page(site: Path) -> str:
    """Copy a real page to bench/cells/ (same depth, so every relative link still works) with its
    first two programs replaced and no diagrams; return the original page's path."""
    page = pick_page(site)
    text = page.read_text(encoding="utf-8")
    # A cell's program is the text of its code block (see hooks/cells_html.py).
    codes = list(re.finditer(r'(<div class="cell-code"[^>]*>)(.*?</code></pre></div>)(</div>)', text, re.S))
    for match, program in reversed(list(zip(codes[:2], [MLSD_CELL, PRINT_CELL]))):
        block = f'<div class="language-python highlight"><pre><span></span><code>{html.escape(program)}</code></pre></div>'
        text = text[:match.start(2)] + block + text[match.end(2):]
    if len(codes) < 2 or "data-cell-source=" in text:
        raise SystemExit("the page's cells no longer look as this benchmark expects (hooks/cells_html.py)")
    # Diagrams out: the byte target is for a page without diagrams (Mermaid is its own cost).
    text = re.sub(r'<pre class="mermaid">.*?</pre>', "", text, flags=re.S)
    dest = site / "bench" / "cells"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "index.html").write_text(text, encoding="utf-8")
    rel = page.parent.relative_to(site)
    floor = site / "bench" / "floor"
    floor.mkdir(parents=True, exist_ok=True)
    (floor / "index.html").write_text(FLOOR_HTML, encoding="utf-8")
    (floor / "floor.js").write_text(FLOOR_JS, encoding="utf-8")
    (floor / "floor-worker.js").write_text(FLOOR_WORKER, encoding="utf-8")
    return rel.as_posix() + "/"


# --- measurements --------------------------------------------------------------------------------

def measure_floor(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "bench/floor/")
    page.wait_for_function("() => window.__floor !== undefined", timeout=TIMEOUT_MS)
    floor = page.evaluate("window.__floor")
    context.close()
    if "error" in floor:
        raise SystemExit(f"the floor page failed: {floor['error']}")
    return floor["ready"]


def _watch(page, n: int, text: str) -> None:
    page.evaluate(WATCH, [n, text])


def _wait_shown(page) -> dict:
    page.wait_for_function("() => window.__bench && window.__bench.shown !== null", timeout=TIMEOUT_MS)
    return page.evaluate("window.__bench")


def measure_cold(browser, url: str, snapshot: bool = True) -> float:
    context = browser.new_context()
    page = context.new_page()
    if not snapshot:
        page.add_init_script("window.__handbookCellsOptions = { snapshot: false };")
    page.goto(url + "bench/cells/", wait_until="commit")
    page.locator(".cell .cell-run").first.wait_for()
    _watch(page, 0, MLSD_LINE)
    page.locator(".cell .cell-run").first.click()
    shown = _wait_shown(page)
    marks = page.evaluate("""() => Object.fromEntries(['cells:start', 'cells:library', 'cells:ready']
        .map((n) => [n, (performance.getEntriesByName(n)[0] || {}).startTime ?? null]))""")
    marks["dom_content_loaded"] = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    marks["clicked"] = shown["clicked"]
    how = page.evaluate("window.__handbookRuntime.how")
    context.close()
    if how != ("snapshot" if snapshot else "plain"):
        raise SystemExit(f"Python started {how!r}, not as this measurement needs (snapshot={snapshot})")
    return shown["shown"], marks


def measure_idle_warm_bytes(browser, url: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    started, finished, responses = [], [], {}
    page.on("request", lambda r: started.append(r))
    page.on("requestfinished", lambda r: finished.append(r))
    page.on("response", lambda r: responses.setdefault(r.url, r))
    page.goto(url + "bench/cells/")
    page.locator(".cell .cell-run").first.wait_for()
    time.sleep(IDLE_S)
    # Bytes: everything finished so far, split into the page's own files and the warm-up's.
    ready = page.evaluate("() => window.__handbookRuntime ? window.__handbookRuntime.state : 'none'")
    files = []
    for r in list(finished):
        sizes = r.sizes()
        files.append({"url": r.url, "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                      "eager": not WARM_UP_FILES.search(urlsplit(r.url).path)})
    # Streamed WebAssembly compiles may not report "finished" to the test harness: count those
    # by their Content-Length (the file is fully requested; it may still be arriving).
    in_flight = [r.url for r in started if r not in finished]
    for u in in_flight:
        resp = responses.get(u)
        length = resp.headers.get("content-length") if resp else None
        if length:
            files.append({"url": u, "bytes": int(length), "eager": not WARM_UP_FILES.search(urlsplit(u).path), "in_flight": True})
    _watch(page, 0, MLSD_LINE)
    page.locator(".cell .cell-run").first.click()
    idle = _wait_shown(page)
    # Warm: print(1) twice; time the second.
    page.locator(".cell .cell-run").nth(1).click()
    page.wait_for_function("() => document.querySelectorAll('.cell')[1].dataset.state === 'done'",
                           timeout=TIMEOUT_MS)
    _watch(page, 1, "1")
    page.evaluate("() => { document.querySelectorAll('.cell')[1].dataset.state = 'again'; }")
    page.locator(".cell .cell-run").nth(1).click()
    warm = _wait_shown(page)
    context.close()
    return {"idle_ms": idle["shown"] - idle["clicked"], "warm_ms": warm["shown"] - warm["clicked"],
            "files": files, "in_flight": in_flight, "state_after_idle": ready}


def gzip_size(site: Path, url: str) -> int | None:
    path = urlsplit(url).path
    if not path.startswith(BASE):
        return None
    local = site / path[len(BASE):]
    if local.is_dir():
        local = local / "index.html"
    return len(gzip.compress(local.read_bytes(), 9)) if local.is_file() else None


# --- report --------------------------------------------------------------------------------------

def main() -> int:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="cells-bench-"))
    site = tmp / "site"
    handler = functools.partial(_Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}{BASE}"
    prebuilt = os.environ.get("CELLS_BENCH_SITE")  # a site built already (any base URL works)
    if prebuilt:
        shutil.copytree(prebuilt, site)
    else:
        print(f"building the site for {url} …", flush=True)
        build_site(site, url)
    source_page = make_bench_page(site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    runs = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            measure_floor(browser, url)  # warm the OS file cache and the server once, not counted
            for i in range(RUNS):
                run = {"F_ms": measure_floor(browser, url)}
                run["C_ms"], run["C_marks"] = measure_cold(browser, url)
                run["P_ms"], _ = measure_cold(browser, url, snapshot=False)
                run.update(measure_idle_warm_bytes(browser, url))
                runs.append(run)
                print(f"run {i + 1}/{RUNS}: F {run['F_ms']:.0f} ms, C {run['C_ms']:.0f} ms, P {run['P_ms']:.0f} ms, "
                      f"I {run['idle_ms']:.0f} ms, W {run['warm_ms']:.1f} ms", flush=True)
            version = browser.version
            browser.close()
    finally:
        httpd.shutdown()

    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    last = runs[-1]["files"]
    eager = [f for f in last if f["eager"]]
    for f in last:
        f["gzip"] = gzip_size(site, f["url"])
        f["url"] = urlsplit(f["url"]).path
    summary = {
        "F_ms": med("F_ms"), "C_ms": med("C_ms"), "C_over_F": med("C_ms") / med("F_ms"),
        "P_ms": med("P_ms"), "P_over_F": med("P_ms") / med("F_ms"), "snapshot": snapshot_size(site),
        "I_ms": med("idle_ms"), "W_ms": med("warm_ms"),
        "page_bytes": sum(f["bytes"] for f in eager),
        "page_bytes_gzip": sum(f["gzip"] or f["bytes"] for f in eager),
        "bytes_before_first_run": sum(f["bytes"] for f in last),
        "bytes_before_first_run_gzip": sum(f["gzip"] or f["bytes"] for f in last),
    }
    summary["every_page"] = every_page_estimate(site, eager, BASE + "bench/cells/")
    targets = {"C_over_F": 0.5, "I_ms": 300, "W_ms": 50, "page_bytes": 500_000}
    report = {
        "summary": summary, "targets": targets,
        "met": {k: summary[k] <= v for k, v in targets.items()},
        "runs": [{k: v for k, v in r.items() if k != "files"} for r in runs],
        "in_flight_after_idle_last_run": runs[-1]["in_flight"],
        "files_last_run": sorted(last, key=lambda f: -f["bytes"]),
        "page": f"bench/cells/ (a copy of /{source_page}: first two programs replaced, diagrams removed)",
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "python": platform.python_version(),
                    "chromium": version},
        "runs_count": RUNS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cells_startup.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "cells_startup.md").write_text(markdown(report), encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    print(markdown(report))
    return 0


def snapshot_size(site: Path) -> dict:
    """The memory snapshot's name and size: raw (what the worker restores) and as served (gzip)."""
    (path,) = (site / "assets" / "py").glob("*.snap.gz")
    return {"name": path.name, "raw": len(gzip.decompress(path.read_bytes())), "gzip": path.stat().st_size}


def every_page_estimate(site: Path, eager: list[dict], bench_path: str) -> dict:
    """The page's own bytes (without the warm-up) for every page without diagrams, computed rather
    than measured: the files the benchmarked page loaded besides its own HTML and the warm-up (the
    same on every page) plus each page's own HTML."""
    shared = sum(f["bytes"] for f in eager if urlsplit(f["url"]).path != bench_path)
    pages = {}
    for html_file in site.rglob("index.html"):
        rel = html_file.parent.relative_to(site).as_posix()
        text = html_file.read_text(encoding="utf-8")
        if rel.startswith("bench") or 'class="mermaid"' in text:
            continue
        pages[rel + "/" if rel != "." else ""] = shared + html_file.stat().st_size
    heaviest = max(pages, key=pages.get)
    return {"pages": len(pages), "over_500_kb": sorted(p for p, b in pages.items() if b > 500_000),
            "heaviest": heaviest, "heaviest_bytes": pages[heaviest], "shared_bytes": shared}


def every_page_line(e: dict) -> str:
    over = ", ".join(f"/{p}" for p in e["over_500_kb"]) or "none"
    return (f"Every page without diagrams ({e['pages']} pages; computed: the {e['shared_bytes'] / 1000:,.0f} KB of "
            f"files every page loads besides the warm-up, measured above, plus the page's own HTML): the heaviest is "
            f"/{e['heaviest']} at {e['heaviest_bytes'] / 1000:,.0f} KB; over 500 KB: {over}.")


def markdown(report: dict) -> str:
    s, t, met = report["summary"], report["targets"], report["met"]
    ok = lambda k: "yes" if met[k] else "**no**"  # noqa: E731
    kb = lambda n: f"{n / 1000:,.0f} KB"  # noqa: E731
    lines = [
        "# Cells start-up", "",
        f"Medians of {report['runs_count']} runs, fresh browser profile each, site served from 127.0.0.1 "
        f"(Chromium {report['machine']['chromium']}, {report['machine']['cpus']} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in report['machine']['load_average'])} when it finished). "
        f"Page: {report['page']}.", "",
        "| measure | median | target | met |", "|---|---|---|---|",
        f"| F: blank page, Pyodide ready in a worker | {s['F_ms']:,.0f} ms | floor | |",
        f"| C: open page, click Run at once → line shown (from the snapshot) | {s['C_ms']:,.0f} ms | ≤ 0.5 × F | |",
        f"| C / F | {s['C_over_F']:.2f} | ≤ 0.5 | {ok('C_over_F')} |",
        f"| P: the same with the snapshot off (the fallback, a plain start) | {s['P_ms']:,.0f} ms "
        f"({s['P_over_F']:.2f} × F) | — | |",
        f"| S: the memory snapshot ({s['snapshot']['name']}) | {kb(s['snapshot']['raw'])} raw, "
        f"{kb(s['snapshot']['gzip'])} as served (gzip) | — | |",
        f"| I: after 10 s idle, click → line shown | {s['I_ms']:,.0f} ms | ≤ 300 ms | {ok('I_ms')} |",
        f"| W: second Run of `print(1)` → output | {s['W_ms']:,.1f} ms | ≤ 50 ms | {ok('W_ms')} |",
        f"| bytes without the background warm-up (the page's own cost) | {kb(s['page_bytes'])} "
        f"({kb(s['page_bytes_gzip'])} gzipped) | ≤ 500 KB | {ok('page_bytes')} |",
        f"| bytes before the first Run after 10 s idle (with the warm-up) | {kb(s['bytes_before_first_run'])} "
        f"({kb(s['bytes_before_first_run_gzip'])} gzipped) | — | |",
        "", every_page_line(s["every_page"]),
        "", "Largest files of the last run (bytes as served; gzip for reference; * = the page's own, not the warm-up):", "",
        "| file | bytes | gzip |", "|---|---|---|",
    ]
    for f in report["files_last_run"][:15]:
        lines.append(f"| {'* ' if f['eager'] else ''}{f['url']}{' (in flight)' if f.get('in_flight') else ''} | {f['bytes']:,} | "
                     f"{f['gzip']:,} |" if f.get("gzip") else
                     f"| {'* ' if f['eager'] else ''}{f['url']}{' (in flight)' if f.get('in_flight') else ''} | {f['bytes']:,} | |")
    if report["in_flight_after_idle_last_run"]:
        lines += ["", "Not reported finished after 10 s idle in the last run (counted by Content-Length): "
                  + ", ".join(urlsplit(u).path for u in report["in_flight_after_idle_last_run"])]
    lines += ["", "Per run (ms since navigation start; C's timeline: page ready (DOMContentLoaded), Run "
              "clicked, worker started, Pyodide loaded (library loading starts), Python ready; Python's "
              "state after the 10 s idle of I):", "",
              "| F | C | P | C: page ready | clicked | worker | Pyodide loaded | ready | I | W | state |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    fmt = lambda v: "—" if v is None else f"{v:,.0f}"  # noqa: E731
    for r in report["runs"]:
        m = r["C_marks"]
        lines.append(f"| {r['F_ms']:,.0f} | {r['C_ms']:,.0f} | {r['P_ms']:,.0f} | {fmt(m['dom_content_loaded'])} | {fmt(m['clicked'])} "
                     f"| {fmt(m['cells:start'])} | {fmt(m['cells:library'])} | {fmt(m['cells:ready'])} "
                     f"| {r['idle_ms']:,.0f} | {r['warm_ms']:,.1f} | {r['state_after_idle']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
