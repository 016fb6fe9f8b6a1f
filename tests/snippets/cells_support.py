"""Helpers for the snippet tests: the list of cells, one CPython run, one Pyodide (Node) batch.

Each snippet runs the way the build runs it — ``python -m cellrunner <file>`` in a fresh process
with a time budget — but never from the build's cache: these tests run the code for real.
"""

from __future__ import annotations

from pathlib import Path

from cellrunner.process import ProcessFailure, run_file

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
TEST_ONLY = SNIPPETS / "_test"
# The build's default CPU budget (CELLS_TIME_BUDGET); the wall-clock limit is generous for a busy
# 2-core machine.
CPU_BUDGET_S = 10
TIMEOUT_S = 60


def page_snippets() -> list[str]:
    """Every cell program (relative to snippets/), except the programs used only by tests."""
    return sorted(p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py")
                  if TEST_ONLY not in p.parents)


def run_cpython(path: Path, name: str | None = None) -> dict:
    """``{"events", "result"}`` of one fresh CPython run, or ``{"failure": text}``.

    The very function the build uses (cellrunner.process.run_file), with the build's CPU budget.
    """
    try:
        return run_file(path, name=name, cpu_seconds=CPU_BUDGET_S, wall_seconds=TIMEOUT_S, cwd=ROOT)
    except ProcessFailure as failure:
        return {"failure": str(failure)}


def library_zip(dest: Path) -> Path:
    """The library zip exactly as the site serves it (hooks/cells_assets.py builds both)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import cells_assets
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    return cells_assets.write_library(dest)


def run_pyodide(cells: list[dict], workdir: Path, timeout: float = 600) -> dict[str, dict]:
    """Run cells ({"id", "name", "source"}) in ONE Pyodide under Node; results by id.

    The "__start__" entry holds the Python version and the start-up time.
    """
    jobs = workdir / "jobs.json"
    jobs.write_text(json.dumps({"library": str(library_zip(workdir)), "cells": cells}), encoding="utf-8")
    proc = subprocess.run(["node", "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON",
                           str(ROOT / "tests" / "node" / "run_cells.mjs"), str(jobs)],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"Pyodide under Node failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    out = {}
    for line in proc.stdout.splitlines():
        item = json.loads(line)
        out[item["id"]] = item
    return out
