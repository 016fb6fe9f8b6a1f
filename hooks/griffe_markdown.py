"""Griffe extension: read the library's reStructuredText habits as Markdown for the API pages.

The `mlsd` docstrings are written to be read in the source, and some use reST conventions that
Python programmers know: cross-reference roles (:func:`recall_at_k`), literal blocks introduced by
a trailing ``::``, and simple tables framed by ``====`` lines. mkdocstrings renders docstrings as
Markdown, where those would show up raw. This extension rewrites them when the API reference is
built; the source stays as it is.
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|obj|exc):`~?([^`]+)`")
_BORDER = re.compile(r"^(=+)(\s+=+)+\s*$")


def _role(match: re.Match) -> str:
    target = match.group(1)
    # `~pkg.mod.name` shows only `name`, as in Sphinx.
    shown = target.rsplit(".", 1)[-1] if match.group(0).startswith(":") and "~" in match.group(0) else target
    return f"`{shown}`"


def _literal_blocks(lines: list[str]) -> list[str]:
    """Turn `text::` + indented block into `text:` + a fenced code block."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and not _BORDER.match(line.strip()):
            base = len(line) - len(line.lstrip())
            text = line.rstrip()[:-2].rstrip()
            if text:
                out.append(text + ":")
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            block = []
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > base):
                block.append(lines[j])
                j += 1
            while block and not block[-1].strip():
                block.pop()
            if block:
                indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
                out += ["", " " * base + "```", *[" " * base + b[indent:] for b in block],
                        " " * base + "```", ""]
                i = j
                continue
        out.append(line)
        i += 1
    return out


def _simple_tables(lines: list[str]) -> list[str]:
    """Turn a reST simple table (border, header, border, rows, border) into a Markdown table."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        borders = [j for j in range(i, min(len(lines), i + 200)) if _BORDER.match(lines[j].strip())]
        if not borders or borders[0] != i or len(borders) < 2:
            out.append(lines[i])
            i += 1
            continue
        spans = [m.start() for m in re.finditer(r"=+", lines[i])]

        def cells(line: str) -> list[str]:
            bounds = spans[1:] + [None]
            return [line[a:b].strip() for a, b in zip(spans, bounds)]

        if borders[1] == i + 2 and len(borders) >= 3:   # border, header, border, rows, border
            header, first, bottom = cells(lines[i + 1]), borders[1] + 1, borders[2]
        else:                                           # border, rows, border: no header
            header, first, bottom = [""] * len(spans), i + 1, borders[1]
        rows: list[list[str]] = []
        for line in lines[first:bottom]:
            if not line.strip():
                continue
            row = cells(line)
            if rows and not row[0]:                     # continuation line: join to the row above
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row)]
            else:
                rows.append(row)
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        out += ["| " + " | ".join(r) + " |" for r in rows]
        i = bottom + 1
    return out


def to_markdown(text: str) -> str:
    text = _ROLE.sub(_role, text)
    lines = _simple_tables(text.split("\n"))
    return "\n".join(_literal_blocks(lines))


class RestToMarkdown(griffe.Extension):
    def on_instance(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
