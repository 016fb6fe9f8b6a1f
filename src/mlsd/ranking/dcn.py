"""Deep & Cross Network (DCN): explicit feature crosses plus a small MLP.

Wang et al. (2017), https://arxiv.org/abs/1708.05123. Two towers read the same
input vector ``x0`` (standardized features, one-hot categories) side by side:

**Cross network.** Each cross layer multiplies the input by a learned scalar
projection of the previous layer and adds the previous layer back::

    x_{l+1} = x0 * (w_l . x_l) + b_l + x_l

Layer ``l`` holds polynomial terms of ``x0`` up to degree ``l + 1`` — after two
layers, every product ``x_i x_j x_k`` is reachable — with only ``2d`` parameters
per layer (``w_l`` and ``b_l``), instead of one weight per pair as a
hand-written cross would need. The ``+ x_l`` is a residual connection: a layer
that learns nothing passes its input through.

The price of so few parameters: after one layer the weight of the pair
``x_i x_j`` is ``u_i w_j + u_j w_i`` — a matrix of rank two at most — so a
cross like "user interest equals ad category" (a diagonal over ten values) is
out of its reach; the MLP has to help. DCN-V2 (Wang et al., 2021,
https://arxiv.org/abs/2008.13535) swaps ``w_l`` for a full matrix for this
reason.

**Deep network.** A plain MLP, ``h = relu(W x0 + c)``, for interactions that are
not low-degree polynomials.

**Output.** ``z = u_cross . x_L + u_deep . h + b``, ``p = sigmoid(z)``, trained
on the log loss by SGD, one row per step. Backpropagation, written out:

- output: ``dz = p - y``; the gradients of ``u`` are ``dz * x_L`` and ``dz * h``.
- MLP: a hidden unit passes ``dz * u_deep[k]`` back only if it was active
  (``relu' = 1`` when its input > 0), giving ``W[k] -= lr * delta * x0``.
- cross layer, going backwards with ``g = dL/dx_{l+1}`` and ``s = w_l . x_l``:
  ``dL/db_l = g``, ``dL/ds = g . x0``, ``dL/dw_l = (g . x0) * x_l`` and
  ``dL/dx_l = g + (g . x0) * w_l`` (the residual path plus the path through ``s``).

Each step costs O(d * hidden + d * cross layers) multiply-adds; dot products
go through ``map`` so the inner loops run in C. Dense standardized inputs make
each step large (its size grows with ``||x||^2``), hence the small default
learning rate; too large a rate makes the polynomial terms blow up, which
:meth:`DCN.fit` reports as an error rather than returning NaN scores.
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.ranking.base import (ClickModel, base_rate_logit, check_sgd_params, sigmoid,
                               training_labels)
from mlsd.ranking.features import as_sparse
from mlsd.validate import check_int

__all__ = ["DCN"]


def _dot(a, b) -> float:
    return sum(map(mul, a, b))


class DCN(ClickModel):
    """Deep & Cross Network for binary labels on dense (or sparse) rows.

    :param n_cross: number of cross layers.
    :param n_hidden: width of the single hidden ReLU layer of the deep tower (0 = none).
    :param learning_rate: initial learning rate (decays as ``learning_rate / sqrt(1 + epoch)``).
    :param l2: L2 penalty on all weights.
    :param epochs: passes over the training data.
    :param seed: seeds the initial weights and the shuffling.

    Inputs are standardized with the training mean and standard deviation of
    each column, so raw features and one-hot columns can be mixed.
    """

    def __init__(self, n_cross: int = 2, n_hidden: int = 8, learning_rate: float = 0.002,
                 l2: float = 1e-4, epochs: int = 2, seed: int = 0):
        self.n_cross = check_int("n_cross", n_cross)
        self.n_hidden = check_int("n_hidden", n_hidden)
        if self.n_cross < 0 or self.n_hidden < 0 or self.n_cross + self.n_hidden == 0:
            raise ValueError(f"n_cross and n_hidden must be >= 0 and not both 0, "
                             f"got {n_cross} and {n_hidden}")
        self.learning_rate, self.l2, self.epochs, self.seed = check_sgd_params(
            learning_rate, l2, epochs, seed)
        self.width = None

    def _dense(self, X, fitting: bool = False) -> list[list[float]]:
        rows, width = as_sparse(X)
        if fitting:
            self.width = width
            n = len(rows)
            total, squares = [0.0] * width, [0.0] * width
            for row in rows:
                for j, v in row.items():
                    total[j] += v
                    squares[j] += v * v
            self.mean = [t / n for t in total]
            self.std = [math.sqrt(max(q / n - m * m, 0.0)) or 1.0 for q, m in zip(squares, self.mean)]
        if self.width is None:
            raise ValueError("call fit() before predicting")
        mean, std, width = self.mean, self.std, self.width
        zero = [-m / s for m, s in zip(mean, std)]               # what a 0 becomes
        out = []
        for row in rows:
            x = zero.copy()
            for j, v in row.items():
                if j < width:                                     # unseen columns are ignored
                    x[j] = (v - mean[j]) / std[j]
            out.append(x)
        return out

    def _forward(self, x0):
        """Logit and the intermediate values backpropagation needs."""
        xs, projections = [x0], []
        for w, b in zip(self.cross_w, self.cross_b):
            xl = xs[-1]
            s = _dot(w, xl)                                      # scalar w_l . x_l
            projections.append(s)
            xs.append([a * s + c + e for a, c, e in zip(x0, b, xl)])   # x0 * s + b_l + x_l
        pre = [_dot(wk, x0) + ck for wk, ck in zip(self.W, self.c)]
        h = [v if v > 0.0 else 0.0 for v in pre]                 # ReLU
        z = _dot(self.u_cross, xs[-1]) + _dot(self.u_deep, h) + self.bias
        return z, xs, projections, h

    def _backward(self, x0, label: int, cache) -> dict:
        """Gradients of one row's log loss, with outer products kept factored.

        ``dL/dW[k] = delta[k] * x0``, ``dL/dw_l = ds[l] * x_l`` and
        ``dL/du_cross = dz * x_L``: storing the scalar saves building a vector
        that :meth:`_step` would immediately walk again.
        """
        z, xs, projections, h = cache
        dz = sigmoid(z) - label                                  # dL/dz for the log loss
        # deep tower: only active ReLU units pass a gradient back
        delta = {k: dz * u for k, (u, hk) in enumerate(zip(self.u_deep, h)) if hk > 0.0}
        # cross tower, last layer first; g = dL/dx_{l+1}
        ds, g_b = [0.0] * self.n_cross, [None] * self.n_cross
        g = [dz * u for u in self.u_cross]
        for layer in range(self.n_cross - 1, -1, -1):
            ds[layer] = _dot(g, x0)                              # dL/ds, s = w_l . x_l
            g_b[layer] = g                                       # dL/db_l
            if layer > 0:                                        # (dL/dx_0 is not needed: x0 is the input)
                g = [gi + ds[layer] * wi for gi, wi in zip(g, self.cross_w[layer])]  # dL/dx_l
        return {"dz": dz, "delta": delta, "ds": ds, "cross_b": g_b}

    def _step(self, x0, cache, grads: dict, lr: float) -> None:
        """One SGD step; ``keep`` is the L2 weight decay of each weight it updates."""
        _, xs, _, h = cache
        keep, a = 1.0 - lr * self.l2, lr * grads["dz"]
        self.bias -= a
        self.u_cross = [u * keep - a * v for u, v in zip(self.u_cross, xs[-1])]
        self.u_deep = [u * keep - a * v for u, v in zip(self.u_deep, h)]
        for k, dk in grads["delta"].items():
            ak = lr * dk
            self.W[k] = [w * keep - ak * v for w, v in zip(self.W[k], x0)]
            self.c[k] -= ak
        for layer, (dsl, gb) in enumerate(zip(grads["ds"], grads["cross_b"])):
            al = lr * dsl
            self.cross_w[layer] = [w * keep - al * v for w, v in zip(self.cross_w[layer], xs[layer])]
            self.cross_b[layer] = [b - lr * g for b, g in zip(self.cross_b[layer], gb)]

    def _init_weights(self, rng: random.Random, labels: list[int]) -> None:
        d = self.width
        # small random weights: He-style for the ReLU layer, tiny for the cross layers
        self.cross_w = [[rng.gauss(0.0, 0.1 / math.sqrt(d)) for _ in range(d)] for _ in range(self.n_cross)]
        self.cross_b = [[0.0] * d for _ in range(self.n_cross)]
        self.W = [[rng.gauss(0.0, math.sqrt(2.0 / d)) for _ in range(d)] for _ in range(self.n_hidden)]
        self.c = [0.0] * self.n_hidden
        self.u_cross = [0.0] * d
        self.u_deep = [rng.gauss(0.0, 0.1) for _ in range(self.n_hidden)]
        self.bias = base_rate_logit(labels)

    def fit(self, X, y) -> "DCN":
        data = self._dense(X, fitting=True)
        labels = training_labels(y, len(data))
        rng = random.Random(self.seed)
        self._init_weights(rng, labels)
        order = list(range(len(data)))
        for epoch in range(self.epochs):
            rng.shuffle(order)
            lr = self.learning_rate / math.sqrt(1 + epoch)
            for i in order:
                x0 = data[i]
                cache = self._forward(x0)
                if not math.isfinite(cache[0]):
                    raise ValueError(f"training diverged (the logit became {cache[0]}); "
                                     f"lower learning_rate (now {self.learning_rate})")
                self._step(x0, cache, self._backward(x0, labels[i], cache), lr)
        return self

    def decision_function(self, X) -> list[float]:
        """The logit of each row."""
        return [self._forward(x0)[0] for x0 in self._dense(X)]

    def __repr__(self) -> str:
        state = "unfitted" if self.width is None else f"{self.width} inputs"
        return f"DCN(n_cross={self.n_cross}, n_hidden={self.n_hidden}, epochs={self.epochs}, {state})"
