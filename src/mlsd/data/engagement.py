"""Synthetic engagement logs for multi-task ranking and position bias.

:func:`make_two_tasks` — two engagement labels per impression (a click and a rarer long watch)
whose relatedness is one number, the cosine ``correlation`` between the two tasks' weight
vectors, following the synthetic set-up of Ma et al. (KDD 2018). With unit vectors ``u1 ⟂ u2``::

    w_click = u1                 w_watch = correlation * u1 + sqrt(1 - correlation^2) * u2
    f_k(x)  = w_k . x + sum_j sin(alpha_j * w_k . x + beta_j)       x ~ N(0, I)
    P(y_k = 1 | x) = sigmoid(a_k + scale * f_k(x))

``a_k`` is solved so the mean probability equals the task's base rate. At ``correlation=1`` the
two tasks read the same direction of ``x``; at 0 they need different directions; below 0 they
disagree (what makes a click makes a long watch less likely: clickbait).

:func:`make_logged_lists` — ranked lists logged by an old ranker, with clicks that depend on the
position as well as on the item::

    relevance  r_i = sigmoid(a + v . x_i[:-1])          (the last feature does not matter)
    old ranker sorts by  logit(r_i) + noise + logging_bias * x_i[-1]
    P(click at position p) = examine(p) * r_i           examine(p) = 1 / (1 + p) ** position_decay

The old ranker over-weights the last feature (say, freshness), so that feature sits near the top
of the lists and, in the logs, goes with clicks that position earned. A model that ignores the
position takes that for relevance.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from mlsd.validate import (check_in_range, check_int, check_non_negative, check_open_probability,
                           check_positive, check_positive_int)

__all__ = ["TwoTaskData", "make_two_tasks", "LoggedLists", "make_logged_lists", "solve_intercept"]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def solve_intercept(logits, rate: float) -> float:
    """The ``a`` with ``mean(sigmoid(a + z)) == rate`` over ``logits`` (bisection)."""
    rate = check_open_probability("rate", rate)
    logits = list(logits)
    if not logits:
        raise ValueError("logits is empty")
    lo, hi = -30.0, 30.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(_sigmoid(mid + z) for z in logits) / len(logits) < rate:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@dataclass(frozen=True)
class TwoTaskData:
    """Rows ``X``, labels ``{task: [0/1]}`` and the true probabilities ``{task: [p]}``."""
    X: list
    labels: dict
    probs: dict
    correlation: float


def make_two_tasks(*, n: int = 6000, correlation: float = 0.9, d: int = 8,
                   rates: tuple = (0.08, 0.02), scale: float = 1.5, n_sines: int = 2,
                   seed: int = 0) -> TwoTaskData:
    """Impressions with a click label and a long-watch label (see the module doc)."""
    n = check_positive_int("n", n)
    correlation = check_in_range("correlation", correlation, -1.0, 1.0)
    d = check_positive_int("d", d)
    if d < 2:
        raise ValueError(f"d must be at least 2 (two task directions), got {d}")
    if not isinstance(rates, (tuple, list)) or len(rates) != 2:
        raise TypeError(f"rates must be a pair (click rate, long-watch rate), got {rates!r}")
    rates = tuple(check_open_probability(f"rates[{i}]", r) for i, r in enumerate(rates))
    scale = check_positive("scale", scale)
    n_sines = check_int("n_sines", n_sines)
    if n_sines < 0:
        raise ValueError(f"n_sines must be >= 0, got {n_sines}")
    seed = check_int("seed", seed)
    rng = random.Random(seed)
    # Two orthonormal directions by Gram-Schmidt on random vectors.
    a = [rng.gauss(0, 1) for _ in range(d)]
    na = math.sqrt(sum(v * v for v in a))
    u1 = [v / na for v in a]
    b = [rng.gauss(0, 1) for _ in range(d)]
    proj = sum(p * q for p, q in zip(b, u1))
    b = [p - proj * q for p, q in zip(b, u1)]
    nb = math.sqrt(sum(v * v for v in b))
    u2 = [v / nb for v in b]
    rest = math.sqrt(max(0.0, 1 - correlation * correlation))
    w = [u1, [correlation * p + rest * q for p, q in zip(u1, u2)]]
    sines = [(rng.gauss(0, 1), rng.gauss(0, 1)) for _ in range(n_sines)]
    X = [[rng.gauss(0, 1) for _ in range(d)] for _ in range(n)]
    names = ("click", "long_watch")
    labels, probs = {}, {}
    for k, name in enumerate(names):
        f = []
        for x in X:
            t = sum(p * q for p, q in zip(w[k], x))
            f.append(scale * (t + sum(math.sin(al * t + be) for al, be in sines)))
        icpt = solve_intercept(f, rates[k])
        probs[name] = [_sigmoid(icpt + z) for z in f]
        labels[name] = [1 if rng.random() < p else 0 for p in probs[name]]
    return TwoTaskData(X=X, labels=labels, probs=probs, correlation=correlation)


@dataclass(frozen=True)
class LoggedLists:
    """Logged impressions: ``X``, ``clicks``, 0-based ``positions``, list id and true relevance."""
    X: list
    clicks: list
    positions: list
    list_ids: list
    relevance: list
    list_size: int


def make_logged_lists(*, n_lists: int = 400, list_size: int = 10, d: int = 4,
                      position_decay: float = 1.0, logging_bias: float = 1.5,
                      base_relevance: float = 0.15, seed: int = 0) -> LoggedLists:
    """Lists ranked by an old ranker, with position-dependent clicks (see the module doc)."""
    n_lists = check_positive_int("n_lists", n_lists)
    list_size = check_positive_int("list_size", list_size)
    d = check_positive_int("d", d)
    if d < 2:
        raise ValueError(f"d must be at least 2 (relevance features plus the biased one), got {d}")
    position_decay = check_non_negative("position_decay", position_decay)
    logging_bias = check_non_negative("logging_bias", logging_bias)
    base_relevance = check_open_probability("base_relevance", base_relevance)
    seed = check_int("seed", seed)
    rng = random.Random(seed)
    v = [rng.gauss(0, 1) for _ in range(d - 1)]
    nv = math.sqrt(sum(t * t for t in v))
    v = [1.2 * t / nv for t in v]
    a = math.log(base_relevance / (1 - base_relevance))
    X, clicks, positions, ids, rel = [], [], [], [], []
    for lid in range(n_lists):
        items = []
        for _ in range(list_size):
            x = [rng.gauss(0, 1) for _ in range(d)]
            z = a + sum(p * q for p, q in zip(v, x))
            items.append((z + rng.gauss(0, 0.5) + logging_bias * x[-1], x, _sigmoid(z)))
        items.sort(key=lambda item: -item[0])
        for p, (_, x, r) in enumerate(items):
            examine = 1.0 / (1 + p) ** position_decay
            X.append(x)
            clicks.append(1 if rng.random() < examine * r else 0)
            positions.append(p)
            ids.append(lid)
            rel.append(r)
    return LoggedLists(X=X, clicks=clicks, positions=positions, list_ids=ids, relevance=rel,
                       list_size=list_size)
