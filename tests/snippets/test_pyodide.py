"""Every cell runs in real Pyodide (the version the site serves) and shows what CPython shows.

One Node process starts Pyodide once, loads the library from the same zip the site serves,
through the page's own start-up code (docs/assets/cells/python.js), and runs every cell in fresh
globals. Outputs must equal the CPython run's, except what the author marked as varying (lines
with ``mlsd.show.VARIES``; tables/charts with ``varies=True``, compared by shape).
"""

from __future__ import annotations

import pytest

from cellrunner import comparable
from cells_support import SNIPPETS, TEST_ONLY, page_snippets, run_pyodide, selected_cells

pytestmark = pytest.mark.pyodide

# Pyodide is ~2-3x slower than CPython; a cell must stay under this in the browser. Measured as
# CPU time, so a machine busy with other work does not make a good cell fail.
PYODIDE_CPU_LIMIT_MS = 3000

EXTRA = ["flood.py", "xss.py", "memory.py", "deep_error.py"]
# How Python was started: the same hash seed and no bytecode files in both runtimes.
ENV_CELL = "import os, sys\nprint(os.environ.get('PYTHONHASHSEED'), sys.dont_write_bytecode)\n"


def _cell(rel: str, path=None) -> dict:
    path = path or SNIPPETS / rel
    return {"id": rel, "name": path.name, "source": path.read_text(encoding="utf-8")}


@pytest.fixture(scope="session")
def pyodide_runs(request, tmp_path_factory) -> dict[str, dict]:
    # The page cells whose comparison is selected: all in a full run, a page's with -k <slug>.
    cells = [_cell(rel) for rel in selected_cells(request.session)]
    cells += [_cell(f"_test/{name}", TEST_ONLY / name) for name in EXTRA]
    cells.insert(0, {"id": "env", "name": "env.py", "source": ENV_CELL})
    # A cell right after the memory bomb: the interpreter still works.
    cells.insert(len(cells) - 1, {"id": "after-memory", "name": "after.py", "source": "print(sum(range(10)))\n"})
    # One Node process runs them all; each cell may use up to 3 s of CPU, so the wall-clock limit
    # grows with the number of cells (with room for a busy machine) instead of a fixed 10 minutes.
    timeout = max(600.0, 6.0 * len(cells))
    return run_pyodide(cells, tmp_path_factory.mktemp("pyodide"), timeout=timeout)


def test_pyodide_is_the_pinned_version(pyodide_runs):
    assert pyodide_runs["__start__"]["python"].startswith("3.14")


def test_both_runtimes_start_python_alike(pyodide_runs, tmp_path):
    from cellrunner.process import HASH_SEED
    from cells_support import run_cpython

    path = tmp_path / "env.py"
    path.write_text(ENV_CELL, encoding="utf-8")
    expected = [{"kind": "stdout", "data": {"text": f"{HASH_SEED} True\n"}}]
    assert pyodide_runs["env"]["events"] == run_cpython(path)["events"] == expected


@pytest.mark.parametrize("rel", page_snippets())
def test_snippet_matches_cpython(rel, pyodide_runs, cpython_runs):
    cpython = cpython_runs[rel]
    assert "failure" not in cpython, f"snippets/{rel} fails under CPython: {cpython.get('failure')}"
    run = pyodide_runs[rel]
    assert run["error"] is None, f"snippets/{rel}: Pyodide itself failed:\n{run['error']}"
    errors = [e["data"]["traceback"] for e in run["events"] if e["kind"] == "error"]
    assert not errors, f"snippets/{rel} raised in Pyodide:\n{errors[0]}"
    assert comparable(run["events"]) == comparable(cpython["events"])
    assert run["cpu_ms"] <= PYODIDE_CPU_LIMIT_MS, (
        f"snippets/{rel} took {run['cpu_ms']:.0f} ms of CPU in Pyodide (limit {PYODIDE_CPU_LIMIT_MS} ms)")


def test_print_flood_is_capped(pyodide_runs):
    run = pyodide_runs["_test/flood.py"]
    kinds = [e["kind"] for e in run["events"]]
    assert kinds == ["stdout", "truncated"]
    text = run["events"][0]["data"]["text"]
    assert text.count("\n") == 2000 and text.endswith("1999\n")
    assert run["result"]["hidden_lines"] == 10**6 - 2000


def test_html_is_just_text(pyodide_runs):
    run = pyodide_runs["_test/xss.py"]
    assert run["events"] == [{"kind": "stdout", "data": {"text": (
        "<script>alert(1)</script>\n<img src=x onerror=\"alert(2)\">\n<b>not bold</b> &amp; not an entity\n")}}]


def test_traceback_points_at_the_cell_and_hides_the_runtime(pyodide_runs, tmp_path):
    from cells_support import run_cpython

    run = pyodide_runs["_test/deep_error.py"]
    error = run["events"][-1]["data"]
    assert error["type"] == "ValueError" and error["line"] == 6
    text = error["traceback"]
    assert text.startswith('Traceback (most recent call last):\n  File "deep_error.py", line 10, in <module>\n')
    for internal in ("_pyodide", "cellrunner", "/lib/", "pyodide"):
        assert internal not in text, f"{internal!r} leaks into the traceback:\n{text}"
    # The very same text as CPython's.
    cpython = run_cpython(TEST_ONLY / "deep_error.py")
    assert cpython["events"][-1]["data"]["traceback"] == text


def test_memory_bomb_is_an_error_and_python_survives(pyodide_runs):
    run = pyodide_runs["_test/memory.py"]
    assert run["error"] is None
    assert [e["data"]["type"] for e in run["events"] if e["kind"] == "error"] == ["MemoryError"]
    after = pyodide_runs["after-memory"]
    assert after["events"] == [{"kind": "stdout", "data": {"text": "45\n"}}]
