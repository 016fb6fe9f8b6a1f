"""Tests for mlsd.lineage: content hashes, the registry's stages and the lineage graph."""

import doctest
import hashlib
import random

import pytest

from mlsd import lineage
from mlsd.lineage import (Lineage, Registry, canonical_json, chunked_sum, content_hash, count_changed,
                          dataset_hash, diff_records)


def test_doctests():
    assert doctest.testmod(lineage).failed == 0


def test_canonical_json_by_hand():
    assert canonical_json({"b": (1, 2.5), "a": None}) == '{"a":null,"b":[1,2.5]}'
    assert canonical_json(0.1) == "0.1"


def test_content_hash_is_sha256_of_the_canonical_text():
    expected = hashlib.sha256(b'{"a":1,"b":[true,"x"]}').hexdigest()
    assert content_hash({"b": [True, "x"], "a": 1}, 64) == expected
    assert content_hash({"b": [True, "x"], "a": 1}) == expected[:12]


def test_one_bit_of_a_float_changes_the_hash():
    x = 0.1 + 0.2                      # 0.30000000000000004, one ulp above 0.3
    assert x != 0.3 and content_hash([x]) != content_hash([0.3])


def test_dataset_hash_ordered_and_unordered():
    rows = [{"x": i, "y": i % 2} for i in range(20)]
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    assert dataset_hash(rows) == dataset_hash(shuffled)
    assert dataset_hash(rows, ordered=True) != dataset_hash(shuffled, ordered=True)
    changed = rows[:]
    changed[5] = {"x": 5, "y": 0}
    assert dataset_hash(changed) != dataset_hash(rows)


def test_diff_records_names_nested_keys():
    a = {"data": {"snapshot": "s1", "rows": 10}, "params": {"seed": 0}, "code": "abc"}
    b = {"data": {"snapshot": "s1", "rows": 11}, "params": {"seed": 1}, "code": "abc", "extra": 1}
    assert diff_records(a, b) == ["data.rows", "extra", "params.seed"]
    assert diff_records(a, a) == []


def test_count_changed_bitwise_and_with_tolerance():
    a = [0.1, 0.2, 0.3, 0.4]
    b = [0.1, 0.2 + 1e-12, 0.35, 0.4]
    assert count_changed(a, b) == 2
    assert count_changed(a, b, tol=1e-9) == 1
    assert count_changed(a, a) == 0


def test_chunked_sum_orders():
    assert chunked_sum([1.0, 2.0, 3.0], workers=1) == 6.0
    assert chunked_sum([], workers=4) == 0.0
    assert chunked_sum([0.1] * 10, workers=1) == 0.9999999999999999     # left to right
    assert chunked_sum([0.1] * 10, workers=2) == 1.0                    # 0.5 + 0.5
    rng = random.Random(0)
    values = [rng.uniform(-1, 1) for _ in range(1000)]
    assert all(abs(chunked_sum(values, w) - sum(values)) < 1e-12 for w in (1, 3, 8, 1000))


def test_registry_stages_and_events():
    reg = Registry()
    v1 = reg.register("ctr", [0.5, 1.0], {"trained_by": "pipeline"})
    v2 = reg.register("ctr", [0.5, 1.5], {"trained_by": "pipeline"})
    assert (v1.version, v2.version) == (1, 2) and v1.artifact_hash == content_hash([0.5, 1.0])
    reg.transition("ctr", 1, "production", by="alice")
    assert reg.production("ctr") is v1
    reg.transition("ctr", 2, "staging", by="pipeline")
    reg.transition("ctr", 2, "production", by="bob", reason="AUC +0.01")
    assert reg.production("ctr") is v2 and v1.stage == "archived"
    assert sum(mv.stage == "production" for mv in reg.versions("ctr")) == 1
    moves = [(e["version"], e["from"], e["to"], e["by"]) for e in reg.events]
    assert moves[-2:] == [(1, "production", "archived", "bob"), (2, "staging", "production", "bob")]
    reg.transition("ctr", 1, "production", by="oncall", reason="rollback")     # a rollback is a transition
    assert reg.production("ctr") is v1 and v2.stage == "archived"


def test_lineage_walks_up_and_down():
    g = Lineage()
    g.add("raw", "dataset")
    g.add("feat", "features", ["raw"], pipeline="v2")
    g.add("m1", "model", ["feat"])
    g.add("m2", "model", ["feat"])
    g.add("dep", "deployment", ["m2"])
    assert g.ancestors("dep") == ["m2", "feat", "raw"]
    assert g.descendants("raw") == ["feat", "m1", "m2", "dep"]
    assert g.parents("feat") == ["raw"] and g.nodes["feat"] == {"kind": "features", "pipeline": "v2"}


@pytest.mark.parametrize("call, error, words", [
    (lambda: content_hash({1: "a"}), TypeError, "keys must be strings"),
    (lambda: content_hash({"a": {1, 2}}), TypeError, "set"),
    (lambda: content_hash(float("nan")), ValueError, "finite"),
    (lambda: content_hash(object()), TypeError, "value is a object"),
    (lambda: content_hash(1, length=0), ValueError, "length"),
    (lambda: content_hash(1, length=65), ValueError, "length"),
    (lambda: dataset_hash("abc"), TypeError, "rows"),
    (lambda: dataset_hash([], ordered=1), TypeError, "ordered"),
    (lambda: diff_records({}, []), TypeError, "b must be a dict"),
    (lambda: count_changed([1.0], [1.0, 2.0]), ValueError, "a has 1"),
    (lambda: count_changed([1.0], [1.0], tol=-1), ValueError, "tol"),
    (lambda: chunked_sum([1.0], workers=0), ValueError, "workers"),
])
def test_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_registry_and_lineage_bad_input():
    reg = Registry()
    with pytest.raises(ValueError, match="name"):
        reg.register("", [1.0], {})
    with pytest.raises(TypeError, match="record"):
        reg.register("m", [1.0], [])
    reg.register("m", [1.0], {})
    with pytest.raises(ValueError, match="stage"):
        reg.transition("m", 1, "live", by="a")
    with pytest.raises(ValueError, match="by"):
        reg.transition("m", 1, "staging", by="")
    with pytest.raises(ValueError, match="version"):
        reg.get("m", 2)
    with pytest.raises(ValueError, match="not registered"):
        reg.production("other")
    g = Lineage()
    g.add("a", "dataset")
    with pytest.raises(ValueError, match="exists already"):
        g.add("a", "dataset")
    with pytest.raises(ValueError, match="not in the graph"):
        g.add("b", "model", ["zzz"])
    with pytest.raises(TypeError, match="parents"):
        g.add("b", "model", "a")
    with pytest.raises(ValueError, match="kind"):
        g.add("b", "")
    with pytest.raises(ValueError, match="not in the graph"):
        g.ancestors("zzz")
