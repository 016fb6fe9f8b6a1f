"""Offline reading: a visited page opens and runs its cells without a network; a new build
replaces the old one's cache.

These tests serve their own copy of the built site from a server that can go offline (it then
closes every connection unanswered, as a dropped network does) and can switch to another build.
Their browser contexts allow the service worker and route nothing (Playwright's routing does not
see requests a service worker answers); what leaves the origin is still checked, from the
context's own request events, which include the worker's.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
BASE = "/handbook/"
BOOT_MS = 120_000
KEPT_S = 90  # the worker keeps files in the background; a busy machine is slow


@dataclass
class Switchable:
    """Which build the server serves, and whether the network is up."""

    root: Path
    offline: bool = False
    requests: list[str] = field(default_factory=list)  # answered
    refused: int = 0  # connections closed unanswered while offline


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        "": "application/octet-stream", ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
        ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json",
        ".zip": "application/zip", ".gz": "application/gzip", ".svg": "image/svg+xml", ".xml": "application/xml",
    }

    def __init__(self, *args, state: Switchable, **kwargs):
        self.state = state
        super().__init__(*args, directory=str(state.root), **kwargs)

    def handle_one_request(self):
        if self.state.offline:
            self.state.refused += 1
            self.rfile.readline(65537)
            self.close_connection = True  # no answer at all: the browser sees a network error
            return
        super().handle_one_request()

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        self.state.requests.append(clean)
        if not clean.startswith(BASE):
            return str(self.state.root / "__outside_base_path__")
        return super().translate_path("/" + clean[len(BASE):])

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(built_site, tmp_path):
    state = Switchable(root=tmp_path / "build-a")
    shutil.copytree(built_site, state.root)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Handler(*a, state=state))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    state.url = lambda path="": f"http://127.0.0.1:{httpd.server_address[1]}{BASE}{path}"
    state.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def context(browser, server):
    context = browser.new_context(service_workers="allow")
    left = []
    context.on("request", lambda r: left.append(r.url) if not r.url.startswith((server.origin, "data:", "blob:")) else None)
    yield context
    context.close()
    assert left == [], f"requests left the site's origin: {left}"


def first_page_with_cells(root: Path) -> str:
    for html in sorted(root.rglob("index.html")):
        if '<div class="cell" data-cell=' in html.read_text(encoding="utf-8"):
            rel = html.parent.relative_to(root).as_posix()
            return "" if rel == "." else rel + "/"
    raise AssertionError("no page with cells")


def runtime_urls(server: Switchable) -> list[str]:
    """What a Run needs, as the build's service worker lists it."""
    text = (server.root / "sw.js").read_text(encoding="utf-8")
    files = json.loads(re.search(r"const RUNTIME_FILES = (\[.*?\]);", text).group(1))
    return [server.url(f) for f in files]


def build_of(server: Switchable) -> str:
    return re.search(r'const BUILD = "([0-9a-f]+)"', (server.root / "sw.js").read_text(encoding="utf-8")).group(1)


def wait_kept(page, urls: list[str]) -> None:
    """Wait until every URL is in the service worker's caches."""
    missing = urls
    deadline = time.monotonic() + KEPT_S
    while time.monotonic() < deadline:
        missing = page.evaluate("""async (urls) => {
            const out = [];
            for (const u of urls) if (!(await caches.match(u, { ignoreSearch: true }))) out.push(u);
            return out; }""", urls)
        if not missing:
            return
        time.sleep(0.5)
    raise AssertionError(f"not kept after {KEPT_S} s: {missing}")


def run_first_cell(page) -> str:
    cell = page.locator(".cell").first
    cell.locator(".cell-run").click()
    page.wait_for_function("() => ['done', 'error', 'unavailable', 'crashed'].includes(document.querySelector('.cell').dataset.state)",
                           timeout=BOOT_MS)
    return cell.get_attribute("data-state")


def output_text(page) -> str:
    return page.locator(".cell").first.locator(".cell-output").inner_text()


def test_a_visited_page_opens_and_runs_its_cells_offline(context, server):
    path = first_page_with_cells(server.root)
    page = context.new_page()
    page.goto(server.url(path))
    page.wait_for_function("() => window.__handbookRuntime && window.__handbookRuntime.state === 'ready'", timeout=BOOT_MS)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=BOOT_MS)
    wait_kept(page, [server.url(path)] + runtime_urls(server))
    built = output_text(page)
    title = page.title()

    server.offline = True
    answered = len(server.requests)
    page.reload()
    assert page.title() == title
    assert page.locator(".cell").count() > 0
    assert run_first_cell(page) == "done"
    assert output_text(page) == built, "the cell's output offline differs from the build's"
    assert page.evaluate("window.__handbookRuntime.starts") == 1
    assert len(server.requests) == answered and server.refused > 0, "the page did try the network, and got nothing"
    # A page never visited is not there offline (in another tab, so its error page cannot
    # interrupt this one).
    other = context.new_page()
    with pytest.raises(PlaywrightError):
        other.goto(server.url("reference/glossary/"))
    other.close()


def test_a_new_build_replaces_the_old_cache_and_its_pages(context, server, tmp_path):
    path = first_page_with_cells(server.root)
    page = context.new_page()
    page.goto(server.url(path))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=BOOT_MS)
    wait_kept(page, [server.url(path)])
    old = build_of(server)
    assert page.evaluate("caches.keys()").count(f"handbook-{old}") == 1

    # A new build: one page's text changed, and the build's last step writes its service worker.
    import sys
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import offline
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    new_root = tmp_path / "build-b"
    shutil.copytree(server.root, new_root)
    html = new_root / path / "index.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</h1>", " (new build)</h1>", 1), encoding="utf-8")
    version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]
    (new_root / "sw.js").write_text(offline.service_worker(new_root, version), encoding="utf-8")
    server.root = new_root
    new = build_of(server)
    assert new != old

    page.reload()
    assert "(new build)" in page.locator("h1").first.inner_text(), "online, a reload shows the new build"
    deadline = time.monotonic() + KEPT_S
    while time.monotonic() < deadline:
        keys = page.evaluate("caches.keys()")
        if f"handbook-{new}" in keys and f"handbook-{old}" not in keys:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the old build's cache is still there or the new one is missing: {keys}")
    wait_kept(page, [server.url(path)])

    server.offline = True
    page.reload()
    assert "(new build)" in page.locator("h1").first.inner_text(), "offline, the page is the new build's"
