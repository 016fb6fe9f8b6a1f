"""Browser test harness: build the site once, serve it under a sub-path, drive Debian's Chromium.

- The site is built once per test run (``mkdocs build --strict``) into a temporary folder.
- It is served on 127.0.0.1 under ``/handbook/``, as GitHub Pages serves a project site, so any
  absolute URL that ignores the base path shows up as a 404.
- Chromium is the system one (/usr/bin/chromium) driven by Python Playwright; no browser is
  downloaded. Each test gets a fresh browser context (a fresh profile: no storage, no cache).
- The ``site_page`` fixture records every request and console message. After the test it fails
  if a request went to another origin, a same-origin request got a status >= 400, or the console
  showed an error — unless the test declared that exact failure as expected.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
BASE_PATH = "/handbook/"
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


# --- build and serve ----------------------------------------------------------------------------

_build_failure: list[str] = []  # a failed build fails every browser test at once, without rebuilding


def build_site(out: Path, site_url: str) -> None:
    """Build with strict link and anchor checks; fail the run with mkdocs' own messages."""
    if _build_failure:
        pytest.fail(_build_failure[0], pytrace=False)
    env = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    run = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                         env=env, capture_output=True, text=True)
    if run.returncode != 0:
        _build_failure.append(f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}")
        pytest.fail(_build_failure[0], pytrace=False)


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site under BASE_PATH only; everything else is a 404, like a project site.
    Text is gzip-compressed when the browser accepts it, as static hosts (GitHub Pages) do, so
    what the tests count as transferred is what a reader downloads."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".zip": "application/zip", ".svg": "image/svg+xml",
    }

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if not clean.startswith(BASE_PATH):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + clean[len(BASE_PATH):])

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder's own URL
            path = os.path.join(path, "index.html")
        if not (path.endswith(COMPRESSED) and os.path.isfile(path)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        # Like GitHub Pages: unknown paths get the site's own 404 page.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@dataclass
class Server:
    origin: str
    root: Path

    def url(self, path: str = "") -> str:
        return f"{self.origin}{BASE_PATH}{path.lstrip('/')}"


@pytest.fixture(scope="session")
def site_server(tmp_path_factory) -> Server:
    """Bind a port first, build the site for that exact origin (the 404 page needs absolute URLs),
    then serve it — once for the whole run."""
    root = tmp_path_factory.mktemp("site")
    handler = functools.partial(_SubPathHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server = Server(origin=f"http://127.0.0.1:{httpd.server_address[1]}", root=root)
    build_site(root, server.url())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()


@pytest.fixture(scope="session")
def built_site(site_server) -> Path:
    return site_server.root


def site_pages(root: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to the base (e.g. 'concepts/')."""
    pages = []
    for html in sorted(root.rglob("index.html")):
        rel = html.parent.relative_to(root).as_posix()
        if rel.startswith("assets"):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


# --- browser ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; `./dev test` installs Debian's chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Playwright gives each launch a fresh temporary user-data-dir.
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class PageRecord:
    """What a page did: requests to other origins, failed responses, console errors."""

    origin: str
    third_party: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    expected_failures: list[re.Pattern] = field(default_factory=list)
    expected_console: list[re.Pattern] = field(default_factory=list)

    def expect_failure(self, url_pattern: str) -> None:
        """Declare that requests matching this regex may fail (e.g. a file the test blocks)."""
        self.expected_failures.append(re.compile(url_pattern))

    def expect_console_error(self, pattern: str) -> None:
        """Declare a console error the test provokes on purpose."""
        self.expected_console.append(re.compile(pattern))

    def problems(self) -> list[str]:
        out = [f"request to another origin: {u}" for u in self.third_party]
        out += [f for f in self.failed if not any(p.search(f) for p in self.expected_failures)]
        out += [f"console error: {m}" for m in self.console_errors
                if not any(p.search(m) for p in self.expected_console)]
        return out


def _is_same_origin(url: str, origin: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


def open_context(browser, server: Server, record: PageRecord, **context_options):
    # The site's service worker (offline reading) is off here: Playwright's routing, which guards
    # the origin below and blocks files on purpose, does not see requests a service worker answers.
    # tests/browser/test_offline.py tests the worker, in contexts of its own.
    context_options.setdefault("service_workers", "block")
    context = browser.new_context(**context_options)

    def guard(route):
        # Nothing may leave the site's origin: record the attempt and never let it through.
        if _is_same_origin(route.request.url, server.origin):
            route.continue_()
        else:
            record.third_party.append(route.request.url)
            route.abort()

    context.route("**/*", guard)

    def on_response(response):
        if response.status >= 400 and _is_same_origin(response.url, server.origin):
            record.failed.append(f"HTTP {response.status}: {response.url}")

    scripts_off = context_options.get("java_script_enabled") is False

    def on_request_failed(request):
        # ERR_ABORTED is the browser cancelling a download because the reader moved on (e.g.
        # Pyodide still loading in the background when the next page opens): not a site error.
        if "ERR_ABORTED" in (request.failure or "") or not _is_same_origin(request.url, server.origin):
            return
        # With JavaScript off the browser refuses to fetch scripts (reported as "csp"), including
        # the <link rel="modulepreload"> in the head: what a reader without JavaScript gets.
        if scripts_off and request.resource_type == "script":
            return
        record.failed.append(f"request failed ({request.failure}): {request.url}")

    def on_console(message):
        if message.type == "error":
            record.console_errors.append(message.text)

    def on_page(page):
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)
        page.on("console", on_console)
        page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))

    context.on("page", on_page)
    return context


class SitePage:
    """A Playwright page on the served site, plus the record of what it requested and logged."""

    def __init__(self, page, server: Server, record: PageRecord):
        self.page = page
        self.server = server
        self.record = record

    def goto(self, path: str = "", wait_until: str = "load"):
        response = self.page.goto(self.server.url(path), wait_until=wait_until)
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        return response

    def __getattr__(self, name):  # everything else is the Playwright page
        return getattr(self.page, name)


@pytest.fixture
def site_page_factory(browser, site_server):
    """Make pages with custom context options (e.g. color_scheme='dark'); checked after the test."""
    made: list[tuple[object, PageRecord]] = []

    def make(**context_options) -> SitePage:
        record = PageRecord(origin=site_server.origin)
        context = open_context(browser, site_server, record, **context_options)
        made.append((context, record))
        return SitePage(context.new_page(), site_server, record)

    yield make
    problems = []
    for context, record in made:
        context.close()
        problems += record.problems()
    if problems:
        pytest.fail("the page misbehaved:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def site_page(site_page_factory) -> SitePage:
    """A fresh page (fresh context) that fails the test on third-party requests, >= 400, console errors."""
    return site_page_factory()


@pytest.fixture(scope="session")
def all_pages(site_server) -> list[str]:
    pages = site_pages(site_server.root)
    assert len(pages) > 5, f"the built site has too few pages: {pages}"
    return pages


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.fail("node_modules/axe-core is missing; run ./dev test (it runs npm ci)", pytrace=False)
    return path.read_text(encoding="utf-8")

