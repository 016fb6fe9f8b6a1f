"""The API reference is generated from src/: a page per module, the index table and the nav."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from mkdocs_files import files_from

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))
try:
    import api_reference as api
finally:
    sys.path.remove(str(ROOT / "hooks"))

# Pages other pages (and readers' bookmarks) link to; they must keep their URLs.
STABLE = {"bandits", "casestudies", "data-clicks", "data-graph", "data-recsys", "data-search", "estimates",
          "experiments", "metrics", "monitoring", "ranking", "retrieval", "serving", "show", "splits",
          "stats", "two-tower"}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _public_modules(package: Path, dotted: str) -> set[str]:
    """Every public module and package below ``package``, straight from the file system."""
    out = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(p.startswith("_") for p in parts):
            out.add(".".join((dotted,) + parts))
    return out


# --- the real packages --------------------------------------------------------------------------

def test_every_public_module_of_the_packages_is_documented():
    modules = api.discover()
    documented = {m.name for m in modules}
    for package in api.PACKAGES:
        for name in _public_modules(ROOT / "src" / package, package):
            # a module inside a package with an API is shown on its package's page
            owner = next((m for m in modules if m.kind == "package" and name.startswith(m.name + ".")), None)
            assert name in documented or owner is not None, f"{name} has no API page"


def test_existing_urls_are_kept():
    pages = {m.page.removeprefix("reference/api/").removesuffix(".md") for m in api.discover()}
    assert STABLE <= pages, f"lost pages: {sorted(STABLE - pages)}"


def test_every_page_has_a_summary_from_its_docstring():
    for module in api.discover():
        assert module.summary, f"{module.name} has no docstring"
        text = api.render_page(module)
        assert f"::: {module.name}\n" in text and text.startswith("---\ndescription: ")
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["description"] in module.summary.replace("`", "").replace("*", "")


def test_nav_lists_the_index_then_every_page_once():
    modules = api.discover()
    nav = yaml.safe_load(api.render_nav(modules))["nav"]
    assert nav[0] == "index.md"
    entries = [next(iter(item.items())) for item in nav[1:]]
    assert [title for title, _ in entries] == [m.name for m in modules]
    assert [page for _, page in entries] == [m.page.rsplit("/", 1)[1] for m in modules]


# --- the rules, on a made-up tree ----------------------------------------------------------------

def test_modules_packages_and_folders(tmp_path, monkeypatch):
    src = _write(tmp_path, {
        "lib/__init__.py": '"""The library."""\n__version__ = "1"\n',
        "lib/alpha_beta.py": '"""Alpha: the first.\n\nMore text."""\n',
        "lib/_private.py": '"""Hidden."""\n',
        "lib/grouped/__init__.py": '"""A folder of modules."""\nfrom __future__ import annotations\n',
        "lib/grouped/one.py": '"""One, see :func:`~lib.grouped.one.f`."""\n',
        "lib/api/__init__.py": '"""A package with an API."""\nfrom lib.api.core import f\n',
        "lib/api/core.py": '"""Core."""\n',
        "cases/__init__.py": '"""The cases."""\n',
        "cases/my_case.py": '"""My case | with a pipe."""\n',
    })
    monkeypatch.setattr(api, "LIBRARY", "lib")  # the library's own page is the index: no page
    modules = api.discover(src, ("lib", "cases"))
    by_name = {m.name: m for m in modules}
    assert list(by_name) == ["lib.alpha_beta", "lib.api", "lib.grouped", "lib.grouped.one", "cases", "cases.my_case"]
    assert by_name["lib.api"].kind == "package" and "show_submodules: true" in api.render_page(by_name["lib.api"])
    assert by_name["lib.grouped"].kind == "folder" and by_name["lib.grouped"].children == ("lib.grouped.one",)
    assert by_name["cases"].page == "reference/api/cases.md"
    assert by_name["cases.my_case"].page == "reference/api/cases-my-case.md"
    assert by_name["lib.grouped.one"].summary == "One, see `f`."
    assert by_name["lib.alpha_beta"].summary == "Alpha: the first."
    folder_page = api.render_page(by_name["lib.grouped"], by_name)
    assert "| [`lib.grouped.one`](grouped-one.md) | One, see `f`. |" in folder_page
    assert r"My case \| with a pipe." in api.module_table([by_name["cases.my_case"]])


def test_a_new_module_appears_without_any_other_edit(tmp_path):
    src = _write(tmp_path, {"casestudies/__init__.py": '"""Cases."""\n',
                            "casestudies/video_recommendations.py": '"""Videos."""\n'})
    before = {m.name for m in api.discover(src, ("casestudies",))}
    _write(tmp_path, {"casestudies/ad_click_prediction.py": '"""Ads."""\n'})
    after = api.discover(src, ("casestudies",))
    assert {m.name for m in after} - before == {"casestudies.ad_click_prediction"}
    assert after[0].kind == "folder" and "casestudies.ad_click_prediction" in after[0].children
    table = api.module_table(after, {"case-studies/ad-click-prediction.md"})
    assert "[ad-click-prediction](../../case-studies/ad-click-prediction.md)" in table


def test_a_module_turned_into_a_package_keeps_its_page(tmp_path):
    src = _write(tmp_path, {"mlsd/__init__.py": '"""Lib."""\n', "mlsd/experiments.py": '"""Experiments."""\n'})
    [before] = api.discover(src, ("mlsd",))
    (src / "mlsd" / "experiments.py").unlink()
    _write(tmp_path, {"mlsd/experiments/__init__.py": '"""Experiments."""\nfrom mlsd.experiments.ab import ab_test\n',
                      "mlsd/experiments/ab.py": '"""A/B tests."""\n'})
    [after] = api.discover(src, ("mlsd",))
    assert before.page == after.page == "reference/api/experiments.md"
    assert after.kind == "package"
    # while both exist (mid-move), the package wins as it does for Python's import
    _write(tmp_path, {"mlsd/experiments.py": '"""Old."""\n'})
    assert [m.kind for m in api.discover(src, ("mlsd",))] == ["package"]


def test_two_modules_on_one_page_are_refused(tmp_path):
    src = _write(tmp_path, {"mlsd/__init__.py": '"""Lib."""\n', "mlsd/two_tower.py": '"""A."""\n',
                            "mlsd/two/__init__.py": '"""B."""\n', "mlsd/two/tower.py": '"""C."""\n'})
    with pytest.raises(PluginError, match="mlsd.two_tower and mlsd.two.tower would both be documented on "
                                          "reference/api/two-tower.md"):
        api.discover(src, ("mlsd",))


def test_a_missing_package_is_named(tmp_path):
    with pytest.raises(PluginError, match="package .*nowhere not found"):
        api.discover(tmp_path, ("nowhere",))


# --- the hook ------------------------------------------------------------------------------------

class _Config(dict):
    site_dir = "site"
    use_directory_urls = True

    class plugins:
        _current_plugin = "api_reference"


def test_on_files_adds_every_page_and_the_nav():
    files = api.on_files(files_from({api.INDEX: "# API\n\n<!-- api-modules -->\n"}), config=_Config())
    for module in api.discover():
        assert files.get_file_from_path(module.page).content_string == api.render_page(
            module, {m.name: m for m in api.discover()}, set())
    nav = files.get_file_from_path(api.NAV)
    assert nav.inclusion.is_excluded() and "  - index.md" in nav.content_string

    class Page:
        file = files.get_file_from_path(api.INDEX)
    out = api.on_page_markdown(Page.file.content_string, Page, None, files)
    assert "<!-- api-modules -->" not in out
    assert "| [`mlsd.ranking`](ranking.md) |" in out and "### `casestudies`" in out


def test_a_hand_written_api_page_is_refused():
    pages = {api.INDEX: "<!-- api-modules -->\n", "reference/api/ranking.md": "# Ranking by hand\n"}
    with pytest.raises(PluginError, match="docs/reference/api/ranking.md"):
        api.on_files(files_from(pages), config=_Config())


def test_the_index_needs_its_marker():
    files = api.on_files(files_from({api.INDEX: "# API\n"}), config=_Config())

    class Page:
        file = files.get_file_from_path(api.INDEX)
    with pytest.raises(PluginError, match="must contain the line <!-- api-modules -->"):
        api.on_page_markdown("# API\n", Page, None, files)
