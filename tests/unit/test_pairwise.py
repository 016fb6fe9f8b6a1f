"""Tests for mlsd.ranking.pairwise: the linear RankNet learns within-query orders."""

import random

import pytest

from mlsd.ranking.pairwise import PairwiseRanker, graded_pairs


def test_graded_pairs_stay_inside_a_group():
    pairs = graded_pairs([2, 0, 1, 3], ["a", "a", "b", "b"])
    assert sorted(pairs) == [(0, 1), (3, 2)]


def test_learns_the_order_and_ignores_a_per_query_shift():
    rng = random.Random(0)
    X, y, groups = [], [], []
    for q in range(40):
        shift = rng.uniform(-5, 5)              # a per-query offset on feature 1: no signal
        for _ in range(6):
            good = rng.random()
            X.append([good + rng.gauss(0, 0.05), shift])
            y.append(round(3 * good))
            groups.append(q)
    model = PairwiseRanker(epochs=4).fit(X, y, groups)
    assert model.weights[0] > 0.5 and abs(model.weights[1]) < 0.2 * model.weights[0]
    s = model.decision_function([[0.9, 0.0], [0.1, 0.0]])
    assert s[0] > s[1]


def test_pair_weights_change_the_fit():
    X = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    pairs = [(0, 2), (1, 2)]
    a = PairwiseRanker(epochs=20).fit_pairs(X, pairs, weights=[10.0, 1.0])
    b = PairwiseRanker(epochs=20).fit_pairs(X, pairs, weights=[1.0, 10.0])
    assert a.weights[0] > a.weights[1] and b.weights[1] > b.weights[0]


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="learning_rate"):
        PairwiseRanker(learning_rate=0)
    with pytest.raises(ValueError, match="pairs"):
        PairwiseRanker().fit_pairs([[1.0], [2.0]], [(0, 5)])
    with pytest.raises(ValueError, match="weights"):
        PairwiseRanker().fit_pairs([[1.0], [2.0]], [(0, 1)], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="nothing to rank"):
        PairwiseRanker().fit([[1.0], [2.0]], [1, 1], [0, 0])
    with pytest.raises(ValueError, match="not trained"):
        PairwiseRanker().decision_function([[1.0]])
    with pytest.raises(TypeError, match="X"):
        PairwiseRanker().fit("rows", [1], [0])


def test_max_pairs_per_group_samples_each_group():
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    model = PairwiseRanker(epochs=3).fit(X, y, [0] * 10, max_pairs_per_group=5)
    assert model.weights[0] > 0
    with pytest.raises(ValueError, match="max_pairs_per_group"):
        PairwiseRanker().fit(X, y, [0] * 10, max_pairs_per_group=0)
