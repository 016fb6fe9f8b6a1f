"""What every click model of :mod:`mlsd.ranking` shares.

Every model scores a row with a logit ``z`` and turns it into a click
probability with the sigmoid, starts from the log-odds of the training click
rate (so its first predictions are right on average), and checks its
hyperparameters the same way. The shared hyperparameters have one name in every
model:

=================  ==============================================================
name               meaning
=================  ==============================================================
``learning_rate``  step size: of the first epoch (SGD), or each tree's shrinkage
``l2``             L2 penalty: on the weights (SGD), or on the leaf values (GBDT)
``epochs``         passes over the training data (SGD models)
``seed``           seeds the initial weights and the shuffling
``n_...``          a count: ``n_factors``, ``n_cross``, ``n_hidden``, ``n_estimators``
=================  ==============================================================

The tree-shape settings of :class:`~mlsd.ranking.GBDT` (``num_leaves``,
``min_data_in_leaf``, ``max_bin`` ...) keep LightGBM's names, so a setting can be
given to both libraries.
"""

from __future__ import annotations

import math

from mlsd.ranking.features import as_sparse
from mlsd.validate import (check_int, check_labels, check_non_negative, check_positive,
                           check_positive_int)

__all__ = ["ClickModel", "sigmoid", "base_rate_logit", "check_sgd_params", "training_labels",
           "training_data"]


def sigmoid(z: float) -> float:
    """``1 / (1 + e^-z)``, written so that neither branch can overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def base_rate_logit(labels: list[int], clip: float = 1e-6) -> float:
    """The log-odds ``log(ctr / (1 - ctr))`` of the click rate of ``labels``.

    The rate is clipped to ``[clip, 1 - clip]``, so labels that are all 0 or all
    1 give a large finite logit instead of an infinite one.
    """
    ctr = min(max(sum(labels) / len(labels), clip), 1.0 - clip)
    return math.log(ctr / (1.0 - ctr))


def check_sgd_params(learning_rate: float, l2: float, epochs: int,
                     seed: int) -> tuple[float, float, int, int]:
    """The checked ``(learning_rate, l2, epochs, seed)`` of a model trained by SGD.

    ``learning_rate`` must be > 0, ``l2`` >= 0, ``epochs`` a positive integer and
    ``seed`` an integer; anything else raises an error that names the argument.
    """
    return (check_positive("learning_rate", learning_rate), check_non_negative("l2", l2),
            check_positive_int("epochs", epochs), check_int("seed", seed))


def training_labels(y, n_rows: int) -> list[int]:
    """``y`` as 0/1 labels, checked to have one label per training row."""
    labels = check_labels("y", y)
    if len(labels) != n_rows:
        raise ValueError(f"X and y must have the same length, got {n_rows} and {len(labels)}")
    return labels


def training_data(X, y) -> tuple[list[dict[int, float]], int, list[int]]:
    """Checked sparse rows of ``X``, their width and one 0/1 label per row."""
    rows, width = as_sparse(X)
    return rows, width, training_labels(y, len(rows))


class ClickModel:
    """The interface of every model: ``fit(X, y)``, ``decision_function(X)`` (logits)
    and ``predict_proba(X)`` (click probabilities, the sigmoid of the logits)."""

    def fit(self, X, y) -> "ClickModel":
        raise NotImplementedError

    def decision_function(self, X) -> list[float]:
        raise NotImplementedError

    def predict_proba(self, X) -> list[float]:
        """Click probability of each row."""
        return [sigmoid(z) for z in self.decision_function(X)]
