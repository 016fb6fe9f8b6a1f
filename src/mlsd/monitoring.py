"""Drift monitoring: PSI, the two-sample Kolmogorov–Smirnov test, and a retraining trigger.

A model is trained on yesterday's data and served on today's. When the input
distribution moves, quality drops — often before labels arrive to show it. Two
standard ways to compare a *reference* sample (training or last stable period)
with a *current* one:

- **Population Stability Index.** Cut the reference into ``k`` bins at its
  quantiles (so each holds about ``1/k`` of it; a discrete feature gets fewer bins), measure the share ``r_i`` of
  the reference and ``c_i`` of the current sample in each bin, and sum
  ``PSI = sum_i (c_i - r_i) ln(c_i / r_i)`` — a symmetric KL divergence between
  the two histograms. An empty bin would make the log infinite, so shares are
  floored at a small ``eps`` (default 1e-4); that caps one bin's contribution
  instead of returning infinity. A convention from credit scoring reads
  PSI < 0.1 as stable and > 0.25 as a major shift.
- **Kolmogorov–Smirnov.** ``D = max_x |F_ref(x) - F_cur(x)|``, the largest gap
  between the two empirical CDFs; no binning, and it has a p-value. With
  sample sizes ``m`` and ``n``, ``D`` behaves like a one-sample statistic of
  size ``m n / (m + n)``, whose tail ``mlsd.stats.ks_one_sample_sf``
  computes — the same approximation SciPy's ``ks_2samp(method="asymp")`` uses.
  With large windows even a harmless shift is "significant", so alerting on
  ``D`` (or PSI) with a threshold is more useful than on the p-value.

A detector compares each new window with the reference and asks for
``patience`` consecutive windows above a threshold before it triggers
retraining: one noisy window should not retrain a model.

Labels often arrive late (a purchase within 7 days, a default within 90): a
quality metric for today can only use events old enough to have their label.
"""

from __future__ import annotations

import bisect
import math
import random
from typing import Hashable, Sequence

from mlsd import stats
from mlsd.validate import (check_choice, check_finite_vector, check_int, check_non_empty,
                           check_number, check_positive, check_positive_int)

__all__ = ["psi", "psi_table", "psi_categorical", "ks_two_sample", "DriftDetector",
           "run_drift_detector", "drifting_stream", "split_by_label_delay"]


# --- PSI ------------------------------------------------------------------------------------

def _quantile_edges(sorted_ref: list[float], n_bins: int) -> list[float]:
    """Cut points at reference order statistics so bin j holds about 1/n_bins of the reference.

    The j-th cut is the smallest value with at least j/n_bins of the reference at
    or below it. Ties (a discrete feature) repeat a cut, and repeats are merged,
    so such a feature gets fewer bins; a cut at the maximum would leave the last
    bin empty, so it is dropped.
    """
    n = len(sorted_ref)
    edges: list[float] = []
    for j in range(1, n_bins):
        cut = sorted_ref[-(-j * n // n_bins) - 1]          # index ceil(j n / n_bins) - 1
        if cut < sorted_ref[-1] and (not edges or cut > edges[-1]):
            edges.append(cut)
    return edges


def _shares(values: Sequence[float], edges: list[float]) -> list[float]:
    """Share of ``values`` in each bin; bin i holds edges[i-1] < x <= edges[i]."""
    counts = [0] * (len(edges) + 1)
    for x in values:
        counts[bisect.bisect_left(edges, x)] += 1
    return [c / len(values) for c in counts]


def _psi_terms(ref_shares: list[float], cur_shares: list[float], eps: float) -> list[float]:
    terms = []
    for r, c in zip(ref_shares, cur_shares):
        r, c = max(r, eps), max(c, eps)       # floor empty bins: ln(0) would be -infinity
        terms.append((c - r) * math.log(c / r))
    return terms


def _check_eps(eps: float) -> float:
    eps = check_positive("eps", eps)
    if eps >= 0.1:
        raise ValueError(f"eps must be a small share below 0.1, got {eps}")
    return eps


def psi_table(reference: Sequence[float], current: Sequence[float], n_bins: int = 10,
              eps: float = 1e-4) -> list[dict]:
    """PSI bin by bin: rows with ``bin, low, high, reference_share, current_share, contribution``.

    ``low``/``high`` are the bin edges (``None`` for the open ends); the
    contributions sum to ``psi``. Ready for ``show.table``.
    """
    ref = sorted(check_finite_vector("reference", reference))
    cur = check_finite_vector("current", current)
    n_bins = check_positive_int("n_bins", n_bins)
    if n_bins < 2:
        raise ValueError(f"n_bins must be at least 2, got {n_bins}")
    eps = _check_eps(eps)
    edges = _quantile_edges(ref, n_bins)
    r_shares, c_shares = _shares(ref, edges), _shares(cur, edges)
    terms = _psi_terms(r_shares, c_shares, eps)
    bounds = [None] + edges + [None]
    return [{"bin": i + 1, "low": bounds[i], "high": bounds[i + 1], "reference_share": r,
             "current_share": c, "contribution": t}
            for i, (r, c, t) in enumerate(zip(r_shares, c_shares, terms))]


def psi(reference: Sequence[float], current: Sequence[float], n_bins: int = 10,
        eps: float = 1e-4) -> float:
    """Population Stability Index of ``current`` against ``reference`` (quantile bins, see module doc)."""
    return math.fsum(row["contribution"] for row in psi_table(reference, current, n_bins, eps))


def psi_categorical(reference: Sequence[Hashable], current: Sequence[Hashable],
                    eps: float = 1e-4) -> float:
    """PSI for a categorical feature: each category seen in either sample is a bin."""
    ref, cur = check_non_empty("reference", reference), check_non_empty("current", current)
    eps = _check_eps(eps)
    categories = list(dict.fromkeys(ref + cur))           # first-seen order: deterministic
    count_r, count_c = {k: 0 for k in categories}, {k: 0 for k in categories}
    for x in ref:
        count_r[x] += 1
    for x in cur:
        count_c[x] += 1
    terms = _psi_terms([count_r[k] / len(ref) for k in categories],
                       [count_c[k] / len(cur) for k in categories], eps)
    return math.fsum(terms)


# --- Kolmogorov–Smirnov -----------------------------------------------------------------------

def ks_two_sample(a: Sequence[float], b: Sequence[float]) -> dict:
    """Two-sample KS test: ``statistic`` D, two-sided asymptotic ``p_value``, ``n_effective``.

    D is found in one merge pass over both sorted samples, checking the gap
    between the empirical CDFs after each distinct value. The p-value is
    ``P(D_N >= D)`` for a one-sample statistic of size ``N = round(m n / (m + n))``,
    as in ``scipy.stats.ks_2samp(a, b, method="asymp")``.
    """
    xs, ys = sorted(check_finite_vector("a", a)), sorted(check_finite_vector("b", b))
    m, n = len(xs), len(ys)
    i = j = 0
    d = 0.0
    while i < m and j < n:
        value = min(xs[i], ys[j])
        while i < m and xs[i] == value:       # step past every copy of this value in both
            i += 1
        while j < n and ys[j] == value:
            j += 1
        d = max(d, abs(i / m - j / n))
    # once one sample is used up, the gap can only shrink towards 0
    n_eff = round(m * n / (m + n))
    p_value = stats.ks_one_sample_sf(d, n_eff) if n_eff >= 1 else 1.0
    return {"statistic": d, "p_value": p_value, "n_effective": n_eff}


# --- a detector that triggers retraining -----------------------------------------------------

class DriftDetector:
    """Score each window against a reference; trigger retraining after ``patience`` bad windows.

    ``metric`` is ``"psi"`` or ``"ks"`` (the KS statistic D). After a trigger,
    the latest window becomes the new reference — the model is retrained on
    recent data, so recent data is what "normal" means from then on.
    """

    def __init__(self, reference: Sequence[float], threshold: float = 0.2, patience: int = 3,
                 metric: str = "psi", n_bins: int = 10):
        self.reference = check_finite_vector("reference", reference)
        self.threshold = check_positive("threshold", threshold)
        self.patience = check_positive_int("patience", patience)
        self.metric = check_choice("metric", metric, ("psi", "ks"))
        self.n_bins = check_positive_int("n_bins", n_bins)
        self.streak = 0          # consecutive windows above the threshold
        self.step = 0

    def score(self, window: Sequence[float]) -> float:
        """Drift score of ``window`` against the current reference."""
        if self.metric == "psi":
            return psi(self.reference, window, self.n_bins)
        return ks_two_sample(self.reference, window)["statistic"]

    def update(self, window: Sequence[float]) -> dict:
        """Score the next window; returns ``step, score, above, streak, retrain``."""
        window = check_finite_vector("window", window)
        self.step += 1
        score = self.score(window)
        above = score > self.threshold
        self.streak = self.streak + 1 if above else 0      # a calm window resets the count
        retrain = self.streak >= self.patience
        row = {"step": self.step, "score": score, "above": above, "streak": self.streak,
               "retrain": retrain}
        if retrain:
            self.reference = window
            self.streak = 0
        return row


def run_drift_detector(reference: Sequence[float], windows: Sequence[Sequence[float]],
                       threshold: float = 0.2, patience: int = 3, metric: str = "psi",
                       n_bins: int = 10) -> list[dict]:
    """Feed ``windows`` in order to a fresh ``DriftDetector``; one result row per window."""
    windows = check_non_empty("windows", windows)
    detector = DriftDetector(reference, threshold, patience, metric, n_bins)
    return [detector.update(w) for w in windows]


def drifting_stream(n_windows: int = 30, window_size: int = 500, drift_start: int = 15,
                    shift_per_window: float = 0.15, noise_windows: Sequence[int] = (5,),
                    seed: int = 0) -> dict:
    """A seeded feature stream: stable N(0, 1) windows, then a mean that drifts upward.

    From window ``drift_start`` (0-based) the mean grows by ``shift_per_window``
    each window. Windows listed in ``noise_windows`` get a one-off burst (a
    fifth of the values replaced by outliers), the kind of blip a detector
    should *not* retrain on. Returns ``reference`` (a training sample of
    ``2 * window_size`` values) and ``windows`` (a list of lists).
    """
    n_windows, window_size = check_positive_int("n_windows", n_windows), check_positive_int("window_size", window_size)
    drift_start = check_int("drift_start", drift_start)
    shift = check_number("shift_per_window", shift_per_window)
    noisy = set(check_int(f"noise_windows[{i}]", w) for i, w in enumerate(noise_windows))
    rng = random.Random(check_int("seed", seed))
    reference = [rng.gauss(0.0, 1.0) for _ in range(2 * window_size)]
    windows = []
    for t in range(n_windows):
        mu = shift * max(0, t - drift_start + 1)
        w = [rng.gauss(mu, 1.0) for _ in range(window_size)]
        if t in noisy:
            for k in range(0, window_size, 5):
                w[k] = rng.uniform(3.0, 6.0)
        windows.append(w)
    return {"reference": reference, "windows": windows}


# --- delayed labels -------------------------------------------------------------------------

def split_by_label_delay(event_times: Sequence[float], now: float, label_delay: float) -> dict:
    """Which events already have their label at time ``now``, if labels take ``label_delay``.

    An event at time ``t`` is *mature* when ``t + label_delay <= now``. Returns
    ``mature`` and ``pending`` (index lists) and ``coverage`` (mature share).
    Compute quality metrics on mature events only: pending ones look negative
    just because their label has not arrived yet.
    """
    times = check_finite_vector("event_times", event_times)
    now, label_delay = check_number("now", now), check_number("label_delay", label_delay)
    if label_delay < 0:
        raise ValueError(f"label_delay must be >= 0, got {label_delay}")
    mature = [i for i, t in enumerate(times) if t + label_delay <= now]
    pending = [i for i, t in enumerate(times) if t + label_delay > now]
    return {"mature": mature, "pending": pending, "coverage": len(mature) / len(times)}
