"""Online experiments: A/B tests, power, ratio metrics, peeking, interleaving, novelty.

An A/B test splits users at random into a control arm A and a treatment arm B
and asks whether a metric differs by more than chance would explain. One module
per question; every function is also available here, as
``experiments.proportion_test(...)``:

- :mod:`~mlsd.experiments.ab_test` — two proportions (z-test) and two means (Welch).
- :mod:`~mlsd.experiments.power` — sample size, power and the minimum detectable effect.
- :mod:`~mlsd.experiments.ratio` — ratio metrics (revenue per session) with the delta method.
- :mod:`~mlsd.experiments.bootstrap` — percentile bootstrap intervals.
- :mod:`~mlsd.experiments.peeking` — how checking every day inflates false positives.
- :mod:`~mlsd.experiments.interleaving` — team-draft interleaving against an A/B test.
- :mod:`~mlsd.experiments.novelty` — a lift that starts high and fades.

Reference: Kohavi, Tang & Xu, *Trustworthy Online Controlled Experiments* (2020).
"""

from mlsd.experiments.ab_test import mean_test, mean_test_from_summary, proportion_test
from mlsd.experiments.bootstrap import bootstrap_ci, bootstrap_diff_ci
from mlsd.experiments.interleaving import (interleaving_winner, simulate_interleaving_vs_ab,
                                           team_draft_interleave)
from mlsd.experiments.novelty import simulate_novelty_effect
from mlsd.experiments.peeking import simulate_peeking
from mlsd.experiments.power import (mde_proportions, power_proportions, sample_size_means,
                                    sample_size_proportions)
from mlsd.experiments.ratio import ratio_metric, ratio_of_sums, ratio_test, simulate_revenue

__all__ = [
    "proportion_test", "mean_test", "mean_test_from_summary",
    "sample_size_proportions", "power_proportions", "mde_proportions", "sample_size_means",
    "ratio_metric", "ratio_test", "ratio_of_sums", "bootstrap_ci", "bootstrap_diff_ci",
    "simulate_revenue", "simulate_peeking", "team_draft_interleave", "interleaving_winner",
    "simulate_interleaving_vs_ab", "simulate_novelty_effect",
]
