"""The site's own MkDocs hooks: glossary generation, the Content-Security-Policy, vendored assets, cell markup."""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"hooks_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


glossary = _load("glossary")
csp = _load("csp")
assets = _load("assets")


# --- glossary -------------------------------------------------------------------------------------

def test_glossary_entries_are_unique_and_sorted():
    entries = glossary.load_entries()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)) and len(ids) > 20
    terms = [str(e["term"]).casefold() for e in entries]
    assert terms == sorted(terms)


def test_glossary_rejects_duplicate_ids(tmp_path):
    (tmp_path / "a.yml").write_text('- {term: "AUC", id: auc, definition: "x"}\n')
    (tmp_path / "b.yml").write_text('- {term: "Area", id: auc, definition: "y"}\n')
    with pytest.raises(ValueError, match="'auc' is already used in a.yml"):
        glossary.load_entries(tmp_path)


@pytest.mark.parametrize("entry, message", [
    ('- {term: "AUC", definition: "x"}', "missing id"),
    ('- {term: "AUC", id: "Bad Id", definition: "x"}', "must be lowercase"),
    ('{term: "AUC"}', "expected a list"),
])
def test_glossary_rejects_malformed_entries(tmp_path, entry, message):
    (tmp_path / "a.yml").write_text(entry + "\n")
    with pytest.raises(ValueError, match=message):
        glossary.load_entries(tmp_path)


def test_glossary_page_has_an_anchor_per_entry():
    entries = glossary.load_entries()
    page = glossary.render(entries)
    for e in entries:
        assert f'id="{e["id"]}"' in page


# --- content security policy ---------------------------------------------------------------------

def test_policy_allows_exactly_the_inline_scripts_of_the_page():
    html = ('<html><head></head><body><script>var a = 1;</script>'
            '<script src="x.js"></script><script type="application/json">{"b": 2}</script></body></html>')
    policy = csp.build_policy(html)
    digest = base64.b64encode(hashlib.sha256(b"var a = 1;").digest()).decode()
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert script_src == f"script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}'"
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "unsafe-eval'" not in policy.replace("wasm-unsafe-eval", "")


def test_policy_is_inserted_first_in_head():
    class Page:
        class file:
            src_uri = "index.md"
    out = csp.on_post_page("<html><head><title>t</title></head><body></body></html>", Page, {})
    assert out.startswith('<html><head><meta http-equiv="Content-Security-Policy"')


# --- vendored assets -----------------------------------------------------------------------------

def test_vendored_files_exist_and_match_the_pinned_versions():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for folder, files in assets.VENDOR.items():
        for rel in files:
            assert (ROOT / "node_modules" / rel).is_file(), rel
    package = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert package["pyodide"].startswith("314."), "the site serves Pyodide 314.x (Python 3.14)"
    for name in ("pyodide", "mermaid"):
        assert lock[f"node_modules/{name}"]["version"] == package[name]


def test_missing_vendor_file_fails_the_build_loudly(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path)
    with pytest.raises(FileNotFoundError, match="npm ci"):
        assets.on_post_build({"site_dir": str(tmp_path / "site")})


# --- API reference: reST habits in docstrings become Markdown -----------------------------------

griffe_markdown = _load("griffe_markdown")


def test_roles_become_code_spans():
    text = "Use :func:`~mlsd.metrics.roc_auc` and :class:`mlsd.ranking.GBDT`."
    assert griffe_markdown.to_markdown(text) == "Use `roc_auc` and `mlsd.ranking.GBDT`."


def test_literal_block_becomes_fenced_code():
    text = "The score is::\n\n    z = w . x\n    p = 1 / (1 + exp(-z))\n\nThen more text."
    assert griffe_markdown.to_markdown(text) == (
        "The score is:\n\n```\nz = w . x\np = 1 / (1 + exp(-z))\n```\n\nThen more text.")


def test_simple_table_becomes_markdown_table():
    text = ("=====  =========\nindex  knob\n=====  =========\nIVF    nprobe\nHNSW   ef, with a\n"
            "       long note\n=====  =========")
    assert griffe_markdown.to_markdown(text).split("\n") == [
        "| index | knob |", "|---|---|", "| IVF | nprobe |", "| HNSW | ef, with a long note |"]


# --- cells: the source is carried once -------------------------------------------------------------

def _cell(source: str) -> str:
    import sys
    sys.path.insert(0, str(ROOT / "hooks"))  # cells_html is imported by the cells hook as a sibling
    try:
        import cells_html
    finally:
        sys.path.pop(0)
    code_html = cells_html.CodeHighlighter()(source)
    return cells_html.cell_html(path="p/x.py", page="p/", source=source, source_hash="0",
                                library="lib.zip", code_html=code_html, output="")


def test_cell_source_is_the_highlighted_text_when_they_agree():
    source = 'if a < b and s == "<tag> & more":\n    print(f"{a!r}")\n'
    page = _cell(source)
    assert "data-cell-source" not in page
    code = page[page.index("<code>") + 6:page.rindex("</code>")]
    assert html.unescape(re.sub(r"<[^>]+>", "", code)) == source


def test_cell_code_has_one_line_element_per_source_line_and_no_ids():
    # The highlighted code is laid out like the editor (numbered, wrapped lines; cells.css), which
    # needs each source line to be one element, also inside a multi-line string.
    source = 'x = 1\n\ns = """a\nb"""\nprint(x)\n'
    page = _cell(source)
    code = page[page.index("<code>") + 6:page.rindex("</code>")]
    lines = re.findall(r'<span class="cell-line">(.*?\n)</span>', code, re.S)
    assert len(lines) == source.count("\n") == 5
    assert code.endswith('<span class="cell-line"></span>')   # the editor's line after the last newline
    assert [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in lines] == source.splitlines(keepends=True)
    assert " id=" not in code                        # ids would repeat across the cells of a page
    assert "data-cell-source" not in page            # the text is still the source


def test_cell_source_is_spelled_out_when_the_highlighted_text_differs():
    source = "x = 1\n\n\n"  # the highlighter drops trailing blank lines
    page = _cell(source)
    assert 'data-cell-source="x = 1\n\n\n"' in page
