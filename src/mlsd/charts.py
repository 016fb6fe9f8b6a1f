"""Vega-Lite specifications of the charts that more than one page draws.

Each function returns a spec to hand to :func:`mlsd.show.chart`, so a cell reads
``show.chart(charts.reliability_diagram(points), title=...)`` and every page
draws the chart the same way.
"""

from __future__ import annotations

from mlsd.validate import check_non_empty, check_positive, check_positive_int

__all__ = ["reliability_diagram"]


def reliability_diagram(points, top: float | None = None, height: int = 240) -> dict:
    """A reliability diagram: observed against mean predicted rate, one line per model.

    ``points`` are rows ``{"model", "predicted", "observed"}`` (one per bin, e.g.
    from :func:`mlsd.metrics.calibration_bins`). A dashed diagonal from 0 to
    ``top`` (default: the largest prediction) marks perfect calibration.
    """
    points = check_non_empty("points", points)
    for i, row in enumerate(points):
        if not isinstance(row, dict) or not {"model", "predicted", "observed"} <= set(row):
            raise ValueError(f"points[{i}] must be a dict with model, predicted and observed")
    top = max(row["predicted"] for row in points) if top is None else check_positive("top", top)
    return {
        "data": {"values": points},
        "layer": [
            {"mark": {"type": "line", "point": True},
             "encoding": {"x": {"field": "predicted", "type": "quantitative",
                                "title": "mean predicted CTR (bin)"},
                          "y": {"field": "observed", "type": "quantitative", "title": "observed CTR"},
                          "color": {"field": "model", "type": "nominal", "title": None}}},
            {"mark": {"type": "rule", "strokeDash": [4, 4]},
             "encoding": {"x": {"datum": 0}, "y": {"datum": 0}, "x2": {"datum": top},
                          "y2": {"datum": top}}},
        ],
        "width": "container", "height": check_positive_int("height", height),
    }
