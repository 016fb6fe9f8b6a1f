"""Run a cell: compile, execute in fresh globals, stream its output as events, report errors.

Each run gets a fresh ``__main__`` namespace, so cells never share variables; modules stay
imported, so work memoized inside the library (a dataset, an index) is reused by the next cell.
"""

from __future__ import annotations

import builtins
import io
import linecache
import sys
import time
from dataclasses import dataclass
from typing import Callable

from .streams import OutputBudget, TextStream
from .tracebacks import cell_line, format_exception

Emit = Callable[[str, dict], None]


@dataclass(frozen=True)
class Limits:
    """How much output a run may show (text lines and characters, tables and charts, table rows)."""

    max_lines: int = 2000
    max_chars: int = 200_000
    max_figures: int = 50
    max_rows: int = 1000


DEFAULT_LIMITS = Limits()


class _Figures:
    """The mlsd.show sink during a run: tables and charts become events, within the limits."""

    def __init__(self, emit: Emit, limits: Limits):
        self.emit = emit
        self.limits = limits
        self.count = 0

    def __call__(self, kind: str, payload: dict) -> None:
        self.count += 1
        if self.count > self.limits.max_figures:
            if self.count == self.limits.max_figures + 1:
                self.emit("stderr", {"text": f"(only the first {self.limits.max_figures} tables "
                                             "and charts are shown)\n"})
            return
        if kind == "table":
            from .tables import with_cells  # tables come from mlsd.show, so mlsd is there
            payload = with_cells(payload)
            rows = len(payload["rows"])
            if rows > self.limits.max_rows:
                payload["rows"] = payload["rows"][:self.limits.max_rows]
                payload["cells"] = payload["cells"][:self.limits.max_rows]
                payload["hidden_rows"] = rows - self.limits.max_rows
        self.emit(kind, payload)


def _show_module():
    try:
        from mlsd import show
    except ImportError:  # the runner also works without the library
        return None
    return show


def run(source: str, emit: Emit, *, filename: str = "cell.py", limits: Limits = DEFAULT_LIMITS) -> dict:
    """Run ``source`` as ``__main__``; call ``emit(kind, data)`` for each event as it happens.

    Returns ``{"ok": bool, "seconds": float, "lines": int, "hidden_lines": int, "hidden_chars":
    int}``. ``ok`` is False when the program raised (an ``error`` event says what and where).
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be str, got {type(source).__name__}")
    if not isinstance(filename, str) or not filename:
        raise ValueError("filename must be a non-empty string")
    budget = OutputBudget(emit, limits.max_lines, limits.max_chars)
    show = _show_module()
    saved = (sys.stdout, sys.stderr, sys.stdin, sys.argv, show.get_sink() if show else None)
    sys.stdout = TextStream("stdout", budget)
    sys.stderr = TextStream("stderr", budget)
    sys.stdin = io.StringIO("")  # input() gets EOFError: cells take no keyboard input
    sys.argv = [filename]
    if show:
        show.set_sink(_Figures(emit, limits))
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    ok = True
    start = time.perf_counter()
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, {"__name__": "__main__", "__builtins__": builtins, "__doc__": None})
    except SystemExit as exc:
        if exc.code not in (None, 0):
            ok = False
            _report(emit, exc, filename)
    except BaseException as exc:  # the reader's program may raise anything; show it, don't die
        ok = False
        _report(emit, exc, filename)
    finally:
        seconds = time.perf_counter() - start
        sys.stdout, sys.stderr, sys.stdin, sys.argv = saved[:4]
        if show:
            show.set_sink(saved[4])
        linecache.cache.pop(filename, None)
    return {"ok": ok, "seconds": seconds, "lines": budget.lines,
            "hidden_lines": budget.hidden_lines, "hidden_chars": budget.hidden_chars}


def _report(emit: Emit, exc: BaseException, filename: str) -> None:
    try:
        text = format_exception(exc, filename)
    except Exception as fmt_error:  # never lose the error itself over its formatting
        text = f"{type(exc).__name__}: {exc}\n(traceback unavailable: {fmt_error!r})\n"
    emit("error", {"type": type(exc).__name__, "message": str(exc), "traceback": text,
                   "line": cell_line(exc, filename)})


def merge_event(events: list[dict], kind: str, data: dict) -> list[dict]:
    """Add one event to ``events``, joining consecutive text of the same stream (stdout/stderr).

    What a reader sees must not depend on how a program's writes were cut into chunks, so every
    list of events is merged by this one rule (JavaScript: ``mergeEvent`` in
    docs/assets/cells/protocol.js). Returns ``events``.
    """
    last = events[-1] if events else None
    if kind in ("stdout", "stderr") and last and last["kind"] == kind:
        last["data"] = {"text": last["data"]["text"] + data["text"]}
    else:
        events.append({"kind": kind, "data": data})
    return events


def collect(source: str, *, filename: str = "cell.py", limits: Limits = DEFAULT_LIMITS) -> dict:
    """Run and gather every event, merging consecutive text chunks of the same stream.

    Returns ``{"events": [{"kind": ..., "data": ...}], "result": {...}}`` — JSON-ready.
    """
    events: list[dict] = []
    result = run(source, lambda kind, data: merge_event(events, kind, data), filename=filename, limits=limits)
    return {"events": events, "result": result}
