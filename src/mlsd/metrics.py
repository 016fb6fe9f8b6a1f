"""Offline metrics for classifiers and rankers, written out so you can read them.

Three families, each answering a different question:

**Ranking quality of a score** (does the model put clicks above non-clicks?)

- ``roc_auc`` — the probability that a random positive scores above a random
  negative (ties count one half). With ``R+`` the sum of the positives' ranks
  (ascending, tied scores share the *average* rank), ``P`` positives and ``N``
  negatives, this is the Mann-Whitney statistic::

      AUC = (R+ - P(P+1)/2) / (P N)

- ``average_precision`` — the area under the precision-recall curve as a step
  function, scikit-learn's definition: walk the distinct thresholds from high
  to low and add ``(R_t - R_{t-1}) * P_t``. Tied scores enter together, as one
  threshold. It moves with the base rate, unlike AUC, which is why rare-event
  problems report it.

**Quality of the probabilities** (is a predicted 3 % really 3 %?)

- ``log_loss`` — mean of ``-[y log p + (1-y) log(1-p)]``. A prediction of
  exactly 0 or 1 that is wrong costs infinity, so ``p`` is first clipped to
  ``[eps, 1-eps]`` with ``eps`` = the float64 machine epsilon (2.2e-16), as
  scikit-learn does.
- ``normalized_entropy`` — log loss divided by the log loss of always predicting
  the base rate ``p̄``: ``NE = logloss / -(p̄ log p̄ + (1-p̄) log(1-p̄))``. Below
  1 means better than knowing only the average CTR (He et al., 2014,
  https://research.facebook.com/publications/practical-lessons-from-predicting-clicks-on-ads-at-facebook/).
- ``calibration_bins`` / ``expected_calibration_error`` — group predictions
  into bins and compare the mean prediction with the observed rate.

**Decisions and top-k lists**

- ``accuracy``, ``precision``, ``recall``, ``f1`` at a threshold (a score
  ``>= threshold`` is a predicted positive); ``best_f1_threshold`` scans them all.
  Precision with no predicted positive is 0, as scikit-learn's default.
- ``precision_at_k``, ``recall_at_k``, ``average_precision_at_k``,
  ``mean_average_precision``, ``reciprocal_rank``, ``mean_reciprocal_rank``,
  ``ndcg_at_k`` — for a ranked list of item ids and the set of relevant ids.
- ``dcg_score`` / ``ndcg_score`` — scikit-learn's definitions for graded
  relevance: gain = the relevance itself (linear, not ``2^rel - 1``), discount
  ``1 / log2(rank + 1)``; tied scores get the *average* gain of their tie group
  (McSherry & Najork, 2008), so the result does not depend on how ties happen
  to be ordered; nDCG divides by the DCG of the ideal order, and is 0 when every
  relevance is 0.

``roc_curve`` and ``precision_recall_curve`` give the points for charts.
"""

from __future__ import annotations

import math
import sys
from itertools import groupby
from operator import itemgetter

from mlsd.validate import (check_choice, check_finite_vector, check_k, check_labels,
                           check_non_empty, check_positive_int, check_probability,
                           check_same_length)

__all__ = [
    "roc_auc", "roc_curve", "average_precision", "precision_recall_curve",
    "log_loss", "normalized_entropy", "calibration_bins", "expected_calibration_error",
    "accuracy", "precision", "recall", "f1", "best_f1_threshold",
    "precision_at_k", "recall_at_k", "average_precision_at_k", "mean_average_precision",
    "reciprocal_rank", "mean_reciprocal_rank", "ndcg_at_k", "dcg_score", "ndcg_score",
]

EPS = sys.float_info.epsilon  # 2.220446049250313e-16, the clip used by log_loss


# --- input checks ---------------------------------------------------------------------------

def _scored(y_true, y_score, score_name: str = "y_score") -> tuple[list[int], list[float]]:
    y = check_labels("y_true", y_true)
    s = check_finite_vector(score_name, y_score)
    check_same_length("y_true", y, score_name, s)
    return y, s


def _probs(y_true, y_prob) -> tuple[list[int], list[float]]:
    y, p = _scored(y_true, y_prob, "y_prob")
    for i, v in enumerate(p):
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"y_prob must hold probabilities in [0, 1], got {v} at index {i}")
    return y, p


def _both_classes(y: list[int], what: str) -> tuple[int, int]:
    pos = sum(y)
    if pos == 0 or pos == len(y):
        raise ValueError(f"y_true must contain both 0 and 1 to compute {what}, "
                         f"got only {y[0]}s")
    return pos, len(y) - pos


# --- ranking quality of a score --------------------------------------------------------------

def roc_auc(y_true, y_score) -> float:
    """ROC-AUC by the Mann-Whitney rank sum; tied scores share their average rank."""
    y, s = _scored(y_true, y_score)
    pos, neg = _both_classes(y, "ROC-AUC")
    rank = 0          # ranks used so far (1-based ranks run rank+1 .. rank+len(group))
    rank_sum = 0.0    # sum of the positives' ranks
    for _, group in groupby(sorted(zip(s, y)), key=itemgetter(0)):
        labels = [label for _, label in group]
        first, last = rank + 1, rank + len(labels)
        rank_sum += (first + last) / 2 * sum(labels)   # each tied item gets the mean rank
        rank = last
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def auc_standard_error(auc: float, n_pos: int, n_neg: int) -> float:
    """The standard error of one ROC-AUC measured on ``n_pos`` positives and ``n_neg`` negatives.

    Hanley and McNeil's (1982) approximation, which models the two score distributions as
    exponential: with ``Q1 = A / (2 - A)`` (two positives both above one negative) and
    ``Q2 = 2A² / (1 + A)`` (one positive above two negatives)::

        SE² = (A(1 - A) + (P - 1)(Q1 - A²) + (N - 1)(Q2 - A²)) / (P N)

    It is the error of *one* AUC on its own; two models scored on the same rows are correlated,
    so the difference of their AUCs varies much less than two such errors combined (the paired
    comparison of the notebook-to-production lab). Paper:
    https://doi.org/10.1148/radiology.143.1.7063747
    """
    auc = check_probability("auc", auc)
    check_positive_int("n_pos", n_pos)
    check_positive_int("n_neg", n_neg)
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    return math.sqrt((auc * (1 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc))
                     / (n_pos * n_neg))


def _threshold_counts(y: list[int], s: list[float]) -> list[tuple[float, int, int]]:
    """(threshold, true positives, false positives) for each distinct score, high to low.

    At threshold ``t`` every item with score ``>= t`` is predicted positive, so a
    group of tied scores enters all at once.
    """
    out, tp, fp = [], 0, 0
    for score, group in groupby(sorted(zip(s, y), reverse=True), key=itemgetter(0)):
        labels = [label for _, label in group]
        tp += sum(labels)
        fp += len(labels) - sum(labels)
        out.append((score, tp, fp))
    return out


def roc_curve(y_true, y_score, drop_intermediate: bool = True):
    """ROC points ``(fpr, tpr, thresholds)``, thresholds decreasing, starting at (0, 0, inf).

    ``drop_intermediate`` drops points on a straight segment (they do not change
    the curve), exactly as scikit-learn does, which keeps charts small.
    """
    y, s = _scored(y_true, y_score)
    pos, neg = _both_classes(y, "an ROC curve")
    points = _threshold_counts(y, s)
    if drop_intermediate and len(points) > 2:
        # keep a point when the slope changes there (second difference non-zero)
        keep = [points[0]]
        for a, b, c in zip(points, points[1:], points[2:]):
            if c[1] - 2 * b[1] + a[1] != 0 or c[2] - 2 * b[2] + a[2] != 0:
                keep.append(b)
        points = keep + [points[-1]]
    fpr = [0.0] + [fp / neg for _, _, fp in points]
    tpr = [0.0] + [tp / pos for _, tp, _ in points]
    return fpr, tpr, [math.inf] + [t for t, _, _ in points]


def precision_recall_curve(y_true, y_score):
    """Precision-recall points ``(precision, recall, thresholds)``, thresholds decreasing."""
    y, s = _scored(y_true, y_score)
    pos = sum(y)
    if pos == 0:
        raise ValueError("y_true must contain at least one 1 to compute recall")
    points = _threshold_counts(y, s)
    return ([tp / (tp + fp) for _, tp, fp in points], [tp / pos for _, tp, _ in points],
            [t for t, _, _ in points])


def average_precision(y_true, y_score) -> float:
    """Area under the step precision-recall curve: sum of (R_t - R_{t-1}) * P_t."""
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    ap, prev_recall = 0.0, 0.0
    for p, r in zip(precision, recall):
        ap += (r - prev_recall) * p
        prev_recall = r
    return ap


# --- quality of the probabilities ------------------------------------------------------------

def log_loss(y_true, y_prob, eps: float = EPS) -> float:
    """Mean negative log-likelihood; ``y_prob`` is clipped to ``[eps, 1 - eps]`` first."""
    y, p = _probs(y_true, y_prob)
    check_probability("eps", eps, open_low=True)
    if eps >= 0.5:
        raise ValueError(f"eps must be < 0.5, got {eps}")
    total = 0.0
    for label, prob in zip(y, p):
        prob = min(max(prob, eps), 1.0 - eps)
        total -= math.log(prob) if label == 1 else math.log(1.0 - prob)
    return total / len(y)


def normalized_entropy(y_true, y_prob, base_rate: float | None = None, eps: float = EPS) -> float:
    """Log loss divided by the entropy of the base rate (default: the mean of ``y_true``)."""
    loss = log_loss(y_true, y_prob, eps)
    if base_rate is None:
        base_rate = sum(check_labels("y_true", y_true)) / len(y_true)
        if base_rate in (0.0, 1.0):
            raise ValueError("y_true must contain both 0 and 1 (the base-rate entropy is 0)")
    else:
        check_probability("base_rate", base_rate, open_low=True, open_high=True)
    entropy = -(base_rate * math.log(base_rate) + (1 - base_rate) * math.log(1 - base_rate))
    return loss / entropy


def calibration_bins(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform") -> list[dict]:
    """Reliability diagram data: one row per bin of predictions.

    ``strategy="uniform"``: equal-width bins over [0, 1], empty bins left out;
    bin ``b`` holds ``b/n_bins <= p < (b+1)/n_bins`` (the last bin includes 1).
    ``strategy="quantile"``: ``n_bins`` bins of equal counts (the last one takes
    the remainder) — the choice when predictions crowd into a narrow range, as
    click-through rates do. Each row: ``lower``, ``upper`` (the bin's range),
    ``count``, ``mean_predicted``, ``fraction_positive``.
    """
    y, p = _probs(y_true, y_prob)
    check_positive_int("n_bins", n_bins)
    check_choice("strategy", strategy, ("uniform", "quantile"))
    if strategy == "quantile":
        return _equal_count_bins(y, p, n_bins)
    counts, sum_p, sum_y = [0] * n_bins, [0.0] * n_bins, [0] * n_bins
    for label, prob in zip(y, p):
        b = min(int(prob * n_bins), n_bins - 1)
        counts[b] += 1
        sum_p[b] += prob
        sum_y[b] += label
    return [{"lower": b / n_bins, "upper": (b + 1) / n_bins, "count": counts[b],
             "mean_predicted": sum_p[b] / counts[b], "fraction_positive": sum_y[b] / counts[b]}
            for b in range(n_bins) if counts[b]]


def _equal_count_bins(y: list[int], p: list[float], n_bins: int) -> list[dict]:
    if n_bins > len(p):
        raise ValueError(f"n_bins must be <= the number of predictions ({len(p)}) for "
                         f"equal-count bins, got {n_bins}")
    order = sorted(range(len(p)), key=p.__getitem__)
    size = len(order) // n_bins
    rows = []
    for b in range(n_bins):
        members = order[b * size:(b + 1) * size] if b < n_bins - 1 else order[b * size:]
        rows.append({"lower": p[members[0]], "upper": p[members[-1]], "count": len(members),
                     "mean_predicted": math.fsum(p[i] for i in members) / len(members),
                     "fraction_positive": sum(y[i] for i in members) / len(members)})
    return rows


def expected_calibration_error(y_true, y_prob, n_bins: int = 10) -> float:
    """ECE = sum over bins of (bin share) * |fraction positive - mean prediction|."""
    bins = calibration_bins(y_true, y_prob, n_bins)
    n = sum(b["count"] for b in bins)
    return sum(b["count"] / n * abs(b["fraction_positive"] - b["mean_predicted"]) for b in bins)


# --- decisions at a threshold ----------------------------------------------------------------

def _confusion(y_true, y_score, threshold: float) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) when ``score >= threshold`` means "predict 1"."""
    y, s = _scored(y_true, y_score)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold must be a number, got {type(threshold).__name__}")
    if math.isnan(threshold):
        raise ValueError("threshold must not be NaN")
    tp = fp = fn = tn = 0
    for label, score in zip(y, s):
        if score >= threshold:
            tp, fp = (tp + 1, fp) if label else (tp, fp + 1)
        else:
            fn, tn = (fn + 1, tn) if label else (fn, tn + 1)
    return tp, fp, fn, tn


def accuracy(y_true, y_score, threshold: float = 0.5) -> float:
    """Share of correct decisions. Hard 0/1 predictions work too (1 >= 0.5)."""
    tp, fp, fn, tn = _confusion(y_true, y_score, threshold)
    return (tp + tn) / (tp + fp + fn + tn)


def precision(y_true, y_score, threshold: float = 0.5) -> float:
    """tp / (tp + fp); 0.0 when nothing is predicted positive."""
    tp, fp, _, _ = _confusion(y_true, y_score, threshold)
    return tp / (tp + fp) if tp + fp else 0.0


def recall(y_true, y_score, threshold: float = 0.5) -> float:
    """tp / (tp + fn); 0.0 when there are no positives."""
    tp, _, fn, _ = _confusion(y_true, y_score, threshold)
    return tp / (tp + fn) if tp + fn else 0.0


def f1(y_true, y_score, threshold: float = 0.5) -> float:
    """Harmonic mean of precision and recall, written as 2tp / (2tp + fp + fn)."""
    tp, fp, fn, _ = _confusion(y_true, y_score, threshold)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def best_f1_threshold(y_true, y_score) -> tuple[float, float]:
    """The threshold (one of the scores) with the highest F1, and that F1.

    One sorted pass: lowering the threshold past each distinct score adds its tie group.
    """
    y, s = _scored(y_true, y_score)
    pos = sum(y)
    if pos == 0:
        raise ValueError("y_true must contain at least one 1 (F1 is 0 at every threshold)")
    best = (s[0], -1.0)
    for t, tp, fp in _threshold_counts(y, s):
        score = 2 * tp / (2 * tp + fp + (pos - tp))
        if score > best[1]:
            best = (t, score)
    return best


# --- top-k lists: ranked item ids against the relevant ids -----------------------------------

def _ranking(ranked, relevant, k=None, allow_empty_relevant: bool = False):
    items = check_non_empty("ranked", ranked)
    try:
        seen = set(items)
    except TypeError:
        raise TypeError("ranked must hold hashable item ids") from None
    if len(seen) != len(items):
        raise ValueError("ranked must not repeat an item")
    if isinstance(relevant, (str, bytes)):
        raise TypeError("relevant must be a collection of item ids, got a string")
    try:
        rel = set(relevant)
    except TypeError:
        raise TypeError(f"relevant must be a collection of item ids, "
                        f"got {type(relevant).__name__}") from None
    if not rel and not allow_empty_relevant:
        raise ValueError("relevant must not be empty")
    k = len(items) if k is None else check_k(k, len(items))
    return items, rel, k


def precision_at_k(ranked, relevant, k: int) -> float:
    """Share of the top ``k`` items that are relevant."""
    items, rel, k = _ranking(ranked, relevant, k, allow_empty_relevant=True)
    return sum(1 for x in items[:k] if x in rel) / k


def recall_at_k(ranked, relevant, k: int) -> float:
    """Share of the relevant items that appear in the top ``k``."""
    items, rel, k = _ranking(ranked, relevant, k)
    return sum(1 for x in items[:k] if x in rel) / len(rel)


def average_precision_at_k(ranked, relevant, k: int | None = None) -> float:
    """AP@k = (1 / min(|relevant|, k)) * sum over hits at rank i <= k of precision@i.

    ``k`` defaults to the list length. Dividing by ``min(|relevant|, k)`` means a
    list that fills all ``k`` slots with relevant items scores 1.
    """
    items, rel, k = _ranking(ranked, relevant, k)
    hits, total = 0, 0.0
    for i, x in enumerate(items[:k], start=1):
        if x in rel:
            hits += 1
            total += hits / i
    return total / min(len(rel), k)


def reciprocal_rank(ranked, relevant) -> float:
    """1 / (rank of the first relevant item), or 0.0 if none is in the list."""
    items, rel, _ = _ranking(ranked, relevant)
    for i, x in enumerate(items, start=1):
        if x in rel:
            return 1.0 / i
    return 0.0


def _per_query(ranked_lists, relevant_sets) -> list:
    lists = check_non_empty("ranked_lists", ranked_lists)
    sets = check_non_empty("relevant_sets", relevant_sets)
    check_same_length("ranked_lists", lists, "relevant_sets", sets)
    return list(zip(lists, sets))


def mean_average_precision(ranked_lists, relevant_sets, k: int | None = None) -> float:
    """MAP: the mean of :func:`average_precision_at_k` over queries (or users)."""
    pairs = _per_query(ranked_lists, relevant_sets)
    return sum(average_precision_at_k(r, rel, k) for r, rel in pairs) / len(pairs)


def mean_reciprocal_rank(ranked_lists, relevant_sets) -> float:
    """MRR: the mean of :func:`reciprocal_rank` over queries."""
    pairs = _per_query(ranked_lists, relevant_sets)
    return sum(reciprocal_rank(r, rel) for r, rel in pairs) / len(pairs)


def _discount(i: int) -> float:
    """Discount of 0-based position ``i``: 1 / log2(i + 2), written like scikit-learn."""
    return 1.0 / (math.log(i + 2) / math.log(2))


def ndcg_at_k(ranked, relevant, k: int) -> float:
    """nDCG@k of a ranked list of ids; ``relevant`` is a set (gain 1) or a dict id -> gain."""
    items, rel, k = _ranking(ranked, relevant, k)
    if isinstance(relevant, dict):
        gains = dict(relevant)
        for item, g in gains.items():
            if isinstance(g, bool) or not isinstance(g, (int, float)) or not g >= 0 or g == math.inf:
                raise ValueError(f"relevant[{item!r}] must be a finite gain >= 0, got {g!r}")
    else:
        gains = {item: 1.0 for item in rel}
    dcg = sum(gains.get(x, 0.0) * _discount(i) for i, x in enumerate(items[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g * _discount(i) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


# --- graded relevance with scores, as scikit-learn's dcg_score / ndcg_score ------------------

def _dcg_one(rel: list[float], score: list[float], k: int | None, ignore_ties: bool) -> float:
    n = len(rel)
    discounts = [_discount(i) if k is None or i < k else 0.0 for i in range(n)]
    if ignore_ties:
        # Faster, but tied scores then keep an arbitrary order (here: input order),
        # so the result is only well defined when the scores are distinct.
        order = sorted(range(n), key=score.__getitem__, reverse=True)
        return sum(rel[i] * d for i, d in zip(order, discounts))
    total, pos = 0.0, 0
    for _, group in groupby(sorted(zip(score, rel), key=itemgetter(0), reverse=True),
                            key=itemgetter(0)):
        gains = [g for _, g in group]
        # a tie group gets its mean gain at each of the positions it occupies
        total += sum(gains) / len(gains) * sum(discounts[pos:pos + len(gains)])
        pos += len(gains)
    return total


def _graded(y_true, y_score, k):
    """Normalise to a list of (relevances, scores) queries; 1-D input is one query."""
    if isinstance(y_true, (str, bytes)) or not hasattr(y_true, "__len__"):
        raise TypeError(f"y_true must be a sequence, got {type(y_true).__name__}")
    if len(y_true) == 0:
        raise ValueError("y_true must not be empty")
    single = not hasattr(y_true[0], "__len__")
    queries_true = [y_true] if single else list(y_true)
    queries_score = [y_score] if single else check_non_empty("y_score", y_score)
    check_same_length("y_true", queries_true, "y_score", queries_score)
    out = []
    for q, (t, s) in enumerate(zip(queries_true, queries_score)):
        tname, sname = ("y_true", "y_score") if single else (f"y_true[{q}]", f"y_score[{q}]")
        t = check_finite_vector(tname, t)
        s = check_finite_vector(sname, s, dim=len(t))
        out.append((t, s))
    if k is not None:
        check_positive_int("k", k)
    return single, out


def dcg_score(y_true, y_score, k: int | None = None, ignore_ties: bool = False) -> float:
    """DCG of the order induced by ``y_score`` (mean over queries for 2-D input)."""
    _, queries = _graded(y_true, y_score, k)
    return sum(_dcg_one(t, s, k, ignore_ties) for t, s in queries) / len(queries)


def ndcg_score(y_true, y_score, k: int | None = None, ignore_ties: bool = False) -> float:
    """nDCG = DCG / ideal DCG, scikit-learn's definition (0 when all relevances are 0).

    ``y_true`` holds non-negative relevance grades, for one query (a list) or
    many (a list of lists, averaged). A query needs at least two documents.
    """
    _, queries = _graded(y_true, y_score, k)
    total = 0.0
    for q, (t, s) in enumerate(queries):
        if len(t) < 2:
            raise ValueError("y_true must hold at least 2 documents per query for nDCG")
        if min(t) < 0:
            raise ValueError("y_true must hold relevance grades >= 0 for nDCG")
        ideal = _dcg_one(t, t, k, ignore_ties=True)
        total += _dcg_one(t, s, k, ignore_ties) / ideal if ideal > 0 else 0.0
    return total / len(queries)
