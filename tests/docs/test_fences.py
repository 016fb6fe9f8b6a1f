"""Plain ```python fences in docs/ run, top to bottom, like pytest-markdown-docs would run them.

Fences are found with pytest-markdown-docs' own parser (superfences syntax), so its conventions
hold: ``{.python notest}`` is shown but not run, ``{.python continuation}`` continues the previous
fence of the page. Each fence (with what it continues) runs through cellrunner in fresh globals.
Cells (``<!-- cell: ... -->``) are programs in snippets/ and are tested in tests/snippets/.

The finder is checked, not trusted: on a fixture page it must find exactly the fences written
there, and on every page of the site it must find as many python fences as a plain line count of
their opening lines — so a fence it cannot see (say, one indented inside an admonition) fails
here instead of silently never running. Today the site has no plain python fence at all.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

from cellrunner import collect

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fences.md"
SNIPPET_INCLUDE = "--8<--"
# How many plain python fences (not notest, not an included file) the site's pages hold. Change it
# when you add or remove one: it is here so that a finder that finds nothing cannot pass.
SITE_FENCES = 0
# An opening fence line whose language is python (```python, ~~~py, ```{.python continuation}),
# at any indentation; the finder must see each one that is not marked notest.
OPENER = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:\{[^}]*\.(?:python3?|py)\b[^}]*\}|(?:python3?|py)\b)(?P<rest>.*)$")


def python_fences(markdown: str, path: Path) -> list:
    """Every python fence pytest-markdown-docs would run (included files too)."""
    parser = MarkdownIt(config="commonmark")
    return list(extract_fence_tests(parser, markdown, 0, path, fence_syntax=FenceSyntax.superfences))


def fences(markdown: str, path: Path) -> list:
    """The python fences written in the page (an included file is not)."""
    return [t for t in python_fences(markdown, path) if SNIPPET_INCLUDE not in t.source]


def opening_lines(markdown: str) -> int:
    """A plain count of the python fences that are not marked notest (opening lines only)."""
    count, fence = 0, None
    for line in markdown.splitlines():
        mark = re.match(r"^[ \t]*(`{3,}|~{3,})", line)
        if fence is not None:
            if mark and mark.group(1)[0] == fence[0] and len(mark.group(1)) >= len(fence) \
                    and not line.strip()[len(mark.group(1)):].strip():
                fence = None
            continue
        if mark:
            fence = mark.group(1)
            opener = OPENER.match(line)
            if opener and "notest" not in line:
                count += 1
    return count


def all_fences() -> list:
    out = []
    for path in sorted(DOCS.rglob("*.md")):
        out += fences(path.read_text(encoding="utf-8"), path)
    return out


def _run(source: str, name: str) -> dict:
    report = collect(source, filename=name)
    errors = [e["data"]["traceback"] for e in report["events"] if e["kind"] == "error"]
    return {"errors": errors, "events": report["events"]}


def test_finder_finds_the_fences_of_the_fixture_page():
    text = FIXTURE.read_text(encoding="utf-8")
    found = fences(text, FIXTURE)
    lines = text.splitlines()
    # The fences that run: the first, its continuation, the tilde one, the `py` one.
    assert [lines[t.start_line - 1] for t in found] == ["```python", "```{.python continuation}",
                                                         "~~~~python", "```py"]
    # The included file is found as a python fence but is not code of the page.
    assert len(python_fences(text, FIXTURE)) == 5 == opening_lines(text)
    assert "total = sum(range(5))" in found[1].source and "assert total == 10" in found[1].source
    for fence in found:
        assert _run(fence.source, FIXTURE.name)["errors"] == [], fence.source


def test_a_failing_fence_is_reported_with_its_error(tmp_path):
    broken = fences("```python\nraise ValueError('shown')\n```\n", tmp_path / "bad.md")
    assert len(broken) == 1
    assert "ValueError: shown" in _run(broken[0].source, "bad.md")["errors"][0]


def test_the_line_count_catches_a_fence_the_finder_cannot_see():
    # Inside an admonition a fence is indented; CommonMark reads it as an indented code block.
    page = '!!! note\n\n    ```python\n    print("inside")\n    ```\n'
    assert opening_lines(page) == 1
    assert len(python_fences(page, Path("note.md"))) == 0  # the finder misses it: the check below fails


def test_the_site_has_the_python_fences_it_should():
    per_page = {}
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        found, counted = len(python_fences(text, path)), opening_lines(text)
        assert found == counted, (f"{path.relative_to(ROOT)}: {counted} python fence(s) but the finder "
                                  f"sees {found}: put it at the top level, or mark it {{.python notest}}")
        per_page[path] = len(fences(text, path))
    assert len(per_page) > 20, "the pages were not found"
    assert sum(per_page.values()) == len(all_fences()) == SITE_FENCES


def test_every_python_fence_in_docs_runs():
    """One test over all fences (not one per fence): the site may have none, and an empty
    parametrization would be reported as a skip. How many there are is asserted above."""
    failures = []
    ran = 0
    for fence in all_fences():
        result = _run(fence.source, fence.source_path.name)
        ran += 1
        if result["errors"]:
            failures.append(f"{fence.source_path.relative_to(ROOT)}:{fence.start_line} raised:\n{result['errors'][0]}")
    assert not failures, "\n\n".join(failures)
    assert ran == SITE_FENCES
