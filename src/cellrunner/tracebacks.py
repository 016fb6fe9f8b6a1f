"""Tracebacks that point at the reader's code.

A cell runs inside the runner (and, in the browser, inside Pyodide's own machinery). Those frames
mean nothing to the reader, so they are dropped; frames from the cell and from the libraries it
called stay. Paths are shown relative to their ``sys.path`` entry (``mlsd/show.py``), so the text
is the same on CPython and in Pyodide, and column carets are left out because their layout changes
between Python versions.
"""

from __future__ import annotations

import os
import sys
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
# Frames from these places belong to the machinery that runs the cell, never to the reader.
_INTERNAL_PARTS = ("/_pyodide/", "/pyodide/", "<exec>", "<frozen runpy>")


def _is_internal(path: str) -> bool:
    return path.startswith(_HERE + os.sep) or any(part in path for part in _INTERNAL_PARTS)


def _display_path(path: str) -> str:
    """``/usr/lib/python3.11/json/decoder.py`` -> ``json/decoder.py``: the same on every runtime."""
    best = ""
    for entry in sys.path:
        entry = os.path.abspath(entry) if entry else ""
        if entry and path.startswith(entry.rstrip(os.sep) + os.sep) and len(entry) > len(best):
            best = entry
    return path[len(best.rstrip(os.sep)) + 1:] if best else path


def _filter(te: traceback.TracebackException, filename: str, seen: set[int]) -> None:
    if id(te) in seen:
        return
    seen.add(id(te))
    frames = []
    for fs in te.stack:
        if fs.filename != filename and _is_internal(fs.filename):
            continue
        shown = fs.filename if fs.filename == filename else _display_path(fs.filename)
        frames.append(traceback.FrameSummary(shown, fs.lineno, fs.name, lookup_line=False,
                                             line=fs.line or ""))
    te.stack = traceback.StackSummary.from_list(frames)
    for child in (te.__cause__, te.__context__, *(getattr(te, "exceptions", None) or ())):
        if child is not None:
            _filter(child, filename, seen)


def cell_line(exc: BaseException, filename: str) -> int | None:
    """The line of the cell where the error happened (the deepest frame in the cell), if any."""
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        return exc.lineno
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def format_exception(exc: BaseException, filename: str) -> str:
    """The traceback text of ``exc`` with only the reader's and the libraries' frames."""
    te = traceback.TracebackException.from_exception(exc)
    _filter(te, filename, set())
    return "".join(te.format())
