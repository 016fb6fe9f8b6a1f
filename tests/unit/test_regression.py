"""Tests for mlsd.regression: boosted trees for squared, absolute and quantile loss."""

import random

import pytest

from mlsd import regression
from mlsd.regression import BoostedRegressor, coverage, mean_absolute_error, pinball_loss, quantile_edges


def skewed_data(n=1500, seed=0):
    """y = 5 x0 + exponential noise whose scale grows with x1: mean > median, spread varies."""
    rng = random.Random(seed)
    X = [[rng.random(), rng.random(), rng.random()] for _ in range(n)]
    y = [5 * x[0] + rng.expovariate(1.0 / (0.5 + 3 * x[1])) for x in X]
    return X, y


def test_each_loss_predicts_its_own_number():
    X, y = skewed_data()
    Xt, yt = skewed_data(seed=1)
    shares = {}
    for loss, alpha in [("squared", 0.5), ("absolute", 0.5), ("quantile", 0.9)]:
        p = BoostedRegressor(loss, alpha, n_estimators=30).fit(X, y).predict(Xt)
        shares[loss] = sum(a <= b for a, b in zip(yt, p)) / len(yt)
    assert abs(shares["absolute"] - 0.5) < 0.05        # the median
    assert abs(shares["quantile"] - 0.9) < 0.04        # the 0.9-quantile
    assert shares["squared"] > shares["absolute"]      # right skew: the mean sits above the median


def test_boosting_beats_the_best_constant_and_learns_the_signal():
    X, y = skewed_data()
    Xt, yt = skewed_data(seed=2)
    model = BoostedRegressor("squared", n_estimators=30).fit(X, y)
    mean = sum(y) / len(y)
    assert mean_absolute_error(yt, model.predict(Xt)) < 0.8 * mean_absolute_error(yt, [mean] * len(yt))
    assert model.predict([[0.9, 0.5, 0.5]])[0] > model.predict([[0.1, 0.5, 0.5]])[0] + 3


def test_quantile_model_widens_where_the_noise_grows():
    X, y = skewed_data(n=2000)
    hi = BoostedRegressor("quantile", 0.9, n_estimators=30).fit(X, y)
    lo = BoostedRegressor("quantile", 0.1, n_estimators=30).fit(X, y)
    wide = hi.predict([[0.5, 0.9, 0.5]])[0] - lo.predict([[0.5, 0.9, 0.5]])[0]
    narrow = hi.predict([[0.5, 0.1, 0.5]])[0] - lo.predict([[0.5, 0.1, 0.5]])[0]
    assert wide > 2 * narrow
    Xt, yt = skewed_data(seed=3)
    assert 0.75 < coverage(yt, lo.predict(Xt), hi.predict(Xt)) < 0.85


def test_compiled_scoring_equals_walking_the_trees():
    X, y = skewed_data(n=400)
    model = BoostedRegressor("quantile", 0.7, n_estimators=8, min_samples_leaf=10).fit(X, y)

    def walk(x):
        z = model.init
        for node in model.trees:
            while len(node) == 4:
                node = node[2] if x[node[0]] <= node[1] else node[3]
            z += node[0]
        return z

    assert all(model.predict_row(x) == walk(x) for x in X[:50])
    assert model.nodes_per_row() == 8 * 4
    assert "if x[" in model.source


def test_metrics_on_hand_computed_values():
    assert mean_absolute_error([1, 2, 3], [2, 2, 5]) == pytest.approx(1.0)
    # under by 2 at alpha 0.75 costs 1.5; over by 2 costs 0.5
    assert pinball_loss([5.0, 1.0], [3.0, 3.0], 0.75) == pytest.approx((1.5 + 0.5) / 2)
    assert coverage([1, 5, 9], [0, 0, 0], [2, 6, 8]) == pytest.approx(2 / 3)
    assert quantile_edges([1, 1, 2, 3], 8) == [1.5, 2.5]
    assert len(quantile_edges(list(range(1000)), 16)) == 15


def test_the_best_constant_under_pinball_loss_is_the_quantile():
    rng = random.Random(4)
    y = [rng.expovariate(0.2) for _ in range(4000)]
    grid = [0.5 * k for k in range(1, 40)]
    best = min(grid, key=lambda q: pinball_loss(y, [q] * len(y), 0.75))
    assert abs(sum(v <= best for v in y) / len(y) - 0.75) < 0.02


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(loss="huber"), ValueError, "loss must be one of"),
    (dict(loss="quantile", alpha=1.0), ValueError, "alpha must be strictly between"),
    (dict(loss="quantile", alpha=1.5), ValueError, "alpha"),
    (dict(n_estimators=0), ValueError, "n_estimators"),
    (dict(learning_rate=-0.1), ValueError, "learning_rate"),
    (dict(max_bin=1), ValueError, "max_bin must be >= 2"),
    (dict(max_depth="3"), TypeError, "max_depth"),
])
def test_bad_settings_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        BoostedRegressor(**kwargs)


def test_bad_data_is_refused_with_a_clear_message():
    model = BoostedRegressor(min_samples_leaf=5)
    with pytest.raises(ValueError, match="call fit"):
        model.predict([[1.0]])
    with pytest.raises(ValueError, match="same length"):
        model.fit([[1.0]] * 20, [1.0] * 19)
    with pytest.raises(ValueError, match="2 \\* min_samples_leaf"):
        model.fit([[1.0]] * 6, [1.0] * 6)
    model.fit([[float(i)] for i in range(20)], [float(i) for i in range(20)])
    with pytest.raises(ValueError):
        model.predict([[1.0, 2.0]])                       # wrong width
    with pytest.raises(ValueError, match="y_true and y_pred"):
        mean_absolute_error([1, 2], [1])
    with pytest.raises(ValueError, match="low must be <= high"):
        coverage([1], [2], [1])
    with pytest.raises(ValueError, match="alpha"):
        pinball_loss([1], [1], 2.0)
    assert regression.LOSSES == ("squared", "absolute", "quantile")
