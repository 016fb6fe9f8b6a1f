"""Online experiments: A/B tests, power, ratio metrics, peeking, interleaving, novelty.

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
- **Sample size** per arm for a two-sided level-``alpha`` test with power
  ``1 - beta`` to detect ``p_a -> p_b``:
  ``n = (z_{1-alpha/2} sqrt(2 pbar(1-pbar)) + z_{1-beta} sqrt(p_a(1-p_a) + p_b(1-p_b)))^2 / (p_b - p_a)^2``.
  Halving the detectable effect multiplies ``n`` by about four.
- **Ratio metrics** such as revenue per session, when users (not sessions) are
  randomized: sessions of one user are correlated, so the naive standard error
  is wrong. The delta method linearizes ``R = mean(x) / mean(y)``:
  ``Var(R) ~ (Var(x) - 2 R Cov(x, y) + R^2 Var(y)) / (n mean(y)^2)``. A
  bootstrap that resamples *users* gives the same answer without the algebra.
- **Peeking.** Checking a fixed-horizon test every day and stopping at the
  first ``p < alpha`` inflates the false positive rate well above ``alpha``.
- **Interleaving** shows one list mixed from two rankers to each user and
  credits clicks to the ranker that contributed the clicked item; it needs far
  fewer users than an A/B test to tell which ranker is better.
- **Novelty effect.** Users click on what is new; an early lift fades.

References: Kohavi, Tang & Xu, *Trustworthy Online Controlled Experiments* (2020);
Deng, Knoblich & Lu, "Applying the Delta Method in Metric Analytics", KDD 2018
(https://arxiv.org/abs/1803.06336); Radlinski, Kurup & Joachims, "How Does
Clickthrough Data Reflect Retrieval Quality?", CIKM 2008
(https://doi.org/10.1145/1458082.1458092); Johari et al., "Peeking at A/B
Tests", KDD 2017 (https://doi.org/10.1145/3097983.3097992).
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable, Hashable, Sequence

from mlsd import stats
from mlsd.validate import (check_callable, check_finite_vector, check_int, check_non_empty,
                           check_non_negative_int, check_number, check_positive,
                           check_positive_int, check_probability, check_same_length)

__all__ = [
    "proportion_test", "mean_test", "mean_test_from_summary",
    "sample_size_proportions", "power_proportions", "mde_proportions", "sample_size_means",
    "ratio_metric", "ratio_test", "ratio_of_sums", "bootstrap_ci", "bootstrap_diff_ci",
    "simulate_revenue", "simulate_peeking", "team_draft_interleave", "interleaving_winner",
    "simulate_interleaving_vs_ab", "simulate_novelty_effect",
]


def _check_alpha(name: str, value: float) -> float:
    return check_probability(name, value, open_low=True, open_high=True)


def _check_seed(seed: int) -> int:
    return check_int("seed", seed)


# --- two proportions ------------------------------------------------------------------------

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
    alpha = _check_alpha("alpha", alpha)
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
    alpha = _check_alpha("alpha", alpha)
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


# --- power and sample size ------------------------------------------------------------------

def _target_rate(baseline: float, mde: float, relative: bool) -> float:
    baseline = check_probability("baseline", baseline, open_low=True, open_high=True)
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
    p1 = check_probability("baseline", baseline, open_low=True, open_high=True)
    p2 = _target_rate(baseline, mde, relative)
    n = check_positive_int("n_per_arm", n_per_arm)
    alpha = _check_alpha("alpha", alpha)
    pbar = (p1 + p2) / 2.0
    z_alpha = stats.norm_ppf(1.0 - alpha / 2.0)
    sd_null = math.sqrt(2.0 * pbar * (1.0 - pbar))      # sd of the difference under H0, times sqrt(n)
    sd_alt = math.sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2))
    return stats.norm_cdf((abs(p2 - p1) * math.sqrt(n) - z_alpha * sd_null) / sd_alt)


def sample_size_proportions(baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8,
                            relative: bool = True) -> int:
    """Users needed *per arm* to detect ``baseline -> baseline (1 + mde)`` (see module docstring)."""
    p1 = check_probability("baseline", baseline, open_low=True, open_high=True)
    p2 = _target_rate(baseline, mde, relative)
    alpha = _check_alpha("alpha", alpha)
    power = check_probability("power", power, open_low=True, open_high=True)
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
    p1 = check_probability("baseline", baseline, open_low=True, open_high=True)
    n = check_positive_int("n_per_arm", n_per_arm)
    alpha = _check_alpha("alpha", alpha)
    power = check_probability("power", power, open_low=True, open_high=True)
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
    alpha = _check_alpha("alpha", alpha)
    power = check_probability("power", power, open_low=True, open_high=True)
    z = stats.norm_ppf(1.0 - alpha / 2.0) + stats.norm_ppf(power)
    return max(2, math.ceil(2.0 * (z * sd / mde) ** 2 - 1e-9))


# --- ratio metrics: delta method and bootstrap ---------------------------------------------

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
    alpha = _check_alpha("alpha", alpha)
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


def _mean_statistic(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _check_bootstrap_args(n_boot: int, alpha: float, seed: int, statistic) -> Callable:
    check_positive_int("n_boot", n_boot)
    if n_boot < 10:
        raise ValueError(f"n_boot must be at least 10 for a percentile interval, got {n_boot}")
    _check_alpha("alpha", alpha)
    _check_seed(seed)
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
    rng = random.Random(_check_seed(seed))
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


# --- peeking --------------------------------------------------------------------------------

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
    base_rate = check_probability("base_rate", base_rate, open_low=True, open_high=True)
    alpha = _check_alpha("alpha", alpha)
    rng = random.Random(_check_seed(seed))
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


# --- interleaving ---------------------------------------------------------------------------

def team_draft_interleave(ranking_a: Sequence[Hashable], ranking_b: Sequence[Hashable],
                          rng: random.Random, length: int | None = None) -> tuple[list, list]:
    """Team-draft interleaving (Radlinski et al., 2008).

    Like picking teams in a playground: the team with fewer picks so far (a coin
    flip breaks ties) adds its highest-ranked item not yet in the list. Returns
    ``(items, teams)`` where ``teams[i]`` is ``"A"`` or ``"B"``. Stops when
    either ranking runs out or after ``length`` items.
    """
    ranking_a, ranking_b = check_non_empty("ranking_a", ranking_a), check_non_empty("ranking_b", ranking_b)
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    limit = len(ranking_a) + len(ranking_b) if length is None else check_positive_int("length", length)
    return _team_draft(ranking_a, ranking_b, rng, limit)


def _team_draft(ranking_a: Sequence, ranking_b: Sequence, rng: random.Random,
                limit: int) -> tuple[list, list]:
    items, teams, used = [], [], set()
    picks_a = picks_b = 0
    next_a = next_b = 0                       # cursors: first item of each ranking not yet used
    len_a, len_b = len(ranking_a), len(ranking_b)
    while len(items) < limit:
        while next_a < len_a and ranking_a[next_a] in used:
            next_a += 1
        while next_b < len_b and ranking_b[next_b] in used:
            next_b += 1
        if next_a == len_a or next_b == len_b:
            break
        if picks_a < picks_b or (picks_a == picks_b and rng.random() < 0.5):
            item, team = ranking_a[next_a], "A"
            picks_a += 1
        else:
            item, team = ranking_b[next_b], "B"
            picks_b += 1
        items.append(item)
        teams.append(team)
        used.add(item)
    return items, teams


def interleaving_winner(teams: Sequence[str], clicked: Sequence[bool]) -> str | None:
    """Credit each click to the team that placed the item: ``"A"``, ``"B"`` or ``None`` (tie)."""
    teams, clicked = list(teams), list(clicked)
    check_same_length("teams", teams, "clicked", clicked)
    bad = [t for t in teams if t not in ("A", "B")]
    if bad:
        raise ValueError(f"teams must contain only 'A' and 'B', got {bad[0]!r}")
    a = sum(1 for t, c in zip(teams, clicked) if c and t == "A")
    b = sum(1 for t, c in zip(teams, clicked) if c and t == "B")
    return "A" if a > b else "B" if b > a else None


def simulate_interleaving_vs_ab(n_users: Sequence[int] = (100, 200, 400, 800, 1600), n_trials: int = 30,
                                n_queries: int = 50, n_docs: int = 20, list_length: int = 6,
                                noise_a: float = 1.0, noise_b: float = 0.5, alpha: float = 0.05,
                                seed: int = 0) -> dict:
    """How often an A/B test and an interleaving test pick the better ranker B, per number of users.

    Each query has ``n_docs`` documents with a click probability when seen.
    Both rankers sort by that probability plus Gaussian noise; B is less noisy,
    so it is better. Users examine position ``i`` with probability ``1/(i+1)``
    and click independently. The A/B test splits users in half and compares
    the share of users who click anything (two-proportion z-test; that share is
    ``1 - prod(1 - P(click at i))``, drawn once per user). The interleaving test
    shows every user a team-draft list and runs a sign test on the per-user
    winners. A trial counts as a detection when the test is significant *and*
    favours B. Within a trial, the first ``n`` users are the experiment of size
    ``n``. Returns ``n_users, ab_detection, interleaving_detection``.
    """
    sizes = sorted(check_positive_int(f"n_users[{i}]", v)
                   for i, v in enumerate(check_non_empty("n_users", n_users)))
    n_trials = check_positive_int("n_trials", n_trials)
    n_queries, n_docs = check_positive_int("n_queries", n_queries), check_positive_int("n_docs", n_docs)
    list_length = check_positive_int("list_length", list_length)
    noise_a, noise_b = check_positive("noise_a", noise_a), check_positive("noise_b", noise_b)
    alpha = _check_alpha("alpha", alpha)
    rng = random.Random(_check_seed(seed))
    z_crit = stats.norm_ppf(1.0 - alpha / 2.0)
    exam = [1.0 / (i + 1) for i in range(list_length)]

    def p_any_click(attract, shown):
        p_none = 1.0
        for i, d in enumerate(shown):
            p_none *= 1.0 - exam[i] * attract[d]
        return 1.0 - p_none

    queries = []                   # (click prob per doc, ranking A, ranking B, P(any click) A, B)
    for _ in range(n_queries):
        attract = [0.8 * rng.random() ** 3 for _ in range(n_docs)]    # few attractive docs
        rank_a = sorted(range(n_docs), key=lambda d: -(4 * attract[d] + rng.normalvariate(0, noise_a)))
        rank_b = sorted(range(n_docs), key=lambda d: -(4 * attract[d] + rng.normalvariate(0, noise_b)))
        rank_a, rank_b = rank_a[:list_length], rank_b[:list_length]
        queries.append((attract, rank_a, rank_b, p_any_click(attract, rank_a), p_any_click(attract, rank_b)))

    ab_hits, il_hits = [0] * len(sizes), [0] * len(sizes)
    for _ in range(n_trials):
        users = [0, 0, 0, 0]                   # A/B: users A, clickers A, users B, clickers B
        wins = [0, 0]                          # interleaving: users preferring A, preferring B
        done = 0
        for k, size in enumerate(sizes):
            while done < size:
                attract, rank_a, rank_b, click_a, click_b = queries[rng.randrange(n_queries)]
                arm = done % 2                 # alternate arms: a balanced split
                users[2 * arm] += 1
                users[2 * arm + 1] += rng.random() < (click_b if arm else click_a)
                items, teams = _team_draft(rank_a, rank_b, rng, list_length)
                credit = 0                     # clicks for B minus clicks for A
                for i, (d, team) in enumerate(zip(items, teams)):
                    if rng.random() < exam[i] * attract[d]:
                        credit += 1 if team == "B" else -1
                if credit:
                    wins[credit > 0] += 1
                done += 1
            n_a, x_a, n_b, x_b = users
            pooled = (x_a + x_b) / (n_a + n_b)
            se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b)) if n_a and n_b else 0.0
            ab_hits[k] += se > 0 and (x_b / n_b - x_a / n_a) / se > z_crit
            decided = wins[0] + wins[1]
            # sign test: under H0 each user with a preference prefers B with probability 1/2
            il_hits[k] += decided > 0 and (wins[1] - wins[0]) / math.sqrt(decided) > z_crit
    return {"n_users": sizes, "ab_detection": [h / n_trials for h in ab_hits],
            "interleaving_detection": [h / n_trials for h in il_hits]}


# --- novelty effect -------------------------------------------------------------------------

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
    base_rate = check_probability("base_rate", base_rate, open_low=True, open_high=True)
    true_lift, novelty_lift = check_number("true_lift", true_lift), check_number("novelty_lift", novelty_lift)
    half_life_days = check_positive("half_life_days", half_life_days)
    rng = random.Random(_check_seed(seed))
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
