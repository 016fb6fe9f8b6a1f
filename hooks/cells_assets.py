"""The files cells need in the built site, beyond docs/assets/cells/ itself.

- ``assets/py/handbook-<hash>.zip``: the library (mlsd, casestudies, cellrunner) that the Pyodide worker
  unpacks — content-hashed, so browsers may cache it for good. Deterministic (sorted, fixed
  timestamps), so the same sources always give the same file and the same name.
- ``assets/py/handbook-<hash>.pyodide-<version>.snap.gz``: a memory snapshot of Python with the
  library and the standard-library modules the cells use already imported, made under Node with
  the pinned Pyodide; the worker restores it instead of booting Python (see
  docs/assets/cells/python.js). Named after the library and the Pyodide build, the only pair it
  restores into; cached in ``.cache/cells/snapshots/`` by the hash of everything that makes it.
- ``assets/cells/cells.bundle.js``: the page's cell code in one file; ``editor.bundle.js`` and
  ``charts.bundle.js``: CodeMirror and vega-embed, bundled with esbuild from the pinned npm
  packages. Sources that only ship inside a bundle are not published on their own. Bundles are
  cached in ``.cache/cells/bundles/`` by the hash of their inputs.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from cells_exec import SNIPPETS, SRC, library_files

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
SNAPSHOT_SCRIPT = ROOT / "hooks" / "cells_snapshot.mjs"
SNAPSHOT_CACHE = ROOT / ".cache" / "cells" / "snapshots"
PYTHON_JS = CELLS_DIR / "python.js"
SNAPSHOTS_KEPT = 3


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


def pyodide_version() -> str:
    """The Pyodide build the site serves (the pinned npm package)."""
    package = ROOT / "node_modules" / "pyodide" / "package.json"
    if not package.is_file():
        raise FileNotFoundError(f"{package} is missing: run `npm ci` (./dev does it for you)")
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def snapshot_name(library: str, version: str) -> str:
    """File name of the snapshot for a library zip and a Pyodide build (the worker derives it too)."""
    if not library.endswith(".zip"):
        raise ValueError(f"library must be a zip's file name, got {library!r}")
    return f"{library[:-len('.zip')]}.pyodide-{version}.snap.gz"


def snapshot_key(library: str, version: str) -> str:
    """What the snapshot is marked with and checked against after a restore (python.js: snapshotKey)."""
    return f"{library}|pyodide-{version}"


def snapshot_modules() -> list[str]:
    """Modules to import before the snapshot: every library module, and every module a cell imports.

    Library modules come from the files (``__main__`` modules excluded: importing one runs it); the
    cells' imports are read from their source, so a new standard-library import in a cell is in
    the next build's snapshot. Names the runtime cannot import are skipped when the snapshot is
    made, so a cell's own mistake never breaks the build here.
    """
    names = set()
    for path in library_files():
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts.pop()
        names.add(".".join(parts))
    for path in sorted(SNIPPETS.rglob("*.py")):
        if path.parts[len(SNIPPETS.parts)].startswith("_"):
            continue  # test-only programs
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return sorted(names)


def write_snapshot(dest_dir: Path, library_data: bytes) -> tuple[Path, dict]:
    """Write the memory snapshot for ``library_data`` into ``dest_dir``; return its path and sizes.

    Made under Node (hooks/cells_snapshot.mjs) with the page's own start-up code, or reused from
    the cache when nothing that makes it has changed.
    """
    version = pyodide_version()
    library = library_name(library_data)
    modules = snapshot_modules()
    h = hashlib.sha256(library_data)
    for part in [version, json.dumps(modules), PYTHON_JS.read_bytes(), SNAPSHOT_SCRIPT.read_bytes()]:
        h.update(b"\0" + (part if isinstance(part, bytes) else part.encode()))
    cached = SNAPSHOT_CACHE / h.hexdigest()[:20] / snapshot_name(library, version)
    info_path = cached.with_suffix(".json")
    if not (cached.is_file() and info_path.is_file()):
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            zip_path = Path(tmp) / library
            zip_path.write_bytes(library_data)
            job = Path(tmp) / "job.json"
            job.write_text(json.dumps({"library": str(zip_path), "key": snapshot_key(library, version),
                                       "modules": modules, "out": str(cached)}), encoding="utf-8")
            proc = subprocess.run(["node", str(SNAPSHOT_SCRIPT), str(job)], cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"the Python memory snapshot could not be made:\n{proc.stderr[-4000:]}")
        info_path.write_text(proc.stdout.strip().splitlines()[-1], encoding="utf-8")
        # Each library change makes a new snapshot of ~7 MB: keep the few newest, not every one.
        older = sorted((d for d in SNAPSHOT_CACHE.iterdir() if d != cached.parent), key=lambda d: d.stat().st_mtime)
        for stale in older[:-SNAPSHOTS_KEPT]:
            shutil.rmtree(stale, ignore_errors=True)
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / cached.name
    for old in dest_dir.glob("handbook-*.snap.gz"):
        if old != dest:
            old.unlink()
    shutil.copyfile(cached, dest)
    return dest, json.loads(info_path.read_text(encoding="utf-8"))


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
