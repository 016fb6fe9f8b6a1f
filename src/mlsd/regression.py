"""Regression with gradient-boosted trees, and the loss that decides what the model predicts.

A regression model predicts a number, but *which* number depends on the loss it minimises. For a
row whose outcome ``y`` is uncertain, the prediction ``q`` that minimises the expected loss is:

=============  ====================================  ==================================
loss           per row                               best constant prediction
=============  ====================================  ==================================
squared        ``(y - q)^2``                         the mean of ``y``
absolute       ``|y - q|``                           the median of ``y``
quantile       ``alpha (y - q)`` if ``y > q``,        the ``alpha``-quantile of ``y``
(pinball)      ``(1 - alpha)(q - y)`` otherwise
=============  ====================================  ==================================

The quantile (pinball) loss charges ``alpha`` per unit of under-prediction and ``1 - alpha`` per
unit of over-prediction. Setting its derivative to zero gives ``P(y <= q) = alpha``: the best
prediction is the ``alpha``-quantile (Koenker & Bassett, 1978,
https://doi.org/10.2307/1913643). So when a late answer costs ``c_late`` per unit and an early
one ``c_early``, the prediction to make is the quantile ``alpha = c_late / (c_late + c_early)``.
Two quantile models (``alpha = 0.1`` and ``0.9``) give an 80 % prediction interval.

**Gradient boosting** (Friedman, 2001, https://doi.org/10.1214/aos/1013203451) builds the model
``F(x) = F0 + lr * (tree_1(x) + tree_2(x) + ...)`` one small tree at a time:

1. Start from the best constant ``F0`` (the mean, the median or the ``alpha``-quantile of ``y``).
2. For each row compute the negative gradient of the loss at the current prediction:
   ``y - F`` (squared), ``sign(y - F)`` (absolute), ``alpha - [y < F]`` (quantile).
3. Grow a regression tree that fits these gradients (each split maximises the drop in their
   squared error), then set each leaf to the best constant *for the loss* on that leaf's rows:
   the mean residual ``y - F`` (squared) or the residuals' median or ``alpha``-quantile.
4. Add the tree, shrunk by the learning rate, and repeat.

Step 3's leaf values are Friedman's "line search": with the absolute or quantile loss the
gradients are only signs, so the tree finds *where* the prediction is too low, and the leaf's
quantile of residuals says *by how much*.

Features are cut once into at most ``max_bin`` bins of about equal counts, so a split search is
a pass over the rows (a histogram of gradient sums per bin), not a sort at every node — the same
idea as :class:`mlsd.ranking.GBDT`, which boosts trees for binary labels.
"""

from __future__ import annotations

import math
from bisect import bisect_left

from mlsd.stats import quantile
from mlsd.validate import (check_finite_vector, check_in_range, check_matrix, check_positive,
                           check_positive_int, check_same_length)

__all__ = ["LOSSES", "BoostedRegressor", "pinball_loss", "mean_absolute_error", "coverage",
           "quantile_edges"]

LOSSES = ("squared", "absolute", "quantile")


def _pairs(y_true, y_pred) -> tuple[list[float], list[float]]:
    y = check_finite_vector("y_true", y_true)
    q = check_finite_vector("y_pred", y_pred)
    check_same_length("y_true", y, "y_pred", q)
    if not y:
        raise ValueError("y_true must not be empty")
    return y, q


def mean_absolute_error(y_true, y_pred) -> float:
    """``mean |y - q|``: in the outcome's own unit (minutes, dollars)."""
    y, q = _pairs(y_true, y_pred)
    return math.fsum(abs(a - b) for a, b in zip(y, q)) / len(y)


def pinball_loss(y_true, y_pred, alpha: float) -> float:
    """Mean quantile loss: ``alpha (y - q)`` when under, ``(1 - alpha)(q - y)`` when over."""
    alpha = check_in_range("alpha", alpha, 0.0, 1.0)
    y, q = _pairs(y_true, y_pred)
    return math.fsum(alpha * (a - b) if a > b else (1.0 - alpha) * (b - a)
                     for a, b in zip(y, q)) / len(y)


def coverage(y_true, low, high) -> float:
    """Share of outcomes inside their interval ``[low, high]``."""
    y = check_finite_vector("y_true", y_true)
    lo, hi = check_finite_vector("low", low), check_finite_vector("high", high)
    check_same_length("y_true", y, "low", lo)
    check_same_length("y_true", y, "high", hi)
    if not y:
        raise ValueError("y_true must not be empty")
    if any(a > b for a, b in zip(lo, hi)):
        raise ValueError("low must be <= high for every row")
    return sum(a <= v <= b for v, a, b in zip(y, lo, hi)) / len(y)


def quantile_edges(values, max_bin: int) -> list[float]:
    """At most ``max_bin - 1`` cut points that split ``values`` into bins of about equal counts.

    A value ``v`` falls in bin ``bisect_left(edges, v)``; bin ``<= b`` means ``v <= edges[b]``.
    """
    max_bin = check_positive_int("max_bin", max_bin)
    distinct = sorted(set(values))
    if len(distinct) <= max_bin:
        return [(a + b) / 2 for a, b in zip(distinct, distinct[1:])]
    ordered = sorted(values)
    n, edges = len(ordered), []
    for k in range(1, max_bin):
        v = ordered[k * n // max_bin]
        if (not edges or v > edges[-1]) and v < distinct[-1]:
            edges.append(v)
    return edges


class BoostedRegressor:
    """Gradient-boosted regression trees for the squared, absolute or quantile loss.

    :param loss: ``"squared"`` (predicts the mean), ``"absolute"`` (the median) or
        ``"quantile"`` (the ``alpha``-quantile).
    :param alpha: the quantile, in (0, 1); used by ``loss="quantile"`` only.
    :param n_estimators: number of trees.
    :param learning_rate: shrinkage applied to each tree.
    :param max_depth: depth of each tree (``2 ** max_depth`` leaves at most).
    :param min_samples_leaf: fewest training rows in a leaf.
    :param max_bin: most histogram bins per feature (see :func:`quantile_edges`).
    """

    def __init__(self, loss: str = "squared", alpha: float = 0.5, n_estimators: int = 40,
                 learning_rate: float = 0.1, max_depth: int = 3, min_samples_leaf: int = 20,
                 max_bin: int = 16):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
        self.loss = loss
        self.alpha = 0.5 if loss == "absolute" else check_in_range("alpha", alpha, 0.0, 1.0)
        if loss == "quantile" and not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha}")
        self.n_estimators = check_positive_int("n_estimators", n_estimators)
        self.learning_rate = check_positive("learning_rate", learning_rate)
        self.max_depth = check_positive_int("max_depth", max_depth)
        self.min_samples_leaf = check_positive_int("min_samples_leaf", min_samples_leaf)
        self.max_bin = check_positive_int("max_bin", max_bin)
        if self.max_bin < 2:
            raise ValueError(f"max_bin must be >= 2, got {max_bin}")
        self.trees: list = []

    # --- training -----------------------------------------------------------------------------

    def _gradient(self, y: list[float], f: list[float]) -> list[float]:
        if self.loss == "squared":
            return [a - b for a, b in zip(y, f)]
        a = self.alpha
        return [a if yi > fi else a - 1.0 for yi, fi in zip(y, f)]

    def _leaf_value(self, residuals: list[float]) -> float:
        if self.loss == "squared":
            return math.fsum(residuals) / len(residuals)
        return quantile(residuals, self.alpha)

    def fit(self, X, y) -> "BoostedRegressor":
        rows = check_matrix("X", X)
        target = check_finite_vector("y", y)
        if len(target) != len(rows):
            raise ValueError(f"X and y must have the same length, got {len(rows)} and {len(target)}")
        if len(rows) < 2 * self.min_samples_leaf:
            raise ValueError(f"need at least 2 * min_samples_leaf = {2 * self.min_samples_leaf} "
                             f"rows, got {len(rows)}")
        columns = list(zip(*rows))
        self.n_features = len(columns)
        self.edges = [quantile_edges(col, self.max_bin) for col in columns]
        binned = [[bisect_left(e, v) for v in col] for e, col in zip(self.edges, columns)]
        n = len(target)
        self._by_bin = [sorted(range(n), key=col.__getitem__) for col in binned]
        self._starts = []             # where each bin's rows begin in that order
        for col, e in zip(binned, self.edges):
            counts = [0] * (len(e) + 1)
            for b in col:
                counts[b] += 1
            starts = [0]
            for c in counts:
                starts.append(starts[-1] + c)
            self._starts.append(starts)
        self.init = (math.fsum(target) / len(target) if self.loss == "squared"
                     else quantile(target, self.alpha))
        f = [self.init] * len(target)
        self.trees = []
        for _ in range(self.n_estimators):
            g = self._gradient(target, f)
            self.trees.append(self._grow(binned, g, target, f))   # also moves f by the tree
        self._compile()
        return self

    def _histograms(self, rows, binned, g) -> list[list[complex]]:
        """Per feature, per bin: ``sum of g + 1j * count`` over ``rows`` (one add per row)."""
        if len(rows) == len(g):       # the root: sums over slices of the rows sorted by bin
            gc = [complex(v, 1.0) for v in g]
            out = []
            for order, starts in zip(self._by_bin, self._starts):
                sorted_g = list(map(gc.__getitem__, order))
                out.append([sum(sorted_g[a:b], 0j) for a, b in zip(starts, starts[1:])])
            return out
        gc = [complex(g[i], 1.0) for i in rows]
        out = []
        for col, edges in zip(binned, self.edges):
            acc = [0j] * (len(edges) + 1)
            for b, v in zip(map(col.__getitem__, rows), gc):
                acc[b] += v
            out.append(acc)
        return out

    def _grow(self, binned, g, y, f) -> list:
        """One tree as nested lists ``[feature, threshold, left, right]`` or ``[value]``; adds
        each leaf's value to the current predictions ``f`` of its training rows (leaves are
        disjoint, so a leaf's update never touches the rows another leaf is fitted on).

        A child's histogram is its parent's minus its sibling's, so only the smaller child is
        counted row by row (the histogram-subtraction trick of LightGBM)."""
        min_leaf, lr = self.min_samples_leaf, self.learning_rate

        def leaf(rows):
            v = lr * self._leaf_value([y[i] - f[i] for i in rows])
            for i in rows:
                f[i] += v
            return [v]

        def grow(rows, hist, depth):
            n = len(rows)
            if depth >= self.max_depth or n < 2 * min_leaf:
                return leaf(rows)
            total = sum(hist[0], 0j).real
            best = (total * total / n + 1e-12, None, None)
            for feature, acc in enumerate(hist):
                sl, nl = 0.0, 0
                for b in range(len(acc) - 1):
                    sl += acc[b].real
                    nl += int(acc[b].imag + 0.5)
                    nr = n - nl
                    if nl < min_leaf:
                        continue
                    if nr < min_leaf:
                        break
                    sr = total - sl
                    score = sl * sl / nl + sr * sr / nr
                    if score > best[0]:
                        best = (score, feature, b)
            _, feature, b = best
            if feature is None:
                return leaf(rows)
            col = binned[feature]
            left = [i for i in rows if col[i] <= b]
            right = [i for i in rows if col[i] > b]
            small = left if len(left) <= len(right) else right
            small_hist = self._histograms(small, binned, g)
            large_hist = [[p - c for p, c in zip(ph, ch)] for ph, ch in zip(hist, small_hist)]
            left_hist, right_hist = ((small_hist, large_hist) if small is left
                                     else (large_hist, small_hist))
            return [feature, self.edges[feature][b], grow(left, left_hist, depth + 1),
                    grow(right, right_hist, depth + 1)]

        rows = list(range(len(g)))
        return grow(rows, self._histograms(rows, binned, g), 0)

    # --- prediction ---------------------------------------------------------------------------

    def predict(self, X) -> list[float]:
        """The model's prediction for each row (the mean, median or quantile, by the loss)."""
        if not self.trees:
            raise ValueError("call fit() before predict()")
        rows = check_matrix("X", X, dim=self.n_features)
        return [self.predict_row(x) for x in rows]

    def predict_row(self, x) -> float:
        """One row, unchecked (the serving path): one call of the compiled trees."""
        return self._score(x)

    def _compile(self) -> None:
        """Write the trees out as nested ``if`` statements and compile them once, so scoring a
        row is one function call instead of a walk node by node (as :meth:`mlsd.ranking.GBDT.compile`)."""
        lines = ["def score(x):", f"    z = {self.init!r}"]

        def emit(node, indent):
            if len(node) == 1:
                lines.append(f"{indent}z += {node[0]!r}")
                return
            lines.append(f"{indent}if x[{node[0]}] <= {node[1]!r}:")
            emit(node[2], indent + "    ")
            lines.append(f"{indent}else:")
            emit(node[3], indent + "    ")

        for tree in self.trees:
            emit(tree, "    ")
        lines.append("    return z")
        self.source = "\n".join(lines)
        namespace: dict = {}
        exec(compile(self.source, "<mlsd.regression>", "exec"), namespace)
        self._score = namespace["score"]

    def nodes_per_row(self) -> int:
        """Comparisons plus leaves visited per row at most: ``n_estimators * (max_depth + 1)``."""
        return len(self.trees) * (self.max_depth + 1)

    def __repr__(self) -> str:
        state = f"{len(self.trees)} trees" if self.trees else "unfitted"
        what = f"quantile {self.alpha:g}" if self.loss == "quantile" else self.loss
        return f"BoostedRegressor({what}, {state})"

