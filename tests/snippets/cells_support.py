"""Helpers for the snippet tests: the list of cells, one CPython run, one Pyodide (Node) batch.

Each snippet runs the way the build runs it — ``cellrunner.process.run_file``: ``python -m
cellrunner <file>`` in a fresh process with a CPU budget — but never from the build's cache: these
tests run the code for real. Pyodide runs go through the one Node runner (tests/node/), which
starts Python as the page does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cellrunner.process import ProcessFailure, run_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "node"))
import node_pyodide  # noqa: E402  (tests/node/: the one Pyodide runner)

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


def run_pyodide(cells: list[dict], workdir: Path, timeout: float = 600, snapshot: dict | None = None) -> dict[str, dict]:
    """Run cells ({"id", "name", "source"}) in ONE Pyodide under Node; results by id.

    The one Pyodide runner (tests/node/pyodide.mjs) with the page's start-up code and the site's
    library zip, started the plain way or from ``snapshot`` ({"path", "key"}). The "__start__"
    entry holds the Python version, how it started and the start-up time.
    """
    return node_pyodide.run_cells(cells, workdir, timeout, snapshot=snapshot)


def selected_cells(session) -> list[str]:
    """The page cells that the selected tests take as their ``rel`` parameter, in page order:
    all of them in a full run, only a page's with ``-k <slug>`` (each cell costs seconds, in
    Pyodide more)."""
    chosen = {item.callspec.params["rel"] for item in session.items
              if hasattr(item, "callspec") and "rel" in item.callspec.params}
    return [rel for rel in page_snippets() if rel in chosen]
