"""Runnable cells: ``<!-- cell: section/page/name.py -->`` in a page becomes a cell.

A cell is the snippet's code (highlighted), its real output from a CPython run at build time
(text, tables, charts pre-rendered as SVG), and — once the page's JavaScript takes over — an
editor with Run, Stop and Reset backed by Pyodide in a worker (docs/assets/cells/).

Steps: ``on_files`` finds every marker, runs the cells (cells_exec) and renders their charts
(cells_svg) up front, in parallel and cached; ``on_page_markdown`` swaps each marker for a
placeholder; ``on_page_content`` puts the cell's HTML there (cells_html); ``on_post_build`` writes
the library zip and the editor/chart bundles (cells_assets). Any failure stops the build with a
message that names the snippet.

``on_files`` also refuses orphans: a program in ``snippets/`` (outside ``snippets/_test/``, the
programs only tests run) that no page shows as a cell, or a diagram in ``diagrams/`` that no page
includes with ``--8<--``. Such a file is either forgotten or a page lost it; either way the build
names it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

import cells_assets
import cells_exec
import cells_html
import cells_svg

log = logging.getLogger("mkdocs.hooks.cells")

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = cells_exec.SNIPPETS
MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*cell:\s*(?P<path>[^\s>]+)\s*-->[ \t]*$")
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
SLOT = re.compile(r"(?:<p>)?<!--handbook-cell:(?P<n>\d+)-->(?:</p>)?")
UNPUBLISHED = {f"assets/cells/{name}" for name in cells_assets.BUNDLED_ONLY}

_state: dict = {}


# --- finding markers ----------------------------------------------------------------------------

def find_cells(markdown: str) -> list[tuple[int, str]]:
    """(line index, snippet path) of every marker outside fenced code blocks."""
    found, fence = [], None
    for i, line in enumerate(markdown.splitlines()):
        m = FENCE.match(line)
        if m:
            mark = m.group("fence")
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark):].strip():
                fence = None
            continue
        if fence is None:
            cell = MARKER.match(line)
            if cell:
                found.append((i, cell.group("path")))
    return found


def _check_path(rel: str, where: str) -> None:
    if not rel.endswith(".py") or rel.startswith("/") or ".." in rel.split("/"):
        raise PluginError(f"{where}: cell path {rel!r} must be a .py file relative to snippets/")
    if not (SNIPPETS / rel).is_file():
        raise PluginError(f"{where}: cell snippets/{rel} does not exist")


# --- orphans: every program and diagram is used by a page --------------------------------------

# pymdownx.snippets' own syntax: `--8<-- "path"` on a line, or a block of paths between two
# `--8<--` lines; a leading `;` escapes the marker. A path may end in `:lines` or `:section`.
INCLUDE = re.compile(r"""^[ \t]*(?P<escape>;*)-+8<-+(?:[ \t]+(?P<q>["'])(?P<path>.+?)(?P=q))?[ \t]*$""")
PATH_SUFFIX = re.compile(r"(?i)(?::-?[0-9]*)+(?:,.*)?$|:[a-z][-_0-9a-z]*$")
TEST_ONLY = "_test"


def find_includes(markdown: str) -> set[str]:
    """Every file a page pulls in with ``--8<--`` (inline or block form), without line ranges."""
    found: set[str] = set()
    block = False
    for line in markdown.splitlines():
        m = INCLUDE.match(line)
        if m and not m.group("escape"):
            if m.group("path"):
                found.add(m.group("path"))
            else:
                block = not block
            continue
        if block and line.strip() and not line.strip().startswith(";"):
            found.add(line.strip())
    return {PATH_SUFFIX.sub("", path).removeprefix("./") for path in found}


def find_orphans(pages: dict[str, str], root: Path = ROOT) -> list[str]:
    """One message per program in snippets/ (outside snippets/_test/) or diagram in diagrams/
    that no page includes. ``pages`` maps a page's path to its Markdown."""
    cells: set[str] = set()
    includes: set[str] = set()
    for markdown in pages.values():
        cells.update(rel for _, rel in find_cells(markdown))
        includes.update(find_includes(markdown))
    problems = []
    snippets, diagrams = root / "snippets", root / "diagrams"
    for path in sorted(snippets.rglob("*.py")) if snippets.is_dir() else []:
        rel = path.relative_to(snippets).as_posix()
        if rel.split("/")[0] == TEST_ONLY or any(part.startswith(".") for part in rel.split("/")):
            continue
        if rel not in cells and f"snippets/{rel}" not in includes:
            problems.append(f"snippets/{rel} is included by no page: add <!-- cell: {rel} --> to a "
                            f"page, move it to snippets/{TEST_ONLY}/ if only tests use it, or delete it")
    for path in sorted(diagrams.rglob("*.mmd")) if diagrams.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        if rel not in includes:
            problems.append(f'{rel} is included by no page: put --8<-- "{rel}" in a ```mermaid '
                            f"fence of a page, or delete it")
    return problems


# --- rendering ----------------------------------------------------------------------------------

def _render_all(runs: dict[str, cells_exec.CellRun]) -> dict[str, str]:
    """Output HTML per snippet; all charts of the site go to Node in one batch."""
    specs = [ev["data"]["spec"] for run in runs.values() for ev in run.events if ev["kind"] == "chart"]
    try:
        svgs = iter(cells_svg.render_svgs(specs))
    except cells_svg.ChartError as error:
        raise PluginError(str(error)) from None
    out = {}
    for rel, run in runs.items():
        count = sum(1 for ev in run.events if ev["kind"] == "chart")
        out[rel] = cells_html.output_html(run.events, run.result, [next(svgs) for _ in range(count)])
    return out


# --- hooks --------------------------------------------------------------------------------------

def on_config(config, **kwargs):
    _state.clear()
    _state["highlight"] = cells_html.CodeHighlighter(config["mdx_configs"].get("pymdownx.highlight"))
    # One snapshot of the library per build: the name in the pages and the file always agree.
    _state["library_zip"] = cells_assets.library_zip()
    _state["library"] = cells_assets.library_name(_state["library_zip"])
    return config


def on_files(files, config, **kwargs):
    for file in list(files):
        if file.src_uri in UNPUBLISHED:
            files.remove(file)  # bundle sources; the built bundles are published instead
    wanted: set[str] = set()
    pages = {file.src_uri: file.content_string for file in files.documentation_pages()}
    for src_uri, markdown in pages.items():
        for _, rel in find_cells(markdown):
            _check_path(rel, src_uri)
            wanted.add(rel)
    orphans = find_orphans(pages, ROOT)
    if orphans and os.environ.get("HANDBOOK_DRAFT") == "1":
        # While a page is being written its cells exist before the page includes them; a local
        # build may pass over them. Tests and CI never set the switch.
        log.info("HANDBOOK_DRAFT=1: passing over files no page uses yet:\n  " + "\n  ".join(orphans))
    elif orphans:
        raise PluginError("files that no page uses (a cell or a diagram nobody sees):\n  "
                          + "\n  ".join(orphans)
                          + "\n(while drafting a page, HANDBOOK_DRAFT=1 ./dev build passes over them)")
    try:
        runs = cells_exec.run_cells(sorted(wanted))
    except cells_exec.CellError as error:
        raise PluginError(str(error)) from None
    fresh = [r for r in runs.values() if not r.cached]
    if fresh:
        slow = max(fresh, key=lambda r: r.seconds)
        log.info(f"cells: ran {len(fresh)} of {len(runs)} (the rest cached); slowest {slow.path} "
                 f"{slow.seconds:.2f} s")
    _state["outputs"] = _render_all(runs)
    return files


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    cells = find_cells(markdown)
    if not cells:
        return markdown
    lines = markdown.splitlines()
    slots = _state.setdefault("slots", {})
    for index, rel in cells:
        n = len(slots)
        slots[n] = rel
        indent = MARKER.match(lines[index]).group("indent")
        lines[index] = f"{indent}<!--handbook-cell:{n}-->"
    return "\n".join(lines) + "\n"


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    def fill(match: re.Match) -> str:
        rel = _state["slots"][int(match.group("n"))]
        source = (SNIPPETS / rel).read_text(encoding="utf-8").replace("\r\n", "\n")
        return cells_html.cell_html(
            path=rel, page=page.url or "/", source=source, source_hash=hashlib.sha256(source.encode()).hexdigest()[:16],
            library=_state["library"], code_html=_state["highlight"](source), output=_state["outputs"][rel])
    return SLOT.sub(fill, html)


def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"])
    cells_assets.write_library(site / "assets" / "py", _state["library_zip"])
    try:
        snapshot, info = cells_assets.write_snapshot(site / "assets" / "py", _state["library_zip"])
    except (RuntimeError, FileNotFoundError) as error:
        raise PluginError(str(error)) from None
    if info.get("skipped"):
        log.info(f"cells: the snapshot skipped modules the runtime cannot import: {', '.join(info['skipped'])}")
    log.info(f"cells: Python memory snapshot {snapshot.name}: {info['raw'] / 1e6:.1f} MB, "
             f"{info['gzip'] / 1e6:.1f} MB gzipped")
    try:
        cells_assets.build_bundles(site / "assets" / "cells")
    except (RuntimeError, FileNotFoundError) as error:
        raise PluginError(str(error)) from None


def on_serve(server, config, builder, **kwargs):
    for folder in [SNIPPETS] + [cells_exec.SRC / package for package in cells_exec.LIBRARY_PACKAGES]:
        server.watch(str(folder))
    return server
