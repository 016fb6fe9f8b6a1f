"""hooks/offline.py (the service worker the build writes) and the snapshot's naming in
hooks/cells_assets.py: what the browser-side code relies on."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"

sys.path.insert(0, str(HOOKS))
try:
    offline = importlib.import_module("offline")
    cells_assets = importlib.import_module("cells_assets")
finally:
    sys.path.remove(str(HOOKS))


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for rel in offline.RUNTIME + ["assets/py/handbook-0123456789abcdef.zip",
                                  "assets/py/handbook-0123456789abcdef.pyodide-1.2.3.snap.gz", "index.html"]:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    return site


def test_the_build_id_changes_with_any_file_and_ignores_the_worker_itself(tmp_path):
    site = _site(tmp_path)
    first = offline.build_id(site)
    (site / "sw.js").write_text("anything", encoding="utf-8")
    assert offline.build_id(site) == first
    (site / "index.html").write_text("a new text", encoding="utf-8")
    assert offline.build_id(site) != first
    assert re.fullmatch(r"[0-9a-f]{16}", first)


def test_the_worker_names_the_build_the_pyodide_version_and_what_a_run_needs(tmp_path):
    site = _site(tmp_path)
    source = offline.service_worker(site, "1.2.3")
    assert "__" not in re.sub(r"/\*.*?\*/", "", source, flags=re.S).replace("__handbook", ""), "a placeholder was left"
    assert f'const BUILD = "{offline.build_id(site)}";' in source
    assert 'const PYODIDE = "1.2.3";' in source
    files = json.loads(re.search(r"const RUNTIME_FILES = (\[.*?\]);", source).group(1))
    assert "assets/vendor/pyodide/pyodide.asm.wasm" in files
    assert "assets/py/handbook-0123456789abcdef.zip" in files
    assert "assets/py/handbook-0123456789abcdef.pyodide-1.2.3.snap.gz" in files


def test_a_runtime_file_the_build_did_not_write_fails_loudly(tmp_path):
    site = _site(tmp_path)
    (site / "assets/vendor/pyodide/python_stdlib.zip").unlink()
    with pytest.raises(FileNotFoundError, match="python_stdlib.zip"):
        offline.service_worker(site, "1.2.3")


def test_snapshot_name_and_key():
    # The worker derives the same name from the library's URL and Pyodide's version (the browser
    # test checks the request it makes), and python.js the same key.
    assert cells_assets.snapshot_name("handbook-0123456789abcdef.zip", "314.0.7") == \
        "handbook-0123456789abcdef.pyodide-314.0.7.snap.gz"
    assert cells_assets.snapshot_key("handbook-0123456789abcdef.zip", "314.0.7") == \
        "handbook-0123456789abcdef.zip|pyodide-314.0.7"


def test_snapshot_name_rejects_what_is_not_a_zip():
    with pytest.raises(ValueError, match="zip"):
        cells_assets.snapshot_name("handbook.tar", "314.0.7")
