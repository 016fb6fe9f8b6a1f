"""Offline reading: write the service worker (``sw.js``) into the built site.

The worker's source is ``hooks/offline_sw.js``; this hook fills in what only the finished build
knows: the build's id (a hash of every file of the site, so any change to the site is a new build
with its own cache), the Pyodide version (Pyodide's files have a cache of their own) and the files a
Run needs (the runtime, the library zip and its snapshot, the editor and chart bundles), which the
worker keeps once a page reports Python ready. The page side is ``docs/assets/js/offline.js``.
It runs after every other hook that writes files (last in mkdocs.yml).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "hooks" / "offline_sw.js"
# What a Run needs besides the page, relative to the site root (the library and snapshot are
# found by pattern: their names carry their hash).
RUNTIME = [
    "assets/cells/worker.js", "assets/cells/protocol.js", "assets/cells/python.js",
    "assets/cells/editor.bundle.js", "assets/cells/charts.bundle.js",
    "assets/vendor/pyodide/pyodide.mjs", "assets/vendor/pyodide/pyodide.asm.mjs",
    "assets/vendor/pyodide/pyodide.asm.wasm", "assets/vendor/pyodide/python_stdlib.zip",
    "assets/vendor/pyodide/pyodide-lock.json",
]
RUNTIME_PATTERNS = ["assets/py/handbook-*.zip", "assets/py/handbook-*.snap.gz"]


def build_id(site: Path) -> str:
    """A hash of every file of the built site (but the worker itself), by path and content."""
    h = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != "sw.js"):
        h.update(path.relative_to(site).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def runtime_files(site: Path) -> list[str]:
    files = list(RUNTIME)
    for pattern in RUNTIME_PATTERNS:
        files += sorted(p.relative_to(site).as_posix() for p in site.glob(pattern))
    missing = [f for f in files if not (site / f).is_file()]
    if missing:
        raise FileNotFoundError(f"the service worker would keep files the build did not write: {missing}")
    return files


def service_worker(site: Path, pyodide_version: str) -> str:
    return (TEMPLATE.read_text(encoding="utf-8")
            .replace("__BUILD__", build_id(site))
            .replace("__PYODIDE__", pyodide_version)
            .replace("__RUNTIME_FILES__", json.dumps(runtime_files(site))))


# --- hooks --------------------------------------------------------------------------------------

def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"])
    package = ROOT / "node_modules" / "pyodide" / "package.json"
    version = json.loads(package.read_text(encoding="utf-8"))["version"]
    (site / "sw.js").write_text(service_worker(site, version), encoding="utf-8")
