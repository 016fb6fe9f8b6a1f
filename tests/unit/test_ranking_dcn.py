"""Tests for the Deep & Cross Network: backpropagation against finite differences, learning."""

import math
import random

import pytest

from mlsd.metrics import roc_auc
from mlsd.ranking import DCN, sigmoid


def data(n=1500, seed=0):
    rng = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        x = [rng.gauss(0, 1) for _ in range(4)]
        z = -1.0 + 1.5 * x[0] - x[1] + 1.0 * x[2] * x[3]        # one pairwise product
        X.append(x)
        y.append(1 if rng.random() < sigmoid(z) else 0)
    return X, y


def loss(model, x0, label):
    p = sigmoid(model._forward(x0)[0])
    return -math.log(p) if label else -math.log(1 - p)


def test_backpropagation_matches_finite_differences():
    rng = random.Random(1)
    d = 5
    X = [[rng.gauss(0, 1) for _ in range(d)] for _ in range(20)]
    model = DCN(n_cross=2, n_hidden=4, epochs=1).fit(X, [rng.randint(0, 1) for _ in range(20)])
    # move every parameter away from its initial value so no gradient is trivially zero
    model.u_cross = [rng.gauss(0, 0.5) for _ in range(d)]
    model.cross_w = [[rng.gauss(0, 0.3) for _ in range(d)] for _ in range(2)]
    model.cross_b = [[rng.gauss(0, 0.3) for _ in range(d)] for _ in range(2)]
    x0, label = [rng.gauss(0, 1) for _ in range(d)], 1
    cache = model._forward(x0)
    grads = model._backward(x0, label, cache)
    _, xs, _, h = cache
    expected = {("bias",): grads["dz"]}
    for j in range(d):
        expected[("u_cross", j)] = grads["dz"] * xs[-1][j]
        for layer in range(2):
            expected[("cross_w", layer, j)] = grads["ds"][layer] * xs[layer][j]
            expected[("cross_b", layer, j)] = grads["cross_b"][layer][j]
        for k in range(4):
            expected[("W", k, j)] = grads["delta"].get(k, 0.0) * x0[j]
    for k in range(4):
        expected[("u_deep", k)] = grads["dz"] * h[k]
        expected[("c", k)] = grads["delta"].get(k, 0.0)
    eps = 1e-6
    for key, analytic in expected.items():
        holder, index = (model, "bias") if len(key) == 1 else (
            (getattr(model, key[0]), key[1]) if len(key) == 2 else (getattr(model, key[0])[key[1]], key[2]))
        get = (lambda: getattr(holder, index)) if holder is model else (lambda: holder[index])
        put = (lambda v: setattr(holder, index, v)) if holder is model else (
            lambda v: holder.__setitem__(index, v))
        base = get()
        put(base + eps)
        up = loss(model, x0, label)
        put(base - eps)
        down = loss(model, x0, label)
        put(base)
        assert (up - down) / (2 * eps) == pytest.approx(analytic, abs=1e-6), key


def test_dcn_learns_and_each_tower_alone_works():
    X, y = data()
    for kwargs in ({}, {"n_hidden": 0}, {"n_cross": 0}):
        model = DCN(learning_rate=0.01, epochs=5, **kwargs).fit(X[:1000], y[:1000])
        p = model.predict_proba(X[1000:])
        assert all(0.0 < v < 1.0 for v in p)
        assert roc_auc(y[1000:], p) > 0.75, kwargs


def test_deterministic_and_accepts_sparse_rows():
    X, y = data(300)
    a = DCN(seed=4).fit(X, y).predict_proba(X[:5])
    b = DCN(seed=4).fit([dict(enumerate(r)) for r in X], y).predict_proba(X[:5])
    assert a == b


def test_divergence_is_reported_not_hidden():
    X, y = data(300)
    X = [[v * 50 for v in r] for r in X]
    with pytest.raises(ValueError, match="training diverged"):
        # standardization undoes the scale, so force a huge step size instead
        DCN(learning_rate=50.0, epochs=3).fit(X, y)


@pytest.mark.parametrize("make, exc, words", [
    (lambda: DCN(n_cross=0, n_hidden=0), ValueError, "not both 0"),
    (lambda: DCN(n_cross=-1), ValueError, "n_cross and n_hidden must be >= 0"),
    (lambda: DCN(n_hidden=2.5), TypeError, "n_hidden must be an integer"),
    (lambda: DCN(learning_rate=0), ValueError, "learning_rate must be > 0"),
    (lambda: DCN().predict_proba([[1.0]]), ValueError, "call fit()"),
    (lambda: DCN().fit([[1.0], [2.0]], [1]), ValueError, "same length"),
    (lambda: DCN().fit([[1.0], [2.0]], [1, 3]), ValueError, "only 0 and 1"),
])
def test_bad_input(make, exc, words):
    with pytest.raises(exc) as info:
        make()
    assert words in str(info.value)
