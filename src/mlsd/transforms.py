"""Feature transforms fitted on training data: scaling, bins, target encoding, ID vocabularies.

Every transform here has two steps, ``fit`` on the training rows and ``transform`` on any rows,
because the statistics a transform learns (a mean, the quantiles, a category's click rate, which
IDs are frequent) are part of the model. Fit them on rows that include the test period and the
offline metric measures a model that could not exist at serving time.

**Standardization.** ``z = (x - mean) / std`` with the training mean and standard deviation.
It matters for models that add or compare raw magnitudes (SGD on a linear model, k-nearest
neighbours, neural networks); trees only compare a value with a threshold and ignore it.

**Bins.** :func:`uniform_edges` cuts the training range into ``n_bins`` equal widths;
:func:`quantile_edges` cuts at the quantiles, so each bin holds about the same number of
training rows. On a heavy-tailed count (sessions, views, followers) equal widths put nearly
every row in the first bin; quantile bins do not. :func:`bucketize` maps a value to its bin:
bin ``b`` holds ``edges[b-1] <= x < edges[b]``, values below the first edge go to bin 0 and
values at or above the last to bin ``len(edges)``.

**Target (mean) encoding.** Replace a category by its smoothed click rate in training::

    enc(c) = (clicks_c + m * prior) / (n_c + m)

``n_c`` rows and ``clicks_c`` clicks of category ``c``, ``prior`` the training click rate and
``m`` the smoothing (a category with few rows stays near the prior; an unseen one gets the
prior). Encoding a training row with its own label inside the average leaks that label, so
:meth:`TargetEncoder.fit_transform_out_of_fold` encodes each training row from the other folds
only. Blending a category's rate with the prior by a weight that grows with ``n_c`` is the
empirical-Bayes scheme of Micci-Barreca (2001, https://doi.org/10.1145/507533.507538);
``n_c / (n_c + m)`` is its simplest weight.

**ID vocabulary with an out-of-vocabulary (OOV) bucket.** :class:`Vocabulary` gives each ID seen
at least ``min_count`` times in training its own index, and maps every other ID, rare in training
or new at serving, to one shared index 0. The OOV index is trained on the rare IDs, so a new user
or item gets a learned default instead of nothing.

**Hash collisions.** Hashing ``n`` distinct tokens into ``m`` buckets uniformly at random, a
given token shares its bucket with at least one other with probability::

    P(collide) = 1 - (1 - 1/m) ** (n - 1)          (about 1 - exp(-n/m))

so keeping collisions rare needs ``m`` several times ``n``
(the hashing trick: Weinberger et al., 2009, https://arxiv.org/abs/0902.2206). :func:`collision_share` measures
the share with the stable hash of :func:`mlsd.ranking.hash_index`.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter

from mlsd.ranking.features import hash_index
from mlsd.validate import (check_int, check_non_empty, check_non_negative, check_positive_int,
                           check_same_length)

__all__ = ["Standardizer", "uniform_edges", "quantile_edges", "bucketize", "TargetEncoder",
           "Vocabulary", "expected_collision_share", "collision_share"]


def _numbers(name: str, values) -> list[float]:
    items = check_non_empty(name, values)
    for i, v in enumerate(items):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"{name}[{i}] must be a number, got {type(v).__name__} {v!r}")
        if not math.isfinite(v):
            raise ValueError(f"{name}[{i}] must be finite, got {v}")
    return [float(v) for v in items]


class Standardizer:
    """``(x - mean) / std`` with the statistics of the rows given to :meth:`fit`.

    A constant training column gets ``std = 1`` (it maps to 0, not to a division by zero).
    """

    def fit(self, values) -> "Standardizer":
        xs = _numbers("values", values)
        self.mean = math.fsum(xs) / len(xs)
        sd = math.sqrt(math.fsum((x - self.mean) ** 2 for x in xs) / len(xs))
        self.std = sd if sd > 0 else 1.0
        return self

    def transform(self, values) -> list[float]:
        if not hasattr(self, "mean"):
            raise ValueError("call fit() before transform()")
        return [(x - self.mean) / self.std for x in _numbers("values", values)]

    def __repr__(self) -> str:
        if not hasattr(self, "mean"):
            return "Standardizer(unfitted)"
        return f"Standardizer(mean={self.mean:.4g}, std={self.std:.4g})"


def uniform_edges(values, n_bins: int) -> list[float]:
    """``n_bins - 1`` inner edges that cut [min, max] of ``values`` into equal widths."""
    xs = _numbers("values", values)
    check_positive_int("n_bins", n_bins)
    lo, hi = min(xs), max(xs)
    return [lo + (hi - lo) * k / n_bins for k in range(1, n_bins)]


def quantile_edges(values, n_bins: int) -> list[float]:
    """Inner edges at the k / n_bins quantiles of ``values``; repeated edges are merged,
    so a column with many equal values gets fewer than ``n_bins`` bins."""
    xs = sorted(_numbers("values", values))
    check_positive_int("n_bins", n_bins)
    edges = []
    for k in range(1, n_bins):
        e = xs[min(len(xs) - 1, (k * len(xs)) // n_bins)]
        if e > xs[0] and (not edges or e > edges[-1]):
            edges.append(e)
    return edges


def bucketize(values, edges) -> list[int]:
    """The bin of each value: ``b`` such that ``edges[b-1] <= x < edges[b]``."""
    xs = _numbers("values", values)
    cuts = _numbers("edges", edges) if list(edges) else []
    if any(b <= a for a, b in zip(cuts, cuts[1:])):
        raise ValueError("edges must be strictly increasing")
    return [bisect.bisect_right(cuts, x) for x in xs]


class TargetEncoder:
    """Smoothed mean of the label per category: ``(clicks + m * prior) / (n + m)``.

    :param smoothing: ``m``, the number of prior rows added to every category (>= 0).
    """

    def __init__(self, smoothing: float = 10.0):
        self.smoothing = check_non_negative("smoothing", smoothing)

    @staticmethod
    def _check(categories, labels) -> tuple[list, list[int]]:
        cats = check_non_empty("categories", categories)
        ys = list(labels)
        check_same_length("categories", cats, "labels", ys)
        for i, y in enumerate(ys):
            if y not in (0, 1):
                raise ValueError(f"labels[{i}] must be 0 or 1, got {y!r}")
        return cats, [int(y) for y in ys]

    def fit(self, categories, labels) -> "TargetEncoder":
        cats, ys = self._check(categories, labels)
        self.prior = sum(ys) / len(ys)
        self.n, self.clicks = Counter(cats), Counter(c for c, y in zip(cats, ys) if y)
        return self

    def transform(self, categories) -> list[float]:
        if not hasattr(self, "prior"):
            raise ValueError("call fit() before transform()")
        m, p = self.smoothing, self.prior
        return [(self.clicks[c] + m * p) / (self.n[c] + m) if self.n[c] + m > 0 else p
                for c in check_non_empty("categories", categories)]

    def fit_transform_out_of_fold(self, categories, labels, n_folds: int = 5,
                                  seed: int = 0) -> list[float]:
        """Encode each training row with an encoder fitted on the *other* folds, then fit on
        all rows (for the test period). No training row sees its own label."""
        cats, ys = self._check(categories, labels)
        check_positive_int("n_folds", n_folds)
        check_int("seed", seed)
        if not 2 <= n_folds <= len(cats):
            raise ValueError(f"n_folds must be between 2 and the number of rows ({len(cats)}), got {n_folds}")
        order = list(range(len(cats)))
        random.Random(seed).shuffle(order)
        fold = [0] * len(cats)
        for rank, i in enumerate(order):
            fold[i] = rank % n_folds
        out = [0.0] * len(cats)
        for f in range(n_folds):
            rest = [i for i in range(len(cats)) if fold[i] != f]
            enc = TargetEncoder(self.smoothing).fit([cats[i] for i in rest], [ys[i] for i in rest])
            mine = [i for i in range(len(cats)) if fold[i] == f]
            for i, v in zip(mine, enc.transform([cats[i] for i in mine])):
                out[i] = v
        self.fit(cats, ys)
        return out


class Vocabulary:
    """IDs seen at least ``min_count`` times get indices 1, 2, ...; all others share index 0 (OOV).

    :param min_count: how many training rows an ID needs for its own index (>= 1).
    """

    OOV = 0

    def __init__(self, min_count: int = 1):
        self.min_count = check_positive_int("min_count", min_count)

    def fit(self, ids) -> "Vocabulary":
        counts = Counter(check_non_empty("ids", ids))
        kept = sorted((i for i, c in counts.items() if c >= self.min_count), key=lambda i: (-counts[i], str(i)))
        self.index = {i: k + 1 for k, i in enumerate(kept)}
        self.size = len(kept) + 1                      # + the OOV index
        return self

    def transform(self, ids) -> list[int]:
        if not hasattr(self, "index"):
            raise ValueError("call fit() before transform()")
        return [self.index.get(i, self.OOV) for i in check_non_empty("ids", ids)]

    def __repr__(self) -> str:
        return f"Vocabulary(size={getattr(self, 'size', 'unfitted')}, min_count={self.min_count})"


def expected_collision_share(n_tokens: int, n_buckets: int) -> float:
    """Chance that a token shares its bucket with another: ``1 - (1 - 1/m) ** (n - 1)``."""
    check_positive_int("n_tokens", n_tokens)
    check_positive_int("n_buckets", n_buckets)
    return 1.0 - (1.0 - 1.0 / n_buckets) ** (n_tokens - 1)


def collision_share(tokens, n_buckets: int) -> float:
    """Measured share of the distinct ``tokens`` whose bucket holds another token too."""
    distinct = set(check_non_empty("tokens", tokens))
    check_positive_int("n_buckets", n_buckets)
    buckets = Counter(hash_index(t, n_buckets) for t in distinct)
    return sum(c for c in buckets.values() if c > 1) / len(distinct)
