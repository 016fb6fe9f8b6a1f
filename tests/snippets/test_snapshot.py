"""Python restored from the build's memory snapshot, under Node, through the page's own code.

The build makes the snapshot (hooks/cells_assets.py, hooks/cells_snapshot.mjs) and the worker
restores it (docs/assets/cells/python.js). Here the same code restores it: cells must run as under
CPython, the library must import whatever the snapshot held, and every way a snapshot can be
unusable must end in the plain start, with the reason reported.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cellrunner import comparable
from cells_support import SNIPPETS, page_snippets, run_pyodide

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "hooks"))
import cells_assets  # noqa: E402  (hooks/: what the build runs)

pytestmark = pytest.mark.pyodide

ENV_CELL = "import os, sys\nprint(os.environ.get('PYTHONHASHSEED'), sys.dont_write_bytecode)\n"
# Modules the build's snapshot holds, and one import that reads the zip after the restore.
LIBRARY_CELL = "import mlsd.metrics, casestudies.memo\nprint(mlsd.metrics.__name__, casestudies.memo.__name__)\n"


def _cell(rel: str) -> dict:
    return {"id": rel, "name": Path(rel).name, "source": (SNIPPETS / rel).read_text(encoding="utf-8")}


def _first_cell_of_each_page() -> list[str]:
    first: dict[str, str] = {}
    for rel in page_snippets():
        first.setdefault(str(Path(rel).parent), rel)
    return sorted(first.values())


@pytest.fixture(scope="module")
def build_snapshot(tmp_path_factory) -> dict:
    """The snapshot exactly as the build makes it, for the library zip the runner uses."""
    out = tmp_path_factory.mktemp("snapshot")
    data = cells_assets.library_zip()
    library = cells_assets.library_name(data)
    path, info = cells_assets.write_snapshot(out, data)
    return {"path": str(path), "key": cells_assets.snapshot_key(library, cells_assets.pyodide_version()),
            "info": info}


def _run(cells, tmp_path, snapshot):
    return run_pyodide(cells, tmp_path, snapshot={"path": snapshot["path"], "key": snapshot["key"]})


def test_the_snapshot_is_named_after_the_library_and_the_pyodide_build(build_snapshot):
    name = Path(build_snapshot["path"]).name
    library, version = build_snapshot["key"].split("|pyodide-")
    assert name == f"{library.removesuffix('.zip')}.pyodide-{version}.snap.gz"
    raw = gzip.decompress(Path(build_snapshot["path"]).read_bytes())
    assert len(raw) == build_snapshot["info"]["raw"]
    assert build_snapshot["info"]["gzip"] == Path(build_snapshot["path"]).stat().st_size
    assert build_snapshot["info"]["skipped"] == [], "every module the cells import exists in Pyodide"


def test_snapshot_modules_are_the_library_and_what_cells_import():
    modules = cells_assets.snapshot_modules()
    assert {"mlsd", "mlsd.metrics", "casestudies.memo", "cellrunner.bridge", "random", "math"} <= set(modules)
    assert not [m for m in modules if m.endswith("__main__")], "importing a __main__ module would run it"


def test_cells_restored_from_the_snapshot_match_cpython(build_snapshot, cpython_runs, tmp_path):
    rels = _first_cell_of_each_page()
    runs = _run([{"id": "env", "name": "env.py", "source": ENV_CELL}] + [_cell(r) for r in rels],
                tmp_path, build_snapshot)
    start = runs["__start__"]
    assert (start["how"], start["fallback"]) == ("snapshot", None)
    assert start["python"].startswith("3.14")
    from cellrunner.process import HASH_SEED
    assert runs["env"]["events"] == [{"kind": "stdout", "data": {"text": f"{HASH_SEED} True\n"}}]
    for rel in rels:
        run = runs[rel]
        assert run["error"] is None, f"{rel}: {run['error']}"
        assert comparable(run["events"]) == comparable(cpython_runs[rel]["events"]), rel


def test_the_library_imports_after_a_restore_whatever_the_snapshot_held(tmp_path):
    """A snapshot made with nothing but the start-up imports: every other module of the library is
    imported from the zip, which the restore writes back (files are not in a memory snapshot)."""
    data = cells_assets.library_zip()
    library = cells_assets.library_name(data)
    (tmp_path / library).write_bytes(data)
    key = cells_assets.snapshot_key(library, cells_assets.pyodide_version())
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"library": str(tmp_path / library), "key": key, "modules": [],
                               "out": str(tmp_path / "bare.snap.gz")}), encoding="utf-8")
    subprocess.run(["node", str(cells_assets.SNAPSHOT_SCRIPT), str(job)], check=True, capture_output=True,
                   timeout=300, cwd=cells_assets.ROOT)
    runs = run_pyodide([{"id": "lib", "name": "lib.py", "source": LIBRARY_CELL}], tmp_path / "run",
                       snapshot={"path": str(tmp_path / "bare.snap.gz"), "key": key})
    assert runs["__start__"]["how"] == "snapshot"
    assert runs["lib"]["events"] == [{"kind": "stdout", "data": {"text": "mlsd.metrics casestudies.memo\n"}}]


@pytest.mark.parametrize("broken, reason", [
    ("missing", "no such file"),
    ("not a snapshot", "magic"),
    ("another build", "was made for"),
])
def test_an_unusable_snapshot_falls_back_to_the_plain_start(build_snapshot, tmp_path, broken, reason):
    snapshot = {"path": build_snapshot["path"], "key": build_snapshot["key"]}
    if broken == "missing":
        snapshot["path"] = str(tmp_path / "gone.snap.gz")
    elif broken == "not a snapshot":
        snapshot["path"] = str(tmp_path / "noise.snap.gz")
        Path(snapshot["path"]).write_bytes(gzip.compress(bytes(range(256)) * 64))
    else:
        snapshot["key"] = "handbook-0000000000000000.zip|pyodide-" + cells_assets.pyodide_version()
    tmp = tmp_path / "run"
    tmp.mkdir()
    runs = _run([{"id": "lib", "name": "lib.py", "source": LIBRARY_CELL}], tmp, snapshot)
    start = runs["__start__"]
    assert start["how"] == "plain"
    assert reason in start["fallback"].lower(), start["fallback"]
    assert runs["lib"]["events"] == [{"kind": "stdout", "data": {"text": "mlsd.metrics casestudies.memo\n"}}]
