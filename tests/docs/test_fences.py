"""Plain ```python fences in docs/ run, top to bottom, like pytest-markdown-docs would run them.

Fences are found with pytest-markdown-docs' own parser (superfences syntax), so its conventions
hold: ``{.python notest}`` is shown but not run, ``{.python continuation}`` continues the previous
fence of the page. Each fence (with what it continues) runs through cellrunner in fresh globals.
Cells (``<!-- cell: ... -->``) are programs in snippets/ and are tested in tests/snippets/.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

from cellrunner import collect

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPET_INCLUDE = "--8<--"


def fences(markdown: str, path: Path) -> list:
    parser = MarkdownIt(config="commonmark")
    found = []
    for test in extract_fence_tests(parser, markdown, 0, path, fence_syntax=FenceSyntax.superfences):
        if SNIPPET_INCLUDE in test.source:
            continue  # an included file, not code written in the page
        found.append(test)
    return found


def all_fences() -> list:
    out = []
    for path in sorted(DOCS.rglob("*.md")):
        out += fences(path.read_text(encoding="utf-8"), path)
    return out


def _run(source: str, name: str) -> dict:
    report = collect(source, filename=name)
    errors = [e["data"]["traceback"] for e in report["events"] if e["kind"] == "error"]
    return {"errors": errors, "events": report["events"]}


def test_fence_finder_follows_the_conventions(tmp_path):
    sample = "\n".join([
        "# Page", "", "```python", "x = 2", "```", "",
        "```{.python continuation}", "assert x == 2", "```", "",
        "```{.python notest}", "this is not run", "```", "",
        "```python", '--8<-- "snippets/home/x.py"', "```", "",
        "```bash", "echo no", "```", "",
    ])
    found = fences(sample, tmp_path / "page.md")
    assert [t.start_line for t in found] == [3, 7]
    assert _run(found[1].source, "page.md")["errors"] == []
    broken = fences("```python\nraise ValueError('shown')\n```\n", tmp_path / "bad.md")
    assert "ValueError: shown" in _run(broken[0].source, "bad.md")["errors"][0]


def test_every_python_fence_in_docs_runs():
    """One test over all fences (not one per fence): the pages may have none, and an empty
    parametrization would be reported as a skip."""
    failures = []
    for fence in all_fences():
        result = _run(fence.source, fence.source_path.name)
        if result["errors"]:
            failures.append(f"{fence.source_path.relative_to(ROOT)}:{fence.start_line} raised:\n{result['errors'][0]}")
    assert not failures, "\n\n".join(failures)
