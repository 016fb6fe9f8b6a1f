"""Pairwise learning to rank: a linear RankNet trained on preference pairs.

A pointwise model learns a score for each (query, item) row on its own, as if every row were an
independent example; a ranking only needs the *order* of items within one query. A pairwise model
learns that order directly. For a pair where item ``i`` should rank above item ``j`` in the same
query, the model's scores ``s = w . x`` give the probability of that order::

    P(i > j) = sigmoid(s_i - s_j) = 1 / (1 + exp(-(s_i - s_j)))

and training minimises the weighted cross-entropy of the observed orders::

    L(w) = sum over pairs (i, j) of  c_ij * log(1 + exp(-(s_i - s_j)))  +  (l2 / 2) ||w||^2

The gradient for a pair is ``-c_ij * sigmoid(-(s_i - s_j)) * (x_i - x_j)``: only the
*difference* of the two rows counts, so a feature that shifts every item of a query by the same
amount (how long the query is, how many results it has) cancels out. That is what a pointwise
model cannot do. ``c_ij`` weighs a pair: 1 for human grades, or ``1 / propensity`` for a click
observed at a position users examine rarely (inverse propensity weighting, see Joachims,
Swaminathan & Schnabel, "Unbiased Learning-to-Rank with Biased Feedback", WSDM 2017,
https://arxiv.org/abs/1608.04468).

Features are standardised (mean 0, standard deviation 1, learned on the training rows) so that
one learning rate suits all of them. Training is plain SGD over the pairs in a fresh random order
each epoch, with the step ``learning_rate / sqrt(1 + epoch)``.

Reference: Burges et al., "Learning to Rank using Gradient Descent", ICML 2005
(https://doi.org/10.1145/1102351.1102363).
"""

from __future__ import annotations

import math
import random
from operator import mul
from typing import Sequence

from mlsd.validate import check_int, check_matrix, check_non_negative, check_positive, check_positive_int

__all__ = ["PairwiseRanker", "graded_pairs"]


def graded_pairs(y: Sequence[float], groups: Sequence) -> list[tuple[int, int]]:
    """Every ``(i, j)`` of rows in the same group with ``y[i] > y[j]``: i should rank above j."""
    if len(y) != len(groups):
        raise ValueError(f"y and groups must have the same length, got {len(y)} and {len(groups)}")
    by_group: dict = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    pairs = []
    for rows in by_group.values():
        for i in rows:
            for j in rows:
                if y[i] > y[j]:
                    pairs.append((i, j))
    return pairs


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class PairwiseRanker:
    """A linear scorer trained on pairs with the RankNet loss (see the module docstring).

    :param learning_rate: the initial SGD step.
    :param l2: strength of the L2 penalty on the weights.
    :param epochs: passes over the pairs.
    :param seed: seeds the order of the pairs in each epoch.
    """

    def __init__(self, learning_rate: float = 0.05, l2: float = 1e-4, epochs: int = 5, seed: int = 0):
        self.learning_rate = check_positive("learning_rate", learning_rate)
        self.l2 = check_non_negative("l2", l2)
        self.epochs = check_positive_int("epochs", epochs)
        self.seed = check_int("seed", seed)
        self.weights: list[float] | None = None
        self.mean: list[float] = []
        self.scale: list[float] = []

    def fit_pairs(self, X, pairs: Sequence[tuple[int, int]],
                  weights: Sequence[float] | None = None) -> "PairwiseRanker":
        """Train on explicit ``(better row, worse row)`` pairs, each with an optional weight."""
        rows = check_matrix("X", X)
        pairs = list(pairs)
        if not pairs:
            raise ValueError("pairs must hold at least one (better, worse) pair")
        n = len(rows)
        for p in pairs:
            if (not isinstance(p, tuple) or len(p) != 2 or
                    not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < n for v in p)):
                raise ValueError(f"pairs must hold (i, j) row indices in [0, {n}), got {p!r}")
        if weights is None:
            weights = [1.0] * len(pairs)
        elif len(weights) != len(pairs):
            raise ValueError(f"weights must have one weight per pair ({len(pairs)}), got {len(weights)}")
        weights = [check_non_negative(f"weights[{k}]", w) for k, w in enumerate(weights)]
        dim = len(rows[0])
        self.mean = [math.fsum(r[c] for r in rows) / n for c in range(dim)]
        self.scale = []
        for c in range(dim):
            var = math.fsum((r[c] - self.mean[c]) ** 2 for r in rows) / n
            self.scale.append(math.sqrt(var) if var > 1e-12 else 1.0)
        Z = [[(r[c] - self.mean[c]) / self.scale[c] for c in range(dim)] for r in rows]
        w = [0.0] * dim
        rng = random.Random(self.seed)
        order = list(range(len(pairs)))
        mean_weight = math.fsum(weights) / len(weights) or 1.0
        diffs = [[a - b for a, b in zip(Z[i], Z[j])] for i, j in pairs]
        scaled = [c / mean_weight for c in weights]                  # weight-normalised steps
        for epoch in range(self.epochs):
            lr = self.learning_rate / math.sqrt(1.0 + epoch)
            shrink = 1.0 - lr * self.l2
            rng.shuffle(order)
            for k in order:
                diff = diffs[k]
                margin = sum(map(mul, w, diff))
                step = lr * scaled[k] * _sigmoid(-margin)           # lr * -dL/dmargin
                w = [wc * shrink + step * d for wc, d in zip(w, diff)]
        self.weights = w
        return self

    def fit(self, X, y: Sequence[float], groups: Sequence,
            max_pairs_per_group: int | None = None) -> "PairwiseRanker":
        """Train on graded rows: every pair of the same group with different grades.

        ``max_pairs_per_group`` keeps a seeded random sample of each group's pairs: a query
        with 50 candidates has up to 1,225 pairs, and a few dozen carry most of the signal.
        """
        rows = check_matrix("X", X)
        if len(y) != len(rows):
            raise ValueError(f"y must have one grade per row ({len(rows)}), got {len(y)}")
        groups = list(groups)
        if max_pairs_per_group is None:
            pairs = graded_pairs(list(y), groups)
        else:
            check_positive_int("max_pairs_per_group", max_pairs_per_group)
            rng = random.Random(self.seed + 1)
            by_group: dict = {}
            for i, g in enumerate(groups):
                by_group.setdefault(g, []).append(i)
            pairs = []
            for members in by_group.values():
                own = graded_pairs([y[i] for i in members], [0] * len(members))
                if len(own) > max_pairs_per_group:
                    own = rng.sample(own, max_pairs_per_group)
                pairs.extend((members[a], members[b]) for a, b in own)
        if not pairs:
            raise ValueError("no group holds two rows with different grades: nothing to rank")
        return self.fit_pairs(rows, pairs)

    def decision_function(self, X) -> list[float]:
        """The score ``w . standardised(x)`` of each row; higher ranks first."""
        if self.weights is None:
            raise ValueError("the model is not trained: call fit or fit_pairs first")
        rows = check_matrix("X", X, dim=len(self.weights))
        return [math.fsum(wc * (v - m) / s for wc, v, m, s in zip(self.weights, r, self.mean, self.scale))
                for r in rows]

    def __repr__(self) -> str:
        return (f"PairwiseRanker(learning_rate={self.learning_rate}, l2={self.l2}, "
                f"epochs={self.epochs}, seed={self.seed})")
