"""``./dev new case-study <slug>``: the scaffold creates a case study that builds, runs and is tested."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scaffold = _load(ROOT / "scaffold" / "new.py", "scaffold_new")
sys.path.insert(0, str(ROOT / "hooks"))
try:
    import api_reference
    import cells
finally:
    sys.path.remove(str(ROOT / "hooks"))

SECTIONS = ["In one minute", "Clarify requirements", "Frame as an ML task", "Data & features", "Model",
            "Evaluation", "Serving", "Monitoring & iteration", "Run it", "Follow-up questions",
            "Common mistakes", "Further reading"]
NAV = "nav:\n  - index.md\n  - template.md\n  - video-recommendations.md\n"


@pytest.fixture
def tree(tmp_path):
    """The folders a case study touches, as a fresh handbook root."""
    (tmp_path / "docs" / "case-studies").mkdir(parents=True)
    (tmp_path / scaffold.NAV).write_text(NAV, encoding="utf-8")
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_creates_every_file_named_after_the_slug(tree, capsys):
    assert scaffold.main(["case-study", "ad-click-prediction", "--root", str(tree)]) == 0
    expected = ["docs/case-studies/ad-click-prediction.md",
                "snippets/case-studies/ad-click-prediction/1_data.py",
                "diagrams/case-studies/ad-click-prediction/overview.mmd",
                "diagrams/case-studies/ad-click-prediction/serving.mmd",
                "src/casestudies/ad_click_prediction.py",
                "tests/casestudies/test_ad_click_prediction.py"]
    for rel in expected:
        text = (tree / rel).read_text(encoding="utf-8")
        assert not re.search(r"__(TITLE|SLUG|MODULE)__", text), rel
    out = capsys.readouterr().out
    assert all(f"created  {rel}" in out for rel in expected)
    assert f"updated  {scaffold.NAV}" in out
    nav = yaml.safe_load((tree / scaffold.NAV).read_text())["nav"]
    assert nav == ["index.md", "template.md", "video-recommendations.md", "ad-click-prediction.md"]
    assert "from casestudies import ad_click_prediction as system" in (
        tree / "snippets/case-studies/ad-click-prediction/1_data.py").read_text()


def test_the_page_has_the_outline_and_uses_its_cell_and_diagrams(tree):
    scaffold.create("people-you-may-know", root=tree)
    page = (tree / "docs/case-studies/people-you-may-know.md").read_text()
    assert page.startswith("# People you may know\n")
    assert re.findall(r"^## (.+)$", page, flags=re.M) == SECTIONS
    assert '!!! tip "What to say in 45 minutes"' in page
    assert page.index("What to say in 45 minutes") < page.index("## In one minute")
    # the orphan checks of the build find every new file used by the page
    assert cells.find_orphans({"case-studies/people-you-may-know.md": page}, tree) == []
    assert [rel for _, rel in cells.find_cells(page)] == ["case-studies/people-you-may-know/1_data.py"]


def test_a_title_can_be_given(tree):
    scaffold.create("ads", "Ad click prediction", tree)
    assert (tree / "docs/case-studies/ads.md").read_text().startswith("# Ad click prediction\n")


def test_a_second_run_refuses_and_changes_nothing(tree, capsys):
    assert scaffold.main(["case-study", "news-feed", "--root", str(tree)]) == 0
    before = _snapshot(tree)
    capsys.readouterr()
    assert scaffold.main(["case-study", "news-feed", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "case study 'news-feed' already exists; nothing was changed" in err
    assert "docs/case-studies/news-feed.md" in err
    assert _snapshot(tree) == before


@pytest.mark.parametrize("leftover", ["src/casestudies/news_feed.py", "diagrams/case-studies/news-feed/x.mmd"])
def test_any_leftover_of_the_slug_is_refused(tree, leftover):
    (tree / leftover).parent.mkdir(parents=True, exist_ok=True)
    (tree / leftover).write_text("x\n")
    before = _snapshot(tree)
    with pytest.raises(FileExistsError, match=re.escape(leftover.rsplit("/x.mmd", 1)[0])):
        scaffold.create("news-feed", root=tree)
    assert _snapshot(tree) == before


def test_a_nav_entry_alone_is_refused(tree):
    (tree / scaffold.NAV).write_text(NAV + "  - Feed: news-feed.md\n")
    with pytest.raises(FileExistsError, match=r"already lists news-feed\.md"):
        scaffold.create("news-feed", root=tree)


@pytest.mark.parametrize("slug", ["Ad-click", "ad_click", "ad--click", "-ad", "ad-", "1ad", "ad click", "", "ad/x"])
def test_malformed_slugs_are_refused(tree, slug):
    with pytest.raises(ValueError, match="slug must be lowercase"):
        scaffold.create(slug, root=tree)
    assert _snapshot(tree) == {scaffold.NAV: NAV.encode()}


@pytest.mark.parametrize("slug", ["index", "template", "memo", "import", "class"])
def test_reserved_slugs_are_refused(tree, slug):
    with pytest.raises(ValueError, match="is reserved"):
        scaffold.create(slug, root=tree)


def test_a_slug_must_be_a_string(tree):
    with pytest.raises(TypeError, match="slug must be a string, got int"):
        scaffold.create(3, root=tree)


def test_a_root_without_the_nav_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"\.nav\.yml not found"):
        scaffold.create("ads", root=tmp_path)


def test_nav_keeps_its_other_keys_and_titled_entries():
    text = "# order of the section\nnav:\n- index.md\n- Videos: video-recommendations.md\nsort:\n  by: title\n"
    out = scaffold.add_to_nav(text, "ads.md")
    assert out == ("# order of the section\nnav:\n- index.md\n- Videos: video-recommendations.md\n- ads.md\n"
                   "sort:\n  by: title\n")
    with pytest.raises(ValueError, match="no top-level 'nav:' list"):
        scaffold.add_to_nav("sort:\n  by: title\n", "ads.md")


# --- what it creates works: module, cell and tests ----------------------------------------------------

@pytest.fixture(scope="module")
def handbook_copy(tmp_path_factory):
    """A copy of the packages and the section's nav, with a case study scaffolded into it."""
    root = tmp_path_factory.mktemp("handbook")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (root / "docs" / "case-studies").mkdir(parents=True)
    shutil.copy(ROOT / scaffold.NAV, root / scaffold.NAV)
    scaffold.create("scaffold-check", root=root)
    return root


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(PYTHONPATH=str(root / "src"), PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    return env


def test_the_new_cell_runs_as_the_build_runs_it(handbook_copy):
    cell = handbook_copy / "snippets/case-studies/scaffold-check/1_data.py"
    proc = subprocess.run([sys.executable, "-m", "cellrunner", str(cell)], cwd=handbook_copy,
                          env=_env(handbook_copy), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["result"]["ok"] is True, report
    [table] = [event["data"] for event in report["events"] if event["kind"] == "table"]
    assert [row[0] for row in table["rows"]] == ["train", "test"]
    text = "".join(str(event["data"].get("text", "")) for event in report["events"] if event["kind"] != "table")
    assert "6,000 events; the test window starts on day 21" in text, report


def test_the_new_tests_pass(handbook_copy):
    test = handbook_copy / "tests/casestudies/test_scaffold_check.py"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
                          cwd=handbook_copy, env=_env(handbook_copy), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"\b6 passed\b", proc.stdout), proc.stdout


def test_the_new_module_gets_an_api_page(handbook_copy):
    names = {m.name: m for m in api_reference.discover(handbook_copy / "src")}
    module = names["casestudies.scaffold_check"]
    assert module.page == "reference/api/casestudies-scaffold-check.md"
    assert module.summary == "Scaffold check end to end: the system of the case study, small enough for a browser."
    assert "casestudies.scaffold_check" in names["casestudies"].children
