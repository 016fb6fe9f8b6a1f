"""k-means clustering (Lloyd's algorithm), the building block of IVF and PQ.

Given points ``x_1..x_n`` find ``k`` centroids ``c_1..c_k`` that minimise

    sum_i  min_j  ||x_i - c_j||^2

by alternating two steps until nothing moves (or ``n_iter`` rounds):

1. **assign** each point to its nearest centroid;
2. **update** each centroid to the mean of its points.

``metric="ip"`` runs *spherical* k-means, the right choice when the index will
score by inner product: assign by the largest ``x . c`` and rescale every mean
to unit length (faiss does the same for inner-product IVF).

An empty cluster is re-seeded by splitting the largest one: its centroid is
copied with a tiny symmetric nudge so the two halves separate next round.
Cost: ``n * k`` similarity computations per round, so train on a sample.
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.validate import (check_choice, check_int, check_matrix, check_non_negative_int,
                           check_positive_int)

__all__ = ["kmeans", "assign"]


def _sq_dist(a, b) -> float:
    return sum((x - y) * (x - y) for x, y in zip(a, b))


def assign(points, centroids, metric: str = "l2") -> list[int]:
    """Index of the nearest centroid for each point."""
    if metric == "ip":
        # argmax x . c  (scores for all centroids, then the best index)
        return [max(range(len(centroids)),
                    key=[sum(map(mul, x, c)) for c in centroids].__getitem__)
                for x in points]
    # argmin ||x - c||^2 = argmax (x . c - ||c||^2 / 2): one dot per centroid
    # instead of a subtraction loop, about 2x faster in pure Python.
    half_norms = [0.5 * sum(map(mul, c, c)) for c in centroids]
    out = []
    for x in points:
        s = [sum(map(mul, x, c)) - h for c, h in zip(centroids, half_norms)]
        out.append(max(range(len(s)), key=s.__getitem__))
    return out


def kmeans(points, k: int, n_iter: int = 10, metric: str = "l2", seed: int = 0,
           train_size: int | None = None) -> tuple[list[list[float]], list[int]]:
    """Cluster ``points`` into ``k`` groups.

    Returns ``(centroids, labels)`` where ``labels[i]`` is the centroid of
    ``points[i]`` (for *all* points, even when training used a sample of
    ``train_size`` of them). Initial centroids are ``k`` distinct random points.
    """
    pts = check_matrix("points", points)
    check_positive_int("k", k)
    if k > len(pts):
        raise ValueError(f"k must be <= the number of points ({len(pts)}), got {k}")
    check_non_negative_int("n_iter", n_iter)
    check_choice("metric", metric, ("l2", "ip"))
    check_int("seed", seed)
    rng = random.Random(seed)
    train = pts
    if train_size is not None:
        check_positive_int("train_size", train_size)
        if train_size < len(pts):
            train = rng.sample(pts, max(train_size, k))
    centroids = [list(c) for c in rng.sample(train, k)]
    d = len(pts[0])
    for _ in range(n_iter):
        labels = assign(train, centroids, metric)
        sums = [[0.0] * d for _ in range(k)]
        counts = [0] * k
        for x, j in zip(train, labels):
            s = sums[j]
            for t in range(d):
                s[t] += x[t]
            counts[j] += 1
        for j in range(k):
            if counts[j]:
                centroids[j] = [s / counts[j] for s in sums[j]]
        # Re-seed empty clusters by splitting the biggest one.
        for j in range(k):
            if counts[j] == 0:
                big = max(range(k), key=counts.__getitem__)
                eps = [1e-4 * (1 if rng.random() < 0.5 else -1) for _ in range(d)]
                centroids[j] = [c + e for c, e in zip(centroids[big], eps)]
                centroids[big] = [c - e for c, e in zip(centroids[big], eps)]
                counts[big] //= 2
                counts[j] = counts[big]
        if metric == "ip":
            for j in range(k):
                norm = math.sqrt(math.fsum(c * c for c in centroids[j])) or 1.0
                centroids[j] = [c / norm for c in centroids[j]]
    return centroids, assign(pts, centroids, metric)
