"""Factorization machine: logistic regression plus every pairwise interaction.

Rendle (2010), https://ieeexplore.ieee.org/document/5694074. The model adds to
the linear score one term per *pair* of features::

    z = b + sum_i w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j

Each column ``i`` owns a small vector ``v_i`` (``n_factors`` numbers, ``k`` below). The weight of the
pair (i, j) is not learned on its own — it is the dot product of two vectors,
each learned from *every* row where its column appears. So the model can score
a pair it has never seen together (``user_interest=games`` with
``ad_category=games`` on a new device) — the reason FMs work on sparse logs
where most pairs are rare, and the ancestor of two-tower models.

**The O(kn) trick.** Summing over all pairs costs O(k n^2) for n non-zeros.
Rewrite it with ``s_f = sum_i v_if x_i``::

    sum_{i<j} <v_i, v_j> x_i x_j = 1/2 * sum_f [ s_f^2 - sum_i v_if^2 x_i^2 ]

(the square of a sum holds every pair twice, plus the squares, which we take
away). That is O(k n). The gradient is as cheap::

    d pair / d v_if = x_i (s_f - v_if x_i)

Training is the SGD of :mod:`mlsd.ranking.logistic` — one row per step, the
error ``p - y`` times the gradient of ``z`` — with an L2 penalty on ``w`` and
``v``. The ``v`` start as small random numbers; all zeros would be a saddle
point where every gradient of ``v`` is zero.
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.ranking.base import (ClickModel, base_rate_logit, check_sgd_params, sigmoid,
                               training_data)
from mlsd.ranking.features import as_sparse
from mlsd.validate import check_positive, check_positive_int

__all__ = ["FactorizationMachine"]


class FactorizationMachine(ClickModel):
    """A second-order factorization machine for binary labels (log loss).

    :param n_factors: length of each factor vector ``v_i``.
    :param learning_rate: the initial learning rate (decays as
        ``learning_rate / sqrt(1 + epoch)``).
    :param l2: L2 penalty on the linear weights and the factors.
    :param epochs: passes over the training data.
    :param init_std: standard deviation of the random initial factors.
    :param seed: seeds the initial factors and the shuffling.
    """

    def __init__(self, n_factors: int = 4, learning_rate: float = 0.01, l2: float = 1e-3,
                 epochs: int = 3, init_std: float = 0.05, seed: int = 0):
        self.n_factors = check_positive_int("n_factors", n_factors)
        self.learning_rate, self.l2, self.epochs, self.seed = check_sgd_params(
            learning_rate, l2, epochs, seed)
        self.init_std = check_positive("init_std", init_std)
        self.weights = self.factors = None
        self.bias = 0.0

    def _score(self, row: dict) -> tuple[float, list[float], list[list[float]]]:
        """z for one row, plus what the gradient reuses: s_f and v_if x_i for each factor f.

        The factors are stored one list per f (``factors[f][i]`` = v_if), so each
        sum over the row's columns runs in C through ``map``.
        """
        cols, vals = list(row), list(row.values())
        linear = self.bias + sum(map(mul, map(self.weights.__getitem__, cols), vals))
        s, vx, pair = [], [], 0.0
        for Vf in self.factors:
            vxf = list(map(mul, map(Vf.__getitem__, cols), vals))   # v_if x_i for each i
            sf = sum(vxf)
            pair += sf * sf - sum(map(mul, vxf, vxf))              # s_f^2 - sum_i (v_if x_i)^2
            s.append(sf)
            vx.append(vxf)
        return linear + 0.5 * pair, s, vx

    def fit(self, X, y) -> "FactorizationMachine":
        rows, width, labels = training_data(X, y)
        rng = random.Random(self.seed)
        self.bias = base_rate_logit(labels)
        self.weights = [0.0] * width
        self.factors = [[rng.gauss(0.0, self.init_std) for _ in range(width)]
                        for _ in range(self.n_factors)]
        w = self.weights
        order = list(range(len(rows)))
        for epoch in range(self.epochs):
            rng.shuffle(order)
            lr = self.learning_rate / math.sqrt(1 + epoch)
            keep = 1 - lr * self.l2          # L2 shrinkage of the parameters a row touches
            for i in order:
                row = rows[i]
                z, s, vx = self._score(row)
                step = lr * (sigmoid(z) - labels[i])      # lr * dL/dz
                self.bias -= step
                for j, x in row.items():
                    w[j] = w[j] * keep - step * x
                for Vf, sf, vxf in zip(self.factors, s, vx):
                    for j, x, a in zip(row, row.values(), vxf):
                        Vf[j] = Vf[j] * keep - step * x * (sf - a)   # dz/dv_jf = x_j (s_f - v_jf x_j)
        return self

    def decision_function(self, X) -> list[float]:
        """The logit of each row (columns unseen in training are ignored)."""
        if self.weights is None:
            raise ValueError("call fit() before predicting")
        rows, _ = as_sparse(X)
        width = len(self.weights)
        return [self._score({j: v for j, v in row.items() if j < width})[0] for row in rows]

    def __repr__(self) -> str:
        state = "unfitted" if self.weights is None else f"{len(self.weights)} columns"
        return f"FactorizationMachine(n_factors={self.n_factors}, learning_rate={self.learning_rate}, epochs={self.epochs}, {state})"
