"""Multi-task logistic regression: several engagement heads that share what they learn.

A feed ranker predicts several things about one (user, post) pair — click, like, comment,
share, hide, long dwell. Some are common (a few per cent of impressions), some are rare (a few
per thousand). Trained alone, a rare head sees too few positives to fit its weights; trained
together with the common heads, it can borrow what they learned about the same features.

**Separate models** (``shared=False``): one logistic regression per task ``k``::

    z_k = b_k + w_k . x

**Shared model** (``shared=True``): every task also reads a small shared representation of the
input, ``h = V x`` (``rank`` numbers), learned from all tasks at once::

    h = V x                   z_k = b_k + w_k . x + u_k . h

So the weight vector of task ``k`` is ``w_k + V^T u_k``: a task-specific part plus a part in a
low-rank subspace common to all tasks (hard parameter sharing with a linear shared bottom; a
deep ranker replaces ``V`` by a few shared layers). The task-specific ``w_k`` carries a larger
L2 penalty (``task_l2``) than the shared part, so a rare task leans on the subspace the common
tasks found unless its own data say otherwise.

Training minimises the sum over tasks of the weighted log loss by SGD, one row per step. With
``e_k = p_k - y_k`` (times the row's weight)::

    b_k -= lr e_k        w_k -= lr (e_k x + task_l2 w_k)        u_k -= lr (e_k h + l2 u_k)
    V   -= lr ((sum_k e_k u_k) x^T + l2 V)

Sample weights let you train on a negative-downsampled log and still predict calibrated
probabilities: keep every row that is positive for some task, keep a fraction ``r`` of the rows
that are negative for all tasks, and give those rows weight ``1 / r``.

Rows are dense lists of numbers; labels are one 0/1 list per task. The cost of one step is
``O(n_tasks * nnz(x) + rank * nnz(x))``: zeros in a row cost nothing.

References: Caruana, "Multitask Learning", Machine Learning 28 (1997),
https://doi.org/10.1023/A:1007379606734; Ruder, "An Overview of Multi-Task Learning in Deep
Neural Networks" (2017), https://arxiv.org/abs/1706.05098.
"""

from __future__ import annotations

import math
import random
from itertools import chain, compress, repeat
from numbers import Real
from operator import add, itemgetter, mul, sub

from mlsd.ranking.base import check_sgd_params
from mlsd.validate import check_non_negative, check_positive_int

__all__ = ["MultiTaskLogistic"]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _positive(name: str, value, integer: bool = False):
    if isinstance(value, bool) or not isinstance(value, Real) or (integer and not isinstance(value, int)):
        kind = "a positive integer" if integer else "a positive number"
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__} {value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be positive, got {value}")
    return value


_PLAIN = {float, int}


def _dense(X, width: int) -> list:
    """Checked dense rows for prediction: a dot product over a short dense row runs in C."""
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
        raise TypeError(f"X must be a list of rows (lists of numbers), got {type(X).__name__}")
    if len(X) == 0:
        raise ValueError("X is empty: it needs at least one row")
    try:                                   # passes in C over all rows; details only on failure
        ok = (set(map(type, chain.from_iterable(X))) <= _PLAIN and set(map(len, X)) == {width}
              and math.isfinite(sum(map(sum, X))))
    except TypeError:
        ok = False
    if not ok:
        for r, row in enumerate(X):
            if (isinstance(row, (str, bytes)) or not hasattr(row, "__len__") or len(row) != width
                    or not (set(map(type, row)) <= _PLAIN and math.isfinite(sum(row)))):
                _rows([row], width, first=r)   # raises the detailed error
    return X


def _rows(X, width: int | None = None, first: int = 0) -> list[tuple[list[int], list[float]]]:
    """Dense rows -> (non-zero columns, values); checks the shape and the numbers."""
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
        raise TypeError(f"X must be a list of rows (lists of numbers), got {type(X).__name__}")
    if len(X) == 0:
        raise ValueError("X is empty: it needs at least one row")
    if width is None and hasattr(X[0], "__len__") and not isinstance(X[0], (str, bytes)):
        # The usual case, fast: _dense() checks every row in a few passes in C (and names the
        # culprit if one fails), and compress() keeps the non-zero entries in C.
        width = len(X[0])
        columns = range(width)
        return [(list(compress(columns, row)), list(map(float, compress(row, row))))
                for row in _dense(X, width)]
    out = []
    for r, row in enumerate(X, first):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            raise TypeError(f"X[{r}] must be a list of numbers, got {type(row).__name__}")
        if width is None:
            width = len(row)
        if len(row) != width:
            raise ValueError(f"X[{r}] has {len(row)} values, expected {width}")
        ok = set(map(type, row)) <= _PLAIN and math.isfinite(sum(row))
        if not ok:                         # find the culprit for the message
            for j, v in enumerate(row):
                if isinstance(v, bool) or not isinstance(v, Real) or not math.isfinite(v):
                    raise ValueError(f"X[{r}][{j}] must be a finite number, got {v!r}")
        cols = [j for j, v in enumerate(row) if v]
        out.append((cols, [float(row[j]) for j in cols]))
    return out


def _gather(cols: list):
    """A function that returns a list's entries at ``cols`` as a tuple: itemgetter() gathers
    them in one C call (a third faster than map(list.__getitem__, cols) in Pyodide)."""
    if len(cols) > 1:
        return itemgetter(*cols)
    return lambda values: tuple(map(values.__getitem__, cols))   # itemgetter(j) gives no tuple


class MultiTaskLogistic:
    """Logistic heads, one per task, optionally sharing a low-rank part (see the module doc).

    :param tasks: the task names, in the order of the heads.
    :param shared: True for the shared model, False for independent models.
    :param rank: size of the shared representation ``h`` (ignored when ``shared`` is False).
    :param learning_rate: SGD learning rate (``lr`` above; decays as
        ``learning_rate / sqrt(1 + epoch)``).
    :param l2: L2 penalty on the shared parameters ``V`` and ``u_k``.
    :param task_l2: L2 penalty on the task-specific weights ``w_k``.
    :param epochs: passes over the data.
    :param seed: seeds the initial ``V`` and the shuffling.
    """

    def __init__(self, tasks, *, shared: bool = True, rank: int = 2, learning_rate: float = 0.05,
                 l2: float = 1e-4, task_l2: float = 1e-3, epochs: int = 2, seed: int = 0):
        if isinstance(tasks, (str, bytes)) or not hasattr(tasks, "__iter__"):
            raise TypeError(f"tasks must be a list of names, got {type(tasks).__name__}")
        self.tasks = tuple(tasks)
        if not self.tasks:
            raise ValueError("tasks is empty: a multi-task model needs at least one task")
        if len(set(self.tasks)) != len(self.tasks):
            raise ValueError(f"tasks must be distinct, got {list(self.tasks)}")
        if not isinstance(shared, bool):
            raise TypeError(f"shared must be True or False, got {shared!r}")
        self.shared = shared
        self.rank = check_positive_int("rank", rank)
        self.learning_rate, self.l2, self.epochs, self.seed = check_sgd_params(
            learning_rate, l2, epochs, seed)
        self.task_l2 = check_non_negative("task_l2", task_l2)
        self.width: int | None = None
        self._effective: dict | None = None

    def _labels(self, Y, n: int) -> list[list[int]]:
        if not hasattr(Y, "keys"):
            raise TypeError(f"Y must be a dict of task -> 0/1 labels, got {type(Y).__name__}")
        missing = [t for t in self.tasks if t not in Y]
        if missing:
            raise ValueError(f"Y has no labels for task(s) {missing}")
        out = []
        for t in self.tasks:
            ys = list(Y[t])
            if len(ys) != n:
                raise ValueError(f"Y[{t!r}] has {len(ys)} labels but X has {n} rows")
            try:                          # one pass in C; the loop below only names the culprit
                ok = set(ys) <= {0, 1}    # True/False and 0.0/1.0 are in it, as with ==
            except TypeError:             # an unhashable label
                ok = False
            if not ok:
                for i, y in enumerate(ys):
                    if y not in (0, 1):
                        raise ValueError(f"Y[{t!r}][{i}] must be 0 or 1, got {y!r}")
            out.append(list(map(int, ys)))
        return out

    def fit(self, X, Y, sample_weight=None) -> "MultiTaskLogistic":
        """Train on dense rows ``X`` and ``Y = {task: labels}``; ``sample_weight`` is optional."""
        rows = _rows(X)
        n, width = len(rows), len(X[0])
        labels = self._labels(Y, n)
        if sample_weight is None:
            weights = [1.0] * n
        else:
            weights = list(sample_weight)
            if (weights and set(map(type, weights)) <= _PLAIN and min(weights) > 0
                    and math.isfinite(sum(weights))):        # all valid: checked in C
                weights = list(map(float, weights))
            else:                                            # find the culprit for the message
                weights = [float(_positive(f"sample_weight[{i}]", w)) for i, w in enumerate(weights)]
            if len(weights) != n:
                raise ValueError(f"sample_weight has {len(weights)} values but X has {n} rows")
        total_w = math.fsum(weights)
        n_tasks, rank = len(self.tasks), self.rank
        # Bias starts at the weighted log-odds of each task: first predictions are calibrated.
        b = []
        for ys in labels:
            rate = math.fsum(w for w, y in zip(weights, ys) if y) / total_w
            rate = min(max(rate, 1e-6), 1 - 1e-6)
            b.append(math.log(rate / (1 - rate)))
        W = [[0.0] * width for _ in range(n_tasks)]
        rng = random.Random(self.seed)
        V = [[rng.gauss(0.0, 0.1) for _ in range(width)] for _ in range(rank)] if self.shared else []
        U = [[0.0] * rank for _ in range(n_tasks)] if self.shared else []
        order = list(range(n))
        by_row = list(zip(*labels))
        # Per row: a gatherer of its non-zero entries, their values, and (column, value) pairs
        # for the updates, made once instead of in every epoch and for every head.
        rows = [(_gather(cols), vals, list(zip(cols, vals))) for cols, vals in rows]
        shared = self.shared
        for epoch in range(self.epochs):
            rng.shuffle(order)
            lr = self.learning_rate / math.sqrt(1 + epoch)
            keep_w, keep_s = 1.0 - lr * self.task_l2, 1.0 - lr * self.l2
            for i in order:
                take, vals, pairs = rows[i]
                ys, wt = by_row[i], weights[i]
                if shared:
                    h = [sum(map(mul, take(Vr), vals)) for Vr in V]
                    g = [0.0] * rank
                for k in range(n_tasks):
                    Wk = W[k]
                    z = b[k] + sum(map(mul, take(Wk), vals))
                    if shared:
                        Uk = U[k]
                        z += sum(map(mul, Uk, h))
                    e = (_sigmoid(z) - ys[k]) * wt
                    step = lr * e
                    b[k] -= step
                    for j, v in pairs:
                        Wk[j] = Wk[j] * keep_w - step * v
                    if shared:
                        for r in range(rank):
                            g[r] += e * Uk[r]
                            Uk[r] = Uk[r] * keep_s - step * h[r]
                if shared:
                    for r in range(rank):
                        Vr, gr = V[r], lr * g[r]
                        for j, v in pairs:
                            Vr[j] = Vr[j] * keep_s - gr * v
            if not all(map(math.isfinite, b)):
                raise ValueError(f"training diverged in epoch {epoch + 1} (non-finite weights): "
                                 f"lower learning_rate (got {self.learning_rate}) or scale the features")
        self.bias, self.weights, self.V, self.U, self.width = b, W, V, U, width
        self._effective = None
        # SGD stops at a noisy point, and a head's mean prediction can be off by tens of per
        # cent. A value model adds the heads' probabilities, so each head's bias is moved until
        # its weighted mean prediction on the training rows equals its weighted label rate
        # (Newton's method on the one-dimensional offset).
        logits = self.decision_function(X)
        for k, task in enumerate(self.tasks):
            target = math.fsum(w for w, y in zip(weights, labels[k]) if y)
            zs, shift = logits[task], 0.0
            for _ in range(20):
                # p = sigmoid(z + shift), then w * p and w * p * (1 - p): map() keeps the loops in C
                ps = list(map(_sigmoid, map(add, zs, repeat(shift))))
                wps = list(map(mul, weights, ps))
                gap = math.fsum(wps) - target
                slope = math.fsum(map(mul, wps, map(sub, repeat(1), ps)))
                if slope <= 0 or abs(gap) <= 1e-9 * total_w:
                    break
                shift -= gap / slope
            b[k] += shift
        return self

    def effective_weights(self) -> dict:
        """``{task: w_k + V^T u_k}``: each head's weight per input column."""
        self._check_fitted()
        if self._effective is not None:
            return {t: list(w) for t, w in self._effective.items()}
        out = {}
        for k, t in enumerate(self.tasks):
            w = list(self.weights[k])
            for r in range(self.rank if self.shared else 0):
                u, Vr = self.U[k][r], self.V[r]
                w = [a + u * v for a, v in zip(w, Vr)]
            out[t] = w
        self._effective = out
        return {t: list(w) for t, w in out.items()}

    def _check_fitted(self) -> None:
        if self.width is None:
            raise ValueError("call fit() before predicting")

    def decision_function(self, X) -> dict:
        """``{task: [logit per row]}``."""
        self._check_fitted()
        rows = _dense(X, self.width)
        eff = self._effective or self.effective_weights()
        out = {}
        for k, t in enumerate(self.tasks):
            w, b = eff[t], self.bias[k]
            # [b + sum(w_j * x_j over j) for each row], i.e. [b + sum(map(mul, w, row)) for row
            # in rows], written with map() alone so that the loop over rows runs in C too: it
            # measured faster in Pyodide than the list comprehension (the same sums, same order)
            dots = map(sum, map(map, repeat(mul), repeat(w), rows))
            out[t] = list(map(add, repeat(b), dots))
        return out

    def predict_proba(self, X) -> dict:
        """``{task: [probability per row]}``."""
        # map() over the function measured faster in Pyodide than the comprehension it replaced,
        # which inlined the sigmoid with a one-element loop per value to name exp(-|z|)
        return {t: list(map(_sigmoid, zs)) for t, zs in self.decision_function(X).items()}
