"""Run every cell with CPython at build time: in its own process, with a time budget, cached.

Each cell runs through ``cellrunner.process.run_file`` — ``python -m cellrunner <file>`` in a fresh
interpreter, like ``python x.py``, the one way the tests run cells too — so no cell can lean on
another's state. Results are cached in ``.cache/cells/`` under a key made of the
snippet, the library and runner sources and the Python version, so ``mkdocs serve`` rebuilds
only re-run what changed. A cell that raises or runs past its budget fails the build, naming it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cellrunner.process import ProcessFailure, run_file

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
SRC = ROOT / "src"
LIBRARY_PACKAGES = ("mlsd", "casestudies", "cellrunner")
CACHE = ROOT / ".cache" / "cells" / "runs"
# A cell should take about a second. The budget is CPU time (the same on a busy machine as on an
# idle one); the wall-clock limit only catches programs that wait instead of computing.
TIME_BUDGET_S = float(os.environ.get("CELLS_TIME_BUDGET", "10"))
WALL_LIMIT_S = max(120.0, 6 * TIME_BUDGET_S)
CACHE_VERSION = "1"


class CellError(Exception):
    """A cell failed at build time (the message names the snippet and says why)."""


@dataclass
class CellRun:
    path: str          # relative to snippets/, e.g. "home/hello.py"
    events: list
    result: dict
    seconds: float     # wall time of the process, cached runs keep the original figure
    cached: bool


def library_files() -> list[Path]:
    """The Python files shipped to the browser and used by the build: mlsd, casestudies, cellrunner."""
    files = []
    for package in LIBRARY_PACKAGES:
        files += [p for p in (SRC / package).rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(files)


def library_digest() -> str:
    h = hashlib.sha256()
    for path in library_files():
        h.update(path.relative_to(SRC).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _cache_key(rel: str, source: bytes, lib: str) -> str:
    h = hashlib.sha256()
    for part in (CACHE_VERSION, sys.version.split()[0], lib, rel):
        h.update(part.encode() + b"\0")
    h.update(source)
    return h.hexdigest()


def _run_one(rel: str, lib: str) -> CellRun:
    path = SNIPPETS / rel
    if not path.is_file():
        raise CellError(f"cell {rel}: snippets/{rel} does not exist")
    source = path.read_bytes()
    key = _cache_key(rel, source, lib)
    cached = CACHE / f"{key}.json"
    if cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        return CellRun(rel, data["events"], data["result"], data["seconds"], True)
    start = time.perf_counter()
    try:
        report = run_file(path, cpu_seconds=TIME_BUDGET_S, wall_seconds=WALL_LIMIT_S, cwd=ROOT)
    except ProcessFailure as failure:
        hint = " (cells should take about a second; CELLS_TIME_BUDGET changes the budget)" if failure.reason == "cpu" else ""
        raise CellError(f"cell snippets/{rel} {failure}{hint}") from None
    seconds = time.perf_counter() - start
    errors = [e["data"] for e in report["events"] if e["kind"] == "error"]
    if errors or not report["result"]["ok"]:
        detail = errors[0]["traceback"] if errors else "it exited with a non-zero status"
        raise CellError(f"cell snippets/{rel} failed:\n{detail}")
    CACHE.mkdir(parents=True, exist_ok=True)
    # A name of its own per process and thread: two builds may run the same cell at once.
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps({"events": report["events"], "result": report["result"], "seconds": seconds},
                              ensure_ascii=False), encoding="utf-8")
    tmp.replace(cached)
    return CellRun(rel, report["events"], report["result"], seconds, False)


def run_cells(paths: list[str], jobs: int = 2) -> dict[str, CellRun]:
    """Run (or fetch from the cache) every cell; raise CellError listing every failure."""
    lib = library_digest()
    unique = sorted(set(paths))
    results: dict[str, CellRun] = {}
    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, os.cpu_count() or 1))) as pool:
        for rel, future in [(rel, pool.submit(_run_one, rel, lib)) for rel in unique]:
            try:
                results[rel] = future.result()
            except CellError as error:
                failures.append(str(error))
    if failures:
        raise CellError("\n\n".join(failures))
    return results
