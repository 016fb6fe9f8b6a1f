"""Model compression: quantize weights and embeddings, prune by magnitude, distil into a small MLP.

A trained model is a pile of numbers. Compression stores fewer bits per number, keeps fewer
numbers, or trains a smaller model to imitate the big one. This module has one function per idea,
small enough to read on a screen, and the counting functions that say what each one saves.

**Symmetric linear quantization** to ``b`` bits maps a value ``v`` to an integer code

    q = clip(round(v / s), -Q, Q)      with Q = 2^(b-1) - 1 and s = max|v| / Q

and back to ``v' = s * q``. The rounding error is at most ``s / 2``, so one large value in the
group (the range ``max|v|``) coarsens the grid for all the others. That is why the group that
shares a scale matters: one scale for a whole tensor (*per tensor*) is cheapest to store, one
scale per row (*per row*, or per output channel for a layer) adapts to rows of very different
size at the cost of one float per row. Integer-only inference (Jacob et al., 2018,
arXiv:1712.05877) also uses an offset (a zero point) so an asymmetric range fits ``[0, 255]``;
for weights, centred on zero, the symmetric form here is the common choice.

**Binary** (1 bit) keeps only the sign: ``v' = a * sign(v)``. The ``a`` that minimises the squared
error ``sum (v_i - a sign(v_i))^2`` is the mean absolute value ``a = sum |v_i| / n`` (set the
derivative to zero), so that is the scale used.

**Bytes.** ``n`` rows of ``d`` values at ``b`` bits take ``n * ceil(d b / 8)`` bytes of codes plus
4 bytes per float32 scale (one, or one per row); see :func:`quantized_bytes`.

**Magnitude pruning** (Han, Mao and Dally, 2015, arXiv:1510.00149) sets the fraction ``p`` of
weights with the smallest ``|w|`` to zero. Stored densely the matrix is as large as before and a
dense kernel does the same multiply-adds. Stored sparsely (CSR: each non-zero with its column
index, plus one offset per row; :func:`csr_bytes`) it is smaller only when the index overhead is
paid back. Vector hardware reads aligned blocks of consecutive weights; a block can be skipped
only if every weight in it is zero (:func:`zero_block_share`), and under a random-looking mask at
sparsity ``p`` a block of ``k`` is empty with probability about ``p^k``.

**Distillation** (Hinton, Vinyals and Dean, 2015, arXiv:1503.02531) trains a small *student* on
the *teacher's* predicted probabilities instead of (or mixed with) the 0/1 labels. The
cross-entropy with a soft target ``t``, ``-t log p - (1 - t) log(1 - p)``, has the same gradient
``p - t`` with respect to the logit as with a hard label, so any logistic model trains on soft
targets unchanged. :func:`soft_targets` softens the teacher's logits by a temperature ``T``:
``t = sigmoid(z / T)``. :class:`TinyMLP` is the student: one hidden ReLU layer, trained by SGD
on targets in ``[0, 1]``, with its weights open for quantizing and pruning.
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.validate import (check_finite_vector, check_int, check_matrix, check_positive,
                           check_positive_int, check_probability, check_same_length)

__all__ = ["quantize", "dequantize", "quantize_rows", "quantized_bytes", "magnitude_prune",
           "sparsity", "csr_bytes", "zero_block_share", "dense_cost", "soft_targets", "TinyMLP"]


def _check_bits(bits) -> int:
    check_int("bits", bits)
    if not 1 <= bits <= 16:
        raise ValueError(f"bits must be between 1 and 16, got {bits}")
    return bits


def quantize(values, bits: int) -> tuple[list[int], float]:
    """Codes and the scale of ``values`` quantized symmetrically to ``bits`` bits.

    ``bits >= 2``: codes in ``[-Q, Q]`` with ``Q = 2^(bits-1) - 1`` and ``scale = max|v| / Q``.
    ``bits == 1``: codes are ``+1``/``-1`` (the sign, 0 counted as +) and ``scale = mean |v|``.
    All-zero values get scale 0 and zero codes (``+1`` codes when ``bits == 1``).
    """
    values = check_finite_vector("values", values)
    _check_bits(bits)
    if not values:
        raise ValueError("values must not be empty")
    if bits == 1:
        return [1 if v >= 0 else -1 for v in values], math.fsum(map(abs, values)) / len(values)
    top = (1 << (bits - 1)) - 1
    biggest = max(map(abs, values))
    if biggest == 0.0:
        return [0] * len(values), 0.0
    scale = biggest / top
    return [max(-top, min(top, round(v / scale))) for v in values], scale


def dequantize(codes, scale: float) -> list[float]:
    """The values the codes stand for: ``scale * code``."""
    scale = check_finite_vector("scale", [scale])[0]
    return [scale * c for c in check_finite_vector("codes", codes)]


def quantize_rows(rows, bits: int, per_row: bool = True) -> list[list[float]]:
    """``rows`` (a matrix) after quantizing to ``bits`` bits and back, with one scale per row
    (``per_row=True``) or one scale for the whole matrix."""
    rows = check_matrix("rows", rows)
    _check_bits(bits)
    if not isinstance(per_row, bool):
        raise TypeError(f"per_row must be True or False, got {per_row!r}")
    if per_row:
        return [dequantize(*quantize(r, bits)) for r in rows]
    d = len(rows[0])
    codes, scale = quantize([v for r in rows for v in r], bits)
    return [dequantize(codes[i:i + d], scale) for i in range(0, len(codes), d)]


def quantized_bytes(n_rows: int, dim: int, bits: int, per_row: bool = True) -> int:
    """Bytes of an ``n_rows x dim`` matrix at ``bits`` bits: each row's codes packed into whole
    bytes, plus a 4-byte float32 scale per row (``per_row``) or one for the matrix.
    ``bits=32`` means plain float32 with no scale."""
    check_positive_int("n_rows", n_rows)
    check_positive_int("dim", dim)
    check_int("bits", bits)
    if bits == 32:
        return 4 * n_rows * dim
    _check_bits(bits)
    return n_rows * math.ceil(dim * bits / 8) + 4 * (n_rows if per_row else 1)


def magnitude_prune(rows, sparsity: float) -> list[list[float]]:
    """A copy of ``rows`` with the ``round(sparsity * size)`` weights of smallest ``|w|`` (over
    the whole matrix) set to zero; ties are broken by position, first ones first."""
    rows = check_matrix("rows", rows)
    check_probability("sparsity", sparsity)
    d = len(rows[0])
    flat = [v for r in rows for v in r]
    n_zero = round(sparsity * len(flat))
    for i in sorted(range(len(flat)), key=lambda i: abs(flat[i]))[:n_zero]:
        flat[i] = 0.0
    return [flat[i:i + d] for i in range(0, len(flat), d)]


def sparsity(rows) -> float:
    """The share of exact zeros in a matrix."""
    rows = check_matrix("rows", rows)
    return sum(v == 0.0 for r in rows for v in r) / (len(rows) * len(rows[0]))


def csr_bytes(rows, value_bytes: float = 4, index_bytes: int = 2) -> float:
    """Bytes of ``rows`` stored as CSR: every non-zero as a value and a column index, plus one
    4-byte offset per row and one more."""
    rows = check_matrix("rows", rows)
    check_positive("value_bytes", value_bytes)
    check_positive_int("index_bytes", index_bytes)
    nnz = sum(v != 0.0 for r in rows for v in r)
    return nnz * (value_bytes + index_bytes) + 4 * (len(rows) + 1)


def zero_block_share(rows, block: int) -> float:
    """The share of aligned blocks of ``block`` consecutive weights in a row that are all zero:
    the work a block-skipping kernel could avoid. A row's last, shorter block counts too."""
    rows = check_matrix("rows", rows)
    check_positive_int("block", block)
    blocks = [r[i:i + block] for r in rows for i in range(0, len(r), block)]
    return sum(not any(b) for b in blocks) / len(blocks)


def dense_cost(layer_sizes, bits: int = 32) -> dict:
    """Counted work of one forward pass of a dense network with ``layer_sizes`` (inputs, hidden
    ..., outputs): multiply-adds, weights, and bytes of weights read at ``bits`` per weight (with
    a float32 scale per output unit below 32 bits, as :func:`quantized_bytes`)."""
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a sequence of integers, got {type(layer_sizes).__name__}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {list(layer_sizes)}")
    for i, n in enumerate(layer_sizes):
        check_positive_int(f"layer_sizes[{i}]", n)
    pairs = list(zip(layer_sizes, layer_sizes[1:]))
    macs = sum(a * b for a, b in pairs)
    return {"multiply_adds": macs, "weights": macs + sum(b for _, b in pairs),
            "weight_bytes": sum(quantized_bytes(b, a, bits) for a, b in pairs)}


def soft_targets(logits, temperature: float = 1.0) -> list[float]:
    """Teacher probabilities softened by ``temperature``: ``sigmoid(z / T)`` for each logit."""
    check_positive("temperature", temperature)
    return [_sigmoid(z / temperature) for z in check_finite_vector("logits", logits)]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class TinyMLP:
    """A one-hidden-layer network ``z = b2 + w2 . relu(W1 x + b1)`` for binary targets.

    ``fit(X, targets)`` takes dense rows and targets in ``[0, 1]``: 0/1 labels, or a teacher's
    probabilities (distillation). Inputs are standardized with the first fit's column means and
    standard deviations (kept in ``mean`` and ``std``). SGD on the cross-entropy, whose gradient with respect to the
    logit is ``p - t``; the learning rate decays as ``lr / sqrt(1 + epoch)``. After fitting,
    ``W1`` (hidden x inputs), ``b1``, ``w2`` and ``b2`` are plain lists: replace them with
    quantized or pruned copies and score again. ``mask`` (same shape as ``W1``, 0/1) keeps pruned
    weights at zero while training continues (fine-tuning after pruning).
    """

    def __init__(self, hidden: int = 8, learning_rate: float = 0.05, epochs: int = 4, seed: int = 0):
        self.hidden = check_positive_int("hidden", hidden)
        self.learning_rate = check_positive("learning_rate", learning_rate)
        self.epochs = check_positive_int("epochs", epochs)
        self.seed = check_int("seed", seed)
        self.W1 = None

    def fit(self, X, targets, mask=None, warm_start: bool = False) -> "TinyMLP":
        X = check_matrix("X", X)
        targets = check_finite_vector("targets", targets)
        if min(targets) < 0.0 or max(targets) > 1.0:
            raise ValueError(f"targets must be probabilities in [0, 1], got values from {min(targets)} to {max(targets)}")
        check_same_length("X", X, "targets", targets)
        d, rng = len(X[0]), random.Random(self.seed)
        if not warm_start or self.W1 is None:
            n = len(X)
            columns = list(zip(*X))
            self.mean = [math.fsum(col) / n for col in columns]
            self.std = [math.sqrt(math.fsum([(v - m) * (v - m) for v in col]) / n) or 1.0
                        for col, m in zip(columns, self.mean)]
            self.W1 = [[rng.gauss(0.0, math.sqrt(2.0 / d)) for _ in range(d)] for _ in range(self.hidden)]
            self.b1 = [0.0] * self.hidden
            self.w2 = [rng.gauss(0.0, 1.0 / math.sqrt(self.hidden)) for _ in range(self.hidden)]
            mean = min(max(math.fsum(targets) / len(targets), 1e-6), 1 - 1e-6)
            self.b2 = math.log(mean / (1 - mean))
        if d != len(self.W1[0]):
            raise ValueError(f"X must have {len(self.W1[0])} columns to continue training, got {d}")
        if mask is not None:
            mask = check_matrix("mask", mask, d)
            if len(mask) != self.hidden:
                raise ValueError(f"mask must have {self.hidden} rows like W1, got {len(mask)}")
        X = self._scaled(X)
        W1, b1, w2 = self.W1, self.b1, self.w2
        order = list(range(len(X)))
        for epoch in range(self.epochs):
            rng.shuffle(order)
            lr = self.learning_rate / math.sqrt(1 + epoch)
            for i in order:
                x = X[i]
                a = [sum(map(mul, w, x)) + c for w, c in zip(W1, b1)]
                z = self.b2 + sum([w * v for w, v in zip(w2, a) if v > 0.0])
                g = lr * (_sigmoid(z) - targets[i])             # lr * dL/dz
                for j, v in enumerate(a):
                    if v > 0.0:                                  # a unit that is off passes no gradient
                        gj = g * w2[j]
                        if mask is None:                         # (a list comprehension: fastest in Pyodide)
                            W1[j] = [w - gj * u for w, u in zip(W1[j], x)]
                        else:
                            W1[j] = [(w - gj * u) * m for w, u, m in zip(W1[j], x, mask[j])]
                        b1[j] -= gj
                        w2[j] -= g * v
                self.b2 -= g
        return self

    def decision_function(self, X) -> list[float]:
        """The logit of each row."""
        if self.W1 is None:
            raise ValueError("call fit() before predicting")
        X = self._scaled(check_matrix("X", X, len(self.W1[0])))
        W1, b1, w2, b2 = self.W1, self.b1, self.w2, self.b2
        out = []
        for x in X:
            h = [sum(map(mul, w, x)) + c for w, c in zip(W1, b1)]
            out.append(b2 + sum([wj * v for wj, v in zip(w2, h) if v > 0.0]))
        return out

    def _scaled(self, X) -> list[list[float]]:
        mean, inv = self.mean, [1.0 / s for s in self.std]
        return [[(v - m) * k for v, m, k in zip(x, mean, inv)] for x in X]

    def predict_proba(self, X) -> list[float]:
        """The probability of each row."""
        return [_sigmoid(z) for z in self.decision_function(X)]

    @property
    def n_params(self) -> int:
        """Weights and biases: ``hidden * (inputs + 2) + 1``."""
        if self.W1 is None:
            raise ValueError("call fit() before counting parameters")
        return self.hidden * (len(self.W1[0]) + 2) + 1
