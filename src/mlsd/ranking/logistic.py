"""Logistic regression trained with stochastic gradient descent — the CTR baseline.

The model scores a row ``x`` with a weighted sum and squashes it to a probability::

    z = b + w . x            p = sigmoid(z) = 1 / (1 + e^-z)

and is trained to minimise the mean log loss plus an L2 penalty::

    L(w, b) = mean_i [-y_i log p_i - (1 - y_i) log(1 - p_i)] + (l2 / 2) ||w||^2

The gradient of the log loss with respect to ``z`` is simply ``p - y`` (the
prediction error), so the gradient for weight ``j`` is ``(p - y) * x_j``. SGD
takes one row at a time, in a fresh random order each epoch, and steps downhill::

    w_j <- w_j * (1 - lr_t * l2) - lr_t * (p - y) x_j

with a slowly decaying step ``lr_t = learning_rate / sqrt(1 + epoch)``. One row per step
is how online CTR learners work (Vowpal Wabbit, FTRL-Proximal — McMahan et al.,
2013, https://research.google/pubs/ad-click-prediction-a-view-from-the-trenches/);
averaging the gradient over a mini-batch first pays off on hardware that does a
batch in one go, which plain Python is not.

Sparse rows make a step cheap: only the columns present in the row get a
gradient, so it costs the row's non-zeros, not the width of the model. The L2
shrinkage ``(1 - lr_t * l2)`` should hit *every* weight at every step, which
would cost the full width (4,096 hashed columns) instead of ~22 non-zeros. So it
is applied lazily: a column present in ``c`` of the ``n`` rows is touched ``c``
times per epoch, and each touch applies the ``n / c`` steps of shrinkage it
missed in between, ``(1 - lr_t * l2) ** (n / c)``.

A small learning rate and a few epochs stop well before the training loss is
fully minimised; that early stopping is itself a regulariser, which is why the
defaults test about as well as a fully converged solver on held-out data.

Starting the bias at the log-odds of the base rate (``log(ctr / (1 - ctr))``)
means the very first predictions are already calibrated on average.
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.ranking.base import (ClickModel, base_rate_logit, check_sgd_params, sigmoid,
                               training_data)
from mlsd.ranking.features import as_sparse

__all__ = ["LogisticRegression", "sigmoid"]


class LogisticRegression(ClickModel):
    """Binary logistic regression on sparse or dense rows.

    :param learning_rate: the initial learning rate.
    :param l2: strength of the L2 penalty on the weights (not the bias).
    :param epochs: passes over the training data.
    :param seed: seeds the shuffling of each epoch.
    """

    def __init__(self, learning_rate: float = 0.005, l2: float = 1e-3, epochs: int = 3,
                 seed: int = 0):
        self.learning_rate, self.l2, self.epochs, self.seed = check_sgd_params(
            learning_rate, l2, epochs, seed)
        self.weights: list[float] | None = None
        self.bias = 0.0

    def fit(self, X, y) -> "LogisticRegression":
        rows, width, labels = training_data(X, y)
        w, b = [0.0] * width, base_rate_logit(labels)
        # The exact L2 step multiplies every weight by (1 - lr * l2) at every row.
        # A column present in only c of the n rows is touched c times an epoch, so
        # it catches up with the shrinkage it missed: (1 - lr * l2) ** (n / c) per touch.
        seen = [0] * width
        for row in rows:
            for j in row:
                seen[j] += 1
        order, rng = list(range(len(rows))), random.Random(self.seed)
        for epoch in range(self.epochs):
            rng.shuffle(order)
            lr = self.learning_rate / math.sqrt(1 + epoch)
            keep = [(1 - lr * self.l2) ** (len(rows) / c) if c else 1.0 for c in seen]
            for i in order:
                row = rows[i]
                # w . x over the row's non-zeros; map() keeps the loop in C
                z = b + sum(map(mul, map(w.__getitem__, row), row.values()))
                step = lr * (sigmoid(z) - labels[i])       # dL/dz = p - y
                for j, v in row.items():
                    w[j] = w[j] * keep[j] - step * v
                b -= step
        self.weights, self.bias = w, b
        return self

    def decision_function(self, X) -> list[float]:
        """The logit ``z = b + w . x`` of each row (columns unseen in training count 0)."""
        if self.weights is None:
            raise ValueError("call fit() before predicting")
        rows, n_columns = as_sparse(X)
        w, b, width = self.weights, self.bias, len(self.weights)
        if n_columns <= width:       # no unseen column: the dot product can stay in C, as in fit()
            return [b + sum(map(mul, map(w.__getitem__, row), row.values())) for row in rows]
        return [b + sum(w[j] * v for j, v in row.items() if j < width) for row in rows]

    def __repr__(self) -> str:
        state = "unfitted" if self.weights is None else f"{len(self.weights)} weights"
        return f"LogisticRegression(learning_rate={self.learning_rate}, l2={self.l2}, epochs={self.epochs}, {state})"
