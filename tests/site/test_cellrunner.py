"""cellrunner on its own: the output cap, how table numbers read, tracebacks, the one CPython
process runner, and the one rule for joining text chunks (the same in Python and JavaScript).

These run in this process (``cellrunner.run``/``collect``) except where the subject is the
process itself; none needs Pyodide, so the whole file takes a few seconds.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cellrunner import Limits, collect, comparable, merge_event, run
from cellrunner.process import HASH_SEED, ProcessFailure, cell_env, run_file
from cellrunner.tables import with_cells
from mlsd import show

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY = ROOT / "snippets" / "_test"


def _collect(source: str, **limits) -> dict:
    return collect(textwrap.dedent(source), filename="cell.py", limits=Limits(**limits) if limits else Limits())


def _kinds(report: dict) -> list[str]:
    return [e["kind"] for e in report["events"]]


# --- output cap ------------------------------------------------------------------------------------

def test_line_cap_keeps_whole_lines_and_counts_the_rest():
    report = _collect("for i in range(100):\n    print(i)\n", max_lines=10)
    assert _kinds(report) == ["stdout", "truncated"]
    assert report["events"][0]["data"]["text"] == "".join(f"{i}\n" for i in range(10))
    assert report["events"][1]["data"] == {"max_lines": 10, "max_chars": 200_000}
    result = report["result"]
    assert result["ok"] and result["lines"] == 10 and result["hidden_lines"] == 90
    assert result["hidden_chars"] == sum(len(f"{i}\n") for i in range(10, 100))


def test_char_cap_cuts_inside_a_line():
    report = _collect('print("x" * 25)\nprint("never shown")\n', max_chars=10)
    assert report["events"][0] == {"kind": "stdout", "data": {"text": "x" * 10}}
    assert _kinds(report) == ["stdout", "truncated"]
    assert report["result"]["hidden_chars"] == 16 + len("never shown\n")


def test_stdout_and_stderr_share_one_budget_and_truncated_comes_once():
    report = _collect("""
        import sys
        for i in range(5):
            print("out", i)
            print("err", i, file=sys.stderr)
    """, max_lines=3)
    assert _kinds(report) == ["stdout", "stderr", "stdout", "truncated"]
    assert report["result"]["lines"] == 3 and report["result"]["hidden_lines"] == 7


def test_output_within_the_cap_is_untouched():
    report = _collect('print("a")\nprint("b")\n', max_lines=2)
    assert report["events"] == [{"kind": "stdout", "data": {"text": "a\nb\n"}}]
    assert report["result"]["hidden_lines"] == 0


def test_tables_past_the_row_cap_keep_their_first_rows():
    report = _collect("""
        from mlsd import show
        show.table([{"i": i} for i in range(12)])
    """, max_rows=5)
    table = report["events"][0]["data"]
    assert table["rows"] == [[i] for i in range(5)] and table["cells"] == [[str(i)] for i in range(5)]
    assert table["hidden_rows"] == 7


def test_figures_past_the_cap_are_dropped_with_one_note():
    report = _collect("""
        from mlsd import show
        for i in range(4):
            show.table([[i]], columns=["n"])
    """, max_figures=2)
    assert _kinds(report) == ["table", "table", "stderr"]
    assert "only the first 2 tables and charts" in report["events"][2]["data"]["text"]


# --- one number rule for tables --------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "True"), (False, "False"), (0, "0"), (-12, "-12"), (1234567, "1234567"),
    (0.0, "0"), (-0.0, "0"), (2.0, "2"), (0.5, "0.5"), (1234.5, "1,234.5"), (-1234.56789, "-1,234.5679"),
    (0.001, "0.001"), (0.00012345, "0.000123"), (-0.00012345, "-0.000123"), (1e-12, "1e-12"),
    (0.00004, "4e-05"), (math.inf, "inf"), (-math.inf, "-inf"), (math.nan, "nan"), ("x < y", "x < y"),
])
def test_table_values_read_by_one_rule(value, text):
    assert show.format_value(value) == text
    assert with_cells({"columns": ["v"], "rows": [[value]]})["cells"] == [[text]]


TABLE_CELL = """
from mlsd import show
show.table([{"name": "a", "value": 1234.5, "share": 0.00012345, "ok": True, "note": None},
            {"name": "b", "value": 2.0, "share": 0.25, "ok": False, "note": "n"}], title="T")
"""


def test_plain_python_prints_the_cells_the_page_shows():
    page = _collect(TABLE_CELL)["events"][0]["data"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    plain = subprocess.run([sys.executable, "-c", TABLE_CELL], capture_output=True, text=True,
                           env=env, check=True).stdout.splitlines()
    assert plain[0] == "T" and plain[1].split() == page["columns"]
    widths = [len(dashes) for dashes in plain[2].split("  ")]
    for line, cells in zip(plain[3:], page["cells"], strict=True):
        texts, at = [], 0
        for width in widths:  # columns are fixed-width, two spaces apart
            texts.append(line[at:at + width].strip())
            at += width + 2
        assert texts == cells


# --- tracebacks ------------------------------------------------------------------------------------

def test_traceback_starts_at_the_cell_and_shows_library_frames_by_package_path():
    source = (TEST_ONLY / "deep_error.py").read_text(encoding="utf-8")
    report = collect(source, filename="deep_error.py")
    assert report["events"][0] == {"kind": "stdout", "data": {"text": "before the error\n"}}
    error = report["events"][-1]["data"]
    assert error["type"] == "ValueError" and error["line"] == 6 and not report["result"]["ok"]
    text = error["traceback"]
    assert text.startswith('Traceback (most recent call last):\n  File "deep_error.py", line 10, in <module>\n')
    assert '  File "deep_error.py", line 6, in summarise\n    show.table(rows)\n' in text
    assert '  File "mlsd/show.py", line ' in text
    assert "cellrunner" not in text and str(ROOT) not in text and "^^^" not in text
    assert text.endswith("ValueError: rows is empty: a table needs at least one row\n")


def test_syntax_error_points_at_its_line():
    report = _collect("x = 1\nif x\n    print(x)\n")
    error = report["events"][-1]["data"]
    assert error["type"] == "SyntaxError" and error["line"] == 2
    assert 'File "cell.py", line 2' in error["traceback"]


def test_chained_exceptions_hide_the_runner_in_every_part():
    report = _collect("""
        try:
            {}["missing"]
        except KeyError as exc:
            raise RuntimeError("while looking up") from exc
    """)
    text = report["events"][-1]["data"]["traceback"]
    assert "KeyError: 'missing'" in text and "RuntimeError: while looking up" in text
    assert "direct cause" in text and "cellrunner" not in text and "runner.py" not in text


@pytest.mark.parametrize("source, ok, kinds", [
    ("import sys\nsys.exit(0)\n", True, []),
    ("import sys\nsys.exit()\n", True, []),
    ("import sys\nsys.exit(3)\n", False, ["error"]),
    ("input()\n", False, ["error"]),  # cells take no keyboard input: EOFError, not a hang
])
def test_exits_and_input(source, ok, kinds):
    report = _collect(source)
    assert report["result"]["ok"] is ok and _kinds(report) == kinds


def test_each_run_gets_fresh_globals_and_restores_the_streams():
    before = sys.stdout, sys.stderr, show.get_sink()
    assert _collect("shared = 1\n")["result"]["ok"]
    report = _collect("print(shared)\n")
    assert report["events"][-1]["data"]["type"] == "NameError"
    assert (sys.stdout, sys.stderr, show.get_sink()) == before


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="^source must be str, got bytes"):
        run(b"print(1)", lambda kind, data: None)
    with pytest.raises(ValueError, match="^filename must be a non-empty string"):
        run("print(1)", lambda kind, data: None, filename="")


# --- one rule for joining text chunks, in Python and in JavaScript ---------------------------------

CHUNKS = [("stdout", {"text": "a"}), ("stdout", {"text": "b\n"}), ("stderr", {"text": "e"}),
          ("stderr", {"text": "f\n"}), ("table", {"columns": ["n"], "rows": [[1]]}),
          ("stdout", {"text": "c"}), ("truncated", {"max_lines": 1, "max_chars": 2}), ("stdout", {"text": "d"})]
MERGED = [{"kind": "stdout", "data": {"text": "ab\n"}}, {"kind": "stderr", "data": {"text": "ef\n"}},
          {"kind": "table", "data": {"columns": ["n"], "rows": [[1]]}}, {"kind": "stdout", "data": {"text": "c"}},
          {"kind": "truncated", "data": {"max_lines": 1, "max_chars": 2}}, {"kind": "stdout", "data": {"text": "d"}}]


def test_python_merges_consecutive_text_of_one_stream():
    events: list[dict] = []
    for kind, data in CHUNKS:
        merge_event(events, kind, dict(data))
    assert events == MERGED


def test_javascript_merges_by_the_same_rule():
    script = f"""
        const {{ mergeEvent }} = await import({json.dumps((ROOT / "docs/assets/cells/protocol.js").as_uri())});
        const events = [];
        for (const [kind, data] of {json.dumps(CHUNKS)}) mergeEvent(events, kind, data);
        console.log(JSON.stringify(events));
    """
    out = subprocess.run(["node", "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", "--input-type=module", "-e", textwrap.dedent(script)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert json.loads(out) == MERGED


def test_outputs_compare_alike_however_the_text_was_chunked():
    one = collect('print("a", end="")\nprint("b")\nprint("⏱ 12 ms")\nprint("c")\n')["events"]
    split = [{"kind": "stdout", "data": {"text": t}} for t in ("a", "b\n⏱ 3", "4 ms\nc\n")]
    assert comparable(one) == comparable(split) == [{"kind": "stdout", "lines": ["ab", "c", ""]}]


# --- the one CPython process runner (the build's and the tests') -------------------------------------

def test_run_file_gives_the_same_report_as_an_in_process_run():
    path = TEST_ONLY / "deep_error.py"
    report = run_file(path)
    here = collect(path.read_text(encoding="utf-8"), filename=path.name)
    assert comparable(report["events"]) == comparable(here["events"])
    assert report["events"][-1]["data"]["traceback"] == here["events"][-1]["data"]["traceback"]


def test_run_file_environment_is_fixed(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_SECRET", "leak")
    cell = tmp_path / "env.py"
    cell.write_text("import os, sys\nprint(os.environ.get('PYTHONHASHSEED'), os.environ.get('HANDBOOK_SECRET'),"
                    " sys.flags.dont_write_bytecode)\n")
    report = run_file(cell, name="shown.py")
    assert report["events"] == [{"kind": "stdout", "data": {"text": f"{HASH_SEED} None 1\n"}}]
    assert cell_env({"PATH": "/bin", "OTHER": "x"}) == {
        "PATH": "/bin", "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": HASH_SEED,
        "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}


def test_the_page_passes_the_same_hash_seed_to_pyodide():
    python_js = (ROOT / "docs" / "assets" / "cells" / "python.js").read_text(encoding="utf-8")
    assert f'PYTHONHASHSEED: "{HASH_SEED}"' in python_js


def test_run_file_ends_a_runaway_cell_at_its_cpu_budget():
    with pytest.raises(ProcessFailure, match="used more than its budget of 1 s of CPU time") as caught:
        run_file(TEST_ONLY / "runaway.py", cpu_seconds=1, wall_seconds=60)
    assert caught.value.reason == "cpu"


def test_run_file_ends_a_waiting_cell_at_the_wall_clock_limit(tmp_path):
    cell = tmp_path / "sleepy.py"
    cell.write_text("import time\ntime.sleep(30)\n")
    with pytest.raises(ProcessFailure, match="did not finish within 0.5 s") as caught:
        run_file(cell, wall_seconds=0.5)
    assert caught.value.reason == "wall"


def test_run_file_rejects_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a file"):
        run_file(tmp_path / "missing.py")
    cell = tmp_path / "ok.py"
    cell.write_text("print(1)\n")
    with pytest.raises(ValueError, match="^cpu_seconds must be a positive number of seconds, got 0"):
        run_file(cell, cpu_seconds=0)
    with pytest.raises(ValueError, match="^wall_seconds must be a positive number"):
        run_file(cell, wall_seconds="10")


def test_the_cpu_clock_keeps_its_resolution_under_the_budget(tmp_path):
    # An armed RLIMIT_CPU makes Linux update the process's CPU clock only every few milliseconds;
    # the budget is watched from outside instead, so short steps measure as in `python x.py`.
    cell = tmp_path / "clock.py"
    cell.write_text("import time\nsteps = []\nfor _ in range(200):\n    a = time.process_time()\n"
                    "    sum(range(2000))\n    steps.append(time.process_time() - a)\n"
                    "print(sum(step == 0 for step in steps))\n")
    report = run_file(cell)
    assert int(report["events"][0]["data"]["text"]) < 20  # of 200 steps of ~20 µs each
