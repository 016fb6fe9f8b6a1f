"""A/B tests of two arms: two proportions (z-test) and two means (Welch's t-test).

An A/B test splits users at random into a control arm A and a treatment arm B
and asks whether a metric differs by more than chance would explain.

- **Two proportions** (conversion rate). With rates ``p_a, p_b`` on ``n_a, n_b``
  users, ``z = (p_b - p_a) / sqrt(p (1-p) (1/n_a + 1/n_b))`` where ``p`` is the
  pooled rate (the null hypothesis says both arms share it). The confidence
  interval for the difference uses the unpooled standard error
  ``sqrt(p_a(1-p_a)/n_a + p_b(1-p_b)/n_b)``. The relative lift ``p_b/p_a - 1``
  gets its interval on the log scale, where the ratio is closer to normal.
- **Two means** (Welch). ``t = (m_b - m_a) / sqrt(s_a^2/n_a + s_b^2/n_b)`` with
  the Welch–Satterthwaite degrees of freedom; for large samples t is normal.

Reference: Kohavi, Tang & Xu, *Trustworthy Online Controlled Experiments* (2020).
"""

from __future__ import annotations

import math
from typing import Sequence

from mlsd import stats
from mlsd.validate import (check_finite_vector, check_non_negative_int, check_number,
                           check_open_probability, check_positive_int)

__all__ = ["proportion_test", "mean_test", "mean_test_from_summary"]


def proportion_test(conversions_a: int, n_a: int, conversions_b: int, n_b: int,
                    alpha: float = 0.05) -> dict:
    """Two-proportion z-test of B against A, with intervals for the difference and the lift.

    Returns a dict: ``rate_a, rate_b, diff`` (``rate_b - rate_a``), ``ci_low,
    ci_high`` (for ``diff``), ``lift`` (``rate_b / rate_a - 1``), ``lift_ci_low,
    lift_ci_high``, ``z``, ``p_value`` (two-sided) and ``significant``
    (``p_value < alpha``). Lift values are ``None`` when a rate is 0.
    """
    n_a, n_b = check_positive_int("n_a", n_a), check_positive_int("n_b", n_b)
    x_a = check_non_negative_int("conversions_a", conversions_a)
    x_b = check_non_negative_int("conversions_b", conversions_b)
    if x_a > n_a:
        raise ValueError(f"conversions_a must be <= n_a ({n_a}), got {x_a}")
    if x_b > n_b:
        raise ValueError(f"conversions_b must be <= n_b ({n_b}), got {x_b}")
    alpha = check_open_probability("alpha", alpha)
    p_a, p_b = x_a / n_a, x_b / n_b
    diff = p_b - p_a
    z_crit = stats.norm_ppf(1.0 - alpha / 2.0)
    # Test statistic: under H0 both arms share one rate, so pool them for the variance.
    pooled = (x_a + x_b) / (n_a + n_b)
    se_pooled = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b))
    if se_pooled > 0.0:
        z = diff / se_pooled
        p_value = 2.0 * stats.norm_sf(abs(z))
    else:                      # all or nothing converted in both arms: no evidence either way
        z, p_value = 0.0, 1.0
    # Interval: no null hypothesis here, each arm keeps its own variance.
    se = math.sqrt(p_a * (1.0 - p_a) / n_a + p_b * (1.0 - p_b) / n_b)
    result = {"rate_a": p_a, "rate_b": p_b, "diff": diff,
              "ci_low": diff - z_crit * se, "ci_high": diff + z_crit * se,
              "lift": None, "lift_ci_low": None, "lift_ci_high": None,
              "z": z, "p_value": p_value, "significant": p_value < alpha}
    if x_a > 0 and x_b > 0:
        log_ratio = math.log(p_b / p_a)
        se_log = math.sqrt((1.0 - p_a) / x_a + (1.0 - p_b) / x_b)   # delta method on log(p)
        result.update(lift=p_b / p_a - 1.0,
                      lift_ci_low=math.exp(log_ratio - z_crit * se_log) - 1.0,
                      lift_ci_high=math.exp(log_ratio + z_crit * se_log) - 1.0)
    return result


# --- two means (Welch) ----------------------------------------------------------------------

def mean_test_from_summary(mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float,
                           n_b: int, alpha: float = 0.05) -> dict:
    """Welch's test of ``mean_b - mean_a`` from summary statistics (sample sd, ddof=1).

    Returns ``mean_a, mean_b, diff, se, df, t, p_value`` (Student t with the
    Welch–Satterthwaite ``df``), ``p_value_normal`` (the large-sample z version),
    ``ci_low, ci_high`` (t interval), ``lift`` (``None`` if ``mean_a`` is 0) and ``significant``.
    """
    mean_a, mean_b = check_number("mean_a", mean_a), check_number("mean_b", mean_b)
    sd_a, sd_b = check_number("sd_a", sd_a), check_number("sd_b", sd_b)
    if sd_a < 0 or sd_b < 0:
        raise ValueError(f"sd_a and sd_b must be >= 0, got {sd_a} and {sd_b}")
    n_a, n_b = check_positive_int("n_a", n_a), check_positive_int("n_b", n_b)
    if n_a < 2 or n_b < 2:
        raise ValueError(f"n_a and n_b must be >= 2 to estimate a variance, got {n_a} and {n_b}")
    alpha = check_open_probability("alpha", alpha)
    v_a, v_b = sd_a ** 2 / n_a, sd_b ** 2 / n_b          # squared standard errors of each mean
    se = math.sqrt(v_a + v_b)
    if se == 0.0:
        raise ValueError("sd_a and sd_b are both 0: the test needs some variation in the data")
    diff = mean_b - mean_a
    t = diff / se
    # Welch–Satterthwaite: the df of the chi-square that best matches v_a + v_b.
    df = (v_a + v_b) ** 2 / (v_a ** 2 / (n_a - 1) + v_b ** 2 / (n_b - 1))
    t_crit = stats.t_ppf(1.0 - alpha / 2.0, df)
    p_value = 2.0 * stats.t_sf(abs(t), df)
    return {"mean_a": mean_a, "mean_b": mean_b, "diff": diff, "se": se, "df": df, "t": t,
            "p_value": p_value, "p_value_normal": 2.0 * stats.norm_sf(abs(t)),
            "ci_low": diff - t_crit * se, "ci_high": diff + t_crit * se,
            "lift": diff / mean_a if mean_a != 0 else None, "significant": p_value < alpha}


def mean_test(a: Sequence[float], b: Sequence[float], alpha: float = 0.05) -> dict:
    """Welch's two-sample test of ``mean(b) - mean(a)`` (see ``mean_test_from_summary``)."""
    a, b = check_finite_vector("a", a), check_finite_vector("b", b)
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"a and b need at least 2 values each, got {len(a)} and {len(b)}")
    return mean_test_from_summary(stats.mean(a), math.sqrt(stats.variance(a)), len(a),
                                  stats.mean(b), math.sqrt(stats.variance(b)), len(b), alpha)
