"""What must match between two runs of the same cell (CPython vs Pyodide, build vs page).

Everything must match exactly except what the author marked as varying: printed lines that
contain ``mlsd.show.VARIES`` ("⏱"), and tables/charts shown with ``varies=True`` — of those only the
shape is compared (columns and row count; chart mark and number of points).
"""

from __future__ import annotations

from .runner import merge_event

try:
    from mlsd.show import VARIES
except ImportError:  # pragma: no cover - the library is always there in this project
    VARIES = "⏱"


def _text_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if VARIES not in line]


def comparable(events: list[dict]) -> list[dict]:
    """Reduce an event list (``{"kind", "data"}`` items) to what two runs must agree on."""
    merged: list[dict] = []
    for ev in events:
        merge_event(merged, ev["kind"], dict(ev["data"]))
    out = []
    for ev in merged:
        kind, item = ev["kind"], ev["data"]
        if kind in ("stdout", "stderr"):
            out.append({"kind": kind, "lines": _text_lines(item["text"])})
        elif kind == "table":
            shape = {"kind": kind, "title": item.get("title"), "columns": item["columns"],
                     "rows": len(item["rows"]) + item.get("hidden_rows", 0)}
            out.append(shape if item.get("varies") else {**shape, "cells": item["cells"]})
        elif kind == "chart":
            spec = item["spec"]
            values = spec.get("data", {}).get("values", [])
            shape = {"kind": kind, "title": item.get("title"), "mark": spec.get("mark"),
                     "points": len(values)}
            out.append(shape if item.get("varies") else {**shape, "values": values})
        elif kind == "error":
            out.append({"kind": kind, "type": item["type"], "line": item["line"]})
        else:
            out.append({"kind": kind, **item})
    return out
