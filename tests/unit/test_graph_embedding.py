"""Tests for mlsd.graph_embedding: mean aggregation over neighbours and cosine similarity."""

import math

import pytest

from mlsd.graph_embedding import cosine, mean_aggregate


PATH = [{1}, {0, 2}, {1}]                      # 0 - 1 - 2
X = [{"a": 1.0}, {"b": 1.0}, {"c": 1.0}]


def test_zero_hops_copies_the_inputs():
    out = mean_aggregate(PATH, X, hops=0)
    assert out == X and out[0] is not X[0]


def test_one_hop_is_the_mean_over_self_and_neighbours():
    h = mean_aggregate(PATH, X, hops=1)
    assert h[0] == pytest.approx({"a": 0.5, "b": 0.5})
    assert h[1] == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    assert h[2] == pytest.approx({"b": 0.5, "c": 0.5})


def test_two_hops_reach_the_node_two_steps_away():
    h1, h2 = mean_aggregate(PATH, X, hops=1), mean_aggregate(PATH, X, hops=2)
    assert "c" not in h1[0] and h2[0]["c"] > 0
    assert math.isclose(sum(h2[0].values()), 1.0)       # one-hot inputs stay a distribution


def test_cosine_of_overlapping_circles():
    h = mean_aggregate(PATH, X, hops=1)
    assert cosine(h[0], h[2]) > 0 and cosine(X[0], X[2]) == 0.0
    assert cosine({"a": 2.0}, {"a": 5.0}) == pytest.approx(1.0)
    assert cosine({}, {"a": 1.0}) == 0.0


def test_an_isolated_node_keeps_its_vector():
    assert mean_aggregate([set()], [{"a": 2.0}], hops=3) == [{"a": 2.0}]


@pytest.mark.parametrize("adj, feats, hops, error, match", [
    ("abc", X, 1, TypeError, "adj must be"),
    (PATH, X[:2], 1, ValueError, "one vector per node"),
    (PATH, [{"a": 1.0}, 3, {}], 1, TypeError, r"features\[1\]"),
    (PATH, [{"a": float("nan")}, {}, {}], 1, ValueError, "finite"),
    ([{5}, {0}, set()], X, 1, ValueError, r"adj\[0\]"),
    (PATH, X, -1, ValueError, "hops"),
    (PATH, X, 1.5, TypeError, "hops"),
])
def test_bad_input_is_named(adj, feats, hops, error, match):
    with pytest.raises(error, match=match):
        mean_aggregate(adj, feats, hops)


def test_cosine_rejects_non_dicts():
    with pytest.raises(TypeError, match="a must be"):
        cosine([1.0], {"a": 1.0})
