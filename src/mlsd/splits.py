"""Train/test splits, and how leakage makes offline numbers lie.

An offline test set is a rehearsal of the day the model goes live. It only
rehearses honestly if the model sees nothing at training time that it could not
see in production:

- :func:`random_split` shuffles rows. Fine for data with no time order and
  independent rows; on logs it lets the model train on the future of the rows
  it is tested on.
- :func:`time_split` trains on everything before a cutoff and tests on
  everything after — what a launch at the cutoff would face. Rows that share
  the cutoff timestamp all go to the test side, so no moment is split in two.
- :func:`user_split` holds out whole users: the test asks "how well do we do
  for people we have never seen?" (the cold-start question), and one user's
  rows cannot leak their habits across the split.
- :func:`time_holdout` cuts a log into three periods for tuning: train on the
  oldest rows, compare configurations on the next ones (validation), and score
  the chosen model once on the last period (test), which no choice has seen.

**Leakage through features.** A split can be right and a feature still leak.
The classic case is target encoding, e.g. "this user's click rate"::

    rate(user) = (clicks + m * prior) / (impressions + m)

(``m`` pseudo-impressions at the ``prior`` rate keep users with little history
near the average). Computed over the whole log (:func:`lookahead_rate`), a row's
feature includes that row's own label and the user's future clicks — a model
learns to read the answer off it. Computed *point in time*
(:func:`point_in_time_rate`), each row only counts events strictly before its
timestamp: exactly what a feature store would have served at that moment.
:func:`leakage_demo` measures the gap.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from itertools import groupby

from mlsd.metrics import roc_auc
from mlsd.validate import (check_int, check_labels, check_non_empty, check_positive_int,
                           check_probability, check_same_length)

__all__ = ["random_split", "time_split", "user_split", "point_in_time_rate", "lookahead_rate",
           "leakage_demo", "take", "Holdout", "time_holdout"]


def _fraction(test_fraction: float) -> float:
    return check_probability("test_fraction", test_fraction, open_low=True, open_high=True)


def _timestamps(timestamps) -> list[float]:
    ts = check_non_empty("timestamps", timestamps)
    for i, t in enumerate(ts):
        if isinstance(t, bool) or not isinstance(t, (int, float)):
            raise TypeError(f"timestamps[{i}] must be a number, got {type(t).__name__} {t!r}")
        if not math.isfinite(t):
            raise ValueError(f"timestamps[{i}] must be finite, got {t}")
    return ts


def take(seq, indices) -> list:
    """``[seq[i] for i in indices]`` — pick one side of a split from any column."""
    return [seq[i] for i in indices]


def random_split(n: int, test_fraction: float = 0.2, seed: int = 0) -> tuple[list[int], list[int]]:
    """Shuffle ``range(n)`` and cut it: ``(train indices, test indices)``, each sorted."""
    check_positive_int("n", n)
    _fraction(test_fraction)
    check_int("seed", seed)
    if n < 2:
        raise ValueError(f"n must be >= 2 to have both a train and a test row, got {n}")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    n_test = min(max(1, round(n * test_fraction)), n - 1)
    return sorted(order[n_test:]), sorted(order[:n_test])


def time_split(timestamps, test_fraction: float = 0.2, cutoff: float | None = None,
               assume_sorted: bool = False) -> tuple[list[int], list[int]]:
    """Train on rows before the cutoff, test on rows at or after it.

    Without ``cutoff``, it is the timestamp at which the last ``test_fraction``
    of rows (in time order) begins. With ``assume_sorted=True`` the timestamps
    must already be non-decreasing (a log read in order) and a ``ValueError``
    names the first row that is not — silently sorting a log that should have
    been sorted hides a bug upstream.
    """
    ts = _timestamps(timestamps)
    if not isinstance(assume_sorted, bool):
        raise TypeError(f"assume_sorted must be True or False, got {type(assume_sorted).__name__}")
    if assume_sorted:
        for i in range(1, len(ts)):
            if ts[i] < ts[i - 1]:
                raise ValueError(f"timestamps must be sorted (assume_sorted=True), but "
                                 f"timestamps[{i}] = {ts[i]} comes after {ts[i - 1]}")
        order = list(range(len(ts)))
    else:
        order = sorted(range(len(ts)), key=ts.__getitem__)
    if cutoff is None:
        _fraction(test_fraction)
        cutoff = ts[order[len(ts) - max(1, round(len(ts) * test_fraction))]]
    elif isinstance(cutoff, bool) or not isinstance(cutoff, (int, float)) or not math.isfinite(cutoff):
        raise TypeError(f"cutoff must be a finite number or None, got {cutoff!r}")
    train = [i for i in order if ts[i] < cutoff]
    test = [i for i in order if ts[i] >= cutoff]
    if not train or not test:
        raise ValueError(f"cutoff {cutoff} leaves the {'train' if not train else 'test'} side empty")
    return train, test


@dataclass(frozen=True)
class Holdout:
    """Rows ``X``, 0/1 labels ``y`` and the row indices of three periods:
    ``train``, ``val`` (to compare configurations) and ``test`` (to score the
    chosen one, once). Build it with :func:`time_holdout`."""

    X: list
    y: list
    train: list
    val: list
    test: list

    def fit(self, model):
        """``model.fit`` on the training rows; returns what ``fit`` returns (the model)."""
        return model.fit(take(self.X, self.train), take(self.y, self.train))

    def auc(self, model, part: str = "val") -> float:
        """ROC-AUC of ``model.predict_proba`` on one period: ``"val"`` (default), ``"test"``
        or ``"train"``."""
        if part not in ("train", "val", "test"):
            raise ValueError(f"part must be one of 'train', 'val', 'test'; got {part!r}")
        rows = getattr(self, part)
        return roc_auc(take(self.y, rows), model.predict_proba(take(self.X, rows)))


def time_holdout(X, y, timestamps, *, n_train: int, test_fraction: float = 0.2,
                 assume_sorted: bool = False) -> Holdout:
    """Split rows by time into train, validation and test periods.

    The last ``test_fraction`` of the rows (as :func:`time_split` cuts them) are
    the test period; of the rows before it, the oldest ``n_train`` train the
    models and the rest validate them.
    """
    rows = check_non_empty("X", X)
    labels = check_labels("y", y)
    check_same_length("X", rows, "y", labels)
    check_same_length("X", rows, "timestamps", check_non_empty("timestamps", timestamps))
    check_positive_int("n_train", n_train)
    development, test = time_split(timestamps, test_fraction, assume_sorted=assume_sorted)
    if n_train >= len(development):
        raise ValueError(f"n_train must leave validation rows before the test period "
                         f"({len(development)} rows), got {n_train}")
    return Holdout(rows, labels, development[:n_train], development[n_train:], test)


def user_split(user_ids, test_fraction: float = 0.2, seed: int = 0) -> tuple[list[int], list[int]]:
    """Hold out a random ``test_fraction`` of the *users*, with all of their rows."""
    ids = check_non_empty("user_ids", user_ids)
    _fraction(test_fraction)
    check_int("seed", seed)
    try:
        users = sorted(set(ids), key=repr)        # a fixed order, so the seed alone decides
    except TypeError:
        raise TypeError("user_ids must be hashable (e.g. ints or strings)") from None
    if len(users) < 2:
        raise ValueError(f"user_ids must hold at least 2 distinct users, got {len(users)}")
    random.Random(seed).shuffle(users)
    n_test = min(max(1, round(len(users) * test_fraction)), len(users) - 1)
    test_users = set(users[:n_test])
    train = [i for i, u in enumerate(ids) if u not in test_users]
    test = [i for i, u in enumerate(ids) if u in test_users]
    return train, test


def _rate_inputs(keys, labels, prior_weight, prior):
    keys = check_non_empty("keys", keys)
    y = check_labels("labels", labels)
    check_same_length("keys", keys, "labels", y)
    if isinstance(prior_weight, bool) or not isinstance(prior_weight, (int, float)) \
            or not math.isfinite(prior_weight) or prior_weight < 0:
        raise ValueError(f"prior_weight must be a finite number >= 0, got {prior_weight!r}")
    prior = sum(y) / len(y) if prior is None else check_probability("prior", prior)
    return keys, y, float(prior_weight), prior


def lookahead_rate(keys, labels, prior_weight: float = 10.0, prior: float | None = None) -> list[float]:
    """LEAKY: each row's smoothed rate over the *whole* log, its own label included."""
    keys, y, m, prior = _rate_inputs(keys, labels, prior_weight, prior)
    clicks, shown = {}, {}
    for k, label in zip(keys, y):
        clicks[k] = clicks.get(k, 0) + label
        shown[k] = shown.get(k, 0) + 1
    return [(clicks[k] + m * prior) / (shown[k] + m) for k in keys]


def point_in_time_rate(keys, timestamps, labels, prior_weight: float = 10.0,
                       prior: float | None = None) -> list[float]:
    """Each row's smoothed rate over events *strictly before* its timestamp."""
    keys, y, m, prior = _rate_inputs(keys, labels, prior_weight, prior)
    ts = _timestamps(timestamps)
    check_same_length("keys", keys, "timestamps", ts)
    out = [0.0] * len(keys)
    clicks, shown = {}, {}
    order = sorted(range(len(ts)), key=ts.__getitem__)
    for _, same_time in groupby(order, key=ts.__getitem__):
        rows = list(same_time)
        for i in rows:          # first read the features of everything at this instant ...
            k = keys[i]
            out[i] = (clicks.get(k, 0) + m * prior) / (shown.get(k, 0) + m)
        for i in rows:          # ... then learn from their labels
            clicks[keys[i]] = clicks.get(keys[i], 0) + y[i]
            shown[keys[i]] = shown.get(keys[i], 0) + 1
    return out


def leakage_demo(keys, timestamps, labels, test_fraction: float = 0.3,
                 prior_weight: float = 10.0) -> dict:
    """Test AUC of a per-key rate feature computed three ways, on a time split.

    - ``lookahead``: over the whole log (leaks each row's own label and the future);
    - ``point_in_time``: each row sees only its past (what serving would see);
    - ``frozen_at_cutoff``: rates from the training period only, applied to every
      test row (what a model trained at the cutoff and never updated would see).

    The feature is used as the score directly, so no model is involved: any gap
    is the leak.
    """
    keys = check_non_empty("keys", keys)
    y = check_labels("labels", labels)
    ts = _timestamps(timestamps)
    check_same_length("keys", keys, "labels", y)
    check_same_length("keys", keys, "timestamps", ts)
    train, test = time_split(ts, test_fraction)
    y_test = take(y, test)
    if len(set(y_test)) < 2:
        raise ValueError("the test period must contain both clicks and non-clicks")
    prior = sum(take(y, train)) / len(train)
    ahead = lookahead_rate(keys, y, prior_weight, prior)
    pit = point_in_time_rate(keys, ts, y, prior_weight, prior)
    frozen = lookahead_rate(take(keys, train), take(y, train), prior_weight, prior)
    by_key = dict(zip(take(keys, train), frozen))
    frozen_test = [by_key.get(keys[i], prior) for i in test]
    return {
        "train_rows": len(train), "test_rows": len(test),
        "auc_lookahead": roc_auc(y_test, take(ahead, test)),
        "auc_point_in_time": roc_auc(y_test, take(pit, test)),
        "auc_frozen_at_cutoff": roc_auc(y_test, frozen_test),
    }
