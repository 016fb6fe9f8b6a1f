"""Build steps around cells: finding cell markers, the cache key of a cell run, the one place the
Content-Security-Policy is written, and the checklist extension (a Markdown extension, not a hook).
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"


def _hooks(*names: str):
    """Hook modules as MkDocs loads them: with hooks/ on sys.path for their sibling imports."""
    sys.path.insert(0, str(HOOKS))
    try:
        return [importlib.import_module(name) for name in names]
    finally:
        sys.path.remove(str(HOOKS))


cells, cells_exec, csp = _hooks("cells", "cells_exec", "csp")


# --- finding cells -------------------------------------------------------------------------------

def test_find_cells_gives_line_index_and_path_of_each_marker():
    page = "\n".join([
        "# Title",                                           # 0
        "<!-- cell: concepts/a/first.py -->",                # 1
        "text <!-- cell: concepts/a/inline.py --> text",     # 2  not alone on its line
        "    <!--cell:concepts/a/indented.py-->  ",          # 3  indented (in an admonition), spaces
        "<!-- cell: -->",                                    # 4  no path
        "<!-- cell: concepts/a/x.py extra -->",              # 5  two words
        "<!-- cells: concepts/a/typo.py -->",                # 6  not the marker
        "\t<!-- cell: concepts/a/tab.py -->",                # 7
    ])
    assert cells.find_cells(page) == [(1, "concepts/a/first.py"), (3, "concepts/a/indented.py"),
                                      (7, "concepts/a/tab.py")]


def test_markers_inside_fenced_code_are_examples_not_cells():
    page = "\n".join([
        "```markdown",                             # 0
        "<!-- cell: shown/as/example.py -->",      # 1
        "```",                                     # 2
        "````markdown",                            # 3  a longer fence ...
        "```",                                     # 4  ... is not closed by a shorter one
        "<!-- cell: still/inside.py -->",          # 5
        "````",                                    # 6
        "~~~",                                     # 7
        "<!-- cell: tilde/inside.py -->",          # 8
        "```",                                     # 9  backticks do not close a tilde fence
        "~~~",                                     # 10
        "    ```python",                           # 11 an indented fence (in an admonition)
        "    <!-- cell: indented/inside.py -->",   # 12
        "    ```",                                 # 13
        "<!-- cell: real/one.py -->",              # 14
    ])
    assert cells.find_cells(page) == [(14, "real/one.py")]


def test_find_cells_on_the_site_finds_every_page_marker():
    pages = sorted((ROOT / "docs").rglob("*.md"))
    found = {rel for page in pages for _, rel in cells.find_cells(page.read_text(encoding="utf-8"))}
    marker_lines = {m.group(1) for page in pages
                    for m in re.finditer(r"^[ \t]*<!--\s*cell:\s*(\S+)\s*-->[ \t]*$",
                                         page.read_text(encoding="utf-8"), re.M)}
    assert found and found == marker_lines  # the site shows no marker inside a code block today
    missing = sorted(rel for rel in found if not (ROOT / "snippets" / rel).is_file())
    assert not missing, f"markers point at programs that do not exist: {missing}"


# --- cache keys ----------------------------------------------------------------------------------

KEY_ARGS = ("concepts/a/x.py", b"print(1)\n", "lib-digest")


def test_cache_key_is_stable():
    assert cells_exec._cache_key(*KEY_ARGS) == cells_exec._cache_key(*KEY_ARGS)
    assert re.fullmatch(r"[0-9a-f]{64}", cells_exec._cache_key(*KEY_ARGS))


@pytest.mark.parametrize("changed", [
    ("concepts/a/y.py", b"print(1)\n", "lib-digest"),      # another snippet with the same code
    ("concepts/a/x.py", b"print(2)\n", "lib-digest"),      # the snippet's code
    ("concepts/a/x.py", b"print(1)\n\n", "lib-digest"),    # even a blank line
    ("concepts/a/x.py", b"print(1)\n", "other-digest"),    # the library or the runner
])
def test_cache_key_changes_with_what_decides_the_output(changed):
    assert cells_exec._cache_key(*changed) != cells_exec._cache_key(*KEY_ARGS)


def test_cache_key_changes_with_the_python_version_and_the_cache_version(monkeypatch):
    key = cells_exec._cache_key(*KEY_ARGS)
    monkeypatch.setattr(cells_exec.sys, "version", "3.99.0 (test build)")
    assert cells_exec._cache_key(*KEY_ARGS) != key
    monkeypatch.undo()
    monkeypatch.setattr(cells_exec, "CACHE_VERSION", cells_exec.CACHE_VERSION + "x")
    assert cells_exec._cache_key(*KEY_ARGS) != key


def test_cache_key_parts_cannot_run_into_each_other():
    assert cells_exec._cache_key("a/b.py", b"x", "lib") != cells_exec._cache_key("a/b.p", b"yx", "lib")


def _library(tmp_path: Path) -> Path:
    for package, body in (("mlsd", "A = 1\n"), ("casestudies", "B = 2\n"), ("cellrunner", "C = 3\n")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(body)
    return tmp_path


def test_library_digest_follows_library_and_runner_sources_only(tmp_path, monkeypatch):
    src = _library(tmp_path)
    monkeypatch.setattr(cells_exec, "SRC", src)
    digest = cells_exec.library_digest()
    # Not: bytecode caches, files that are not Python, packages outside the library, modification times.
    (src / "mlsd" / "__pycache__").mkdir()
    (src / "mlsd" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (src / "mlsd" / "notes.txt").write_text("notes")
    (src / "other").mkdir()
    (src / "other" / "__init__.py").write_text("D = 4\n")
    (src / "mlsd" / "__init__.py").touch()
    assert cells_exec.library_digest() == digest
    # But: any library module's text, a new module, the runner.
    for change in (lambda: (src / "mlsd" / "__init__.py").write_text("A = 2\n"),
                   lambda: (src / "casestudies" / "new.py").write_text(""),
                   lambda: (src / "cellrunner" / "__init__.py").write_text("C = 4\n")):
        change()
        assert cells_exec.library_digest() != digest
        digest = cells_exec.library_digest()


def test_library_digest_tells_a_renamed_module_apart(tmp_path, monkeypatch):
    src = _library(tmp_path)
    monkeypatch.setattr(cells_exec, "SRC", src)
    (src / "mlsd" / "a.py").write_text("X = 1\n")
    before = cells_exec.library_digest()
    (src / "mlsd" / "a.py").rename(src / "mlsd" / "b.py")
    assert cells_exec.library_digest() != before


# --- Content-Security-Policy: written in one place -------------------------------------------------

PAGE = "<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>"


def test_pages_and_the_404_page_get_the_same_tag():
    class Page:
        class file:
            src_uri = "index.md"
    page = csp.on_post_page(PAGE, Page, {})
    not_found = csp.on_post_template(PAGE, "404.html", {})
    assert page == not_found == csp.add_policy(PAGE, "x")
    assert page.count('<meta http-equiv="Content-Security-Policy"') == 1
    assert page.startswith(f'<html><head><meta http-equiv="Content-Security-Policy" content="{csp.build_policy(PAGE)}">')


def test_a_page_without_head_is_refused_by_name():
    with pytest.raises(ValueError, match="^404.html: no <head>"):
        csp.on_post_template("<html><body></body></html>", "404.html", {})
    assert csp.on_post_template("<urlset/>", "sitemap.xml", {}) == "<urlset/>"


def test_no_other_code_writes_the_policy_tag():
    writers = []
    for folder in ("hooks", "overrides", "docs/assets", "src"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".js") and "Content-Security-Policy" in path.read_text(errors="ignore") \
                    and 'http-equiv="Content-Security-Policy"' in path.read_text(errors="ignore"):
                writers.append(path.relative_to(ROOT).as_posix())
    assert writers == ["hooks/csp.py"]
    assert (ROOT / "hooks" / "csp.py").read_text().count('http-equiv="Content-Security-Policy"') == 1


# --- checklists: a Markdown extension ------------------------------------------------------------

def _config() -> dict:
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/name
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_checklist_labels_are_an_extension_after_tasklist_not_a_hook():
    config = _config()
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names.index("handbook_markdown.checklists") > names.index("pymdownx.tasklist")
    assert not any("tasklist" in hook for hook in config.get("hooks", []))


def test_checklist_boxes_are_named_after_their_item():
    from handbook_markdown.checklists import name_checkboxes

    source = "- [ ] Ask about *scale* & latency\n- [x] Pick a metric\n    - [ ] nested one\n"
    settings = {"pymdownx.tasklist": {"custom_checkbox": True}}
    plain = markdown.markdown(source, extensions=["pymdownx.tasklist"], extension_configs=settings)
    named = markdown.markdown(source, extensions=["pymdownx.tasklist", "handbook_markdown.checklists"],
                              extension_configs=settings)
    assert named == name_checkboxes(plain)
    assert named.count("aria-label=") == plain.count('type="checkbox"') == 3
    assert 'aria-label="Ask about scale &amp; latency"' in named
    assert 'aria-label="Pick a metric"' in named  # the nested list is not part of the name
    assert 'aria-label="nested one"' in named
    # Nothing else changes: removing the names gives back the original.
    assert re.sub(r' aria-label="[^"]*"', "", named) == plain


def test_checklist_names_see_inline_html_and_code():
    source = "- [ ] Say <abbr title=\"queries per second\">QPS</abbr> and `p99`\n"
    named = markdown.markdown(source, extensions=["pymdownx.tasklist", "handbook_markdown.checklists"],
                              extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}})
    assert 'aria-label="Say QPS and p99"' in named
