"""Unit tests for mlsd.novelty: the three scores, thresholds, detection curves, bad input."""

import math
import random

import pytest

from mlsd import novelty as nv


def gauss_rows(n, rho=0.9, seed=0):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a = rng.gauss(0, 1)
        out.append([a, rho * a + math.sqrt(1 - rho * rho) * rng.gauss(0, 1)])
    return out


def test_mahalanobis_by_hand():
    X = [[-1.0, 0.0], [1.0, 0.0], [0.0, -2.0], [0.0, 2.0]]   # mean 0, variances 2/3 and 8/3, no covariance
    m = nv.Mahalanobis(ridge=0.0).fit(X)
    assert m.score([1.0, 0.0]) == pytest.approx(math.sqrt(1.5))
    assert m.score([0.0, 2.0]) == pytest.approx(math.sqrt(1.5))
    assert m.score([0.0, 0.0]) == 0.0


def test_mahalanobis_sees_broken_correlation_zscore_does_not():
    X = gauss_rows(2000)
    z, m = nv.ZScore().fit(X), nv.Mahalanobis().fit(X)
    along, against = [1.5, 1.5], [1.5, -1.5]             # same per-feature z, opposite to the correlation
    assert z.score(along) == pytest.approx(z.score(against), rel=0.1)
    assert m.score(against) > 3 * m.score(along)


def test_zscore_and_neighbour_by_hand():
    X = [[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]]   # sd of each column: sqrt(4/3)
    z = nv.ZScore().fit(X)
    assert z.score([1.0, 1.0 + 2 * math.sqrt(4 / 3)]) == pytest.approx(2.0)
    nn = nv.NearestNeighbour(k=1).fit(X)
    assert nn.score([0.0, 0.0]) == 0.0
    assert nn.score([1.0, 0.0]) == pytest.approx(1 / math.sqrt(4 / 3))
    assert nv.NearestNeighbour(k=2).fit(X).score([0.0, 0.0]) == pytest.approx(2 / math.sqrt(4 / 3))
    assert nn.distance_computations == 2 * len(X)


def test_threshold_and_curve():
    clean = [float(i) for i in range(100)]                # 0..99
    assert nv.threshold_at(clean, 0.05) == 94.0            # 95..99 lie above: 5 %
    assert nv.threshold_at(clean, 0.0) == 99.0
    assert nv.threshold_at(clean, 1.0) < 0.0
    curve = nv.detection_curve(clean, [50.0, 96.0, 200.0, 300.0], [0.01, 0.05, 0.5])
    assert [round(r["false alarms"], 2) for r in curve] == [0.01, 0.05, 0.5]
    assert [r["detected"] for r in curve] == [0.5, 0.75, 1.0]


def test_bad_input():
    with pytest.raises(ValueError, match="at least 2 rows"):
        nv.ZScore().fit([[1.0, 2.0]])
    with pytest.raises(ValueError, match="column 1 is constant"):
        nv.Mahalanobis().fit([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    with pytest.raises(ValueError, match="singular"):
        nv.Mahalanobis(ridge=0.0).fit([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    with pytest.raises(ValueError, match="k must be at most"):
        nv.NearestNeighbour(k=5).fit([[1.0], [2.0]])
    with pytest.raises(ValueError, match="k must be a positive integer"):
        nv.NearestNeighbour(k=0)
    m = nv.Mahalanobis().fit(gauss_rows(50))
    with pytest.raises(ValueError, match="x"):
        m.score([1.0])
    with pytest.raises(ValueError, match="false_alarm_rate"):
        nv.threshold_at([1.0], 1.5)
    with pytest.raises(ValueError, match="clean_scores must not be empty"):
        nv.detection_curve([], [1.0], [0.1])
