"""Peeking: checking a fixed-horizon test every day inflates false positives.

Stopping at the first day with ``p < alpha`` rejects far more often than
``alpha`` when there is no true difference; a Bonferroni-corrected daily check
stays below it.

Reference: Johari et al., "Peeking at A/B Tests", KDD 2017
(https://doi.org/10.1145/3097983.3097992).
"""

from __future__ import annotations

import math
import random

from mlsd import stats
from mlsd.validate import check_int, check_open_probability, check_positive_int

__all__ = ["simulate_peeking"]


def simulate_peeking(n_experiments: int = 1000, days: int = 14, users_per_day: int = 500,
                     base_rate: float = 0.1, alpha: float = 0.05, seed: int = 0) -> dict:
    """A/A tests (no true difference) analysed once at the end vs. checked every day.

    Each day both arms get ``users_per_day`` new users converting at
    ``base_rate``; a two-proportion z-test runs on the cumulative counts.
    Returns ``fpr_fixed`` (reject on the last day only), ``fpr_peeking`` (stop
    at the first day with ``p < alpha``), ``fpr_bonferroni`` (peek daily but
    with ``alpha / days``), and ``days`` / ``fpr_peeking_by_day``: the share of
    experiments declared significant by each day.
    """
    n_experiments = check_positive_int("n_experiments", n_experiments)
    days = check_positive_int("days", days)
    users_per_day = check_positive_int("users_per_day", users_per_day)
    base_rate = check_open_probability("base_rate", base_rate)
    alpha = check_open_probability("alpha", alpha)
    rng = random.Random(check_int("seed", seed))
    z_crit = stats.norm_ppf(1.0 - alpha / 2.0)
    z_bonf = stats.norm_ppf(1.0 - alpha / (2.0 * days))
    first_hit = [0] * (days + 1)              # first_hit[d] = experiments first significant on day d
    fixed = bonferroni = 0
    for _ in range(n_experiments):
        x_a = x_b = n = 0
        stopped = bonf_hit = False
        for day in range(1, days + 1):
            x_a += stats.binomial(rng, users_per_day, base_rate)
            x_b += stats.binomial(rng, users_per_day, base_rate)
            n += users_per_day
            pooled = (x_a + x_b) / (2 * n)
            se = math.sqrt(pooled * (1.0 - pooled) * 2.0 / n)
            z = abs(x_b - x_a) / n / se if se > 0 else 0.0
            if z > z_crit and not stopped:
                first_hit[day] += 1
                stopped = True
            bonf_hit = bonf_hit or z > z_bonf
        fixed += z > z_crit                   # the z of the last day
        bonferroni += bonf_hit
    by_day, running = [], 0
    for day in range(1, days + 1):
        running += first_hit[day]
        by_day.append(running / n_experiments)
    return {"fpr_fixed": fixed / n_experiments, "fpr_peeking": by_day[-1],
            "fpr_bonferroni": bonferroni / n_experiments,
            "days": list(range(1, days + 1)), "fpr_peeking_by_day": by_day}
