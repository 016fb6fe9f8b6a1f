"""Logistic regression trained with stochastic gradient descent — the CTR baseline.

The model scores a row ``x`` with a weighted sum and squashes it to a probability::

    z = b + w . x            p = sigmoid(z) = 1 / (1 + e^-z)

and is trained to minimise the mean log loss plus an L2 penalty::

    L(w, b) = mean_i [-y_i log p_i - (1 - y_i) log(1 - p_i)] + (l2 / 2) ||w||^2

The gradient of the log loss with respect to ``z`` is simply ``p - y`` (the
prediction error), so the gradient for weight ``j`` is ``(p - y) * x_j``. SGD
takes one row at a time, in a fresh random order each epoch, and steps downhill::

    w_j <- w_j * (1 - lr_t * l2) - lr_t * (p - y) x_j

with a slowly decaying step ``lr_t = lr / sqrt(1 + epoch)``. One row per step
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

from mlsd._validate import check_int, check_number, check_positive, check_positive_int
from mlsd.metrics import _labels
from mlsd.ranking.features import as_sparse

__all__ = ["LogisticRegression", "sigmoid"]


def sigmoid(z: float) -> float:
    """1 / (1 + e^-z), written so that neither branch can overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _training_data(X, y):
    """Validated sparse rows, their width and 0/1 labels of the same length."""
    rows, width = as_sparse(X)
    labels = _labels("y", y)
    if len(labels) != len(rows):
        raise ValueError(f"X and y must have the same length, got {len(rows)} and {len(labels)}")
    return rows, width, labels


class LogisticRegression:
    """Binary logistic regression on sparse or dense rows.

    Args:
        lr: the initial learning rate.
        l2: strength of the L2 penalty on the weights (not the bias).
        epochs: passes over the training data.
        seed: seeds the shuffling of each epoch.
    """

    def __init__(self, lr: float = 0.005, l2: float = 1e-3, epochs: int = 3, seed: int = 0):
        self.lr = check_positive("lr", lr)
        self.l2 = check_number("l2", l2)
        if self.l2 < 0:
            raise ValueError(f"l2 must be >= 0, got {l2}")
        self.epochs = check_positive_int("epochs", epochs)
        self.seed = check_int("seed", seed)
        self.weights: list[float] | None = None
        self.bias = 0.0

    def fit(self, X, y) -> "LogisticRegression":
        rows, width, labels = _training_data(X, y)
        ctr = min(max(sum(labels) / len(labels), 1e-6), 1 - 1e-6)
        w, b = [0.0] * width, math.log(ctr / (1 - ctr))
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
            lr = self.lr / math.sqrt(1 + epoch)
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
        rows, _ = as_sparse(X)
        w, b, width = self.weights, self.bias, len(self.weights)
        return [b + sum(w[j] * v for j, v in row.items() if j < width) for row in rows]

    def predict_proba(self, X) -> list[float]:
        """Click probability of each row."""
        return [sigmoid(z) for z in self.decision_function(X)]

    def __repr__(self) -> str:
        state = "unfitted" if self.weights is None else f"{len(self.weights)} weights"
        return f"LogisticRegression(lr={self.lr}, l2={self.l2}, epochs={self.epochs}, {state})"
