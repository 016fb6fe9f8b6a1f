"""Contrastive learning of a linear projection with the InfoNCE loss and in-batch negatives.

You have vectors ``x`` from a fixed encoder (an image model you cannot retrain) and *positive
pairs*: two vectors that show the same thing (two augmentations of one photo, a shopper's photo
and the product it was bought as). You want a projection ``z = normalize(W x)`` under which the
two sides of a pair are close and everything else is far. Contrastive learning gets there
without labels for the negatives: in a batch of ``N`` pairs ``(a_i, b_i)``, every ``b_j`` with
``j != i`` serves as a negative for ``a_i``.

**The loss.** With ``z_i = normalize(W a_i)``, ``z'_j = normalize(W b_j)`` and the temperature
``tau``, the similarities are ``s_ij = z_i . z'_j / tau``. InfoNCE asks each row (and, in the
symmetric form used here, each column) of the ``N x N`` matrix to pick its own diagonal::

    L = 1/(2N) * sum_i [ -log softmax_j(s_ij)[i]  -  log softmax_j(s_ji)[i] ]

A small ``tau`` (0.05-0.2) sharpens the softmax, so the loss concentrates on the hardest
negatives in the batch; a large one treats all negatives alike.

**The gradient** (what :meth:`LinearInfoNCE.loss_and_grad` computes, no autodiff needed). With
``P`` the row softmax and ``Q`` the column softmax of ``s``::

    dL/ds_ij  = (P_ij + Q_ij - 2 [i == j]) / (2N)
    dL/dz_i   = sum_j dL/ds_ij z'_j / tau          dL/dz'_j = sum_i dL/ds_ij z_i / tau
    dL/du     = (dL/dz - (dL/dz . z) z) / |u|      (through z = u / |u|, u = W x)
    dL/dW     = sum over both sides of dL/du  x^T

Training is mini-batch Adam on ``W`` (Kingma & Ba, https://arxiv.org/abs/1412.6980).

References: van den Oord, Li & Vinyals, *Representation Learning with Contrastive Predictive
Coding* (2018), https://arxiv.org/abs/1807.03748 (InfoNCE); Chen, Kornblith, Norouzi & Hinton,
*A Simple Framework for Contrastive Learning of Visual Representations* (SimCLR, 2020),
https://arxiv.org/abs/2002.05709 (augmented pairs, in-batch negatives, temperature); Radford et
al., *Learning Transferable Visual Models From Natural Language Supervision* (CLIP, 2021),
https://arxiv.org/abs/2103.00020 (the symmetric loss over a batch of pairs).
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.validate import check_matrix, check_positive_int, check_same_length

__all__ = ["LinearInfoNCE", "info_nce_loss"]


def _check_positive(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _normalize(u: list[float]) -> tuple[list[float], float]:
    norm = math.sqrt(math.fsum(x * x for x in u)) or 1e-12
    return [x / norm for x in u], norm


def _softmax_rows(s: list[list[float]]) -> list[list[float]]:
    out = []
    for row in s:
        top = max(row)
        e = [math.exp(v - top) for v in row]
        total = math.fsum(e)
        out.append([v / total for v in e])
    return out


def info_nce_loss(za, zb, temperature: float = 0.1) -> float:
    """Symmetric InfoNCE loss of matched rows ``za[i] <-> zb[i]`` (vectors already normalized)."""
    za, zb = check_matrix("za", za), check_matrix("zb", zb)
    check_same_length("zb", zb, "za", za)
    tau = _check_positive("temperature", temperature)
    s = [[sum(map(mul, a, b)) / tau for b in zb] for a in za]
    n = len(s)
    total = 0.0
    for i in range(n):
        row_top, col_top = max(s[i]), max(s[j][i] for j in range(n))
        row_lse = row_top + math.log(math.fsum(math.exp(v - row_top) for v in s[i]))
        col_lse = col_top + math.log(math.fsum(math.exp(s[j][i] - col_top) for j in range(n)))
        total += (row_lse - s[i][i]) + (col_lse - s[i][i])
    return total / (2 * n)


class LinearInfoNCE:
    """A linear projection ``z = normalize(W x)`` trained with symmetric InfoNCE.

    ``dim_in`` -> ``dim_out``; ``temperature`` (tau); ``lr`` for Adam; ``seed`` for the
    initial ``W`` and the batch order. ``W`` starts as a scaled random Gaussian matrix, or as
    ``init`` (``dim_out`` rows of ``dim_in`` numbers) if given.
    """

    def __init__(self, dim_in: int, dim_out: int, temperature: float = 0.1, lr: float = 0.01,
                 seed: int = 0, init=None):
        self.dim_in = check_positive_int("dim_in", dim_in)
        self.dim_out = check_positive_int("dim_out", dim_out)
        self.temperature = _check_positive("temperature", temperature)
        self.lr = _check_positive("lr", lr)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int, got {type(seed).__name__}")
        self.rng = random.Random(seed)
        if init is None:
            scale = 1.0 / math.sqrt(dim_in)
            self.W = [[self.rng.gauss(0.0, scale) for _ in range(dim_in)] for _ in range(dim_out)]
        else:
            rows = check_matrix("init", init)
            if len(rows) != dim_out or len(rows[0]) != dim_in:
                raise ValueError(f"init must be {dim_out} rows of {dim_in} numbers, got "
                                 f"{len(rows)} rows of {len(rows[0])}")
            self.W = [list(r) for r in rows]
        self._m = [[0.0] * dim_in for _ in range(dim_out)]
        self._v = [[0.0] * dim_in for _ in range(dim_out)]
        self._t = 0
        self.history: list[float] = []          # mean loss of each epoch

    def _check_rows(self, name, rows) -> list[list[float]]:
        rows = check_matrix(name, rows)
        if len(rows[0]) != self.dim_in:
            raise ValueError(f"{name} must have {self.dim_in} columns, got {len(rows[0])}")
        return rows

    def project(self, vectors) -> list[list[float]]:
        """``normalize(W x)`` for each row of ``vectors``."""
        rows = self._check_rows("vectors", vectors)
        W = self.W
        return [_normalize([sum(map(mul, w, x)) for w in W])[0] for x in rows]

    def loss_and_grad(self, a, b) -> tuple[float, list[list[float]]]:
        """The loss of one batch of pairs ``(a[i], b[i])`` and its gradient with respect to W."""
        a, b = self._check_rows("a", a), self._check_rows("b", b)
        check_same_length("b", b, "a", a)
        return self._loss_and_grad(a, b)

    def _loss_and_grad(self, a, b) -> tuple[float, list[list[float]]]:
        n, tau, W = len(a), self.temperature, self.W
        ua = [[sum(map(mul, w, x)) for w in W] for x in a]
        ub = [[sum(map(mul, w, x)) for w in W] for x in b]
        za, na = zip(*(_normalize(u) for u in ua))
        zb, nb = zip(*(_normalize(u) for u in ub))
        s = [[sum(map(mul, p, q)) / tau for q in zb] for p in za]
        P = _softmax_rows(s)
        Q = _softmax_rows([list(col) for col in zip(*s)])          # Q[j][i]: column j
        loss = 0.0
        G = [[0.0] * n for _ in range(n)]
        for i in range(n):
            loss -= math.log(max(P[i][i], 1e-300)) + math.log(max(Q[i][i], 1e-300))
            for j in range(n):
                G[i][j] = (P[i][j] + Q[j][i] - (2.0 if i == j else 0.0)) / (2 * n * tau)
        loss /= 2 * n
        d = self.dim_out
        du_cols = [[] for _ in range(d)]            # du_cols[k][r]: dL/du_k of row r (both sides)
        x_rows = []
        for side in (0, 1):
            z_this, z_other = (za, zb) if side == 0 else (zb, za)
            norms, xs = (na, a) if side == 0 else (nb, b)
            cols = list(zip(*z_other))                             # cols[k][j] = z_other[j][k]
            rows = G if side == 0 else [list(c) for c in zip(*G)]
            for i in range(n):
                dz = [sum(map(mul, rows[i], col)) for col in cols]
                zi = z_this[i]
                along = sum(map(mul, dz, zi))
                for k in range(d):
                    du_cols[k].append((dz[k] - along * zi[k]) / norms[i])
                x_rows.append(xs[i])
        x_cols = list(zip(*x_rows))
        grad = [[sum(map(mul, du, xc)) for xc in x_cols] for du in du_cols]
        return loss, grad

    def _adam(self, grad, beta1=0.9, beta2=0.999, eps=1e-8) -> None:
        self._t += 1
        c1, c2 = 1 - beta1 ** self._t, 1 - beta2 ** self._t
        for k in range(self.dim_out):
            w, m, v, g = self.W[k], self._m[k], self._v[k], grad[k]
            for j in range(self.dim_in):
                m[j] = beta1 * m[j] + (1 - beta1) * g[j]
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
                w[j] -= self.lr * (m[j] / c1) / (math.sqrt(v[j] / c2) + eps)

    def fit(self, a, b, epochs: int = 5, batch_size: int = 32) -> "LinearInfoNCE":
        """Train on the pairs ``(a[i], b[i])``: shuffled mini-batches, each pair's in-batch
        negatives are the other pairs of its batch. Appends each epoch's mean loss to
        ``history``; returns ``self``."""
        a, b = self._check_rows("a", a), self._check_rows("b", b)
        check_same_length("b", b, "a", a)
        epochs = check_positive_int("epochs", epochs)
        batch_size = check_positive_int("batch_size", batch_size)
        if batch_size < 2:
            raise ValueError(f"batch_size must be at least 2 (a pair needs negatives), got {batch_size}")
        order = list(range(len(a)))
        for _ in range(epochs):
            self.rng.shuffle(order)
            losses = []
            for start in range(0, len(order) - 1, batch_size):
                batch = order[start:start + batch_size]
                if len(batch) < 2:
                    continue
                loss, grad = self._loss_and_grad([a[i] for i in batch], [b[i] for i in batch])
                self._adam(grad)
                losses.append(loss)
            self.history.append(math.fsum(losses) / len(losses))
        return self
