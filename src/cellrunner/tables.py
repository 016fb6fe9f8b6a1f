"""How table values read on the page: one rule, applied before the table leaves Python.

Formatting happens here rather than in the browser so the build-time HTML and the page's own
rendering show identical text (JavaScript would print ``1.0`` as ``1`` and floats differently).
"""

from __future__ import annotations

import math


def format_value(value) -> str:
    """``None`` -> "", floats to at most 4 decimals (tiny ones in 3 significant digits), the rest as ``str``."""
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


def with_cells(payload: dict) -> dict:
    """A copy of a table payload with ``cells``: the formatted text of every value."""
    out = dict(payload)
    out["cells"] = [[format_value(v) for v in row] for row in payload["rows"]]
    return out
