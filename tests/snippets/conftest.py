"""Fixtures for the snippet tests: one CPython run of every cell per test session."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from cells_support import SNIPPETS, run_cpython, selected_cells


class _Runs(dict):
    """CPython runs by cell; a cell no selected test named is run when first asked for."""

    def __missing__(self, rel: str) -> dict:
        self[rel] = run_cpython(SNIPPETS / rel)
        return self[rel]


@pytest.fixture(scope="session")
def cpython_runs(request) -> dict[str, dict]:
    """The selected page snippets run once under CPython (two at a time: the machine has two
    cores); any other cell a test asks for runs then."""
    paths = selected_cells(request.session)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return _Runs(zip(paths, pool.map(lambda rel: run_cpython(SNIPPETS / rel), paths)))
