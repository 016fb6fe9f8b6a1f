"""Group fairness metrics for a binary decision, and per-group thresholds.

A classifier's score s is turned into a decision ``d = 1 if s >= t``. With a protected
attribute A (two or more groups), the common criteria compare rates across groups:

- **Demographic parity**: the selection rate ``P(d = 1 | A = a)`` is the same for every group.
  Its gap is ``max_a - min_a`` of that rate.
- **Equal opportunity** (Hardt, Price & Srebro, 2016): the true-positive rate
  ``P(d = 1 | y = 1, A = a)`` is the same for every group. Equalized odds asks the same of the
  false-positive rate too.
- **Predictive parity**: the precision ``P(y = 1 | d = 1, A = a)`` is the same for every group.

When base rates ``P(y = 1 | A = a)`` differ and prediction is imperfect, some of these cannot
hold together, so closing one gap opens another. For a thresholded decision, equal precision
and equal false-positive and false-negative rates are incompatible (Chouldechova, 2017,
https://arxiv.org/abs/1703.00056): in every group ``FPR = p / (1 - p) * (1 - PPV) / PPV * TPR``
with ``p`` the base rate, so equal TPR and PPV force unequal FPR. For a score, calibration within
groups and equal mean scores among each group's positives and among its negatives are
incompatible (Kleinberg, Mullainathan & Raghavan, 2016, https://arxiv.org/abs/1609.05807).
Per-group thresholds chosen to give each group the same TPR implement equal opportunity on a
fixed score (Hardt et al.'s post-processing, https://arxiv.org/abs/1610.02413, without the
randomization they use to hit a TPR exactly).
"""

from __future__ import annotations

import math
from typing import Hashable, Sequence

__all__ = ["group_rates", "demographic_parity_difference", "equal_opportunity_difference",
           "threshold_for_tpr", "decide"]


def _check(y_true, decisions, groups) -> None:
    n = len(groups) if isinstance(groups, Sequence) else None
    if not n:
        raise ValueError("groups must be a non-empty sequence, one group label per row")
    for name, seq in (("y_true", y_true), ("decisions", decisions)):
        if seq is None:
            continue
        if not isinstance(seq, Sequence) or len(seq) != n:
            raise ValueError(f"{name} must have one entry per row of groups ({n})")
        if any(v not in (0, 1) for v in seq):
            raise ValueError(f"{name} must hold only 0 and 1 (or booleans)")


def decide(scores: Sequence[float], groups: Sequence[Hashable], thresholds) -> list[int]:
    """1 where the score reaches its group's threshold; ``thresholds`` is one number or a dict."""
    _check(None, None, groups)
    if len(scores) != len(groups):
        raise ValueError(f"scores must have one entry per row of groups ({len(groups)}), got {len(scores)}")
    if isinstance(thresholds, dict):
        missing = set(groups) - set(thresholds)
        if missing:
            raise ValueError(f"thresholds has no entry for group(s) {sorted(map(str, missing))}")
        return [int(s >= thresholds[g]) for s, g in zip(scores, groups)]
    if not isinstance(thresholds, (int, float)) or isinstance(thresholds, bool):
        raise TypeError(f"thresholds must be a number or a dict of group -> number, got {type(thresholds).__name__}")
    return [int(s >= thresholds) for s in scores]


def group_rates(y_true: Sequence[int], decisions: Sequence[int], groups: Sequence[Hashable]) -> dict:
    """Per group: rows, base rate, selection rate, TPR, FPR and precision (None when undefined)."""
    _check(y_true, decisions, groups)
    out = {}
    for g in sorted(set(groups), key=str):
        ix = [i for i, a in enumerate(groups) if a == g]
        pos = [i for i in ix if y_true[i] == 1]
        neg = [i for i in ix if y_true[i] == 0]
        sel = [i for i in ix if decisions[i] == 1]
        out[g] = {"rows": len(ix), "base rate": len(pos) / len(ix),
                  "selection rate": len(sel) / len(ix),
                  "TPR": sum(decisions[i] for i in pos) / len(pos) if pos else None,
                  "FPR": sum(decisions[i] for i in neg) / len(neg) if neg else None,
                  "precision": sum(y_true[i] for i in sel) / len(sel) if sel else None}
    return out


def demographic_parity_difference(decisions: Sequence[int], groups: Sequence[Hashable]) -> float:
    """Largest minus smallest selection rate across groups (0 = parity)."""
    rates = group_rates([0] * len(groups) if isinstance(groups, Sequence) else None, decisions, groups)
    sel = [r["selection rate"] for r in rates.values()]
    return max(sel) - min(sel)


def equal_opportunity_difference(y_true: Sequence[int], decisions: Sequence[int],
                                 groups: Sequence[Hashable]) -> float:
    """Largest minus smallest true-positive rate across groups (0 = equal opportunity)."""
    rates = group_rates(y_true, decisions, groups)
    tprs = [r["TPR"] for r in rates.values()]
    if any(t is None for t in tprs):
        raise ValueError("every group needs at least one positive in y_true to have a TPR")
    return max(tprs) - min(tprs)


def threshold_for_tpr(y_true: Sequence[int], scores: Sequence[float], target_tpr: float) -> float:
    """The highest threshold whose TPR (share of positives with score >= t) reaches ``target_tpr``."""
    if not isinstance(target_tpr, (int, float)) or not 0 < target_tpr <= 1:
        raise ValueError(f"target_tpr must be in (0, 1], got {target_tpr!r}")
    if len(y_true) != len(scores):
        raise ValueError(f"scores must have one entry per label ({len(y_true)}), got {len(scores)}")
    pos = sorted((s for s, y in zip(scores, y_true) if y == 1), reverse=True)
    if not pos:
        raise ValueError("y_true must contain at least one positive")
    need = math.ceil(target_tpr * len(pos) - 1e-9)     # positives that must be selected
    return pos[need - 1]
