"""Fixtures for the snippet tests: one CPython run of every cell per test session."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from cells_support import SNIPPETS, page_snippets, run_cpython


@pytest.fixture(scope="session")
def cpython_runs() -> dict[str, dict]:
    """Every page snippet run once under CPython (two at a time: the machine has two cores)."""
    paths = page_snippets()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(paths, pool.map(lambda rel: run_cpython(SNIPPETS / rel), paths)))
