"""Tests for mlsd.privacy: pseudonyms, k-anonymity, Laplace mechanism, DP-SGD, FedAvg."""

import hashlib
import hmac
import math
import random

import pytest

from mlsd import metrics
from mlsd.privacy import (clip_by_norm, equivalence_classes, federated_averaging, k_anonymity,
                          keyed_pseudonym, l_diversity, laplace_mechanism, laplace_noise, log_losses,
                          predict_logistic, train_logistic)

ROWS = [{"zip": "021", "age": "30s", "dx": "flu"}, {"zip": "021", "age": "30s", "dx": "flu"},
        {"zip": "021", "age": "40s", "dx": "flu"}, {"zip": "021", "age": "40s", "dx": "cold"},
        {"zip": "021", "age": "40s", "dx": "asthma"}]


def _data(n=400, seed=0):
    rng = random.Random(seed)
    X = [[rng.gauss(0, 1) for _ in range(3)] for _ in range(n)]
    y = [int(2 * x[0] - x[1] + rng.gauss(0, 0.5) > 0) for x in X]
    return X, y


def test_keyed_pseudonym_is_hmac_stable_and_key_dependent():
    expected = hmac.new(b"secret", b"12345", hashlib.sha256).hexdigest()[:16]
    assert keyed_pseudonym(12345, b"secret") == expected
    assert keyed_pseudonym(12345, b"secret") == keyed_pseudonym("12345", b"secret")
    assert keyed_pseudonym(12345, b"other") != expected
    assert len(keyed_pseudonym(1, b"k", length=8)) == 8


def test_keyed_pseudonym_bad_input():
    with pytest.raises(TypeError, match="key"):
        keyed_pseudonym(1, "not-bytes")
    with pytest.raises(TypeError, match="key"):
        keyed_pseudonym(1, b"")
    with pytest.raises(ValueError, match="length"):
        keyed_pseudonym(1, b"k", length=0)


def test_k_anonymity_and_l_diversity_hand_computed():
    classes = equivalence_classes(ROWS, ["zip", "age"])
    assert classes == {("021", "30s"): [0, 1], ("021", "40s"): [2, 3, 4]}
    assert k_anonymity(ROWS, ["zip", "age"]) == 2
    assert k_anonymity(ROWS, ["zip"]) == 5
    # The 30s class is 2-anonymous but both rows have flu: l = 1 (homogeneity).
    assert l_diversity(ROWS, ["zip", "age"], "dx") == 1
    assert l_diversity(ROWS, ["zip"], "dx") == 3


def test_k_anonymity_bad_input():
    with pytest.raises(ValueError, match="rows"):
        k_anonymity([], ["zip"])
    with pytest.raises(ValueError, match="quasi_identifiers"):
        k_anonymity(ROWS, "zip")
    with pytest.raises(ValueError, match="no column 'city'"):
        k_anonymity(ROWS, ["city"])
    with pytest.raises(TypeError, match=r"rows\[0\]"):
        k_anonymity([("021", "30s")], ["zip"])
    with pytest.raises(ValueError, match="sensitive"):
        l_diversity(ROWS, ["zip"], "income")


def test_laplace_noise_mean_abs_is_scale_and_symmetric():
    rng = random.Random(1)
    draws = [laplace_noise(2.0, rng) for _ in range(40000)]
    assert abs(sum(abs(d) for d in draws) / len(draws) - 2.0) < 0.05
    assert abs(sum(draws) / len(draws)) < 0.05
    rng = random.Random(2)
    out = [laplace_mechanism(100, 1, 0.5, rng) - 100 for _ in range(40000)]
    assert abs(sum(abs(d) for d in out) / len(out) - 2.0) < 0.05      # b = 1 / 0.5


def test_laplace_bad_input():
    rng = random.Random(0)
    with pytest.raises(ValueError, match="epsilon"):
        laplace_mechanism(1, 1, 0, rng)
    with pytest.raises(ValueError, match="sensitivity"):
        laplace_mechanism(1, -1, 1, rng)
    with pytest.raises(ValueError, match="value"):
        laplace_mechanism(float("nan"), 1, 1, rng)
    with pytest.raises(TypeError, match="rng"):
        laplace_noise(1.0, 0)
    with pytest.raises(ValueError, match="scale"):
        laplace_noise(0, rng)


def test_clip_by_norm():
    assert clip_by_norm([3, 4], 10) == [3, 4]
    assert clip_by_norm([3, 4], 1) == pytest.approx([0.6, 0.8])
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_norm([1], 0)


def test_train_logistic_learns_and_dp_noise_costs_auc():
    X, y = _data()
    Xt, yt = _data(seed=9)
    plain = metrics.roc_auc(yt, predict_logistic(train_logistic(X, y), Xt))
    noisy = metrics.roc_auc(yt, predict_logistic(
        train_logistic(X, y, clip_norm=0.5, noise_multiplier=20.0), Xt))
    assert plain > 0.95
    assert noisy < plain


def test_clipping_bounds_one_example_step():
    # One example, one step, batch 1: the update is lr * clipped gradient, so its norm is <= lr * C.
    w = train_logistic([[10.0, 0.0]], [1], epochs=1, batch_size=1, learning_rate=1.0, clip_norm=0.5)
    assert math.hypot(*w) == pytest.approx(0.5)
    w = train_logistic([[10.0, 0.0]], [1], epochs=1, batch_size=1, learning_rate=1.0)
    assert w == pytest.approx([5.0, 0.0, 0.5])     # unclipped: (p - y) = -0.5 at w = 0


def test_log_losses_hand_computed():
    assert log_losses([0.0, 0.0], [[1.0], [2.0]], [1, 0]) == pytest.approx([math.log(2)] * 2)


def test_train_logistic_bad_input():
    X, y = _data(20)
    with pytest.raises(ValueError, match="noise_multiplier > 0 needs clip_norm"):
        train_logistic(X, y, noise_multiplier=1.0)
    with pytest.raises(ValueError, match="y must have one label"):
        train_logistic(X, y[:-1])
    with pytest.raises(ValueError, match="y must hold only 0 and 1"):
        train_logistic(X, [2] * 20)
    with pytest.raises(ValueError, match="epochs"):
        train_logistic(X, y, epochs=0)
    with pytest.raises(ValueError, match="weights must have 4"):
        train_logistic(X, y, weights=[0.0])
    with pytest.raises(ValueError, match="equal, non-zero length"):
        train_logistic([[1.0], [1.0, 2.0]], [0, 1])


def test_federated_averaging_matches_central_training_roughly():
    X, y = _data(600)
    Xt, yt = _data(seed=9)
    clients = [(X[i:i + 100], y[i:i + 100]) for i in range(0, 600, 100)]
    w = federated_averaging(clients, rounds=5)
    assert metrics.roc_auc(yt, predict_logistic(w, Xt)) > 0.95
    # One client, one round, one local epoch: FedAvg is that client's own training.
    assert federated_averaging(clients[:1], rounds=1, seed=0) == train_logistic(
        *clients[0], epochs=1, seed=0, weights=[0.0] * 4)


def test_federated_averaging_bad_input():
    with pytest.raises(ValueError, match="clients"):
        federated_averaging([])
    with pytest.raises(ValueError, match="rounds"):
        federated_averaging([([[1.0]], [1])], rounds=0)
    with pytest.raises(ValueError, match="same number of columns"):
        federated_averaging([([[1.0]], [1]), ([[1.0, 2.0]], [0])])


def test_zero_columns_change_nothing():
    # Rows are handled by their non-zero entries: padding every row with zero columns leaves the
    # other weights exactly as they were, and the zero columns' weights at 0 (no L2, no noise).
    X, y = _data(60)
    padded = [row + [0.0] * 5 for row in X]
    w = train_logistic(X, y, epochs=3, clip_norm=1.0)
    wp = train_logistic(padded, y, epochs=3, clip_norm=1.0)
    assert wp[:3] == w[:3] and wp[-1] == w[-1]
    assert wp[3:-1] == [0.0] * 5
