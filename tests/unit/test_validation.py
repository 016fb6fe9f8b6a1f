"""Unit tests for mlsd.validation: schema inference, each check, review edits, bad input."""

import math
import random

import pytest

from mlsd import monitoring, validation as va


def rows(n=400, seed=0):
    rng = random.Random(seed)
    return [{"x": rng.gauss(0.0, 1.0), "n": rng.randint(1, 5), "c": rng.choice("abc"),
             "m": None if i % 20 == 0 else 1.5} for i in range(n)]


def checks(anomalies):
    return {(a["feature"], a["check"]) for a in anomalies}


def test_infer_schema_by_hand():
    schema = va.infer_schema([{"a": 1, "b": "x"}, {"a": 3.5, "b": "y"}, {"a": None, "b": "x"},
                              {"a": 2, "b": "x"}], missing_slack=0.05)
    a, b = schema.features["a"], schema.features["b"]
    assert (a.kind, a.low, a.high) == ("numeric", 1, 3.5)
    assert a.max_missing == pytest.approx(0.25 + 0.05)
    assert (b.kind, b.domain, b.max_missing) == ("categorical", frozenset("xy"), pytest.approx(0.05))
    assert b.reference_shares == (0.75, 0.25, 0.0)          # x, y, and the bin for unseen values
    assert [r["feature"] for r in schema.rows()] == ["a", "b"]


def test_clean_batch_passes():
    data = rows(2000)
    schema = va.infer_schema(data[:1500])
    assert va.validate(schema, data[1500:]) == []


def test_each_check_fires():
    data = rows(2000)
    schema = va.infer_schema(data[:1500])
    batch = [dict(r) for r in data[1500:]]
    for i, r in enumerate(batch):
        r["x"] = r["x"] * 1000                       # unit change: out of range and drifted
        r["c"] = "z" if i % 10 == 0 else r["c"]      # 10 % unseen category
        r["m"] = None if i % 4 == 0 else r["m"]      # 25 % missing against 5 % in training
    batch[0]["extra"] = 1
    found = checks(va.validate(schema, batch))
    assert found == {("x", "range"), ("x", "distribution"), ("c", "domain"), ("c", "distribution"),
                     ("m", "missing"), ("extra", "column")}


def test_type_and_absent_column():
    schema = va.infer_schema(rows(300))
    batch = [{"x": "1.0", "n": True, "c": "abc"[i % 3]} for i in range(60)]      # m is absent
    found = va.validate(schema, batch)
    assert checks(found) == {("x", "type"), ("n", "type"), ("m", "column")}
    assert [a["observed"] for a in found if a["feature"] == "x"] == ["60 not numeric"]


def test_tolerance_is_a_share_of_rows():
    data = rows(2000)
    schema = va.infer_schema(data[:1500], max_out_of_range=0.05, max_psi=10.0)
    batch = [dict(r) for r in data[1500:1600]]
    for r in batch[:4]:
        r["x"] = 99.0                                 # 4 % outside: under the 5 % tolerance
    assert va.validate(schema, batch) == []
    batch[4]["x"] = 99.0
    batch[5]["x"] = 99.0                              # 6 %: over it
    assert checks(va.validate(schema, batch)) == {("x", "range")}


def test_review_edits_switch_checks_off():
    data = rows(2000)
    schema = va.infer_schema(data[:1500])
    batch = [dict(r, x=r["x"] + 50) for r in data[1500:]]
    assert checks(va.validate(schema, batch)) == {("x", "range"), ("x", "distribution")}
    schema.features["x"].high = None
    schema.features["x"].check_distribution = False
    assert va.validate(schema, batch) == []


def test_psi_matches_monitoring():
    data = rows(3000)
    schema = va.infer_schema(data[:2000], max_psi=1e-9)
    cur = [r["x"] + 0.3 for r in data[2000:]]
    got = [a["observed"] for a in va.validate(schema, [{**r, "x": v} for r, v in zip(data[2000:], cur)])
           if a["feature"] == "x" and a["check"] == "distribution"][0]
    assert got == pytest.approx(round(monitoring.psi([r["x"] for r in data[:2000]], cur), 4), abs=1e-4)


def test_nan_counts_as_missing():
    schema = va.infer_schema([{"a": float(i)} for i in range(100)])
    found = va.validate(schema, [{"a": math.nan}] * 10 + [{"a": float(i)} for i in range(0, 100, 10)] * 9)
    assert checks(found) == {("a", "missing")}


def test_bad_input():
    with pytest.raises(ValueError, match="rows must not be empty"):
        va.infer_schema([])
    with pytest.raises(TypeError, match="rows must be a sequence of dicts"):
        va.infer_schema([[1, 2]])
    with pytest.raises(ValueError, match="'a' mixes value types"):
        va.infer_schema([{"a": 1}, {"a": "1"}])
    with pytest.raises(ValueError, match="'a' is missing in every row"):
        va.infer_schema([{"a": None}])
    with pytest.raises(ValueError, match="missing_slack must be between"):
        va.infer_schema(rows(10), missing_slack=2)
    with pytest.raises(ValueError, match="max_psi must be"):
        va.infer_schema(rows(10), max_psi=0)
    schema = va.infer_schema(rows(10))
    with pytest.raises(TypeError, match="schema must be a Schema"):
        va.validate({}, rows(10))
    with pytest.raises(ValueError, match="batch must not be empty"):
        va.validate(schema, [])
    with pytest.raises(TypeError, match="batch must be a sequence of dicts"):
        va.validate(schema, [1])
