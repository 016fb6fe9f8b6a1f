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
from itertools import compress, repeat
from operator import add, le, mul

from mlsd.validate import (check_choice, check_int, check_matrix, check_non_negative_int,
                           check_positive_int)

__all__ = ["kmeans", "assign"]


def _sq_dist(a, b) -> float:
    return sum((x - y) * (x - y) for x, y in zip(a, b))


def _assign_plain(points, centroids, metric: str = "l2") -> list[int]:
    """:func:`assign` the direct way: score every centroid, keep the best (the first of equals)."""
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


def assign(points, centroids, metric: str = "l2") -> list[int]:
    """Index of the nearest centroid for each point: the largest ``x . c`` for ``"ip"``, the
    smallest ``||x - c||`` for ``"l2"`` (the first centroid of equals); the labels of
    :func:`_assign_plain`, to the last bit, in about half the time.

    Why it is faster: both scores are ``(||x||^2 + s_c - ||x - c||^2) / 2`` in exact arithmetic
    (``s_c = ||c||^2`` for ip, 0 for l2), and ``math.dist`` computes ``||x - c||`` in one C call
    where a dot product steps through one Python float per term. So no centroid farther than
    ``sqrt(d_min^2 + (max s_c - min s_c) + 4 slack)`` can score best, and only the few within
    get the plain score (``slack`` is far above any rounding). Assignment is most of k-means,
    and k-means most of an IVF or PQ build.
    """
    points = points if isinstance(points, list) else list(points)
    d = len(centroids[0]) if centroids else 0
    if not d or any(len(v) != d for v in centroids) or any(len(v) != d for v in points):
        return _assign_plain(points, centroids, metric)       # let the plain way raise or cope
    sq_norms = [sum(map(mul, c, c)) for c in centroids]
    top_norm = max(sq_norms)
    if not (math.isfinite(top_norm) and top_norm < 1e300):
        return _assign_plain(points, centroids, metric)       # inf, nan or near overflow
    spread = top_norm - min(sq_norms) if metric == "ip" else 0.0
    half_norms = [0.5 * n for n in sq_norms]
    everyone = range(len(centroids))
    out = []
    for x in points:
        xx = sum(map(mul, x, x))
        if not (xx + top_norm < 1e300):
            out.append(_assign_plain([x], centroids, metric)[0])
            continue
        # Rounding differs by well under 1e-14 per dimension per unit of ||x||^2 + ||c||^2;
        # 1e-300 covers the subnormal range, where the relative bound does not hold.
        slack = 1e-9 * d * (xx + top_norm) + 1e-300
        dists = list(map(math.dist, repeat(x), centroids))
        d_min = min(dists)
        radius = math.sqrt(d_min * d_min + spread + 4 * slack)
        near = list(compress(everyone, map(le, dists, repeat(radius))))      # in index order
        if len(near) == 1:
            out.append(near[0])
        elif metric == "ip":
            out.append(max(near, key=lambda j: sum(map(mul, x, centroids[j]))))
        else:
            out.append(max(near, key=lambda j: sum(map(mul, x, centroids[j])) - half_norms[j]))
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
            # sums[j][t] += x[t] for every t, in one C-level map (the same additions in the
            # same order; sum() would not be, it compensates rounding since Python 3.12)
            sums[j] = list(map(add, sums[j], x))
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
