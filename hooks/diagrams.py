"""Draw the Mermaid diagrams at build time, so a page shows them without running Mermaid.

Why: Mermaid is a 3 MB script. A reader's browser that draws a page's diagrams downloads it and
then blocks the main thread while it evaluates it and lays the diagrams out (most of a page's
Lighthouse "total blocking time", see benchmarks/results/lighthouse.md), and the text jumps when
each diagram replaces its source. Drawn once at build time, a diagram is plain SVG in the page:
no script, no jump, visible with JavaScript off.

How: after the build, Debian's Chromium (the browser the tests drive) opens one built page with
diagrams, lets Material initialise Mermaid exactly as it does for a reader (its theme CSS, whose
colours are ``var(--md-mermaid-*)`` custom properties, so a drawn diagram still follows the light
and dark palettes), and calls ``mermaid.render`` for every diagram source of the site. Each
``<pre class="mermaid">`` is then replaced by::

    <div class="mermaid" data-diagram="drawn"><template shadowrootmode="open">SVG</template></div>

A shadow root, as Material uses: the page's typography rules must not reach the diagram's labels.
The browser attaches a declarative shadow root while it parses the page; after Material's instant
navigation (which parses pages with ``DOMParser``, where templates stay inert) the small
``attach`` step in assets/js/mermaid-loader.js does it.

Cache: ``.cache/diagrams/<key>.svg``, the key a hash of the source and the Mermaid and Material
versions, so an unchanged diagram is never drawn twice. A source Mermaid cannot parse fails the
build with the page and the error.

Without Chromium (a fresh machine running ``./dev serve``), or with ``HANDBOOK_DIAGRAMS=browser``,
diagrams not in the cache keep their source and the reader's browser draws them as before
(mermaid-loader.js loads the pinned Mermaid on demand).
"""

from __future__ import annotations

import functools
import hashlib
import html
import http.server
import json
import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.diagrams")

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "diagrams"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SOURCE = re.compile(r'<pre class="mermaid"><code>(?P<text>.*?)</code></pre>', re.S)
RENDER_TIMEOUT_MS = 60_000


# --- pure parts: finding sources, keys, rewriting pages ---------------------------------------

def sources(page_html: str) -> list[str]:
    """The Mermaid source of each diagram on a built page, in page order (as Mermaid reads it:
    the text content of the ``<pre>``)."""
    return [html.unescape(m.group("text")) for m in SOURCE.finditer(page_html)]


@functools.lru_cache(maxsize=1)
def versions() -> str:
    """What a drawn diagram depends on besides its source: the Mermaid and Material versions."""
    mermaid = json.loads((ROOT / "node_modules" / "mermaid" / "package.json").read_text())["version"]
    return f"mermaid {mermaid}; mkdocs-material {metadata.version('mkdocs-material')}"


def key(source: str) -> str:
    return hashlib.sha256(f"{versions()}\n{source}".encode("utf-8")).hexdigest()[:24]


def svg_id(source: str) -> str:
    """The id Mermaid gives the drawn SVG (its style rules are scoped to it): the same for the
    same source, so a cached drawing never names another diagram."""
    return "mmd-" + key(source)[:12]


def drawn(svg: str) -> str:
    return f'<div class="mermaid" data-diagram="drawn"><template shadowrootmode="open">{svg}</template></div>'


def rewrite(page_html: str, svgs: dict[str, str]) -> tuple[str, int, int]:
    """``page_html`` with each diagram whose source is in ``svgs`` replaced by its drawing.

    Returns the new HTML, how many diagrams were drawn in and how many were left as source."""
    counts = [0, 0]

    def swap(m: re.Match) -> str:
        svg = svgs.get(html.unescape(m.group("text")))
        counts[svg is None] += 1
        return m.group(0) if svg is None else drawn(svg)

    return SOURCE.sub(swap, page_html), counts[0], counts[1]


# --- the cache -----------------------------------------------------------------------------------

def cached(source: str) -> str | None:
    path = CACHE / f"{key(source)}.svg"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def store(source: str, svg: str) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f".{key(source)}.{os.getpid()}.tmp"
    tmp.write_text(svg, encoding="utf-8")
    tmp.replace(CACHE / f"{key(source)}.svg")   # atomic: a parallel build never reads half a file


# --- drawing in Chromium ---------------------------------------------------------------------------

def renderer_available() -> str | None:
    """Why diagrams cannot be drawn here, or None when they can."""
    if os.environ.get("HANDBOOK_DIAGRAMS", "").lower() == "browser":
        return "HANDBOOK_DIAGRAMS=browser"
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is not installed (`./dev test` installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed"
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def draw(site_dir: Path, harness: str, todo: list[str]) -> dict[str, str]:
    """Draw every source in ``todo`` with Mermaid in Chromium; ``harness`` is a built page (path
    relative to ``site_dir``) that has at least one diagram, so Material initialises Mermaid."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(service_workers="block")
                page = context.new_page()
                # The drawing page needs no Python: keep the cells runtime from warming up.
                page.add_init_script("window.__handbookCellsOptions = { warmUp: false };")
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/{harness}")
                # Material has drawn the page's own diagrams: Mermaid is loaded and configured.
                page.wait_for_function(
                    "() => window.__handbookDiagrams && (window.__handbookDiagrams.rendered"
                    " + window.__handbookDiagrams.failed) > 0", timeout=RENDER_TIMEOUT_MS)
                results = page.evaluate(
                    """async (jobs) => {
                        await document.fonts.ready;   // labels are measured in the site's font
                        const out = [];
                        for (const [id, text] of jobs) {
                            try { out.push({ svg: (await window.mermaid.render(id, text)).svg }); }
                            catch (e) { out.push({ error: String(e && e.message || e) }); }
                        }
                        return out;
                    }""",
                    [[svg_id(s), s] for s in todo])
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    svgs, errors = {}, []
    for source, result in zip(todo, results):
        if "error" in result:
            errors.append(f"{source.splitlines()[0]!r}…: {result['error']}")
        else:
            svgs[source] = result["svg"]
    if errors:
        raise PluginError("Mermaid could not draw these diagrams:\n  " + "\n  ".join(errors))
    return svgs


# --- hook ----------------------------------------------------------------------------------------

def on_post_build(config, **kwargs) -> None:
    site_dir = Path(config["site_dir"])
    pages = {}
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if '<pre class="mermaid">' in text:
            pages[path] = text
    if not pages:
        return
    wanted = {s for text in pages.values() for s in sources(text)}
    svgs = {s: svg for s in wanted if (svg := cached(s)) is not None}
    todo = sorted(wanted - svgs.keys())
    if todo:
        why_not = renderer_available()
        if why_not is None:
            harness = next(p for p, text in pages.items() if sources(text))
            # Playwright's sync API refuses a thread that runs an asyncio loop (as `mkdocs serve`
            # may): draw in a thread of its own.
            with ThreadPoolExecutor(1) as pool:
                new = pool.submit(draw, site_dir, harness.relative_to(site_dir).as_posix(), todo).result()
            for source, svg in new.items():
                store(source, svg)
            svgs.update(new)
        else:
            log.info(f"diagrams: {len(todo)} of {len(wanted)} not drawn at build time ({why_not}); "
                     "the browser draws them")
    newly = len(todo) if not todo or todo[0] in svgs else 0
    drawn_in = left = 0
    for path, text in pages.items():
        new_text, n_drawn, n_left = rewrite(text, svgs)
        drawn_in, left = drawn_in + n_drawn, left + n_left
        if n_drawn:
            path.write_text(new_text, encoding="utf-8")
    log.info(f"diagrams: {drawn_in} drawn at build time ({newly} newly drawn, the rest cached), "
             f"{left} left to the browser")
