"""Tests for mlsd.show: the sink contract, validation, the chart helpers and the text fallback."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import show


@pytest.fixture
def captured():
    """Install a recording sink for one test and restore the default afterwards."""
    calls = []
    show.set_sink(lambda kind, payload: calls.append((kind, payload)))
    yield calls
    show.set_sink(None)


# --- sink management -------------------------------------------------------------------------------

def test_set_and_restore_sink(captured):
    assert show.get_sink() is not show.text_sink
    show.set_sink(None)
    assert show.get_sink() is show.text_sink
    with pytest.raises(TypeError, match="^sink must be callable or None"):
        show.set_sink(42)


def test_varies_marker_is_the_stopwatch():
    assert show.VARIES == "⏱"


# --- tables ------------------------------------------------------------------------------------------

def test_table_from_dicts(captured):
    show.table([{"model": "LR", "auc": 0.71}, {"model": "GBDT", "auc": 0.75}], title="AUC")
    assert captured == [("table", {"columns": ["model", "auc"], "rows": [["LR", 0.71], ["GBDT", 0.75]],
                                   "title": "AUC", "varies": False})]


def test_table_from_lists_and_column_subset(captured):
    show.table([[1, "a"], (2, "b")], columns=["n", "letter"], varies=True)
    show.table([{"a": 1, "b": 2, "c": 3}], columns=["c", "a"])
    assert captured[0][1] == {"columns": ["n", "letter"], "rows": [[1, "a"], [2, "b"]], "title": None,
                              "varies": True}
    assert captured[1][1]["columns"] == ["c", "a"] and captured[1][1]["rows"] == [[3, 1]]


def test_table_accepts_json_scalars(captured):
    show.table([{"s": "x", "i": 1, "f": 1.5, "b": True, "n": None}])
    assert captured[0][1]["rows"] == [["x", 1, 1.5, True, None]]


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                    st.floats(allow_nan=False, allow_infinity=False))


@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(scalars, min_size=n, max_size=n), min_size=1,
                                                    max_size=6)))
@settings(deadline=None)
def test_table_payload_round_trips_any_json_scalars(rows):
    calls = []
    show.set_sink(lambda kind, payload: calls.append((kind, payload)))
    try:
        columns = [f"c{i}" for i in range(len(rows[0]))]
        show.table(rows, columns=columns)
        show.table([dict(zip(columns, r)) for r in rows])
    finally:
        show.set_sink(None)
    assert calls[0][1]["rows"] == calls[1][1]["rows"] == [list(r) for r in rows]
    assert calls[0][1]["columns"] == calls[1][1]["columns"] == columns


@pytest.mark.parametrize("rows, columns, exc, message", [
    ([], None, ValueError, "^rows is empty"),
    ("abc", None, TypeError, "^rows must be a list"),
    ((r for r in [{"a": 1}]), None, TypeError, "^rows must be a list"),
    ([{"a": 1}, [1]], None, TypeError, r"^rows\[1\] is list; mix of dicts and lists"),
    ([{"a": 1}, {"b": 2}], None, ValueError, r"^rows\[1\] has no value for column\(s\) \['a'\]"),
    ([[1, 2]], None, ValueError, "^columns is required when rows are lists"),
    ([[1, 2]], ["a"], ValueError, r"^rows\[0\] has 2 values but there are 1 columns"),
    ([[1], "x"], ["a"], TypeError, r"^rows\[1\] must be a list"),
    ([{"a": math.nan}], None, ValueError, r"^rows\[0\]\['a'\]: nan is not a finite number"),
    ([[math.inf]], ["a"], ValueError, r"^rows\[0\]\[0\]: inf is not a finite number"),
    ([{"a": [1, 2]}], None, TypeError, r"^rows\[0\]\['a'\]: values must be str, int, float, bool or None"),
])
def test_table_rejects_bad_rows(captured, rows, columns, exc, message):
    with pytest.raises(exc, match=message):
        show.table(rows, columns=columns)
    assert captured == []


# --- charts ------------------------------------------------------------------------------------------

def test_chart_passes_the_spec_and_adds_the_title(captured):
    spec = {"data": {"values": [{"x": 1, "y": 2.0}]}, "mark": "point"}
    show.chart(spec, title="T", varies=True)
    kind, payload = captured[0]
    assert kind == "chart" and payload["title"] == "T" and payload["varies"] is True
    assert payload["spec"]["title"] == "T" and payload["spec"]["mark"] == "point"
    assert "title" not in spec                                   # the caller's dict is not modified
    show.chart({"data": {"values": []}, "title": "own"}, title="other")
    assert captured[1][1]["spec"]["title"] == "own" and captured[1][1]["title"] == "other"


@pytest.mark.parametrize("spec, exc, message", [
    ([], TypeError, "^spec must be a dict"),
    ({"mark": "bar"}, ValueError, r"^spec\['data'\]\['values'\] must be a list"),
    ({"data": {"values": [], "url": "https://example.com/d.json"}}, ValueError, r"^spec\['data'\] must not have a 'url'"),
    ({"data": {"values": [1]}}, TypeError, r"^spec\['data'\]\['values'\]\[0\] must be a dict"),
    ({"data": {"values": [{"y": math.nan}]}}, ValueError, "is not a finite number"),
])
def test_chart_rejects_bad_specs(captured, spec, exc, message):
    with pytest.raises(exc, match=message):
        show.chart(spec)
    assert captured == []


def test_line_chart(captured):
    show.line_chart([1, 2, 3], {"a": [0.1, 0.2, 0.3], "b": [1, 2, 3]}, x_title="step", y_title="loss",
                    title="curves", y_zero=False)
    spec = captured[0][1]["spec"]
    assert len(spec["data"]["values"]) == 6
    assert spec["data"]["values"][0] == {"x": 1, "y": 0.1, "series": "a"}
    assert spec["data"]["values"][3] == {"x": 1, "y": 1, "series": "b"}
    assert spec["encoding"]["x"]["title"] == "step" and spec["encoding"]["y"]["title"] == "loss"
    assert spec["encoding"]["y"]["scale"] == {"zero": False}
    assert spec["title"] == "curves"
    assert spec["encoding"]["x"]["axis"] == {"tickMinStep": 1, "format": ",d"}   # integer x: whole ticks
    with pytest.raises(ValueError, match="^series 'a' has 2 values but x has 3"):
        show.line_chart([1, 2, 3], {"a": [1, 2]})
    with pytest.raises(ValueError, match="^series must be a non-empty dict"):
        show.line_chart([1], {})


def test_line_chart_with_fractional_x_keeps_default_ticks(captured):
    show.line_chart([0.5, 1, 2], {"a": [1, 2, 3]})
    assert "axis" not in captured[0][1]["spec"]["encoding"]["x"]


def test_bar_chart_keeps_the_given_order(captured):
    show.bar_chart(["z", "a", "m"], [3, 1, 2], y_title="count")
    spec = captured[0][1]["spec"]
    assert [v["label"] for v in spec["data"]["values"]] == ["z", "a", "m"]
    assert spec["encoding"]["x"]["sort"] is None
    with pytest.raises(ValueError, match="^labels has 2 items but values has 1"):
        show.bar_chart(["a", "b"], [1])
    assert "scale" not in spec["encoding"]["y"]


def test_bar_chart_log_scale(captured):
    show.bar_chart(["timeout only", "breaker"], [4600, 6], log_y=True)
    assert captured[0][1]["spec"]["encoding"]["y"]["scale"] == {"type": "log"}
    with pytest.raises(ValueError, match="^log_y needs positive values; 'b' has 0"):
        show.bar_chart(["a", "b"], [5, 0], log_y=True)


def test_scatter_chart(captured):
    points = [{"latency": 1.0, "recall": 0.9, "index": "hnsw"}, {"latency": 10.0, "recall": 0.99, "index": "flat"}]
    show.scatter_chart(points, x="latency", y="recall", color="index", log_x=True)
    spec = captured[0][1]["spec"]
    assert spec["encoding"]["x"]["scale"] == {"type": "log"}
    assert spec["encoding"]["color"] == {"field": "index", "type": "nominal"}
    assert spec["data"]["values"] == points and spec["data"]["values"][0] is not points[0]
    show.scatter_chart(points, x="latency", y="recall")
    assert "color" not in captured[1][1]["spec"]["encoding"]


# --- the text sink (running a cell as a plain script) -------------------------------------------------

def test_text_sink_prints_an_aligned_table(capsys):
    show.set_sink(None)
    show.table([{"name": "a", "value": 1234.5}, {"name": "longer", "value": 0.0001234}], title="Results")
    out = capsys.readouterr().out.splitlines()
    assert out == ["Results",
                   "name    value",
                   "------  --------",
                   "a       1,234.5",
                   "longer  0.000123"]


def test_text_sink_summarises_charts(capsys):
    show.set_sink(None)
    show.line_chart([1, 2], {"a": [1, 2], "b": [3, 4]}, title="Two lines")
    show.chart({"data": {"values": []}})
    assert capsys.readouterr().out.splitlines() == ["[chart: Two lines — 4 points]",
                                                    "[chart: untitled — 0 points]"]


def test_text_sink_number_formatting():
    fmt = show.format_value  # the page's rule too (cellrunner.tables)
    assert fmt(0.5) == "0.5" and fmt(2.0) == "2" and fmt(1234567.891) == "1,234,567.891"
    assert fmt(0.00012345) == "0.000123" and fmt(0.0) == "0"
    assert fmt(12) == "12" and fmt("x") == "x" and fmt(None) == "" and fmt(True) == "True"
    assert fmt(math.inf) == "inf"


def test_printed_text_stays_before_the_table(capsys):
    show.set_sink(None)
    print("first")
    show.table([[1]], columns=["n"])
    print("last")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "first" and out[-1] == "last"



def test_line_chart_marks_points_only_on_sparse_series(captured):
    sparse = list(range(show.MAX_MARKED_POINTS))
    dense = list(range(show.MAX_MARKED_POINTS + 1))
    show.line_chart(sparse, {"a": sparse})
    show.line_chart(dense, {"a": dense})
    assert [payload["spec"]["mark"]["point"] for _, payload in captured] == [True, False]
