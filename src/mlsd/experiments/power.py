"""Power and sample size: how many users an A/B test needs, and what it can detect.

Users needed *per arm* for a two-sided level-``alpha`` test with power
``1 - beta`` to detect a conversion rate moving from ``p_a`` to ``p_b``::

    n = (z_{1-alpha/2} sqrt(2 pbar(1-pbar)) + z_{1-beta} sqrt(p_a(1-p_a) + p_b(1-p_b)))^2 / (p_b - p_a)^2

Halving the detectable effect multiplies ``n`` by about four.
"""

from __future__ import annotations

import math

from mlsd import stats
from mlsd.validate import check_number, check_open_probability, check_positive, check_positive_int

__all__ = ["sample_size_proportions", "power_proportions", "mde_proportions", "sample_size_means"]


def _target_rate(baseline: float, mde: float, relative: bool) -> float:
    baseline = check_open_probability("baseline", baseline)
    mde = check_number("mde", mde)
    if mde == 0:
        raise ValueError("mde must be non-zero: there is no sample size that detects a zero effect")
    target = baseline * (1.0 + mde) if relative else baseline + mde
    if not 0.0 < target < 1.0:
        raise ValueError(f"mde moves the rate from {baseline} to {target}, outside (0, 1)")
    return target


def power_proportions(baseline: float, mde: float, n_per_arm: int, alpha: float = 0.05,
                      relative: bool = True) -> float:
    """Power of the two-sided two-proportion z-test with ``n_per_arm`` users in each arm.

    ``mde`` is relative (``0.05`` = +5% of ``baseline``) unless ``relative=False``.
    Power = P(reject | the true effect is ``mde``), ignoring the negligible chance of
    rejecting in the wrong direction.
    """
    p1 = check_open_probability("baseline", baseline)
    p2 = _target_rate(baseline, mde, relative)
    n = check_positive_int("n_per_arm", n_per_arm)
    alpha = check_open_probability("alpha", alpha)
    pbar = (p1 + p2) / 2.0
    z_alpha = stats.norm_ppf(1.0 - alpha / 2.0)
    sd_null = math.sqrt(2.0 * pbar * (1.0 - pbar))      # sd of the difference under H0, times sqrt(n)
    sd_alt = math.sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2))
    return stats.norm_cdf((abs(p2 - p1) * math.sqrt(n) - z_alpha * sd_null) / sd_alt)


def sample_size_proportions(baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8,
                            relative: bool = True) -> int:
    """Users needed *per arm* to detect ``baseline -> baseline (1 + mde)`` (see module docstring)."""
    p1 = check_open_probability("baseline", baseline)
    p2 = _target_rate(baseline, mde, relative)
    alpha = check_open_probability("alpha", alpha)
    power = check_open_probability("power", power)
    pbar = (p1 + p2) / 2.0
    z_alpha, z_beta = stats.norm_ppf(1.0 - alpha / 2.0), stats.norm_ppf(power)
    numerator = (z_alpha * math.sqrt(2.0 * pbar * (1.0 - pbar))
                 + z_beta * math.sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2)))
    return max(1, math.ceil(numerator ** 2 / (p2 - p1) ** 2 - 1e-9))


def mde_proportions(baseline: float, n_per_arm: int, alpha: float = 0.05, power: float = 0.8,
                    relative: bool = True) -> float:
    """Smallest lift detectable with ``n_per_arm`` users per arm (positive direction).

    Inverts ``power_proportions`` by bisection; relative unless ``relative=False``.
    """
    p1 = check_open_probability("baseline", baseline)
    n = check_positive_int("n_per_arm", n_per_arm)
    alpha = check_open_probability("alpha", alpha)
    power = check_open_probability("power", power)
    lo, hi = 0.0, 1.0 - p1                     # absolute effect: the target rate stays below 1
    if power_proportions(p1, hi * (1 - 1e-12), n, alpha, relative=False) < power:
        raise ValueError(f"n_per_arm={n} is too small to reach power {power} for any lift")
    for _ in range(100):
        mid = (lo + hi) / 2.0
        if mid > 0 and power_proportions(p1, mid, n, alpha, relative=False) >= power:
            hi = mid
        else:
            lo = mid
    return hi / p1 if relative else hi


def sample_size_means(sd: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per arm to detect an absolute difference ``mde`` in means with standard deviation ``sd``.

    ``n = 2 (z_{1-alpha/2} + z_{1-beta})^2 sd^2 / mde^2``.
    """
    sd, mde = check_positive("sd", sd), check_number("mde", mde)
    if mde == 0:
        raise ValueError("mde must be non-zero: there is no sample size that detects a zero effect")
    alpha = check_open_probability("alpha", alpha)
    power = check_open_probability("power", power)
    z = stats.norm_ppf(1.0 - alpha / 2.0) + stats.norm_ppf(power)
    return max(2, math.ceil(2.0 * (z * sd / mde) ** 2 - 1e-9))
