"""Tests for the histogram GBDT: binning, split search, growth limits, scoring, leaves."""

import random
from bisect import bisect_left

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.metrics import roc_auc
from mlsd.ranking import GBDT, LogisticRegression, bin_edges


def xor_data(n=2000, seed=0, with_truth=False):
    """Clicks are likely when exactly one of x0 > 0.5 and x1 > 0.5 holds; x2 is noise."""
    rng = random.Random(seed)
    X, y, truth = [], [], []
    for _ in range(n):
        x = [rng.random(), rng.random(), rng.random()]
        p = 0.8 if (x[0] > 0.5) != (x[1] > 0.5) else 0.05
        X.append(x)
        truth.append(p)
        y.append(1 if rng.random() < p else 0)
    return (X, y, truth) if with_truth else (X, y)


def bins_of(values, edges):
    """Rows per bin, and the set of bins each distinct value lands in."""
    counts, where = [0] * (len(edges) + 1), {}
    for v in values:
        b = bisect_left(edges, v)
        counts[b] += 1
        where.setdefault(v, set()).add(b)
    return counts, where


def test_bin_edges_few_values_one_bin_each_at_midpoints():
    # zero gets its own bin (edge 1e-35); 1, 2 and 3 each have >= 3 rows
    assert bin_edges([0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0], 32) == [1e-35, 1.5, 2.5]
    # a bin closes only once it holds min_data_in_bin rows: 1.0 (1 row) joins 2.0
    assert bin_edges([1.0, 2.0, 2.0, 4.0], 32) == [1e-35, 3.0]
    assert bin_edges([1.0, 2.0, 2.0, 4.0], 32, min_data_in_bin=1) == [1e-35, 1.5, 3.0]
    # negatives get bins below -1e-35, zero its own, positives above 1e-35
    assert bin_edges([-2.0] * 3 + [-1.0] * 3 + [0.0] * 3 + [5.0] * 3, 32) == [-1.5, -1e-35, 1e-35]
    assert bin_edges([7.0] * 10, 4) == [1e-35] and bin_edges([0.0] * 10, 4) == []


def test_bin_edges_many_values_roughly_equal_counts():
    values = [float(i) for i in range(1, 1001)]
    edges = bin_edges(values, 11)                   # 10 bins for the positives (+1 for zero)
    counts, _ = bins_of(values, edges)
    assert len(edges) == 10 and counts[0] == 0
    assert all(99 <= c <= 101 for c in counts[1:]), counts
    assert all(e % 1 == 0.5 for e in edges[1:])       # halfway between two values


def test_bin_edges_never_split_a_value_and_frequent_values_get_their_own_bin():
    rng = random.Random(3)
    values = [5.0] * 300 + [round(rng.uniform(1, 10), 1) for _ in range(700)]
    edges = bin_edges(values, 16)
    counts, where = bins_of(values, edges)
    assert len(edges) + 1 <= 16
    assert all(len(bins) == 1 for bins in where.values())           # no value in two bins
    (five,) = where[5.0]
    assert counts[five] == values.count(5.0)                          # 5.0 alone in its bin
    assert min(c for c in counts[1:]) >= 3                            # min_data_in_bin


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([-3.5, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 7.25, 100.0])
                | st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=300),
       st.integers(2, 40), st.integers(1, 5))
def test_bin_edges_properties(values, max_bin, min_data_in_bin):
    edges = bin_edges(values, max_bin, min_data_in_bin)
    assert edges == sorted(set(edges)) and len(edges) + 1 <= max_bin
    counts, where = bins_of(values, edges)
    assert all(len(bins) == 1 for bins in where.values())
    distinct = sorted(set(values))
    for e in edges:   # every cut lies strictly between two neighbouring distinct values
        assert distinct[0] < e < distinct[-1] or abs(e) == 1e-35


def test_bin_edges_bad_input():
    for call, words in [(lambda: bin_edges([], 8), "values must not be empty"),
                        (lambda: bin_edges([1.0, float("inf")], 8), "values must be finite"),
                        (lambda: bin_edges([1.0], 1), "max_bin must be >= 2"),
                        (lambda: bin_edges([1.0], 8, min_data_in_bin=0), "min_data_in_bin")]:
        with pytest.raises(ValueError) as info:
            call()
        assert words in str(info.value)


def test_a_bin_empty_in_a_leaf_goes_to_the_left_side():
    """After the root split on x1, the right leaf has x0 in {1, 3} only: cuts 1.5 and 2.5
    split its rows alike. The later cut is kept (as in LightGBM), so x0 = 2 goes left."""
    X = [[2.0, 0.0]] * 300 + [[1.0, 1.0]] * 100 + [[3.0, 1.0]] * 100
    y = [1] * 270 + [0] * 30 + [1] * 30 + [0] * 70 + [0] * 100
    model = GBDT(n_estimators=1, num_leaves=3, min_data_in_leaf=20).fit(X, y)
    tree = model.trees[0]
    assert model.edges[0] == [1e-35, 1.5, 2.5]
    assert tree.feature[0] == 1
    child = tree.right[0]
    assert (tree.feature[child], tree.threshold[child]) == (0, 2.5)
    p1, p2, p3 = model.predict_proba([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    assert p1 == p2 > p3


def test_children_only_try_features_their_parent_could_cut():
    """x0 has two values, 1 of them on just 30 rows: with min_data_in_leaf=40 no cut of x0 is
    allowed at the root, so no leaf below tries x0 either."""
    rng = random.Random(2)
    X = [[1.0 if i < 30 else 0.0, rng.random()] for i in range(400)]
    y = [1 if (x[0] == 1.0 or x[1] > 0.7) and rng.random() < 0.9 else 0 for x in X]
    model = GBDT(n_estimators=5, num_leaves=8, min_data_in_leaf=40).fit(X, y)
    assert all(f != 0 for t in model.trees for f in t.feature)
    assert model.gain_importance[0] == 0.0 < model.gain_importance[1]
    hist = model._histogram(list(range(400)), [[bisect_left(e, x[f]) for x in X]
                                               for f, e in enumerate(model.edges)],
                            [complex(0.5 - t, 0.25) for t in y])
    total = sum(complex(0.5 - t, 0.25) for t in y)
    split, usable = model._best_split(hist, total, 400, range(2))
    assert usable == [1] and split[1] == 1


def test_a_stump_finds_the_exhaustive_best_split():
    """With num_leaves=2 the tree is one split; check it against brute force."""
    rng = random.Random(5)
    X = [[rng.randrange(6) * 1.0, rng.random()] for _ in range(300)]
    y = [1 if rng.random() < (0.5 if x[0] >= 3 else 0.2) else 0 for x in X]
    model = GBDT(n_estimators=1, num_leaves=2, min_data_in_leaf=5, max_bin=64, l2=1.0).fit(X, y)
    p0 = sum(y) / len(y)
    g = [p0 - t for t in y]
    h = p0 * (1 - p0)

    def score(idx):
        return sum(g[i] for i in idx) ** 2 / (h * len(idx) + 1.0)

    best = max(((score([i for i in range(300) if X[i][f] <= t])
                 + score([i for i in range(300) if X[i][f] > t]) - score(range(300)), f, t)
                for f in range(2) for t in sorted({x[f] for x in X})[:-1]
                if 5 <= sum(1 for x in X if x[f] <= t) <= 295))
    tree = model.trees[0]
    assert tree.feature[0] == best[1] == 0
    left = [i for i in range(300) if X[i][0] <= tree.threshold[0]]
    assert len(left) == sum(1 for x in X if x[0] <= best[2])
    assert model.gain_importance[0] == pytest.approx(best[0])


def test_learns_an_interaction_a_linear_model_cannot():
    X, y, truth = xor_data(with_truth=True)
    best = roc_auc(y[1500:], truth[1500:])                   # no model can beat this
    gbdt = GBDT(n_estimators=30, num_leaves=8).fit(X[:1500], y[:1500])
    lr = LogisticRegression(learning_rate=0.05).fit(X[:1500], y[:1500])
    assert roc_auc(y[1500:], gbdt.predict_proba(X[1500:])) > best - 0.03
    assert roc_auc(y[1500:], lr.predict_proba(X[1500:])) < 0.6
    names = [name for name, _ in gbdt.feature_importance(["a", "b", "noise"])]
    assert names[-1] == "noise"


def test_growth_limits():
    X, y = xor_data(1000)
    for growth in ("leaf", "depth"):
        model = GBDT(n_estimators=3, num_leaves=6, growth=growth).fit(X, y)
        assert all(t.n_leaves <= 6 for t in model.trees)
    deep = GBDT(n_estimators=3, num_leaves=31, max_depth=2).fit(X, y)
    assert all(t.depth() <= 2 and t.n_leaves <= 4 for t in deep.trees)
    # In the first tree every row has the same hessian, so counts are exact.
    big = GBDT(n_estimators=1, num_leaves=31, min_data_in_leaf=100).fit(X, y)
    leaves = big.apply(X)
    sizes = [sum(1 for r in leaves if r[0] == k) for k in range(big.trees[0].n_leaves)]
    assert min(sizes) >= 100


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_compiled_scoring_equals_tree_walking(seed):
    X, y = xor_data(400, seed)
    model = GBDT(n_estimators=5, num_leaves=5).fit(X, y)
    walked, walked_leaves = model.decision_function(X), model.apply(X)
    model.compile()
    assert "def score(x):" in model.compiled_source
    assert model.decision_function(X) == walked
    assert model.apply(X) == walked_leaves
    ints = [[int(v * 10) for v in x] for x in X[:50]]    # ints are read as floats, as the walk does
    compiled = model.apply(ints)
    model.fit(X, y)                                        # refitting drops the compiled code
    assert model._compiled_leaves is None and model.apply(ints) == compiled


def test_leaf_features_feed_logistic_regression():
    X, y = xor_data(1500)
    gbdt = GBDT(n_estimators=10, num_leaves=8).fit(X[:1000], y[:1000])
    rows = gbdt.leaf_features(X)
    assert all(len(r) == 10 and set(r.values()) == {1.0} for r in rows)  # one leaf per tree
    assert max(j for r in rows for j in r) < gbdt.n_leaf_features
    lr = LogisticRegression(learning_rate=0.05, epochs=5).fit(rows[:1000], y[:1000])
    raw = LogisticRegression(learning_rate=0.05, epochs=5).fit(X[:1000], y[:1000])
    # the leaves carry the interaction the raw features hide from a linear model
    assert roc_auc(y[1000:], lr.predict_proba(rows[1000:])) > 0.8
    assert roc_auc(y[1000:], raw.predict_proba(X[1000:])) < 0.6


def test_init_score_is_the_base_rate_log_odds():
    X = [[float(i % 2)] for i in range(100)]
    y = [1] * 20 + [0] * 80
    model = GBDT(n_estimators=1, min_data_in_leaf=60).fit(X, y)   # no split possible
    assert model.trees[0].n_leaves == 1
    assert model.predict_proba([[0.0]])[0] == pytest.approx(0.2, abs=0.03)


@pytest.mark.parametrize("make, exc, words", [
    (lambda: GBDT(n_estimators=0), ValueError, "n_estimators"),
    (lambda: GBDT(num_leaves=1), ValueError, "num_leaves must be >= 2"),
    (lambda: GBDT(max_bin=1), ValueError, "max_bin must be >= 2"),
    (lambda: GBDT(l2=-1), ValueError, "l2 must be >= 0"),
    (lambda: GBDT(growth="wide"), ValueError, "growth must be"),
    (lambda: GBDT(max_depth=0), ValueError, "max_depth"),
    (lambda: GBDT().fit([[1.0], [2.0, 3.0]], [0, 1]), ValueError, "X[1] must have length 1"),
    (lambda: GBDT().fit([[1.0], [float("nan")]], [0, 1]), ValueError, "X[1][0] must be finite"),
    (lambda: GBDT().fit([[1.0]], [0, 1]), ValueError, "same length"),
    (lambda: GBDT().predict_proba([[1.0]]), ValueError, "call fit()"),
    (lambda: GBDT().compile(), ValueError, "call fit()"),
    (lambda: GBDT(n_estimators=1).fit([[1.0], [2.0]], [0, 1]).predict_proba([[1.0, 2.0]]),
     ValueError, "must have length 1"),
])
def test_bad_input(make, exc, words):
    with pytest.raises(exc) as info:
        make()
    assert words in str(info.value)
