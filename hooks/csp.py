"""Add a Content-Security-Policy to every page: only this site's own origin may serve anything.

The policy goes in a ``<meta http-equiv>`` tag so it holds on any static host (GitHub Pages
cannot set headers). Material for MkDocs and our pages use a few small inline scripts; instead of
allowing all inline code, each one is allowed by its SHA-256 hash, computed here from the final
HTML. ``'wasm-unsafe-eval'`` lets Pyodide compile WebAssembly; inline *styles* are allowed because
Mermaid and the chart renderer set them on the SVG they draw.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def _inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or any(t in attrs for t in _DATA_TYPES):
            continue  # external files are covered by 'self'; data blocks never execute
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(set(hashes))


def build_policy(html: str) -> str:
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *_inline_script_hashes(html)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_policy(html: str, where: str) -> str:
    """``html`` with the policy tag first in its ``<head>``: the one place the tag is written.

    Every page (``on_post_page``) and every page rendered from a bare template (the 404 page,
    ``on_post_template``) goes through here. Raises ValueError naming ``where`` when there is no
    ``<head>``, since a page without the policy must not be published.
    """
    head = html.find("<head>")
    if head < 0:
        raise ValueError(f"{where}: no <head> to put the Content-Security-Policy in")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{build_policy(html)}">'
    at = head + len("<head>")
    return html[:at] + meta + html[at:]


# --- hooks (the policy needs the final HTML, so no Markdown extension can add it) ----------------

def on_post_page(output: str, page, config, **kwargs) -> str:
    return add_policy(output, page.file.src_uri)


def on_post_template(output_content: str, template_name: str, config, **kwargs) -> str:
    if not template_name.endswith(".html"):
        return output_content  # e.g. sitemap.xml: not a page
    return add_policy(output_content, template_name)
