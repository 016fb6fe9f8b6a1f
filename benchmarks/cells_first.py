"""Any cell first: how long each cell takes when it is the first one a reader runs.

A reader may open a case study and press Run on its last cell. That cell then pays for the data
and models the earlier cells would have built (the memoized builders in ``casestudies``). This
runs every cell of the site in real Pyodide under Node, each in a new interpreter restored from the
build's memory snapshot — exactly what a reader's first Run gets — and reports, per page, the
slowest cell's CPU time. Target: every cell under 3 s of CPU (the budget a cell has in the page).

CPU time, not wall-clock time, so other work on the machine moves the figures little. Not a test:
run with ``./dev bench cells_first`` (or ``python benchmarks/cells_first.py``); writes
benchmarks/results/cells_first.{json,md}.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests" / "node"))
sys.path.insert(0, str(ROOT / "tests" / "snippets"))
sys.path.insert(0, str(ROOT / "src"))

import cells_assets  # noqa: E402  (hooks/: the build's snapshot)
import node_pyodide  # noqa: E402  (tests/node/: the one Pyodide runner)
from cells import find_cells  # noqa: E402  (hooks/: which page includes which cell)

LIMIT_MS = 3000
WARMUP_ID = "__warmup__"


def cells_by_page() -> dict[str, list[str]]:
    """Each page (docs/…/x.md) and the cells it includes, in page order."""
    pages = {}
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rels = [rel for _, rel in find_cells(md.read_text(encoding="utf-8"))]
        if rels:
            pages[md.relative_to(ROOT / "docs").as_posix()] = rels
    return pages


def main() -> int:
    pages = cells_by_page()
    cells = sorted({rel for rels in pages.values() for rel in rels})
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = cells_assets.library_zip()
        snapshot, info = cells_assets.write_snapshot(tmp / "py", data)
        key = cells_assets.snapshot_key(cells_assets.library_name(data), cells_assets.pyodide_version())
        jobs = [{"id": rel, "name": Path(rel).name, "source": (ROOT / "snippets" / rel).read_text(encoding="utf-8")}
                for rel in cells]
        # The first cell run in a new Node process also pays V8's compiling Python's WebAssembly
        # into optimised code (about 2 s of CPU on background threads, counted in process CPU
        # time). It would land on whichever cell sorts first, so a copy of that cell runs first
        # as a warm-up, reported apart: a reader's browser pays it once, on the first Run of a
        # first visit, whatever the cell.
        warmup = dict(jobs[0], id=WARMUP_ID)
        started = time.perf_counter()
        runs = node_pyodide.run_cells([warmup] + jobs, tmp, timeout=60.0 * len(jobs),
                                      snapshot={"path": str(snapshot), "key": key}, fresh=True)
        wall_s = time.perf_counter() - started
    if runs["__start__"]["how"] != "snapshot":
        raise SystemExit(f"Python did not start from the snapshot: {runs['__start__']['fallback']}")
    failed = [rel for rel in cells if runs[rel]["error"] or not runs[rel]["result"]["ok"]]
    per_page = {}
    for page, rels in pages.items():
        slowest = max(rels, key=lambda rel: runs[rel]["cpu_ms"])
        per_page[page] = {"cells": len(rels), "slowest": slowest, "cpu_ms": runs[slowest]["cpu_ms"],
                          "wall_ms": runs[slowest]["wall_ms"]}
    worst = max(per_page, key=lambda p: per_page[p]["cpu_ms"])
    over = sorted(rel for rel in cells if runs[rel]["cpu_ms"] > LIMIT_MS)
    report = {
        "summary": {"cells": len(cells), "pages": len(pages), "worst_page": worst,
                    "worst_cell": per_page[worst]["slowest"], "worst_cpu_ms": per_page[worst]["cpu_ms"],
                    "over_limit": over, "failed": failed, "limit_ms": LIMIT_MS, "wall_s": wall_s,
                    "warmup_cell": cells[0], "warmup_cpu_ms": runs[WARMUP_ID]["cpu_ms"],
                    "warm_cpu_ms": runs[cells[0]]["cpu_ms"]},
        "pages": per_page,
        "cells": {rel: {"cpu_ms": runs[rel]["cpu_ms"], "wall_ms": runs[rel]["wall_ms"]} for rel in cells},
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "python": platform.python_version(),
                    "pyodide": cells_assets.pyodide_version()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cells_first.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "cells_first.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 1 if failed else 0


def markdown(report: dict) -> str:
    s = report["summary"]
    lines = [
        "# Any cell first", "",
        f"Every cell ({s['cells']} on {s['pages']} pages) run as the first cell of a new interpreter "
        f"restored from the build's memory snapshot, in Pyodide {report['machine']['pyodide']} under Node "
        f"({report['machine']['cpus']} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in report['machine']['load_average'])} when it finished; "
        f"{s['wall_s']:.0f} s in all). A copy of the first cell (`{s['warmup_cell']}`) ran before "
        f"them as a warm-up: {s['warmup_cpu_ms'] / 1000:.2f} s of CPU then, {s['warm_cpu_ms'] / 1000:.2f} s "
        "when measured. The difference is V8 compiling Python's WebAssembly into optimised code, "
        "which a browser pays once, on the first Run of a first visit.", "",
        f"Worst: `{s['worst_cell']}` on {s['worst_page']}, {s['worst_cpu_ms'] / 1000:.2f} s of CPU "
        f"(limit {s['limit_ms'] / 1000:.0f} s). Over the limit: "
        f"{', '.join(f'`{r}`' for r in s['over_limit']) or 'none'}. Failed: {', '.join(s['failed']) or 'none'}.", "",
        "| page | cells | slowest cell run first | CPU s |", "|---|---|---|---|",
    ]
    for page, p in sorted(report["pages"].items(), key=lambda kv: -kv[1]["cpu_ms"]):
        lines.append(f"| {page} | {p['cells']} | `{p['slowest']}` | {p['cpu_ms'] / 1000:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
