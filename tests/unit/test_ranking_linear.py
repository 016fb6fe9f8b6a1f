"""Tests for logistic regression and the factorization machine."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.metrics import roc_auc
from mlsd.ranking import FactorizationMachine, LogisticRegression, sigmoid


def linear_data(n=1500, seed=0):
    """y depends on a weighted sum of 3 numeric features."""
    rng = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        x = [rng.gauss(0, 1) for _ in range(3)]
        X.append(x)
        y.append(1 if rng.random() < sigmoid(-1.0 + 2.0 * x[0] - 1.0 * x[1]) else 0)
    return X, y


def pair_data(n=3000, seed=0):
    """One-hot fields a and b (4 values each); a click is likely only when a == b.

    Each value alone says nothing, so a linear model is at chance; a pairwise
    model is not.
    """
    rng = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        a, b = rng.randrange(4), rng.randrange(4)
        X.append({a: 1.0, 4 + b: 1.0})
        y.append(1 if rng.random() < (0.6 if a == b else 0.1) else 0)
    return X, y


def test_sigmoid_is_stable_at_extremes():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(1000.0) == 1.0 and sigmoid(-1000.0) == 0.0
    assert sigmoid(2.0) + sigmoid(-2.0) == pytest.approx(1.0)


def test_logistic_regression_recovers_the_signs_and_ranks_well():
    X, y = linear_data()
    model = LogisticRegression(learning_rate=0.05, epochs=5).fit(X[:1000], y[:1000])
    w = model.weights
    assert w[0] > 0.5 and w[1] < -0.2 and abs(w[2]) < 0.3
    assert roc_auc(y[1000:], model.predict_proba(X[1000:])) > 0.8
    z = model.decision_function(X[:5])
    assert model.predict_proba(X[:5]) == [sigmoid(v) for v in z]


def test_logistic_regression_without_features_predicts_the_base_rate():
    y = [1] * 30 + [0] * 270
    model = LogisticRegression(epochs=2).fit([{}] * 300, y)
    assert model.predict_proba([{}])[0] == pytest.approx(0.1, abs=0.01)


def test_logistic_regression_is_deterministic_and_accepts_sparse_rows():
    X, y = linear_data(400)
    sparse = [{j: v for j, v in enumerate(r)} for r in X]
    a = LogisticRegression(seed=3).fit(X, y).predict_proba(X[:10])
    b = LogisticRegression(seed=3).fit(sparse, y).predict_proba(X[:10])
    assert a == b


def test_l2_shrinks_weights():
    X, y = linear_data(600)
    loose = LogisticRegression(l2=0.0, learning_rate=0.05).fit(X, y)
    tight = LogisticRegression(l2=0.5, learning_rate=0.05).fit(X, y)
    assert sum(w * w for w in tight.weights) < 0.5 * sum(w * w for w in loose.weights)


def test_fm_pair_term_equals_the_sum_over_pairs():
    fm = FactorizationMachine(n_factors=3, epochs=1).fit([{0: 1.0, 3: 1.0}, {1: 1.0}] * 5, [0, 1] * 5)
    rng = random.Random(1)
    for _ in range(20):
        row = {j: rng.gauss(0, 1) for j in rng.sample(range(4), 3)}
        z, _, _ = fm._score(row)
        V, cols = fm.factors, list(row)
        brute = fm.bias + sum(fm.weights[j] * v for j, v in row.items())
        for a in range(len(cols)):
            for b in range(a + 1, len(cols)):
                i, j = cols[a], cols[b]
                brute += sum(V[f][i] * V[f][j] for f in range(fm.n_factors)) * row[i] * row[j]
        assert z == pytest.approx(brute, abs=1e-12)


def test_fm_gradient_matches_finite_differences():
    fm = FactorizationMachine(n_factors=2, epochs=1).fit([{0: 1.0, 1: 1.0}, {2: 1.0}] * 3, [1, 0] * 3)
    row = {0: 0.7, 1: -1.2, 2: 0.4}
    z0, s, vx = fm._score(row)
    for f in range(2):
        for pos, j in enumerate(row):
            analytic = row[j] * (s[f] - vx[f][pos])               # x_j (s_f - v_jf x_j)
            fm.factors[f][j] += 1e-6
            numeric = (fm._score(row)[0] - z0) / 1e-6
            fm.factors[f][j] -= 1e-6
            assert numeric == pytest.approx(analytic, abs=1e-4)


def test_fm_learns_a_pair_that_logistic_regression_cannot():
    X, y = pair_data()
    lr = LogisticRegression(learning_rate=0.05, epochs=5).fit(X[:2000], y[:2000])
    fm = FactorizationMachine(n_factors=4, learning_rate=0.05, epochs=10, seed=1).fit(X[:2000], y[:2000])
    auc_lr = roc_auc(y[2000:], lr.predict_proba(X[2000:]))
    auc_fm = roc_auc(y[2000:], fm.predict_proba(X[2000:]))
    assert auc_lr < 0.6 < 0.75 < auc_fm


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 1000))
def test_fm_predictions_are_probabilities(seed):
    X, y = pair_data(200, seed)
    p = FactorizationMachine(epochs=1, seed=seed).fit(X, y).predict_proba(X)
    assert all(0.0 < v < 1.0 for v in p)


@pytest.mark.parametrize("make, exc, words", [
    (lambda: LogisticRegression(learning_rate=0), ValueError, "learning_rate must be > 0"),
    (lambda: LogisticRegression(l2=-1), ValueError, "l2 must be >= 0"),
    (lambda: LogisticRegression(epochs=0), ValueError, "epochs must be a positive"),
    (lambda: LogisticRegression().fit([[1.0]], [1, 0]), ValueError, "same length"),
    (lambda: LogisticRegression().fit([[1.0], [2.0]], [1, 2]), ValueError, "only 0 and 1"),
    (lambda: LogisticRegression().fit([], []), ValueError, "X must not be empty"),
    (lambda: LogisticRegression().predict_proba([[1.0]]), ValueError, "call fit()"),
    (lambda: LogisticRegression().fit([[float("nan")]], [1]), ValueError, "finite"),
    (lambda: FactorizationMachine(n_factors=0), ValueError, "n_factors must be a positive"),
    (lambda: FactorizationMachine(init_std=0), ValueError, "init_std must be > 0"),
    (lambda: FactorizationMachine().predict_proba([[1.0]]), ValueError, "call fit()"),
    (lambda: FactorizationMachine().fit([{0: 1.0}], ["1"]), TypeError, "y[0]"),
])
def test_bad_input(make, exc, words):
    with pytest.raises(exc) as info:
        make()
    assert words in str(info.value)


def test_columns_unseen_in_training_are_ignored():
    model = LogisticRegression().fit([{0: 1.0}, {1: 1.0}], [1, 0])
    assert model.decision_function([{0: 1.0, 99: 5.0}]) == model.decision_function([{0: 1.0}])
    fm = FactorizationMachine().fit([{0: 1.0}, {1: 1.0}], [1, 0])
    assert fm.decision_function([{0: 1.0, 99: 5.0}]) == fm.decision_function([{0: 1.0}])
    assert math.isfinite(fm.decision_function([{}])[0])
