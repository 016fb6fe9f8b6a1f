"""Label quality: annotator agreement, weak supervision by labelling functions, and label noise.

**Agreement between two annotators.** Raw percent agreement ``p_o`` (the share of items both
gave the same label) rewards agreeing by chance: when 95 % of items are negative, two annotators
who answer "negative" almost always agree without looking. Cohen's kappa (Cohen, 1960) removes
the agreement expected by chance from each annotator's own label frequencies::

    p_o = (1/n) * #{i : a_i == b_i}
    p_e = sum over labels c of  P_a(c) * P_b(c)      (P_a(c): share of items a labelled c)
    kappa = (p_o - p_e) / (1 - p_e)

Kappa is 1 for perfect agreement, 0 for agreement no better than chance, and negative for less.

**Labelling functions** (weak supervision, as in Snorkel: Ratner et al., VLDB 2017,
https://arxiv.org/abs/1711.10160) are cheap rules that each vote 1, 0 or abstain
(``ABSTAIN = -1``) on an item. A vote matrix has one row per item and one column per rule. Per
rule we measure *coverage* (share of items it votes on), *overlap* (share where it and at least
one other rule vote), *conflict* (share where another rule votes differently) and, on a small
gold set, *accuracy* on the items it votes on. Two ways to combine the votes of one item:

- majority vote: the label with more votes (abstain on no votes or a tie);
- accuracy-weighted vote: if rule j is right with probability a_j whatever the true class,
  independently of the others, whether it votes does not depend on the class, and the classes
  are equally likely a priori, the log-odds that the item is positive is
  ``sum_j s_j * log(a_j / (1 - a_j))`` with ``s_j = +1`` for a vote 1 and ``-1`` for a vote 0
  (naive Bayes). Accurate rules count more; a rule at a_j = 0.5 counts for nothing. A rule
  that votes only for the common class breaks these assumptions: its accuracy then mostly
  reflects the base rate, and a weight from class-conditional firing rates is the safer choice.

**Label noise.** :func:`flip_labels` corrupts labels the way annotators and logs do: each
positive becomes 0 with probability ``flip_pos`` (a missed positive), each negative becomes 1
with probability ``flip_neg`` (a false alarm). ``flip_pos == flip_neg`` is symmetric noise;
unequal rates are class-conditional noise (Natarajan et al., NeurIPS 2013,
https://papers.nips.cc/paper/5073-learning-with-noisy-labels).
"""

from __future__ import annotations

import math
import random

from mlsd.validate import check_int, check_labels, check_non_empty, check_probability, check_same_length

__all__ = ["ABSTAIN", "percent_agreement", "cohen_kappa", "majority_vote", "weighted_vote",
           "labeling_function_summary", "flip_labels"]

ABSTAIN = -1


def _two_raters(a, b) -> tuple[list, list]:
    a, b = check_non_empty("a", a), check_non_empty("b", b)
    check_same_length("a", a, "b", b)
    return a, b


def percent_agreement(a, b) -> float:
    """Share of items on which the two annotators ``a`` and ``b`` gave the same label."""
    a, b = _two_raters(a, b)
    return sum(x == y for x, y in zip(a, b)) / len(a)


def cohen_kappa(a, b) -> float:
    """Cohen's kappa between two annotators' labels (any hashable labels), from scratch.

    Raises ``ValueError`` when chance agreement is 1 (both used one and the same label for every
    item): kappa is then undefined.
    """
    a, b = _two_raters(a, b)
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = {}, {}
    for x, y in zip(a, b):
        count_a[x] = count_a.get(x, 0) + 1
        count_b[y] = count_b.get(y, 0) + 1
    p_e = math.fsum(count_a[c] * count_b.get(c, 0) for c in count_a) / (n * n)
    if p_e == 1.0:
        raise ValueError("a and b use one and the same label for every item: kappa is undefined")
    return (p_o - p_e) / (1 - p_e)


def _votes(votes) -> list[list[int]]:
    rows = check_non_empty("votes", votes)
    width = None
    out = []
    for i, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
            raise TypeError(f"votes[{i}] must be a list of votes, got {type(row).__name__}")
        row = list(row)
        if width is None:
            width = len(row)
            if width == 0:
                raise ValueError("votes[0] is empty: each item needs one vote per labelling function")
        elif len(row) != width:
            raise ValueError(f"votes[{i}] has {len(row)} votes, votes[0] has {width}")
        for j, v in enumerate(row):
            if isinstance(v, bool) or v not in (0, 1, ABSTAIN):
                raise ValueError(f"votes[{i}][{j}] must be 0, 1 or ABSTAIN (-1), got {v!r}")
        out.append(row)
    return out


def majority_vote(votes) -> list[int]:
    """One label per item: the label with more votes; ``ABSTAIN`` with no votes or a tie."""
    out = []
    for row in _votes(votes):
        ones, zeros = row.count(1), row.count(0)
        out.append(1 if ones > zeros else 0 if zeros > ones else ABSTAIN)
    return out


def weighted_vote(votes, accuracies) -> list[float | None]:
    """Probability that each item is positive, votes weighted by ``log(a / (1 - a))``.

    ``accuracies[j]`` is rule j's accuracy in (0, 1) (estimate it on a small gold set). Returns
    ``None`` for an item no rule voted on, so coverage stays visible.
    """
    rows = _votes(votes)
    acc = check_non_empty("accuracies", accuracies)
    if len(acc) != len(rows[0]):
        raise ValueError(f"accuracies has {len(acc)} values but there are {len(rows[0])} labelling functions")
    weights = [math.log(a / (1 - a)) for a in
               (check_probability(f"accuracies[{j}]", a, open_low=True, open_high=True) for j, a in enumerate(acc))]
    out: list[float | None] = []
    for row in rows:
        if all(v == ABSTAIN for v in row):
            out.append(None)
            continue
        z = math.fsum(w if v == 1 else -w for v, w in zip(row, weights) if v != ABSTAIN)
        out.append(1 / (1 + math.exp(-z)) if z > -700 else 0.0)
    return out


def labeling_function_summary(votes, gold=None, names=None) -> list[dict]:
    """Per labelling function: coverage, overlap, conflict and (with ``gold``) accuracy.

    ``gold`` is an optional list of 0/1 labels, one per item (``None`` for items without a gold
    label). Accuracy is measured on the items the rule voted on and that have a gold label
    (``None`` when there are none).
    """
    rows = _votes(votes)
    m = len(rows[0])
    if gold is not None:
        gold = list(gold)
        check_same_length("votes", rows, "gold", gold)
        for i, g in enumerate(gold):
            if g is not None and (isinstance(g, bool) or g not in (0, 1)):
                raise ValueError(f"gold[{i}] must be 0, 1 or None, got {g!r}")
    if names is None:
        names = [f"lf{j}" for j in range(m)]
    elif len(names) != m:
        raise ValueError(f"names has {len(names)} entries but there are {m} labelling functions")
    n = len(rows)
    out = []
    for j in range(m):
        cover = overlap = conflict = right = judged = 0
        for i, row in enumerate(rows):
            v = row[j]
            if v == ABSTAIN:
                continue
            cover += 1
            others = [u for k, u in enumerate(row) if k != j and u != ABSTAIN]
            overlap += bool(others)
            conflict += any(u != v for u in others)
            if gold is not None and gold[i] is not None:
                judged += 1
                right += v == gold[i]
        out.append({"rule": names[j], "coverage": cover / n, "overlap": overlap / n,
                    "conflict": conflict / n, "accuracy": right / judged if judged else None})
    return out


def flip_labels(y, flip_pos: float, flip_neg: float, seed: int = 0) -> list[int]:
    """Noisy copy of 0/1 labels: a 1 becomes 0 with prob. ``flip_pos``, a 0 becomes 1 with ``flip_neg``."""
    labels = check_labels("y", y)
    p1 = check_probability("flip_pos", flip_pos)
    p0 = check_probability("flip_neg", flip_neg)
    rng = random.Random(check_int("seed", seed))
    return [(1 - v) if rng.random() < (p1 if v else p0) else v for v in labels]
