"""How table values read on the page: formatted before the table leaves Python.

Formatting happens in Python rather than in the browser so the build-time HTML and the page's own
rendering show identical text (JavaScript would print ``1.0`` as ``1`` and floats differently).
The rule itself is ``mlsd.show.format_value`` — the one the plain-text fallback uses when a cell
runs as ``python snippets/…/x.py`` — so a table reads the same in a terminal and on the page.
"""

from __future__ import annotations

from mlsd.show import format_value

__all__ = ["format_value", "with_cells"]


def with_cells(payload: dict) -> dict:
    """A copy of a table payload with ``cells``: the formatted text of every value."""
    out = dict(payload)
    out["cells"] = [[format_value(v) for v in row] for row in payload["rows"]]
    return out
