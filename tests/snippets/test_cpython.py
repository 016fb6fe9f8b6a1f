"""Every cell runs under CPython, as the build runs it, without an error."""

from __future__ import annotations

import pytest

from cells_support import page_snippets


def test_there_are_cells():
    assert len(page_snippets()) >= 1


@pytest.mark.parametrize("rel", page_snippets())
def test_snippet_runs_under_cpython(rel, cpython_runs):
    run = cpython_runs[rel]
    assert "failure" not in run, f"snippets/{rel}: {run.get('failure')}"
    errors = [e["data"]["traceback"] for e in run["events"] if e["kind"] == "error"]
    assert not errors, f"snippets/{rel} raised:\n{errors[0]}"
    assert run["result"]["ok"], f"snippets/{rel} exited with an error status"
