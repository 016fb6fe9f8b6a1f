"""Runnable cells in the page, driven like a reader drives them.

Every test runs through the harness's ``site_page`` fixture, so each also proves that the page
made no third-party request, got no HTTP error and logged no console error. Outputs are compared
with the ones the build rendered, under the rule of the snippet tests: lines with ``⏱`` and
tables/charts marked ``varies`` are compared by shape only.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from page_helpers import NO_WARM_UP, wait_for_cells_runtime
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
TEST_PROGRAMS = ROOT / "snippets" / "_test"
VARIES = "⏱"
BOOT_MS = 120_000       # first Run: Pyodide downloads and starts (a busy 2-core machine is slow)
RUN_MS = 60_000
# How a run ends, as the cell shows it (data-state): protocol.js's RUN_STATUS, with "done" split
# into "done" and "error" (the program raised).
ENDED = ("done", "error", "stopped", "crashed", "unavailable")

# --- reading the page ---------------------------------------------------------------------------

# The output area as data: one item per block, the same for pre-rendered and live output.
READ_OUTPUT = """(cell) => Array.from(cell.querySelector('.cell-output').children).map((node) => {
  const text = (sel) => Array.from(node.querySelectorAll(sel), (n) => n.textContent);
  if (node.matches('pre.cell-stream')) return {kind: node.dataset.stream, text: node.textContent};
  if (node.matches('.cell-table')) return {kind: 'table', varies: node.dataset.varies === 'true',
      caption: text('caption').join(''), columns: text('th'),
      rows: Array.from(node.querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (td) => td.textContent))};
  if (node.matches('figure.cell-chart')) return {kind: 'chart', varies: node.dataset.varies === 'true',
      points: Number(node.dataset.points), label: node.getAttribute('aria-label'),
      drawn: node.querySelector('svg') !== null};
  if (node.matches('pre.cell-error')) return {kind: 'error', type: node.dataset.errorType, text: node.textContent};
  if (node.matches('.cell-notice')) return {kind: 'notice', note: node.dataset.note || 'truncated', text: node.textContent};
  return {kind: 'other', tag: node.tagName};
})"""


def comparable(blocks: list[dict]) -> list[dict]:
    """What the build's output and a live run must agree on (the VARIES rule)."""
    out = []
    for block in blocks:
        block = dict(block)
        if block["kind"] in ("stdout", "stderr"):
            block["text"] = [line for line in block["text"].split("\n") if VARIES not in line]
        elif block["kind"] == "table" and block["varies"]:
            block["rows"] = len(block["rows"])
        out.append(block)
    return out


def cell_pages(root: Path) -> dict[str, list[str]]:
    """Pages of the built site that have cells -> their snippets, in page order."""
    pages = {}
    for html in sorted(root.rglob("index.html")):
        cells = re.findall(r'<div class="cell" data-cell="([^"]+)"', html.read_text(encoding="utf-8"))
        if cells:
            rel = html.parent.relative_to(root).as_posix()
            pages["" if rel == "." else rel + "/"] = cells
    return pages


@pytest.fixture(scope="session")
def pages_with_cells(site_server) -> dict[str, list[str]]:
    pages = cell_pages(site_server.root)
    assert pages, "no page of the built site has a cell"
    return pages


def _harness(request):
    """The browser harness (tests/browser/conftest.py), for its context and record helpers."""
    for plugin in request.config.pluginmanager.get_plugins():
        if str(getattr(plugin, "__file__", "")).replace("\\", "/").endswith("tests/browser/conftest.py"):
            return plugin
    raise RuntimeError("tests/browser/conftest.py is not loaded")


@pytest.fixture(scope="module")
def _shared_cell_page(request, browser, site_server, pages_with_cells):
    """One page with cells for the tests below: Python starts once for all of them. The harness's
    checks (no third-party request, no HTTP error, no console error) run after each test."""
    harness = _harness(request)
    record = harness.PageRecord(origin=site_server.origin)
    context = harness.open_context(browser, site_server, record)
    page = harness.SitePage(context.new_page(), site_server, record)
    page.goto(next(iter(pages_with_cells)))
    page.locator(".cell .cell-toolbar").first.wait_for()
    yield page
    context.close()


@pytest.fixture
def cell_page(_shared_cell_page):
    """The first page with cells, open, with its cells mounted (shared; checked after each test)."""
    page = _shared_cell_page
    yield page
    record = page.record
    problems = record.problems()
    record.third_party.clear()
    record.failed.clear()
    record.console_errors.clear()
    if problems:
        pytest.fail("the page misbehaved:\n  " + "\n  ".join(problems), pytrace=False)


# --- acting on a cell ---------------------------------------------------------------------------

def nth_cell(page, n: int = 0):
    return page.locator(".cell").nth(n)


def wait_state(page, n: int, states: tuple[str, ...], timeout: float = RUN_MS) -> str:
    page.wait_for_function(
        "([n, states]) => states.includes(document.querySelectorAll('.cell')[n].dataset.state)",
        arg=[n, list(states)], timeout=timeout)
    return page.evaluate("(n) => document.querySelectorAll('.cell')[n].dataset.state", n)


def run_cell(page, n: int = 0, timeout: float = BOOT_MS) -> str:
    """Click Run; wait for the result and for the output to settle (charts drawn, page still)."""
    cell = nth_cell(page, n)
    page.evaluate("(n) => { const c = document.querySelectorAll('.cell')[n]; c.dataset.state = ''; "
                  "c.dataset.settled = ''; }", n)
    run = cell.locator(".cell-run")
    run.scroll_into_view_if_needed()
    # As a reader does, click once the page has stopped moving: CodeMirror draws the lines of an
    # editor as they come into view and corrects the heights it had guessed for them, which can
    # move a Run button a few frames after the scroll (longer than Playwright's own check).
    page.wait_for_function("""(n) => new Promise((resolve) => {
        const run = document.querySelectorAll('.cell')[n].querySelector('.cell-run');
        let last = run.getBoundingClientRect().top, still = 0;
        const tick = () => { const top = run.getBoundingClientRect().top;
            still = top === last ? still + 1 : 0; last = top;
            if (still >= 10) resolve(true); else requestAnimationFrame(tick); };
        requestAnimationFrame(tick); })""", arg=n, timeout=RUN_MS)
    run.click()
    state = wait_state(page, n, ENDED, timeout)
    if state in ("done", "error", "stopped"):
        page.wait_for_function("(n) => document.querySelectorAll('.cell')[n].dataset.settled === 'true'",
                               arg=n, timeout=RUN_MS)
    return state


def wait_editor(page, n: int = 0):
    """The cell's editor; like a reader, click the code to get it at once if it is not there yet."""
    cell = nth_cell(page, n)
    editor = cell.locator(".cm-content")
    if editor.count() == 0 and cell.locator(".cell-code").is_visible():
        try:
            cell.locator(".cell-code pre").click(timeout=2_000)
        except PlaywrightTimeout:
            pass  # the editor took the code's place meanwhile (it mounts by itself once Python is ready)
    editor.wait_for(timeout=BOOT_MS)
    return editor


def type_program(page, source: str, n: int = 0) -> None:
    """Replace the cell's code the way a reader does: select all, type."""
    editor = wait_editor(page, n)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)
    assert editor_text(page, n) == source


def editor_text(page, n: int = 0) -> str:
    return page.evaluate("(n) => window.__handbookCells.cells[n].editor.getText()", n)


def output(page, n: int = 0) -> list[dict]:
    return page.evaluate(READ_OUTPUT, nth_cell(page, n).element_handle())


def program(name: str) -> str:
    return (TEST_PROGRAMS / name).read_text(encoding="utf-8")


# What the reader sees of a cell's toolbar: the controls that take up room on screen.
SHOWN_CONTROLS = """(cell) => Array.from(cell.querySelectorAll('.cell-toolbar > *'))
  .filter((e) => { const box = e.getBoundingClientRect(); const style = getComputedStyle(e);
                   return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
                          && style.display !== 'none'; })
  .map((e) => e.tagName === 'BUTTON' ? e.textContent : e.className)"""


def shown_controls(page, n: int = 0) -> list[str]:
    return page.evaluate(SHOWN_CONTROLS, nth_cell(page, n).element_handle())


def wait_charts_drawn(page, n: int) -> None:
    page.wait_for_function(
        """(n) => Array.from(document.querySelectorAll('.cell')[n].querySelectorAll('figure.cell-chart'))
                 .every((f) => f.querySelector('svg') || f.querySelector('.cell-note'))""",
        arg=n, timeout=RUN_MS)


# --- every cell, as the build showed it ---------------------------------------------------------

def test_every_cell_runs_in_the_page_like_the_build(site_page, site_server, pages_with_cells):
    """Visit every page with cells (through instant navigation: one Python for the whole visit),
    run every cell with its Run button, and compare with what the build rendered."""
    mismatches = []
    first = True
    for path, snippets in pages_with_cells.items():
        count = len(snippets)
        if first:
            site_page.goto(path)
            first = False
        else:
            href = site_server.url(path)
            site_page.evaluate("""(href) => { const a = document.createElement('a'); a.href = href;
                a.textContent = 'next'; document.querySelector('article').append(a); a.click(); }""", href)
            site_page.wait_for_url(href)
        # This page's cells, mounted (not the previous page's, still there for a moment).
        site_page.wait_for_function(
            """(want) => { const cells = Array.from(document.querySelectorAll('.cell'));
                return cells.map((c) => c.dataset.cell).join('|') === want.join('|')
                       && cells.every((c) => c.querySelector('.cell-toolbar')); }""",
            arg=snippets, timeout=RUN_MS)
        wait_for_cells_runtime(site_page)
        assert site_page.evaluate("document.querySelectorAll('.cell-toolbar').length") == count, "a cell mounted twice"
        for n in range(count):
            before = output(site_page, n)
            name = site_page.evaluate("(n) => document.querySelectorAll('.cell')[n].dataset.cell", n)
            started = time.perf_counter()
            try:
                state = run_cell(site_page, n)
            except PlaywrightTimeout:
                status = nth_cell(site_page, n).locator(".cell-status").inner_text()
                mismatches.append(f"{name} on /{path}: no result after {time.perf_counter() - started:.0f} s "
                                  f"(status: {status!r})")
                stop = nth_cell(site_page, n).locator(".cell-stop")
                if stop.is_enabled():  # still running: end it so the next cell can run
                    stop.click()
                continue
            wait_charts_drawn(site_page, n)
            after = output(site_page, n)
            if state != "done":
                mismatches.append(f"{name} on /{path}: ended as {state}: {after}")
            elif comparable(after) != comparable(before):
                mismatches.append(f"{name} on /{path}:\n  build: {comparable(before)}\n  page:  {comparable(after)}")
            assert all(b["drawn"] for b in after if b["kind"] == "chart"), f"{name}: a chart was not drawn"
    # One document (instant navigation all along) and one Python start for the whole visit.
    assert site_page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert site_page.evaluate("window.__handbookRuntime.starts") == 1
    assert mismatches == [], "\n".join(mismatches)


# --- a reader's bad programs --------------------------------------------------------------------

def test_stop_ends_a_runaway_loop_within_a_second_and_the_next_run_works(cell_page):
    page = cell_page
    # The never-ending program, with a pulse: its output proves Python is inside the loop.
    type_program(page, program("runaway.py") + "    if n % 1_000_000 == 0:\n        print('still running', n)\n")
    nth_cell(page).locator(".cell-run").click()
    wait_state(page, 0, ("running",), BOOT_MS)
    page.wait_for_function("() => document.querySelector('.cell .cell-output').textContent.includes('still running')",
                           timeout=RUN_MS)
    # Timed in the page, from the click to the cell showing it stopped (what the reader sees).
    page.evaluate("""() => { const cell = document.querySelector('.cell'); window.__stop = {};
        cell.querySelector('.cell-stop').addEventListener('click', () => { window.__stop.clicked = performance.now(); },
                                                          {capture: true, once: true});
        new MutationObserver((_, obs) => { if (cell.dataset.state === 'stopped') {
            window.__stop.stopped = performance.now(); obs.disconnect(); } })
          .observe(cell, {attributes: true, attributeFilter: ['data-state']}); }""")
    nth_cell(page).get_by_role("button", name=re.compile(r"^Stop ")).click()
    wait_state(page, 0, ("stopped",), 5_000)
    timing = page.evaluate("window.__stop")
    stopped_in = timing["stopped"] - timing["clicked"]
    assert stopped_in < 1000, f"Stop took {stopped_in:.0f} ms"
    assert "Stopped" in output(page)[-1]["text"]
    assert nth_cell(page).locator(".cell-run").is_enabled()
    type_program(page, 'print("after stop")\n')
    assert run_cell(page) == "done"
    assert output(page) == [{"kind": "stdout", "text": "after stop\n"}]


def test_a_print_flood_is_capped_and_the_page_stays_responsive(cell_page):
    page = cell_page
    type_program(page, program("flood.py"))
    # Record the longest main-thread task while the flood runs.
    page.evaluate("""() => { window.__longest = 0;
        new PerformanceObserver((list) => { for (const e of list.getEntries())
            window.__longest = Math.max(window.__longest, e.duration); }).observe({type: 'longtask'}); }""")
    assert run_cell(page) == "done"
    blocks = output(page)
    assert [b["kind"] for b in blocks] == ["stdout", "notice", "notice"], blocks
    assert blocks[0]["text"].count("\n") == 2000 and blocks[0]["text"].endswith("1999\n")
    assert "Output truncated" in blocks[1]["text"]
    assert "998,000 more lines" in blocks[2]["text"]
    longest = page.evaluate("window.__longest")
    assert longest < 500, f"the page froze for {longest:.0f} ms while the output streamed"
    # Still usable: a click on another button answers at once.
    started = time.perf_counter()
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
    assert time.perf_counter() - started < 1.0


def test_output_that_looks_like_html_is_only_text(cell_page):
    page = cell_page
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    type_program(page, program("xss.py"))
    assert run_cell(page) == "done"
    assert output(page) == [{"kind": "stdout", "text": (
        '<script>alert(1)</script>\n<img src=x onerror="alert(2)">\n<b>not bold</b> &amp; not an entity\n')}]
    counts = page.evaluate("""() => { const o = document.querySelector('.cell .cell-output');
        return [o.querySelectorAll('script, img, b').length]; }""")
    assert counts == [0]  # no element was made from the text, so nothing in it can ever run
    page.remove_listener("dialog", on_dialog)
    assert dialogs == []


def test_a_memory_bomb_is_an_error_and_the_next_run_works(cell_page):
    page = cell_page
    # wasm32: a size that does not fit a 32-bit index is an OverflowError; one that fits but
    # cannot be allocated is a MemoryError. Both must leave the page with a working Python.
    type_program(page, "b = bytearray(2**33)\n")
    assert run_cell(page) == "error"
    assert output(page)[-1]["type"] in ("MemoryError", "OverflowError")
    type_program(page, program("memory.py"))
    assert run_cell(page) == "error"
    error = output(page)[-1]
    assert error["type"] == "MemoryError", error
    assert "line 2" in error["text"]
    type_program(page, "print(sum(range(10)))\n")
    assert run_cell(page, timeout=BOOT_MS) == "done"
    assert output(page) == [{"kind": "stdout", "text": "45\n"}]


def test_a_traceback_points_at_the_readers_line(cell_page):
    page = cell_page
    type_program(page, "x = 1\n\ndef f(d):\n    return x / d\n\nf(0)\n")
    assert run_cell(page) == "error"
    text = output(page)[-1]["text"]
    assert text.startswith("Traceback (most recent call last):")
    assert 'line 6, in <module>' in text and 'line 4, in f' in text and text.rstrip().endswith(
        "ZeroDivisionError: division by zero")
    for internal in ("pyodide", "cellrunner", "/lib/"):
        assert internal not in text
    # The editor marks the line where it happened.
    marked = page.evaluate("""() => Array.from(document.querySelectorAll('.cell')[0]
        .querySelectorAll('.cm-error-line'), (l) => l.textContent)""")
    assert marked == ["    return x / d"]


# --- the reader's edits -------------------------------------------------------------------------

def test_an_edit_survives_a_reload_and_reset_restores_the_original(site_page, pages_with_cells):
    page = site_page
    # A reload cancels the background download of Python and the editor: expected here.
    page.record.expect_failure(r"ERR_ABORTED.*/assets/(vendor/pyodide|py|cells)/")
    page.goto(next(iter(pages_with_cells)))
    original = editor_text(page) if wait_editor(page) else None
    before = output(page)
    type_program(page, 'print("my edit")\n')
    assert nth_cell(page).locator(".cell-edited").is_visible()
    # Edits are saved a moment after typing stops.
    page.wait_for_function("""() => Object.keys(localStorage).some((k) => k.startsWith('handbook-cell:')
                                  && localStorage.getItem(k) === 'print("my edit")\\n')""", timeout=RUN_MS)
    page.reload()
    wait_editor(page)
    assert editor_text(page) == 'print("my edit")\n'
    assert nth_cell(page).locator(".cell-edited").is_visible()
    # Reset asks first; dismissing keeps the edit.
    page.once("dialog", lambda d: d.dismiss())
    nth_cell(page).locator(".cell-reset").click()
    assert editor_text(page) == 'print("my edit")\n'
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    nth_cell(page).locator(".cell-reset").click()
    assert messages and "Discard your changes" in messages[0]
    assert editor_text(page) == original
    assert output(page) == before
    assert not nth_cell(page).locator(".cell-edited").is_visible()
    page.reload()
    wait_editor(page)
    assert editor_text(page) == original


def test_keyboard_runs_and_escape_leaves_the_editor(cell_page):
    page = cell_page
    type_program(page, 'print("from the keyboard")\n')
    page.keyboard.press("Shift+Enter")
    wait_state(page, 0, ("done",), BOOT_MS)
    assert output(page) == [{"kind": "stdout", "text": "from the keyboard\n"}]
    wait_editor(page).click()
    page.keyboard.press("Tab")  # Tab indents inside the editor...
    assert editor_text(page) == '    print("from the keyboard")\n'
    page.keyboard.press("Escape")  # ...and Esc leaves it, onto the Run button
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused and focused.startswith("Run ")
    page.keyboard.press("Control+Enter")  # not in the editor any more: nothing runs
    for name in ("Run", "Stop", "Reset"):
        assert nth_cell(page).get_by_role("button", name=re.compile(f"^{name} ")).count() == 1


def test_the_editor_follows_the_dark_palette(cell_page):
    page = cell_page
    wait_editor(page)
    read = """() => { const e = document.querySelector('.cell .cm-editor');
        const probe = document.createElement('div'); probe.style.background = 'var(--md-code-bg-color)';
        e.parentElement.append(probe); const want = getComputedStyle(probe).backgroundColor; probe.remove();
        return [getComputedStyle(e).backgroundColor, want]; }"""
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    light, light_want = page.evaluate(read)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark, dark_want = page.evaluate(read)
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    assert light == light_want and dark == dark_want and light != dark


# --- loading --------------------------------------------------------------------------------------

def test_retry_stays_hidden_while_python_works(cell_page):
    """Retry is for a Python that could not load; with Python running, the reader sees Run, Stop
    and Reset only (the `hidden` attribute must beat Material's button style)."""
    page = cell_page
    page.wait_for_function("() => window.__handbookRuntime.state === 'ready'", timeout=BOOT_MS)
    for n in range(page.locator(".cell").count()):
        buttons = [c for c in shown_controls(page, n) if not c.startswith("cell-")]  # not the status, badge
        assert buttons == ["Run", "Stop", "Reset"], n
        retry = nth_cell(page, n).locator(".cell-retry")
        assert retry.count() == 1 and retry.is_hidden()
        assert retry.evaluate("(b) => getComputedStyle(b).display") == "none"


def test_pyodide_blocked_shows_a_message_and_retry_works(site_page, pages_with_cells):
    page = site_page
    blocked = []

    def block(route):
        blocked.append(route.request.url)
        route.abort()

    page.record.expect_failure(r"pyodide\.asm\.wasm")
    page.context.route("**/pyodide.asm.wasm", block)
    page.goto(next(iter(pages_with_cells)))
    before = output(page)
    assert run_cell(page) == "unavailable"
    assert blocked, "the test did not block Pyodide"
    status = nth_cell(page).locator(".cell-status").inner_text()
    assert "Python could not be loaded" in status
    assert output(page) == before, "the build's output must stay visible"
    retry = nth_cell(page).get_by_role("button", name="Retry loading Python")
    assert retry.is_visible()
    assert "Retry" in shown_controls(page)
    page.context.unroute("**/pyodide.asm.wasm", block)
    retry.click()
    assert wait_state(page, 0, ("done",), BOOT_MS) == "done"
    assert comparable(output(page)) == comparable(before)
    assert "Retry" not in shown_controls(page) and retry.is_hidden()


def test_python_starts_from_the_builds_memory_snapshot(site_page, pages_with_cells):
    """The worker restores the memory snapshot the build made for this library and this Pyodide
    build, instead of booting Python and importing the library, and cells run as the build ran them."""
    page = site_page
    snapshots = []
    page.on("request", lambda r: snapshots.append(r.url) if ".snap.gz" in r.url else None)
    page.goto(next(iter(pages_with_cells)))
    before = output(page)
    assert run_cell(page) == "done"
    assert page.evaluate("window.__handbookRuntime.how") == "snapshot"
    assert page.evaluate("window.__handbookRuntime.fallback") is None
    library = nth_cell(page).get_attribute("data-cell-lib")
    version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]
    assert len(snapshots) == 1 and snapshots[0].endswith(f"{library.removesuffix('.zip')}.pyodide-{version}.snap.gz"), snapshots
    assert comparable(output(page)) == comparable(before)


@pytest.mark.parametrize("broken", ["missing", "corrupt", "another build"])
def test_a_snapshot_that_cannot_be_used_falls_back_to_the_plain_start(site_page, pages_with_cells, built_site, broken):
    """Whatever is wrong with the snapshot (not there, not a snapshot, made for another library),
    Python starts the plain way and the reader's Run works; only the start takes longer."""
    page = site_page
    snapshot_files = sorted((built_site / "assets" / "py").glob("*.snap.gz"))
    assert len(snapshot_files) == 1, snapshot_files

    # What the server answers instead of the site's snapshot (made before the page opens: making a
    # snapshot takes seconds).
    if broken == "corrupt":
        body = gzip.compress(bytes(range(256)) * 64)
    elif broken == "another build":  # a real snapshot, of another library: it restores, its key does not match
        body = _other_library_snapshot(built_site)

    def serve(route):
        if broken == "missing":
            route.fulfill(status=404, body="not here")
        else:
            route.fulfill(status=200, body=body, content_type="application/gzip")

    if broken == "missing":
        page.record.expect_failure(r"\.snap\.gz")
        page.record.expect_console_error(r"404")
    page.context.route("**/*.snap.gz", serve)
    page.goto(next(iter(pages_with_cells)))
    before = output(page)
    assert run_cell(page) == "done"
    assert page.evaluate("window.__handbookRuntime.how") == "plain"
    reason = page.evaluate("window.__handbookRuntime.fallback")
    expected = {"missing": "HTTP 404", "corrupt": "magic", "another build": "was made for"}[broken]
    assert reason and expected in reason, reason
    assert page.evaluate("window.__handbookRuntime.starts") == 1, "the fallback is inside one start"
    assert comparable(output(page)) == comparable(before)


def _other_library_snapshot(built_site: Path) -> bytes:
    """A snapshot made the build's way for a library zip that differs from the site's by one file."""
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import cells_assets
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    zip_path = next((built_site / "assets" / "py").glob("handbook-*.zip"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(zip_path) as old, zipfile.ZipFile(buffer, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("mlsd/_another_build.py", "")
    out = built_site.parent / "other-snapshot"
    snapshot, _ = cells_assets.write_snapshot(out, buffer.getvalue())
    return snapshot.read_bytes()


HEAVY = r"pyodide|editor\.bundle|charts\.bundle|worker\.js|/py/"


def test_pages_without_cells_load_no_python_and_no_editor(site_page, site_server, pages_with_cells, all_pages):
    without = [p for p in all_pages if p not in pages_with_cells and not p.startswith("reference/api")]
    assert without, "every page has a cell; this test needs one without"
    requested = []
    site_page.on("request", lambda r: requested.append(r.url))
    site_page.goto(without[0], wait_until="networkidle")
    wait_for_cells_runtime(site_page)  # the runtime has looked at this page and made its choice
    assert site_page.evaluate("document.head.querySelector('meta[name=\"handbook-cells\"]')") is None
    assert site_page.evaluate("window.__handbookRuntime.state") == "off"
    assert [u for u in requested if re.search(HEAVY, u)] == []


def test_python_starts_from_the_head_before_the_page_is_parsed(site_page, pages_with_cells):
    """The build's signal in the head starts Python while the page is still being parsed, wherever
    the cells are: the reader may press Run at once, and Python takes seconds to load."""
    path = next(iter(pages_with_cells))
    site_page.goto(path)
    signal = site_page.evaluate("document.head.querySelector('meta[name=\"handbook-cells\"]').content")
    assert signal == nth_cell(site_page).get_attribute("data-cell-lib")
    site_page.wait_for_function("() => performance.getEntriesByName('cells:warmup').length > 0", timeout=RUN_MS)
    started = site_page.evaluate("performance.getEntriesByName('cells:warmup')[0].startTime")
    parsed = site_page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventStart")
    assert 0 < started < parsed, f"Python started at {started:.0f} ms, the page was parsed at {parsed:.0f} ms"
    site_page.wait_for_function("() => window.__handbookRuntime.state === 'ready'", timeout=BOOT_MS)
    assert site_page.evaluate("window.__handbookRuntime.starts") == 1


def test_the_warm_up_switch_keeps_python_off_until_run(site_page, pages_with_cells):
    """`__handbookCellsOptions.warmUp = false` (what the site and accessibility tests use): a page
    with cells loads neither Python nor the editor by itself; Run still works."""
    page = site_page
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.add_init_script(NO_WARM_UP)
    page.goto(next(iter(pages_with_cells)), wait_until="networkidle")
    wait_for_cells_runtime(page)  # the cells are mounted: every reason to start has been looked at
    page.evaluate("() => new Promise((resolve) => requestIdleCallback(resolve))")  # and the page is idle
    assert page.evaluate("window.__handbookCells.cells.length") == len(pages_with_cells[next(iter(pages_with_cells))])
    assert page.evaluate("window.__handbookRuntime.state") == "off"
    assert page.evaluate("performance.getEntriesByName('cells:warmup').length") == 0
    assert [u for u in requested if re.search(HEAVY, u)] == []
    type_program(page, "print(6 * 7)\n")  # clicking into the code fetches the editor, nothing else
    assert [u for u in requested if re.search(HEAVY, u) and "editor.bundle" not in u] == []
    assert run_cell(page) == "done"
    assert output(page) == [{"kind": "stdout", "text": "42\n"}]


def test_the_editor_takes_the_codes_place_without_moving_the_cell(site_page, pages_with_cells):
    """The highlighted code is laid out like the editor (numbered, wrapped lines, same gutter and
    line height), so the editor replacing it leaves a cell in view where it was: its Run button
    does not jump under the reader's pointer, and its code is as tall as before."""
    page = site_page
    page.add_init_script(NO_WARM_UP)  # the editor mounts only when asked, below
    page.goto(next(iter(pages_with_cells)), wait_until="networkidle")
    wait_for_cells_runtime(page)
    measure = """() => { const c = window.__handbookCells.cells[0];
        const code = c.editor ? c.root.querySelector('.cell-editor') : c.code;
        return [code.getBoundingClientRect().height, c.runButton.getBoundingClientRect().top,
                c.code.querySelectorAll('.cell-line').length, c.text.split('\\n').length]; }"""
    page.evaluate("() => window.__handbookCells.cells[0].runButton.scrollIntoView({block: 'end'})")
    code_height, run_top, line_elements, source_lines = page.evaluate(measure)
    assert line_elements >= source_lines - 1 > 0     # one element per line (the last may be empty)
    # Mount the editor the way reaching for the code does (a click would also focus and scroll).
    page.evaluate("() => window.__handbookCells.cells[0].code.dispatchEvent(new PointerEvent('pointerdown'))")
    page.wait_for_function("() => window.__handbookCells.cells[0].editor")
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    editor_height, run_top_after, _, _ = page.evaluate(measure)
    assert abs(editor_height - code_height) <= 1.5, f"code {code_height:.1f} px, editor {editor_height:.1f} px"
    assert abs(run_top_after - run_top) <= 1.5, f"Run moved from {run_top:.1f} to {run_top_after:.1f}"


def _open_the_longest_page(page, pages_with_cells) -> int:
    """Open the page with the most cells, wait until Python is ready; return its last cell's index."""
    page.goto(max(pages_with_cells, key=lambda p: len(pages_with_cells[p])), wait_until="networkidle")
    wait_for_cells_runtime(page)
    page.wait_for_function("() => window.__handbookRuntime.state === 'ready'", timeout=BOOT_MS)
    return page.evaluate("window.__handbookCells.cells.length") - 1


def test_editors_mount_in_view_and_scrolling_to_a_cell_moves_nothing(site_page, pages_with_cells):
    """Once Python is ready, each editor mounts when its cell comes into view. Mounted off screen,
    CodeMirror guessed its lines' heights and corrected them as the reader arrived, which moved
    the cell (by up to 760 px); mounted in view, the Run button the reader scrolled to stays put."""
    page = site_page
    last = _open_the_longest_page(page, pages_with_cells)
    assert last >= 5
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    assert page.evaluate("(n) => window.__handbookCells.cells[n].editor === null", last)  # far below: not yet
    for n in (0, last // 2, last):
        page.evaluate("(n) => window.__handbookCells.cells[n].runButton.scrollIntoView({block: 'center'})", n)
        tops = page.evaluate("""(n) => new Promise((resolve) => {
            const run = window.__handbookCells.cells[n].runButton, tops = [];
            const tick = () => { tops.push(run.getBoundingClientRect().top);
                                 if (tops.length >= 60) resolve(tops); else requestAnimationFrame(tick); };
            requestAnimationFrame(tick); })""", n)
        assert page.evaluate("(n) => window.__handbookCells.cells[n].editor !== null", n), f"cell {n}: no editor"
        assert max(tops) - min(tops) <= 2, f"cell {n}: its Run button moved from {tops[0]:.0f} to {tops[-1]:.0f} px"
    assert editor_text(page, last) == page.evaluate("(n) => window.__handbookCells.cells[n].original", last)


def test_the_keyboard_reaches_an_off_screen_cells_code_and_lands_in_its_editor(site_page, pages_with_cells):
    """Before its editor mounts, a cell's highlighted code takes the focus in the editor's place:
    Shift+Tab from the Run button of a cell far below (its editor not mounted yet) goes to the
    code, which becomes the editor with the focus in it, not past the code to the cell before."""
    page = site_page
    last = _open_the_longest_page(page, pages_with_cells)
    assert page.evaluate("(n) => window.__handbookCells.cells[n].editor === null", last)
    page.evaluate("(n) => window.__handbookCells.cells[n].runButton.focus({preventScroll: true})", last)
    page.keyboard.press("Shift+Tab")
    page.wait_for_function("""(n) => { const cell = window.__handbookCells.cells[n], a = document.activeElement;
        return cell.editor !== null && cell.root.contains(a) && a.classList.contains('cm-content'); }""",
                           arg=last, timeout=10_000)
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Python code of ") and "editable" in label
    page.keyboard.press("Escape")                       # and Esc leaves it, onto that cell's Run
    assert page.evaluate("(n) => document.activeElement === window.__handbookCells.cells[n].runButton", last)


def test_without_javascript_the_build_output_is_shown(site_page_factory, pages_with_cells):
    page = site_page_factory(java_script_enabled=False)
    page.goto(next(iter(pages_with_cells)))
    assert page.locator(".cell .cell-output").first.inner_text().strip()
    assert page.locator(".cell .cell-code pre").first.is_visible()
    assert page.locator(".cell-toolbar").count() == 0


# --- accessibility of live output ---------------------------------------------------------------

def _first_cell_with(root: Path, marker: str) -> tuple[str, int] | None:
    """(page, cell index) of the first cell whose build output contains `marker`."""
    for html in sorted(root.rglob("index.html")):
        cells = html.read_text(encoding="utf-8").split('<div class="cell" data-cell=')[1:]
        for n, cell in enumerate(cells):
            if marker in cell:
                rel = html.parent.relative_to(root).as_posix()
                return ("" if rel == "." else rel + "/"), n
    return None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cells_are_accessible_after_a_run(site_page_factory, site_server, axe_source, scheme):
    """axe on the cells (toolbar, editor, live table and chart) once a run has drawn them."""
    found = _first_cell_with(site_server.root, 'class="cell-chart"') or \
        _first_cell_with(site_server.root, 'class="cell-table"')
    assert found, "no cell shows a chart or a table"
    path, n = found
    # bypass_csp: the page's policy rightly refuses injected scripts; axe is test tooling.
    page = site_page_factory(color_scheme=scheme, bypass_csp=True)
    page.goto(path)
    wait_editor(page, n)
    assert run_cell(page, n) == "done"
    wait_charts_drawn(page, n)
    page.evaluate(axe_source + "\n;undefined")
    violations = page.evaluate("""async () => {
        const r = await axe.run(Array.from(document.querySelectorAll('.cell')), {resultTypes: ['violations']});
        return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
          .map((v) => `${v.impact}: ${v.id} — ${v.help} at ${v.nodes.slice(0, 3).map((x) => x.target.join(' '))}`);
    }""")
    assert violations == []


# --- memory across pages ------------------------------------------------------------------------

# One interpreter serves the whole visit, so every case study the reader opens shares one
# WebAssembly heap; a cell on another page first releases the case studies' cached data and models
# (casestudies.memo.release()). The heap never shrinks: this is its high-water mark after running
# every case study's cells in one visit. Measured (benchmarks/cells_memory.py) over the five case
# studies of the site: 75 MB with the release, 224 MB without it. With the release a case study
# reuses what the previous one freed, so the limit bounds the largest working set (with room to
# spare), not a sum over case studies.
HEAP_LIMIT_MB = 128
HEAP = "() => window.__handbookRuntime.memory()"


def navigate(page, server, path: str, snippets: list[str]) -> None:
    """Follow an in-site link (Material's instant navigation) and wait for the page's cells."""
    href = server.url(path)
    page.evaluate("""(href) => { const a = document.createElement('a'); a.href = href;
        a.textContent = 'next'; document.querySelector('article').append(a); a.click(); }""", href)
    page.wait_for_url(href)
    page.wait_for_function(
        """(want) => { const cells = Array.from(document.querySelectorAll('.cell'));
            return cells.map((c) => c.dataset.cell).join('|') === want.join('|')
                   && cells.every((c) => c.querySelector('.cell-toolbar')); }""",
        arg=snippets, timeout=RUN_MS)


def case_study_pages(pages_with_cells: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every case-study page with cells: whatever docs/case-studies/ holds, as built."""
    sources = sorted(p.stem for p in (ROOT / "docs" / "case-studies").glob("*.md"))
    found = {path: cells for path, cells in pages_with_cells.items()
             if path.startswith("case-studies/") and path.split("/")[1] in sources}
    assert found, f"no case-study page with cells among {sources}"
    return found


def test_memory_stays_bounded_across_every_case_study(site_page, site_server, pages_with_cells):
    """Visit every case-study page in one visit (instant navigation, one worker), run every cell,
    and keep the heap under HEAP_LIMIT_MB; then a cell on another page releases their caches."""
    page = site_page
    studies = case_study_pages(pages_with_cells)
    heaps, failed = {}, []
    for i, (path, snippets) in enumerate(studies.items()):
        if i == 0:
            page.goto(path)
        else:
            navigate(page, site_server, path, snippets)
        for n in range(len(snippets)):
            state = run_cell(page, n)
            if state != "done":
                failed.append(f"{snippets[n]}: {state}")
        heaps[path] = page.evaluate(HEAP)
    assert failed == []
    peak = max(h["bytes"] for h in heaps.values()) / 2**20
    print("heap after each case study (MB):", {p: round(h["bytes"] / 2**20) for p, h in heaps.items()})
    assert peak <= HEAP_LIMIT_MB, f"the heap reached {peak:.0f} MB (limit {HEAP_LIMIT_MB} MB): {heaps}"
    # A cell on a page that is not a case study: the worker lets go of the case studies' caches first.
    other = next(p for p in pages_with_cells if p not in studies)
    navigate(page, site_server, other, pages_with_cells[other])
    before = page.evaluate(HEAP)
    assert run_cell(page, 0) == "done"
    after = page.evaluate(HEAP)
    assert after["releases"] == before["releases"] + 1
    assert after["dropped"] > before["dropped"], "the case studies held no cached data to release"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert page.evaluate("window.__handbookRuntime.starts") == 1

