"""Percentile bootstrap intervals: resample the units, recompute the statistic.

Works for any statistic, including a ratio of sums over users
(:func:`mlsd.experiments.ratio.ratio_of_sums`), where it agrees with the delta
method.
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable, Sequence

from mlsd import stats
from mlsd.validate import (check_callable, check_finite_vector, check_int, check_non_empty,
                           check_open_probability, check_positive_int)

__all__ = ["bootstrap_ci", "bootstrap_diff_ci"]


def _mean_statistic(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _check_bootstrap_args(n_boot: int, alpha: float, seed: int, statistic) -> Callable:
    check_positive_int("n_boot", n_boot)
    if n_boot < 10:
        raise ValueError(f"n_boot must be at least 10 for a percentile interval, got {n_boot}")
    check_open_probability("alpha", alpha)
    check_int("seed", seed)
    return _mean_statistic if statistic is None else check_callable("statistic", statistic)


def bootstrap_ci(values: Sequence[Any], statistic: Callable | None = None, n_boot: int = 500,
                 alpha: float = 0.05, seed: int = 0) -> dict:
    """Percentile bootstrap interval for ``statistic(values)`` (default: the mean).

    Resample the units with replacement ``n_boot`` times, recompute the
    statistic each time, and take the ``alpha/2`` and ``1 - alpha/2`` quantiles.
    Units can be numbers or tuples (with ``statistic=ratio_of_sums``).
    Returns ``estimate, ci_low, ci_high, se`` (sd of the bootstrap replicates).
    Cost grows like ``n_boot * len(values)``: 500 x 2,000 means take about 0.3 s.
    """
    units = check_non_empty("values", values)
    stat = _check_bootstrap_args(n_boot, alpha, seed, statistic)
    if statistic is None:
        units = check_finite_vector("values", units)
    rng = random.Random(seed)
    n = len(units)
    reps = [stat(rng.choices(units, k=n)) for _ in range(n_boot)]
    return {"estimate": stat(units), "ci_low": stats.quantile(reps, alpha / 2.0),
            "ci_high": stats.quantile(reps, 1.0 - alpha / 2.0), "se": math.sqrt(stats.variance(reps))}


def bootstrap_diff_ci(a: Sequence[Any], b: Sequence[Any], statistic: Callable | None = None,
                      n_boot: int = 500, alpha: float = 0.05, seed: int = 0) -> dict:
    """Percentile bootstrap interval for ``statistic(b) - statistic(a)``, resampling each arm.

    Returns ``estimate, ci_low, ci_high, se``.
    """
    units_a, units_b = check_non_empty("a", a), check_non_empty("b", b)
    stat = _check_bootstrap_args(n_boot, alpha, seed, statistic)
    if statistic is None:
        units_a, units_b = check_finite_vector("a", units_a), check_finite_vector("b", units_b)
    rng = random.Random(seed)
    reps = [stat(rng.choices(units_b, k=len(units_b))) - stat(rng.choices(units_a, k=len(units_a)))
            for _ in range(n_boot)]
    return {"estimate": stat(units_b) - stat(units_a), "ci_low": stats.quantile(reps, alpha / 2.0),
            "ci_high": stats.quantile(reps, 1.0 - alpha / 2.0), "se": math.sqrt(stats.variance(reps))}
