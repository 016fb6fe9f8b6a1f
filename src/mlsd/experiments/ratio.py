"""Ratio metrics such as revenue per session, with the delta method.

When users (not sessions) are randomized, the sessions of one user are
correlated, so the naive standard error of a per-session metric is wrong. The
delta method linearizes ``R = mean(x) / mean(y)``::

    Var(R) ~ (Var(x) - 2 R Cov(x, y) + R^2 Var(y)) / (n mean(y)^2)

A bootstrap that resamples *users* (:mod:`mlsd.experiments.bootstrap` with
:func:`ratio_of_sums`) gives the same answer without the algebra.

Reference: Deng, Knoblich & Lu, "Applying the Delta Method in Metric Analytics",
KDD 2018 (https://arxiv.org/abs/1803.06336).
"""

from __future__ import annotations

import math
import random
from typing import Sequence

from mlsd import stats
from mlsd.validate import (check_finite_vector, check_int, check_number, check_open_probability,
                           check_positive, check_positive_int, check_probability, check_same_length)

__all__ = ["ratio_metric", "ratio_test", "ratio_of_sums", "simulate_revenue"]


def ratio_metric(numerators: Sequence[float], denominators: Sequence[float]) -> dict:
    """``sum(x) / sum(y)`` over randomization units, with its delta-method standard error.

    ``numerators[i]`` and ``denominators[i]`` belong to unit ``i`` (e.g. revenue
    and sessions of one user). Returns ``ratio``, ``se`` and ``n`` (units).
    """
    x = check_finite_vector("numerators", numerators)
    y = check_finite_vector("denominators", denominators)
    n = check_same_length("numerators", x, "denominators", y)
    if n < 2:
        raise ValueError(f"numerators needs at least 2 units, got {n}")
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    if my <= 0:
        raise ValueError(f"denominators must have a positive mean, got {my}")
    r = mx / my
    var_x = math.fsum((a - mx) ** 2 for a in x) / (n - 1)
    var_y = math.fsum((b - my) ** 2 for b in y) / (n - 1)
    cov = math.fsum((a - mx) * (b - my) for a, b in zip(x, y)) / (n - 1)
    # Delta method: R ~ r + (mean(x) - mx)/my - r (mean(y) - my)/my, a mean of n iid terms.
    var_r = (var_x - 2.0 * r * cov + r * r * var_y) / (n * my * my)
    return {"ratio": r, "se": math.sqrt(max(var_r, 0.0)), "n": n}


def ratio_test(num_a: Sequence[float], den_a: Sequence[float], num_b: Sequence[float],
               den_b: Sequence[float], alpha: float = 0.05) -> dict:
    """z-test of the difference of two ratio metrics, each with a delta-method standard error.

    Returns ``ratio_a, ratio_b, diff, se, ci_low, ci_high, lift, z, p_value, significant``.
    """
    alpha = check_open_probability("alpha", alpha)
    a = ratio_metric(num_a, den_a)
    b = ratio_metric(num_b, den_b)
    diff = b["ratio"] - a["ratio"]
    se = math.sqrt(a["se"] ** 2 + b["se"] ** 2)      # independent arms: variances add
    if se == 0.0:
        raise ValueError("both arms have zero variance: the test needs some variation in the data")
    z = diff / se
    z_crit = stats.norm_ppf(1.0 - alpha / 2.0)
    p_value = 2.0 * stats.norm_sf(abs(z))
    return {"ratio_a": a["ratio"], "ratio_b": b["ratio"], "diff": diff, "se": se,
            "ci_low": diff - z_crit * se, "ci_high": diff + z_crit * se,
            "lift": diff / a["ratio"] if a["ratio"] != 0 else None,
            "z": z, "p_value": p_value, "significant": p_value < alpha}


def ratio_of_sums(units: Sequence[tuple[float, float]]) -> float:
    """Statistic for the bootstrap: ``sum(x) / sum(y)`` over ``(x, y)`` unit pairs."""
    total_x = total_y = 0.0
    try:
        for x, y in units:
            total_x += x
            total_y += y
    except (TypeError, ValueError):
        raise TypeError("units must be a sequence of (numerator, denominator) number pairs") from None
    if total_y == 0:
        raise ValueError("units: the denominators sum to 0")
    return total_x / total_y


def simulate_revenue(n_users: int = 2000, lift: float = 0.0, seed: int = 0,
                     mean_sessions: float = 3.0, conversion: float = 0.05,
                     mean_order: float = 40.0) -> dict:
    """Per-user sessions and revenue for one arm, to try ratio metrics on.

    Sessions per user are 1 + geometric (mean ``mean_sessions``); each session
    buys with probability ``conversion * (1 + lift)``; order values are
    log-normal (heavy-tailed, mean ``mean_order``). Returns
    ``{"sessions": [...], "revenue": [...]}`` with one entry per user.
    """
    n_users = check_positive_int("n_users", n_users)
    lift = check_number("lift", lift)
    mean_sessions = check_number("mean_sessions", mean_sessions)
    if mean_sessions < 1:
        raise ValueError(f"mean_sessions must be >= 1, got {mean_sessions}")
    conversion = check_probability("conversion", conversion)
    buy = conversion * (1.0 + lift)
    if not 0.0 <= buy <= 1.0:
        raise ValueError(f"lift makes the conversion rate {buy}, outside [0, 1]")
    mean_order = check_positive("mean_order", mean_order)
    rng = random.Random(check_int("seed", seed))
    more = 1.0 - 1.0 / mean_sessions          # P(another session) for a geometric count
    sigma = 1.0                               # log-normal shape: a few large orders
    mu = math.log(mean_order) - sigma ** 2 / 2.0
    sessions, revenue = [], []
    for _ in range(n_users):
        s = 1
        while rng.random() < more:
            s += 1
        r = math.fsum([rng.lognormvariate(mu, sigma) for _ in range(s) if rng.random() < buy])
        sessions.append(s)
        revenue.append(r)
    return {"sessions": sessions, "revenue": revenue}
