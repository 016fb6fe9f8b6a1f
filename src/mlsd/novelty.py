"""Out-of-distribution scores: how unlike the training rows is one request?

A schema check (:mod:`mlsd.validation`) asks whether a *batch* still looks like training. At
serving time you also want to know whether *one request* does: a model is only trustworthy
where it has seen data. Each scorer is fitted on the training rows (numeric feature vectors) and
gives a request a score; a larger score means more unusual. Three scores, from cheapest:

- **Per-feature z-score** (:class:`ZScore`): ``max_j |x_j - mean_j| / sd_j``. It sees one
  extreme value, but not a combination of values that are each ordinary.
- **Mahalanobis distance** (:class:`Mahalanobis`): ``D(x) = sqrt((x - mu)^T S^-1 (x - mu))``
  with the training mean ``mu`` and covariance ``S``. It measures distance in units of the data's
  own spread along every direction, so it adds up many moderate deviations and notices broken
  correlations. With the Cholesky factor ``S = L L^T``, ``D(x) = |L^-1 (x - mu)|``: one
  triangular solve, about ``d^2 / 2`` multiply-adds per request. For Gaussian data ``D^2`` follows a
  chi-square law with ``d`` degrees of freedom.
- **Nearest-neighbour distance** (:class:`NearestNeighbour`): the Euclidean distance, after
  standardizing, from the request to its k-th nearest training row. It assumes no shape at all,
  and pays for it: ``n_ref * d`` operations per request (an index makes it cheaper).

None of the scores has a natural threshold. :func:`threshold_at` picks it on clean held-out
requests from the false-alarm rate you can afford; :func:`detection_curve` shows what each
rate buys (Rabanser, Günnemann and Lipton, "Failing Loudly", arXiv:1810.11953, compare such
detectors for dataset shift).
"""

from __future__ import annotations

import bisect
import heapq
import math
from typing import Sequence

from mlsd.validate import check_matrix, check_non_empty, check_positive_int, check_probability

__all__ = ["ZScore", "Mahalanobis", "NearestNeighbour", "threshold_at", "detection_curve"]


def _columns_stats(X: list[list[float]]) -> tuple[list[float], list[float]]:
    n, d = len(X), len(X[0])
    mean = [math.fsum(r[j] for r in X) / n for j in range(d)]
    sd = [math.sqrt(math.fsum((r[j] - mean[j]) ** 2 for r in X) / (n - 1)) for j in range(d)]
    for j, s in enumerate(sd):
        if s == 0:
            raise ValueError(f"X: column {j} is constant in the training rows; drop it or check it with a rule")
    return mean, sd


def _fit_rows(X) -> list[list[float]]:
    X = check_matrix("X", X)
    if len(X) < 2:
        raise ValueError(f"X must have at least 2 rows to estimate a spread, got {len(X)}")
    return X


def _request(x, d: int) -> list[float]:
    return check_matrix("x", [x], d)[0]


class ZScore:
    """Largest per-feature z-score of a request (a range check with a tunable width)."""

    def fit(self, X) -> "ZScore":
        X = _fit_rows(X)
        self.mean, self.sd = _columns_stats(X)
        return self

    def score(self, x) -> float:
        x = _request(x, len(self.mean))
        return max(abs(v - m) / s for v, m, s in zip(x, self.mean, self.sd))


class Mahalanobis:
    """Mahalanobis distance to the training mean, through the Cholesky factor of the covariance.

    ``ridge`` (times each variance) is added to the diagonal so a nearly singular covariance
    (two almost identical features) still factors.
    """

    def __init__(self, ridge: float = 1e-6):
        self.ridge = check_probability("ridge", ridge)

    def fit(self, X) -> "Mahalanobis":
        X = _fit_rows(X)
        n, d = len(X), len(X[0])
        self.mean, sd = _columns_stats(X)
        c = [[v - m for v, m in zip(r, self.mean)] for r in X]
        S = [[math.fsum(r[i] * r[j] for r in c) / (n - 1) for j in range(d)] for i in range(d)]
        for i in range(d):
            S[i][i] += self.ridge * sd[i] ** 2
        L = [[0.0] * d for _ in range(d)]              # Cholesky: S = L L^T, L lower triangular
        for i in range(d):
            for j in range(i + 1):
                s = S[i][j] - math.fsum(L[i][k] * L[j][k] for k in range(j))
                if i == j:
                    if s <= 0:
                        raise ValueError("X: the covariance is singular (a feature is a combination of others)")
                    L[i][i] = math.sqrt(s)
                else:
                    L[i][j] = s / L[j][j]
        self.L = L
        return self

    def score(self, x) -> float:
        L, d = self.L, len(self.mean)
        diff = [v - m for v, m in zip(_request(x, d), self.mean)]
        z = [0.0] * d                                  # solve L z = diff by forward substitution
        for i in range(d):
            z[i] = (diff[i] - sum(L[i][k] * z[k] for k in range(i))) / L[i][i]
        return math.sqrt(sum(v * v for v in z))


class NearestNeighbour:
    """Distance, after standardizing, from a request to its ``k``-th nearest training row.

    ``distance_computations`` counts the row-to-row distances computed so far: the cost.
    """

    def __init__(self, k: int = 1):
        self.k = check_positive_int("k", k)

    def fit(self, X) -> "NearestNeighbour":
        X = _fit_rows(X)
        if self.k > len(X):
            raise ValueError(f"k must be at most the number of training rows ({len(X)}), got {self.k}")
        self.mean, self.sd = _columns_stats(X)
        self.ref = [self._scale(r) for r in X]
        self.distance_computations = 0
        return self

    def _scale(self, x: list[float]) -> list[float]:
        return [(v - m) / s for v, m, s in zip(x, self.mean, self.sd)]

    def score(self, x) -> float:
        q = self._scale(_request(x, len(self.mean)))
        dist = math.dist                              # Euclidean distance, one C call per row
        nearest = heapq.nsmallest(self.k, (dist(q, r) for r in self.ref))
        self.distance_computations += len(self.ref)
        return nearest[-1]


def threshold_at(clean_scores: Sequence[float], false_alarm_rate: float) -> float:
    """The smallest threshold that flags at most ``false_alarm_rate`` of ``clean_scores``.

    A request is flagged when its score is strictly above the threshold.
    """
    s = sorted(check_non_empty("clean_scores", clean_scores))
    rate = check_probability("false_alarm_rate", false_alarm_rate)
    allowed = math.floor(rate * len(s) + 1e-9)         # clean scores that may lie above
    return s[len(s) - 1 - allowed] if allowed < len(s) else s[0] - 1.0


def detection_curve(clean_scores: Sequence[float], shifted_scores: Sequence[float],
                    rates: Sequence[float]) -> list[dict]:
    """For each target false-alarm rate: the threshold, the false-alarm rate measured on
    ``clean_scores`` and the share of ``shifted_scores`` flagged (the detection rate)."""
    clean = sorted(check_non_empty("clean_scores", clean_scores))
    shifted = sorted(check_non_empty("shifted_scores", shifted_scores))
    out = []
    for r in check_non_empty("rates", rates):
        t = threshold_at(clean, r)
        out.append({"target": r, "threshold": t,
                    "false alarms": (len(clean) - bisect.bisect_right(clean, t)) / len(clean),
                    "detected": (len(shifted) - bisect.bisect_right(shifted, t)) / len(shifted)})
    return out
