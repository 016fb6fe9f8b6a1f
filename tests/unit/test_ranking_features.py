"""Tests for mlsd.ranking.features: one-hot, hashing, crosses, sparse rows."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.ranking import FeatureHasher, OneHotEncoder, as_sparse, cross_token, hash_index, to_dense

RECORDS = [
    {"age": 20.0, "device": "mobile", "placement": "feed"},
    {"age": 40.0, "device": "desktop", "placement": "feed"},
    {"age": 60.0, "device": "mobile", "placement": "sidebar"},
]


def test_hash_index_is_crc32_and_stable():
    assert hash_index("device=mobile", 4096) == 3895        # fixed across runs and machines
    assert hash_index("device=mobile&placement=feed", 4096) == 150
    assert 0 <= hash_index("anything", 7) < 7


def test_cross_token():
    assert cross_token(RECORDS[0], ("device", "placement")) == "device=mobile&placement=feed"


def test_one_hot_encoder_columns_and_standardization():
    enc = OneHotEncoder(numeric=["age"], categorical=["device"], crosses=[("device", "placement")])
    rows = enc.fit_transform(RECORDS)
    # columns in order of first appearance
    assert enc.feature_names == ["age", "device=mobile", "device=mobile&placement=feed",
                                 "device=desktop", "device=desktop&placement=feed",
                                 "device=mobile&placement=sidebar"]
    ages = [r[0] for r in rows]
    assert sum(ages) == pytest.approx(0.0) and ages[0] == pytest.approx(-math.sqrt(1.5))
    assert rows[0] == {0: pytest.approx(-math.sqrt(1.5)), 1: 1.0, 2: 1.0}
    # an unseen value has no column: it is dropped
    new = enc.transform([{"age": 40.0, "device": "tablet", "placement": "feed"}])
    assert new == [{0: 0.0}]
    assert "OneHotEncoder(columns=6" in repr(enc)


def test_feature_hasher_matches_hash_index_and_adds_collisions():
    enc = FeatureHasher(4096, categorical=["device"], crosses=[("device", "placement")]).fit(RECORDS)
    row = enc.transform(RECORDS[:1])[0]
    assert row == {hash_index("device=mobile", 4096): 1.0,
                   hash_index("device=mobile&placement=feed", 4096): 1.0}
    # with one bucket every token collides, and their values add up
    one = FeatureHasher(1, categorical=["device", "placement"]).fit(RECORDS)
    assert one.transform(RECORDS[:1]) == [{0: 2.0}]
    # unseen values still get a column
    assert len(enc.transform([{"device": "tv", "placement": "feed"}])[0]) == 2


def _token_path(enc, records):
    """FeatureHasher.transform written plainly: every token hashed by name, collisions added up."""
    rows = []
    for rec in records:
        row = {}
        for token, v in enc._tokens(rec):
            j = hash_index(token, enc.n_buckets)
            row[j] = row.get(j, 0.0) + v
        rows.append(row)
    return rows


@pytest.mark.parametrize("n_buckets", [4096, 7, 1])
def test_feature_hasher_value_cache_equals_the_token_path(n_buckets):
    # The transform keeps each column by the value it comes from, for int and str values; values
    # that are equal dict keys but different tokens (1, 1.0, True; 0 and -0.0) must not share one.
    records = [{"a": 1, "b": "x", "n": 0.5}, {"a": True, "b": "x", "n": 1.5},
               {"a": 1.0, "b": 1, "n": 2.5}, {"a": "1", "b": None, "n": -1.0},
               {"a": 1, "b": "1", "n": 3.0}, {"a": -0.0, "b": 0.0, "n": 3.0},
               {"a": 0, "b": 0, "n": 3.0}, {"a": 1, "b": "x", "n": 0.5}]
    for crosses in ((), (("a", "b"),), (("a", "b"), ("b", "a"))):
        enc = FeatureHasher(n_buckets, numeric=["n"], categorical=["a", "b"], crosses=crosses)
        enc.fit(records)
        for batch in (records, records[::-1], records[:1], records * 2):
            for _ in range(2):                      # cold, then with the columns cached
                got, want = enc.transform(batch), _token_path(enc, batch)
                assert got == want
                assert [list(r) for r in got] == [list(r) for r in want]   # same column order


def test_feature_hasher_with_numeric_fields_only():
    enc = FeatureHasher(16, numeric=["age"]).fit(RECORDS)
    assert enc.transform(RECORDS) == _token_path(enc, RECORDS)


def test_as_sparse_accepts_three_forms():
    dense = [[0.0, 2.0, 0.0], [1.0, 0.0, 0.5]]
    pairs = [[(1, 2.0)], [(0, 1.0), (2, 0.5)]]
    dicts = [{1: 2.0}, {0: 1.0, 2: 0.5}]
    for form in (dense, pairs, dicts):
        rows, width = as_sparse(form)
        assert rows == dicts and width == 3
    assert to_dense(dicts, 3) == dense


@given(st.lists(st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=3),
                min_size=1, max_size=10))
def test_dense_sparse_round_trip(dense):
    rows, _ = as_sparse(dense)
    assert to_dense(rows, 3) == [[float(v) for v in r] for r in dense]


@pytest.mark.parametrize("X, exc, words", [
    ([], ValueError, "X must not be empty"),
    ([[1.0, 2.0], [1.0]], ValueError, "X[1] has 1 values"),
    ([[1.0, float("nan")]], ValueError, "X[0] must hold finite numbers"),
    ([{-1: 1.0}], ValueError, "columns must be integers >= 0"),
    ([{"a": 1.0}], ValueError, "columns must be integers >= 0"),
    ([{0: "x"}], TypeError, "X[0] must hold numbers"),
    ([{0: float("inf")}], ValueError, "X[0] must hold finite numbers"),
    ([[(0, 1.0, 2.0)]], ValueError, "(column, value) pairs"),
    (["abc"], TypeError, "X[0] must be a dict"),
])
def test_as_sparse_bad_input(X, exc, words):
    with pytest.raises(exc) as info:
        as_sparse(X)
    assert words in str(info.value)


def test_encoder_bad_input():
    with pytest.raises(ValueError, match="nothing to encode"):
        OneHotEncoder()
    with pytest.raises(ValueError, match="crosses must hold tuples of 2"):
        OneHotEncoder(crosses=[("device",)])
    with pytest.raises(ValueError, match="n_buckets must be a positive integer"):
        FeatureHasher(0, categorical=["device"])
    enc = OneHotEncoder(numeric=["age"], categorical=["device"])
    with pytest.raises(ValueError, match="call fit"):
        enc.transform(RECORDS)
    with pytest.raises(ValueError, match=r"records\[0\] lacks field\(s\) \['age'\]"):
        enc.fit([{"device": "mobile"}])
    with pytest.raises(ValueError, match=r"records\[1\]\['age'\] must be a finite number"):
        enc.fit([RECORDS[0], {"age": float("nan"), "device": "mobile"}])
    with pytest.raises(TypeError, match=r"records\[0\] must be a dict"):
        enc.fit([["age", 1.0]])
    with pytest.raises(ValueError, match="records must not be empty"):
        enc.fit([])
    with pytest.raises(TypeError, match="token must be a string"):
        hash_index(3, 10)
    with pytest.raises(ValueError, match="outside"):
        to_dense([{5: 1.0}], 3)
