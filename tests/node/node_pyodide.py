"""Python's side of the one Pyodide runner under Node (tests/node/pyodide.mjs).

Tests and benchmarks run Python in Pyodide only through these two functions, so every run starts
the way the page starts (docs/assets/cells/python.js) with the library zip the site serves:

- :func:`run_cells` runs cells through cellrunner, each in fresh globals, in one interpreter;
- :func:`run_program` runs a whole program (a benchmark, a cross-runtime check) with the library
  importable and returns the value of its last expression.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "node" / "pyodide.mjs"
NODE = ["node", "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON"]


def library_zip(dest: Path) -> Path:
    """The library zip exactly as the site serves it (hooks/cells_assets.py builds both)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import cells_assets
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    return cells_assets.write_library(Path(dest))


def _node(job: dict, workdir: Path, timeout: float | None, node_args, capture: bool):
    job = {"library": str(library_zip(workdir)), **job}
    path = workdir / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run([*NODE, *node_args, str(RUNNER), str(path)], cwd=ROOT, text=True,
                          encoding="utf-8", timeout=timeout,
                          stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise RuntimeError(f"Pyodide under Node failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc


def run_cells(cells: list[dict], workdir: Path, timeout: float = 600,
              snapshot: dict | None = None, fresh: bool = False) -> dict[str, dict]:
    """Run cells (``{"id", "name", "source"}``) in ONE Pyodide under Node; results by id.

    Each result is ``{"events", "result", "error", "wall_ms", "cpu_ms"}``; the ``"__start__"``
    entry holds the Python version, how Python started (``"how"``: "plain" or "snapshot",
    ``"fallback"``: why a given snapshot was not used) and the start-up time. ``snapshot``
    (``{"path": gzipped snapshot, "key": its key}``) starts Python from it, as the page does;
    ``fresh`` runs every cell in a new interpreter, as if it were the first a reader runs.
    """
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict) or not {"id", "name", "source"} <= cell.keys():
            raise ValueError(f"cells[{i}] must be a dict with 'id', 'name' and 'source'")
    if snapshot is not None and (not isinstance(snapshot, dict) or set(snapshot) != {"path", "key"}):
        raise ValueError("snapshot must be a dict with exactly 'path' and 'key'")
    job = {"cells": cells, "fresh": bool(fresh)}
    if snapshot is not None:
        job["snapshot"] = snapshot
    proc = _node(job, Path(workdir), timeout, (), capture=True)
    return {item["id"]: item for item in map(json.loads, proc.stdout.splitlines())}


def run_program(source: str, files: tuple[Path, ...] | list[Path] = (), *, timeout: float | None = None,
                node_args: tuple[str, ...] = (), capture: bool = True) -> tuple[str | None, str | None]:
    """Run ``source`` in Pyodide with the library importable and ``files`` copied to ``/data/``.

    Returns ``(value, stdout)``: the value of the program's last expression as text (``None`` if
    it has none) and what the program printed (``None`` when ``capture`` is false, in which case
    its output goes straight to this process's stdout).
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be str, got {type(source).__name__}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        program, out = tmp / "program.py", tmp / "out.txt"
        program.write_text(source, encoding="utf-8")
        proc = _node({"program": str(program), "out": str(out), "files": [str(f) for f in files]},
                     tmp, timeout, node_args, capture)
        value = out.read_text(encoding="utf-8") if out.is_file() else None
        return value, proc.stdout
