"""Structured output for the page: tables and charts.

A cell prints text with ``print``; text is always shown as text. Tables and
charts are different: they are data (rows, or a Vega-Lite spec) handed to a
*sink*. The page's runtime installs a sink that renders them (HTML table, chart)
— at build time and in the browser alike — so the same structure appears in
both places. Run as a plain script (``python snippets/.../x.py``) there is no
page, and the default sink prints a readable text version instead.

The contract, used by the build hook, the Pyodide worker and the tests::

    sink(kind: str, payload: dict) -> None
    kind "table": {"columns": [str], "rows": [[value]], "title": str|None, "varies": bool}
    kind "chart": {"spec": <Vega-Lite dict>, "title": str|None, "varies": bool}

``varies=True`` marks output that changes from run to run (timings): tests
compare only its shape. The same idea for text is the marker ``VARIES`` below:
a printed line containing it is skipped when outputs are compared.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Callable, Mapping, Sequence

__all__ = ["VARIES", "format_value", "table", "chart", "line_chart", "bar_chart", "scatter_chart",
           "set_sink", "get_sink", "text_sink"]

# A printed line that contains this marker holds a measured time (or another
# number that changes between runs). Output comparisons skip such lines.
VARIES = "⏱"

Sink = Callable[[str, dict], None]


def format_value(value: Any) -> str:
    """How a table value reads, on the page and in the text fallback alike (one rule).

    ``None`` -> "" (an empty cell), booleans as ``True``/``False``, floats with thousands
    separators and at most 4 decimals without trailing zeros (``1,234.5``, ``2``), tiny non-zero
    floats to 3 significant digits (``0.000123``), ``nan``/``inf`` as Python prints them, and
    anything else as ``str``. The page gets these texts from the runner (cellrunner.tables), so
    the browser never formats a number on its own.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value != 0 and abs(value) < 1e-3:
            return f"{value:.3g}"
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def text_sink(kind: str, payload: dict) -> None:
    """Default sink: print tables as aligned text and charts as a one-line summary."""
    out = sys.stdout
    title = payload.get("title")
    if kind == "table":
        columns = [str(c) for c in payload["columns"]]
        rows = [[format_value(v) for v in row] for row in payload["rows"]]
        widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
        if title:
            print(title, file=out)
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(), file=out)
        print("  ".join("-" * w for w in widths), file=out)
        for r in rows:
            print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip(), file=out)
    elif kind == "chart":
        spec = payload["spec"]
        n = len(spec.get("data", {}).get("values", []))
        print(f"[chart: {title or spec.get('title', 'untitled')} — {n} points]", file=out)
    else:  # pragma: no cover - guarded by _emit
        raise ValueError(f"unknown output kind {kind!r}")


_sink: Sink = text_sink


def set_sink(sink: Sink | None) -> None:
    """Install the function that receives tables and charts (None restores the text sink)."""
    global _sink
    if sink is not None and not callable(sink):
        raise TypeError(f"sink must be callable or None, got {type(sink).__name__}")
    _sink = sink or text_sink


def get_sink() -> Sink:
    return _sink


def _emit(kind: str, payload: dict) -> None:
    sys.stdout.flush()  # keep text printed before the table in order
    _sink(kind, payload)


def _check_json_value(value: Any, where: str) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{where}: {value!r} is not a finite number; charts and tables need finite values")
        return value
    raise TypeError(f"{where}: values must be str, int, float, bool or None, got {type(value).__name__}")


def table(rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]], columns: Sequence[str] | None = None,
          title: str | None = None, varies: bool = False) -> None:
    """Show a table. ``rows`` are dicts (columns = keys of the first row) or sequences with ``columns``."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise TypeError("rows must be a list of dicts or a list of lists")
    if len(rows) == 0:
        raise ValueError("rows is empty: a table needs at least one row")
    if isinstance(rows[0], Mapping):
        cols = list(columns) if columns is not None else list(rows[0].keys())
        body = []
        for i, r in enumerate(rows):
            if not isinstance(r, Mapping):
                raise TypeError(f"rows[{i}] is {type(r).__name__}; mix of dicts and lists is not allowed")
            missing = [c for c in cols if c not in r]
            if missing:
                raise ValueError(f"rows[{i}] has no value for column(s) {missing}")
            body.append([_check_json_value(r[c], f"rows[{i}][{c!r}]") for c in cols])
    else:
        if columns is None:
            raise ValueError("columns is required when rows are lists")
        cols = list(columns)
        body = []
        for i, r in enumerate(rows):
            if isinstance(r, (str, bytes)) or not isinstance(r, Sequence):
                raise TypeError(f"rows[{i}] must be a list, got {type(r).__name__}")
            if len(r) != len(cols):
                raise ValueError(f"rows[{i}] has {len(r)} values but there are {len(cols)} columns")
            body.append([_check_json_value(v, f"rows[{i}][{j}]") for j, v in enumerate(r)])
    _emit("table", {"columns": [str(c) for c in cols], "rows": body, "title": title, "varies": bool(varies)})


def chart(spec: Mapping[str, Any], title: str | None = None, varies: bool = False) -> None:
    """Show a chart from a Vega-Lite spec (a dict with inline ``data.values``)."""
    if not isinstance(spec, Mapping):
        raise TypeError(f"spec must be a dict (a Vega-Lite spec), got {type(spec).__name__}")
    data = spec.get("data")
    if not isinstance(data, Mapping) or not isinstance(data.get("values"), list):
        raise ValueError("spec['data']['values'] must be a list of rows: charts carry their data inline")
    if "url" in data:
        raise ValueError("spec['data'] must not have a 'url': charts never load data from elsewhere")
    for i, row in enumerate(data["values"]):
        if not isinstance(row, Mapping):
            raise TypeError(f"spec['data']['values'][{i}] must be a dict")
        for k, v in row.items():
            _check_json_value(v, f"spec['data']['values'][{i}][{k!r}]")
    full = dict(spec)
    if title and "title" not in full:
        full["title"] = title
    _emit("chart", {"spec": full, "title": title or spec.get("title"), "varies": bool(varies)})


def _xy_values(x: Sequence[Any], series: Mapping[str, Sequence[Any]], x_name: str) -> list[dict]:
    if not isinstance(series, Mapping) or not series:
        raise ValueError("series must be a non-empty dict of name -> list of y values")
    values = []
    for name, ys in series.items():
        if len(ys) != len(x):
            raise ValueError(f"series {name!r} has {len(ys)} values but x has {len(x)}")
        values.extend({x_name: xv, "y": yv, "series": str(name)} for xv, yv in zip(x, ys))
    return values


MAX_MARKED_POINTS = 30


def line_chart(x: Sequence[Any], series: Mapping[str, Sequence[float]], *, x_title: str = "x",
               y_title: str = "y", title: str | None = None, varies: bool = False,
               y_zero: bool = True) -> None:
    """Line chart of one or more named series over a shared x axis.

    Each measured point gets a marker while there are at most ``MAX_MARKED_POINTS`` per series;
    a denser series is a curve, and markers would only blur it (and weigh down the page).
    """
    values = _xy_values(x, series, "x")
    x_axis = {"field": "x", "type": "quantitative", "title": x_title}
    if all(isinstance(v, int) and not isinstance(v, bool) for v in x):
        x_axis["axis"] = {"tickMinStep": 1, "format": ",d"}    # weeks, days, trees: no 2.5 ticks
    chart({
        "data": {"values": values},
        "mark": {"type": "line", "point": len(x) <= MAX_MARKED_POINTS},
        "encoding": {
            "x": x_axis,
            "y": {"field": "y", "type": "quantitative", "title": y_title, "scale": {"zero": y_zero}},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
        "width": "container", "height": 240,
    }, title=title, varies=varies)


def bar_chart(labels: Sequence[str], values: Sequence[float], *, x_title: str = "", y_title: str = "value",
              title: str | None = None, varies: bool = False, log_y: bool = False) -> None:
    """Bar chart: one bar per label, in the given order.

    ``log_y`` puts the values on a log scale, for bars that differ by orders of magnitude (every
    value must then be positive: a log axis has no zero)."""
    if len(labels) != len(values):
        raise ValueError(f"labels has {len(labels)} items but values has {len(values)}")
    y = {"field": "value", "type": "quantitative", "title": y_title}
    if log_y:
        bad = [(l, v) for l, v in zip(labels, values) if not v > 0]
        if bad:
            raise ValueError(f"log_y needs positive values; {bad[0][0]!r} has {bad[0][1]!r}")
        y["scale"] = {"type": "log"}
    chart({
        "data": {"values": [{"label": str(l), "value": v} for l, v in zip(labels, values)]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "label", "type": "nominal", "title": x_title, "sort": None},
            "y": y,
        },
        "width": "container", "height": 240,
    }, title=title, varies=varies)


def scatter_chart(points: Sequence[Mapping[str, Any]], *, x: str, y: str, color: str | None = None,
                  x_title: str | None = None, y_title: str | None = None, title: str | None = None,
                  varies: bool = False, log_x: bool = False) -> None:
    """Scatter plot of dict rows; ``x``/``y``/``color`` name the fields."""
    encoding: dict = {
        "x": {"field": x, "type": "quantitative", "title": x_title or x,
              "scale": {"type": "log"} if log_x else {"zero": False}},
        "y": {"field": y, "type": "quantitative", "title": y_title or y, "scale": {"zero": False}},
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal"}
    chart({"data": {"values": [dict(p) for p in points]}, "mark": {"type": "point", "filled": True},
           "encoding": encoding, "width": "container", "height": 240}, title=title, varies=varies)
