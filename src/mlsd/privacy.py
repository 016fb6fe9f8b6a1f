"""Privacy tools for training data: pseudonyms, k-anonymity, differential privacy, DP-SGD, FedAvg.

**Pseudonyms.** A keyed hash replaces an identifier by a token that is stable (the same user
always gets the same token, so joins still work) and that nobody without the key can recompute::

    token = HMAC-SHA256(key, id)[:n]

A plain hash of a small identifier space (phone numbers, member ids) is no protection: an
attacker hashes every possible id once and looks tokens up. Either way the *rows* stay linkable
through their other columns, so a pseudonym is not anonymization.

**k-anonymity** (Sweeney, 2002). Rows that share every quasi-identifier (ZIP, birth year, sex…)
form an equivalence class; a table is k-anonymous when every class has at least k rows.
*l-diversity* asks in addition for at least l distinct sensitive values per class: a class whose
rows all share one diagnosis discloses it (the homogeneity attack) however large k is.

**Differential privacy** (Dwork, McSherry, Nissim & Smith, 2006). A randomized algorithm M is
epsilon-DP when, for any two datasets D, D' that differ in one person and any outcome set S,
``P[M(D) in S] <= e^epsilon P[M(D') in S]``. The Laplace mechanism releases::

    f(D) + Laplace(0, b),    b = sensitivity / epsilon

where the sensitivity is the most one person can change f (1 for a count). The expected
absolute error is b: halving epsilon doubles it.

**DP-SGD** (Abadi et al., 2016). Clip each example's gradient to norm at most C, sum the batch,
add Gaussian noise N(0, (sigma C)^2) to each coordinate, divide by the batch size and step.
Clipping bounds one person's influence; the noise hides it. How (sigma, sampling rate, steps)
turn into (epsilon, delta) is the job of a privacy accountant (the moments accountant in the
paper), not derived here. The accountant assumes random sampling of batches; the shuffled
batches below are what most code does in practice.

**Federated averaging** (McMahan et al., 2017). Each client trains on its own data from the
current global weights; the server averages the returned weights, weighted by client size.
Raw rows never leave the client, but the updates still carry information about them.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
from collections import defaultdict
from typing import Hashable, Mapping, Sequence

__all__ = ["keyed_pseudonym", "equivalence_classes", "k_anonymity", "l_diversity",
           "laplace_noise", "laplace_mechanism", "clip_by_norm", "train_logistic",
           "predict_logistic", "log_losses", "federated_averaging"]


def keyed_pseudonym(value, key: bytes, length: int = 16) -> str:
    """HMAC-SHA256 of ``str(value)`` under ``key``, as the first ``length`` hex digits."""
    if not isinstance(key, (bytes, bytearray)) or not key:
        raise TypeError(f"key must be non-empty bytes, got {type(key).__name__}")
    if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= 64:
        raise ValueError(f"length must be an integer in [1, 64], got {length!r}")
    return hmac.new(bytes(key), str(value).encode(), hashlib.sha256).hexdigest()[:length]


def _check_rows(rows, columns, name: str = "quasi_identifiers") -> None:
    if not isinstance(rows, Sequence) or not rows:
        raise ValueError("rows must be a non-empty sequence of mappings")
    if isinstance(columns, str) or not isinstance(columns, Sequence) or not columns:
        raise ValueError(f"{name} must be a non-empty list of column names, got {columns!r}")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"rows[{i}] must be a mapping (dict), got {type(row).__name__}")
        for c in columns:
            if c not in row:
                raise ValueError(f"rows[{i}] has no column {c!r} (named in {name})")


def equivalence_classes(rows: Sequence[Mapping], quasi_identifiers: Sequence[str]) -> dict[tuple, list[int]]:
    """Group row indices by their tuple of quasi-identifier values."""
    _check_rows(rows, quasi_identifiers)
    classes: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        classes[tuple(row[c] for c in quasi_identifiers)].append(i)
    return dict(classes)


def k_anonymity(rows: Sequence[Mapping], quasi_identifiers: Sequence[str]) -> int:
    """The k of the table: the size of its smallest equivalence class."""
    return min(len(ix) for ix in equivalence_classes(rows, quasi_identifiers).values())


def l_diversity(rows: Sequence[Mapping], quasi_identifiers: Sequence[str], sensitive: str) -> int:
    """The l of the table: the fewest distinct ``sensitive`` values in any equivalence class."""
    _check_rows(rows, [sensitive], "sensitive")
    return min(len({rows[i][sensitive] for i in ix})
               for ix in equivalence_classes(rows, quasi_identifiers).values())


def laplace_noise(scale: float, rng: random.Random) -> float:
    """One draw of Laplace(0, scale): an exponential with a random sign."""
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not scale > 0 or math.isinf(scale):
        raise ValueError(f"scale must be a finite number > 0, got {scale!r}")
    return rng.expovariate(1.0 / scale) * (1 if rng.random() < 0.5 else -1)


def laplace_mechanism(value: float, sensitivity: float, epsilon: float, rng: random.Random) -> float:
    """``value`` plus Laplace noise of scale ``sensitivity / epsilon`` (epsilon-DP)."""
    for name, v in (("sensitivity", sensitivity), ("epsilon", epsilon)):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not v > 0 or math.isinf(v):
            raise ValueError(f"{name} must be a finite number > 0, got {v!r}")
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"value must be a finite number, got {value!r}")
    return value + laplace_noise(sensitivity / epsilon, rng)


def clip_by_norm(vector: Sequence[float], max_norm: float) -> list[float]:
    """Scale ``vector`` down so its L2 norm is at most ``max_norm`` (unchanged if already inside)."""
    if not isinstance(max_norm, (int, float)) or isinstance(max_norm, bool) or not max_norm > 0:
        raise ValueError(f"max_norm must be a number > 0, got {max_norm!r}")
    norm = math.sqrt(math.fsum(v * v for v in vector))
    scale = 1.0 if norm <= max_norm else max_norm / norm
    return [v * scale for v in vector]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _check_xy(X, y) -> int:
    if not isinstance(X, Sequence) or not X:
        raise ValueError("X must be a non-empty list of rows")
    d = len(X[0])
    if d == 0 or any(len(row) != d for row in X):
        raise ValueError(f"X must have rows of equal, non-zero length (first row has {d})")
    if not isinstance(y, Sequence) or len(y) != len(X):
        raise ValueError(f"y must have one label per row of X ({len(X)}), got {len(y) if isinstance(y, Sequence) else y!r}")
    if any(v not in (0, 1) for v in y):
        raise ValueError("y must hold only 0 and 1")
    return d


def predict_logistic(weights: Sequence[float], X: Sequence[Sequence[float]]) -> list[float]:
    """P(y = 1) for each row; ``weights`` holds one weight per column, then the bias."""
    if any(len(row) + 1 != len(weights) for row in X):
        raise ValueError(f"weights must have one entry per column plus a bias ({len(weights)} given)")
    return [_sigmoid(math.fsum(w * x for w, x in zip(weights, row)) + weights[-1]) for row in X]


def log_losses(weights: Sequence[float], X, y) -> list[float]:
    """Each row's log loss under the model (what a membership-inference attacker thresholds)."""
    _check_xy(X, y)
    eps = 1e-12
    return [-math.log(max(p, eps)) if t else -math.log(max(1 - p, eps))
            for p, t in zip(predict_logistic(weights, X), y)]


def train_logistic(X: Sequence[Sequence[float]], y: Sequence[int], *, epochs: int = 20,
                   learning_rate: float = 0.1, batch_size: int = 16, l2: float = 0.0,
                   clip_norm: float | None = None, noise_multiplier: float = 0.0, seed: int = 0,
                   weights: Sequence[float] | None = None) -> list[float]:
    """Mini-batch SGD for logistic regression; with ``clip_norm`` and ``noise_multiplier`` it is DP-SGD.

    Each example's gradient ``(p - y) [x, 1]`` is clipped to norm ``clip_norm`` (if given); the
    batch sum gets Gaussian noise of standard deviation ``noise_multiplier * clip_norm`` per
    coordinate; the step is ``lr * (noisy_sum / batch + l2 * w)`` (no L2 on the bias).
    ``weights`` starts from given weights (columns, then bias) instead of zeros.
    Returns the weights, bias last.
    """
    d = _check_xy(X, y)
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
    if not l2 >= 0:
        raise ValueError(f"l2 must be >= 0, got {l2!r}")
    if clip_norm is not None and not clip_norm > 0:
        raise ValueError(f"clip_norm must be > 0 or None, got {clip_norm!r}")
    if not noise_multiplier >= 0:
        raise ValueError(f"noise_multiplier must be >= 0, got {noise_multiplier!r}")
    if noise_multiplier > 0 and clip_norm is None:
        raise ValueError("noise_multiplier > 0 needs clip_norm: noise is calibrated to the clipped norm")
    w = [0.0] * (d + 1) if weights is None else [float(v) for v in weights]
    if len(w) != d + 1:
        raise ValueError(f"weights must have {d + 1} entries (columns, then bias), got {len(w)}")
    rng = random.Random(seed)
    order = list(range(len(X)))
    # Only a row's non-zero entries touch the dot product, its norm and the gradient, so keep
    # those (fsum is exact, so skipping zeros changes no result); one-hot id columns stay cheap.
    nonzero = [[(j, v) for j, v in enumerate(row) if v != 0.0] for row in X]
    row_norm = [math.sqrt(math.fsum(v * v for _, v in nz) + 1.0) for nz in nonzero]
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            total = [0.0] * (d + 1)
            for i in batch:
                nz = nonzero[i]
                err = _sigmoid(math.fsum(w[j] * v for j, v in nz) + w[-1]) - y[i]
                scale = 1.0
                if clip_norm is not None:
                    norm = abs(err) * row_norm[i]
                    scale = 1.0 if norm <= clip_norm else clip_norm / norm
                g = err * scale
                for j, v in nz:
                    total[j] += g * v
                total[d] += g
            if noise_multiplier > 0:
                sd = noise_multiplier * clip_norm
                total = [t + rng.gauss(0.0, sd) for t in total]
            n = len(batch)
            for j in range(d):
                w[j] -= learning_rate * (total[j] / n + l2 * w[j])
            w[d] -= learning_rate * total[d] / n
    return w


def federated_averaging(clients: Sequence[tuple], *, rounds: int = 10, local_epochs: int = 1,
                        learning_rate: float = 0.1, batch_size: int = 16, seed: int = 0) -> list[float]:
    """FedAvg: each round every client trains from the global weights; the server averages.

    ``clients`` is a list of ``(X, y)``; the average is weighted by each client's row count.
    Only weights travel; raw rows stay with their client.
    """
    if not isinstance(clients, Sequence) or not clients:
        raise ValueError("clients must be a non-empty list of (X, y) pairs")
    if not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 1:
        raise ValueError(f"rounds must be an integer >= 1, got {rounds!r}")
    dims = {_check_xy(X, y) for X, y in clients}
    if len(dims) != 1:
        raise ValueError(f"clients must all have the same number of columns, got {sorted(dims)}")
    d = dims.pop()
    total = sum(len(y) for _, y in clients)
    w = [0.0] * (d + 1)
    for r in range(rounds):
        new = [0.0] * (d + 1)
        for c, (X, y) in enumerate(clients):
            local = train_logistic(X, y, epochs=local_epochs, learning_rate=learning_rate,
                                   batch_size=batch_size, seed=seed * 1_000_003 + r * 1009 + c, weights=w)
            share = len(y) / total
            new = [a + share * b for a, b in zip(new, local)]
        w = new
    return w
