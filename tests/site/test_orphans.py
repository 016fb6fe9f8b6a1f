"""The build refuses orphans: a cell program or a diagram that no page includes, and a cell
marker that points at a missing program."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from mkdocs_files import files_from

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))  # the cells hook imports its helpers as siblings
try:
    import cells
finally:
    sys.path.remove(str(ROOT / "hooks"))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


PAGE = """# A page

<!-- cell: concepts/page/used.py -->

```mermaid
--8<-- "diagrams/concepts/page/flow.mmd"
```
"""


def test_a_tree_where_every_file_is_used_has_no_orphans(tmp_path):
    root = _tree(tmp_path, {"snippets/concepts/page/used.py": "print(1)\n",
                            "snippets/_test/runaway.py": "while True: pass\n",
                            "diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n"})
    assert cells.find_orphans({"concepts/page.md": PAGE}, root) == []


def test_a_program_no_page_shows_is_named(tmp_path):
    root = _tree(tmp_path, {"snippets/concepts/page/used.py": "print(1)\n",
                            "snippets/concepts/page/forgotten.py": "print(2)\n",
                            "diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n"})
    [message] = cells.find_orphans({"concepts/page.md": PAGE}, root)
    assert message.startswith("snippets/concepts/page/forgotten.py is included by no page")
    assert "<!-- cell: concepts/page/forgotten.py -->" in message


def test_a_diagram_no_page_includes_is_named(tmp_path):
    root = _tree(tmp_path, {"snippets/concepts/page/used.py": "print(1)\n",
                            "diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n",
                            "diagrams/concepts/page/serving.mmd": "flowchart LR\n  c --> d\n"})
    [message] = cells.find_orphans({"concepts/page.md": PAGE}, root)
    assert message.startswith("diagrams/concepts/page/serving.mmd is included by no page")


def test_a_marker_inside_a_code_fence_does_not_count_as_use(tmp_path):
    root = _tree(tmp_path, {"snippets/concepts/page/used.py": "print(1)\n"})
    page = "# How to\n\n```markdown\n<!-- cell: concepts/page/used.py -->\n```\n"
    assert [m.split(" ")[0] for m in cells.find_orphans({"p.md": page}, root)] == [
        "snippets/concepts/page/used.py"]


def test_escaped_includes_do_not_count_and_every_include_form_does(tmp_path):
    root = _tree(tmp_path, {f"diagrams/d/{name}.mmd": "flowchart LR\n  a --> b\n"
                            for name in ("inline", "single", "block", "ranged", "escaped")})
    page = ('--8<-- "diagrams/d/inline.mmd"\n'
            "  --8<-- './diagrams/d/single.mmd'\n"
            "--8<--\ndiagrams/d/block.mmd\n;diagrams/d/escaped.mmd\n--8<--\n"
            '---8<--- "diagrams/d/ranged.mmd:1:2"\n'
            ';--8<-- "diagrams/d/escaped.mmd"\n')
    assert [m.split(" ")[0] for m in cells.find_orphans({"p.md": page}, root)] == ["diagrams/d/escaped.mmd"]


def test_a_program_included_as_plain_text_is_used(tmp_path):
    root = _tree(tmp_path, {"snippets/concepts/page/shown.py": "print(1)\n"})
    page = '```python\n--8<-- "snippets/concepts/page/shown.py"\n```\n'
    assert cells.find_orphans({"p.md": page}, root) == []


# --- the hook itself fails the build ------------------------------------------------------------

@pytest.fixture
def hook_root(tmp_path, monkeypatch):
    """The cells hook pointed at a temporary tree; running cells is not this test's business."""
    monkeypatch.setattr(cells, "ROOT", tmp_path)
    monkeypatch.setattr(cells, "SNIPPETS", tmp_path / "snippets")
    monkeypatch.setattr(cells.cells_exec, "run_cells", lambda paths: {})
    monkeypatch.setattr(cells, "_render_all", lambda runs: {})
    return tmp_path


def test_build_fails_on_an_orphan_diagram_and_names_it(hook_root):
    _tree(hook_root, {"snippets/concepts/page/used.py": "print(1)\n",
                      "diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n",
                      "diagrams/concepts/other/lost.mmd": "flowchart LR\n  a --> b\n"})
    with pytest.raises(PluginError, match=r"diagrams/concepts/other/lost\.mmd is included by no page"):
        cells.on_files(files_from({"concepts/page.md": PAGE}), config=None)


def test_build_fails_on_an_orphan_program_and_names_it(hook_root):
    _tree(hook_root, {"snippets/concepts/page/used.py": "print(1)\n",
                      "snippets/concepts/page/extra.py": "print(1)\n",
                      "diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n"})
    with pytest.raises(PluginError, match=r"snippets/concepts/page/extra\.py is included by no page"):
        cells.on_files(files_from({"concepts/page.md": PAGE}), config=None)


def test_build_fails_on_a_marker_to_a_missing_program_and_names_it(hook_root):
    _tree(hook_root, {"diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n"})
    with pytest.raises(PluginError, match=r"concepts/page\.md: cell snippets/concepts/page/used\.py does not exist"):
        cells.on_files(files_from({"concepts/page.md": PAGE}), config=None)


def test_build_passes_when_everything_is_used(hook_root):
    _tree(hook_root, {"snippets/concepts/page/used.py": "print(1)\n",
                      "diagrams/concepts/page/flow.mmd": "flowchart LR\n  a --> b\n"})
    files = files_from({"concepts/page.md": PAGE})
    assert cells.on_files(files, config=None) is files


def test_the_handbook_itself_has_no_orphans():
    pages = {p.relative_to(ROOT / "docs").as_posix(): p.read_text(encoding="utf-8")
             for p in (ROOT / "docs").rglob("*.md")}
    assert cells.find_orphans(pages, ROOT) == []
