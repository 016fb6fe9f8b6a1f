"""Novelty effect: users click on what is new, so an early lift fades.

A dashboard of the whole test shows the cumulative lift, which overstates the
lasting effect for as long as the early days weigh on it.
"""

from __future__ import annotations

import random

from mlsd import stats
from mlsd.validate import (check_int, check_number, check_open_probability, check_positive,
                           check_positive_int, check_probability)

__all__ = ["simulate_novelty_effect"]


def simulate_novelty_effect(days: int = 28, users_per_day: int = 2000, base_rate: float = 0.1,
                            true_lift: float = 0.02, novelty_lift: float = 0.10,
                            half_life_days: float = 3.0, seed: int = 0) -> dict:
    """A treatment whose lift starts high and decays to its lasting value.

    On day ``d`` (1-based) the treatment converts at
    ``base_rate * (1 + true_lift + novelty_lift * 0.5 ** ((d - 1) / half_life_days))``;
    the control at ``base_rate``. Returns ``day``, ``daily_lift`` (measured each
    day), ``cumulative_lift`` (what a dashboard of the whole test shows) and
    ``expected_lift`` (the curve without sampling noise), plus ``true_lift``.
    """
    days = check_positive_int("days", days)
    users_per_day = check_positive_int("users_per_day", users_per_day)
    base_rate = check_open_probability("base_rate", base_rate)
    true_lift, novelty_lift = check_number("true_lift", true_lift), check_number("novelty_lift", novelty_lift)
    half_life_days = check_positive("half_life_days", half_life_days)
    rng = random.Random(check_int("seed", seed))
    out = {"day": [], "daily_lift": [], "cumulative_lift": [], "expected_lift": [], "true_lift": true_lift}
    total_a = total_b = 0
    for day in range(1, days + 1):
        lift = true_lift + novelty_lift * 0.5 ** ((day - 1) / half_life_days)
        rate_b = check_probability("base_rate * (1 + lift)", base_rate * (1.0 + lift))
        x_a = stats.binomial(rng, users_per_day, base_rate)
        x_b = stats.binomial(rng, users_per_day, rate_b)
        total_a += x_a
        total_b += x_b
        out["day"].append(day)
        out["daily_lift"].append(x_b / x_a - 1.0 if x_a else 0.0)
        out["cumulative_lift"].append(total_b / total_a - 1.0 if total_a else 0.0)
        out["expected_lift"].append(lift)
    return out
