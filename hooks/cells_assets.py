"""The files cells need in the built site, beyond docs/assets/cells/ itself.

- ``assets/py/handbook-<hash>.zip``: the library (mlsd, casestudies, cellrunner) that the Pyodide worker
  unpacks — content-hashed, so browsers may cache it for good. Deterministic (sorted, fixed
  timestamps), so the same sources always give the same file and the same name.
- ``assets/cells/cells.bundle.js``: the page's cell code in one file; ``editor.bundle.js`` and
  ``charts.bundle.js``: CodeMirror and vega-embed, bundled with esbuild from the pinned npm
  packages. Sources that only ship inside a bundle are not published on their own. Bundles are
  cached in ``.cache/cells/bundles/`` by the hash of their inputs.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

from cells_exec import SRC, library_files

ROOT = Path(__file__).resolve().parent.parent
CELLS_DIR = ROOT / "docs" / "assets" / "cells"
BUNDLE_CACHE = ROOT / ".cache" / "cells" / "bundles"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# entry source (docs/assets/cells/) -> bundle name (site/assets/cells/). cells.bundle.js is the
# page's code (cells.js and what it imports: one request instead of a chain of module imports);
# the worker loads its modules (worker.js, protocol.js, python.js) as they are.
BUNDLES = {"cells.js": "cells.bundle.js", "editor-entry.js": "editor.bundle.js",
           "charts-entry.js": "charts.bundle.js"}
# Sources that only reach the browser inside a bundle: not published on their own.
BUNDLED_ONLY = ("cells.js", "cell.js", "runtime.js", "render.js", "chart-spec.js", "editor-entry.js", "charts-entry.js")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def library_name(data: bytes) -> str:
    """Content-hashed file name of a library zip."""
    return f"handbook-{hashlib.sha256(data).hexdigest()[:16]}.zip"


def library_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in library_files():
            info = zipfile.ZipInfo(path.relative_to(SRC).as_posix(), date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return buffer.getvalue()


def write_library(dest_dir: Path, data: bytes | None = None) -> Path:
    """Write the library zip (``data``, or a fresh one) into ``dest_dir``; return its path."""
    data = library_zip() if data is None else data
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / library_name(data)
    for old in dest_dir.glob("handbook-*.zip"):
        if old != dest:
            old.unlink()
    if not dest.is_file():
        dest.write_bytes(data)
    return dest


def _bundle_key(entry: str) -> str:
    # Every local source counts (entries import each other); so do the pinned npm packages.
    h = hashlib.sha256(entry.encode())
    for path in sorted(CELLS_DIR.glob("*.js")) + [ROOT / "package-lock.json"]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def build_bundles(dest_dir: Path) -> None:
    """Bundle each entry with esbuild (or reuse the cached bundle) into ``dest_dir``."""
    if not ESBUILD.exists():
        raise FileNotFoundError(f"{ESBUILD} is missing: run `npm ci` (./dev does it for you)")
    dest_dir.mkdir(parents=True, exist_ok=True)
    for entry, name in BUNDLES.items():
        cached = BUNDLE_CACHE / _bundle_key(entry) / name
        if not cached.is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run([str(ESBUILD), str(CELLS_DIR / entry), "--bundle", "--format=esm", "--minify",
                                   f"--outfile={cached}"],
                                  cwd=ROOT, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise RuntimeError(f"esbuild failed for docs/assets/cells/{entry}:\n{proc.stderr}")
        shutil.copyfile(cached, dest_dir / name)
