"""Seeded click logs for click-through-rate (CTR) prediction.

Each row is one ad *impression*: a user saw an ad at some position, at some
time, and either clicked (label 1) or not (label 0). Twenty features describe
the impression — twelve numeric, eight categorical — the kind a real ranking
team logs at serving time.

How a label is drawn. Every impression gets a logit

    z = b + user effect + ad effect + main effects + interactions (+ drift)

and clicks with probability ``sigmoid(z)``. The intercept ``b`` is solved (by
bisection) so the mean click probability equals ``base_ctr``. The *interactions*
are what make the data set useful for teaching: a linear model on raw features
cannot see them, while feature crosses, factorization machines, trees and cross
networks can:

- ``user_interest == ad_category``            (a categorical cross)
- ``device == "mobile"`` and ``placement == "feed"``, ``desktop`` and ``sidebar``
- games ads late at night; tech/finance ads in weekday office hours
- young users and games/fashion ads; older users and travel/finance ads
- ``text_match`` matters more at the top positions than further down
- slow pages (``page_load_ms`` > 2000) lose clicks — a threshold, not a line

``interaction_strength`` scales all of these terms. At the default 1 they are
real but modest next to the noise of a few thousand impressions; at 3 (with a
``base_ctr`` near 0.1, so there are enough clicks to learn from) crosses, trees
and factorization machines clearly beat a linear model on raw features.

``bid`` and two of the countries carry no signal at all: not every logged
feature helps. ``true_ctr`` keeps the probability each label was drawn from, so
a page can show the best AUC any model could reach, or check calibration.

Timestamps span ``days`` days starting 2024-01-01 00:00 UTC and rows are sorted
by time, ready for a time-based split. ``hour`` and ``day_of_week`` agree with
the timestamp. With ``drift=True`` the world changes halfway through: the
mobile-feed boost disappears and travel ads surge — a model trained on the first
half is scored on a different distribution.

Only ``random.Random`` and float arithmetic are used, so the same seed gives the
same log on CPython and in Pyodide. :func:`make_clicks` is memoized and returns
an immutable :class:`ClickLog`, so a second cell asking for the same log gets
the same object instantly.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
from dataclasses import dataclass

from mlsd.validate import (check_in_range, check_int, check_non_empty, check_positive_int,
                           check_probability)

__all__ = ["ClickLog", "make_clicks", "NUMERIC_FEATURES", "CATEGORICAL_FEATURES", "START_TIME"]

NUMERIC_FEATURES = (
    "user_age", "user_sessions_7d", "user_past_ctr", "ad_quality", "ad_age_days",
    "ad_past_ctr", "position", "hour", "text_match", "bid", "hours_since_last_click",
    "page_load_ms",
)
CATEGORICAL_FEATURES = (
    "device", "os", "country", "placement", "ad_category", "user_interest",
    "day_of_week", "advertiser",
)
START_TIME = 1_704_067_200  # 2024-01-01 00:00:00 UTC, a Monday

_CATEGORIES = ("games", "fashion", "travel", "finance", "sports", "food", "tech",
               "music", "autos", "home")
_DEVICES = ("mobile", "desktop", "tablet")
_OS = {"mobile": ("android", "ios"), "tablet": ("android", "ios"),
       "desktop": ("windows", "macos", "linux")}
_COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR", "JP", "CA")
_COUNTRY_EFFECT = {"US": 0.1, "GB": 0.05, "DE": -0.1, "FR": 0.0, "IN": 0.15,
                   "BR": 0.1, "JP": -0.2, "CA": 0.0}  # FR and CA carry no signal
_PLACEMENTS = ("feed", "sidebar", "top_banner", "search")
_PLACEMENT_EFFECT = {"feed": 0.2, "sidebar": -0.4, "top_banner": 0.0, "search": 0.4}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Relative traffic by hour of day (UTC): quiet at night, peaks in the evening.
_HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4)


@dataclass(frozen=True)
class ClickLog:
    """An immutable click log; row ``i`` of every field is impression ``i``.

    :ivar numeric: one tuple of 12 floats per row (names in ``numeric_names``).
    :ivar categorical: one tuple of 8 strings per row (names in ``categorical_names``).
    :ivar labels: 1 = click, 0 = no click.
    :ivar timestamps: seconds since the Unix epoch (UTC), non-decreasing.
    :ivar user_ids: who saw each ad (for per-user splits and target encoding).
    :ivar ad_ids: which ad was shown.
    :ivar true_ctr: the click probability each label was drawn from.
    :ivar drift_time: the timestamp where the world changed, or ``None``.
    """

    numeric_names: tuple
    categorical_names: tuple
    numeric: tuple
    categorical: tuple
    labels: tuple
    timestamps: tuple
    user_ids: tuple
    ad_ids: tuple
    true_ctr: tuple
    base_ctr: float
    drift_time: int | None
    seed: int

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        ctr = sum(self.labels) / len(self.labels) if self.labels else 0.0
        return (f"ClickLog(rows={len(self)}, clicks={sum(self.labels)}, ctr={ctr:.4f}, "
                f"users={len(set(self.user_ids))}, drift={self.drift_time is not None})")

    @property
    def feature_names(self) -> tuple:
        """All 20 feature names: numeric first, then categorical."""
        return self.numeric_names + self.categorical_names

    @property
    def categories(self) -> dict:
        """For each categorical feature, its values in sorted order (the code of a value is its index)."""
        return {name: tuple(sorted({row[j] for row in self.categorical}))
                for j, name in enumerate(self.categorical_names)}

    def records(self) -> list[dict]:
        """The rows as dicts ``{feature name: value}`` — the input of feature hashing."""
        names = self.feature_names
        return [dict(zip(names, num + cat)) for num, cat in zip(self.numeric, self.categorical)]

    def matrix(self) -> list[list[float]]:
        """The rows as numbers: 12 numeric columns, then each categorical as its integer code.

        Trees split on the codes directly; linear models want one-hot or hashed
        features instead (see :mod:`mlsd.ranking.features`).
        """
        codes = [{v: float(i) for i, v in enumerate(vals)} for vals in self.categories.values()]
        return [list(num) + [codes[j][v] for j, v in enumerate(cat)]
                for num, cat in zip(self.numeric, self.categorical)]

    def dense(self) -> list[list[float]]:
        """The rows as 17 numbers for a small network: the 12 numeric columns, then five 0/1
        indicators for what the click logits' interactions read (device is mobile; placement is
        feed, sidebar or search; the user's interest is the ad's category)."""
        j = {name: k for k, name in enumerate(self.categorical_names)}
        dev, place, interest, topic = j["device"], j["placement"], j["user_interest"], j["ad_category"]
        return [[float(v) for v in num] + [
                    float(cat[dev] == "mobile"), float(cat[place] == "feed"), float(cat[place] == "sidebar"),
                    float(cat[place] == "search"), float(cat[interest] == cat[topic])]
                for num, cat in zip(self.numeric, self.categorical)]

    def columns(self, names) -> list[list[float]]:
        """The rows as numbers, restricted to the numeric features ``names`` (in that order)."""
        names = check_non_empty("names", names)
        unknown = [n for n in names if n not in self.numeric_names]
        if unknown:
            raise ValueError(f"names must be numeric features ({', '.join(self.numeric_names)}), "
                             f"got {unknown[0]!r}")
        cols = [self.numeric_names.index(n) for n in names]
        return [[row[j] for j in cols] for row in self.numeric]

    def subset(self, indices) -> "ClickLog":
        """A new log with the rows at ``indices`` (in that order), e.g. one side of a split."""
        n = len(self)
        idx = list(indices)
        for i in idx:
            if isinstance(i, bool) or not isinstance(i, int):
                raise TypeError(f"indices must hold integers, got {type(i).__name__}")
            if not 0 <= i < n:
                raise ValueError(f"indices must be in [0, {n}), got {i}")
        pick = lambda col: tuple(col[i] for i in idx)  # noqa: E731
        return ClickLog(self.numeric_names, self.categorical_names, pick(self.numeric),
                        pick(self.categorical), pick(self.labels), pick(self.timestamps),
                        pick(self.user_ids), pick(self.ad_ids), pick(self.true_ctr),
                        self.base_ctr, self.drift_time, self.seed)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _solve_intercept(logits: list[float], target: float) -> float:
    """The ``b`` with mean(sigmoid(z + b)) == target.

    The mean is increasing in ``b``, so Newton's method (slope = mean of
    p(1-p)) converges in a handful of passes; a bisection bracket catches the
    rare step that would overshoot.
    """
    exp, n = math.exp, len(logits)
    lo, hi, b = -20.0, 20.0, 0.0
    for _ in range(100):
        # Logits here stay within +-50, so the plain formula cannot overflow.
        p = [1.0 / (1.0 + exp(-z - b)) for z in logits]
        gap = sum(p) / n - target
        if abs(gap) < 1e-15:
            break
        lo, hi = (b, hi) if gap < 0 else (lo, b)
        step = gap / (sum([q * (1.0 - q) for q in p]) / n)
        b = b - step if lo < b - step < hi else (lo + hi) / 2
    return b


def make_clicks(*, n: int = 5000, base_ctr: float = 0.03, drift: bool = False, days: int = 14,
                n_users: int | None = None, n_ads: int = 200, interaction_strength: float = 1.0,
                seed: int = 0) -> ClickLog:
    """Build (or fetch from the cache) a seeded click log of ``n`` impressions.

    :param n: number of impressions (rows).
    :param base_ctr: the mean click probability, in (0, 1); real display ads sit at 0.1-5 %.
    :param drift: if True, the click model changes at the midpoint in time (``drift_time``).
    :param days: the time span of the log.
    :param n_users: distinct users (default ``n // 8``, so about 8 impressions each).
    :param n_ads: distinct ads.
    :param interaction_strength: multiplies every interaction and threshold term of
        the click model. At 1 they are real but modest next to the noise; at
        2-3 a linear model on raw features clearly falls behind crosses, FMs,
        trees and cross networks; at 0 the log is (almost) linear in its features.
    :param seed: the random seed; same seed, same log, on CPython and Pyodide.
    """
    check_positive_int("n", n)
    check_int("seed", seed)
    check_probability("base_ctr", base_ctr, open_low=True, open_high=True)
    if not isinstance(drift, bool):
        raise TypeError(f"drift must be True or False, got {type(drift).__name__}")
    check_positive_int("days", days)
    if n_users is not None:
        check_positive_int("n_users", n_users)
    check_positive_int("n_ads", n_ads)
    k = check_in_range("interaction_strength", interaction_strength, 0.0, 10.0)
    return _build(n, seed, float(base_ctr), drift, days, n_users or max(1, n // 8), n_ads, k)


@functools.lru_cache(maxsize=16)
def _build(n, seed, base_ctr, drift, days, n_users, n_ads, k) -> ClickLog:
    rng = random.Random(seed)

    # Users: fixed attributes plus a hidden propensity to click.
    users = []
    for _ in range(n_users):
        device = rng.choices(_DEVICES, weights=(6, 3, 1))[0]
        users.append({
            "age": rng.randint(18, 70), "device": device, "os": rng.choice(_OS[device]),
            "country": rng.choice(_COUNTRIES), "interest": rng.choice(_CATEGORIES),
            "propensity": rng.gauss(0.0, 0.5), "sessions": min(60, int(rng.expovariate(1 / 8))),
        })
    # Ads: a category, an advertiser, a quality score and a hidden appeal.
    ads = []
    for _ in range(n_ads):
        ads.append({"category": rng.choice(_CATEGORIES), "advertiser": f"adv{rng.randrange(30):02d}",
                    "quality": rng.random(), "appeal": rng.gauss(0.0, 0.4),
                    "created_day": rng.uniform(-45.0, days)})
    # A few users are far more active than others (Zipf-like weights). With
    # cumulative weights a draw is one binary search — the very draw
    # rng.choices(population, cum_weights=cum) makes, without its per-call set-up.
    user_cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.7 for r in range(n_users)))
    hour_cum = list(itertools.accumulate(_HOUR_WEIGHTS))

    def draw(cum):
        return bisect.bisect(cum, rng.random() * cum[-1], 0, len(cum) - 1)

    # Impression times: a uniform day, a diurnal hour, then sort so the log reads in time order.
    times = sorted(START_TIME + d * 86400 + h * 3600 + rng.randrange(3600)
                   for d, h in ((rng.randrange(days), draw(hour_cum))
                                for _ in range(n)))
    drift_time = START_TIME + days * 86400 // 2 if drift else None

    rows, logits = [], []
    for t in times:
        u = draw(user_cum)
        a = rng.randrange(n_ads)
        user, ad = users[u], ads[a]
        hour = (t - START_TIME) // 3600 % 24
        dow = _DAYS[(t - START_TIME) // 86400 % 7]
        # Mobile users sometimes browse on a desktop too, so device varies a little per user.
        device = user["device"] if rng.random() < 0.9 else rng.choice(_DEVICES)
        os_name = user["os"] if device == user["device"] else rng.choice(_OS[device])
        placement = rng.choice(_PLACEMENTS)
        position = rng.randint(1, 8)
        text_match = rng.betavariate(2, 3)
        page_load = min(5000.0, rng.lognormvariate(6.8, 0.5))
        age_days = max(0.0, (t - START_TIME) / 86400 - ad["created_day"])
        hours_since = min(500.0, rng.expovariate(1 / 48))
        after_drift = drift_time is not None and t >= drift_time

        z = user["propensity"] + ad["appeal"]
        z += 0.8 * (ad["quality"] - 0.5) - 0.25 * (position - 1) + 1.2 * text_match
        z += _COUNTRY_EFFECT[user["country"]] + _PLACEMENT_EFFECT[placement]
        z += 0.3 * math.exp(-age_days / 7) - 0.3 * math.log1p(hours_since / 24)
        # The non-linear and interaction terms, all scaled by `k` (interaction_strength):
        z += -0.6 * k if page_load > 2000 else 0.0
        z += 1.0 * k if user["interest"] == ad["category"] else 0.0
        if device == "mobile" and placement == "feed" and not after_drift:
            z += 0.7 * k
        if device == "desktop" and placement == "sidebar":
            z -= 0.5 * k
        if ad["category"] == "games" and (hour >= 21 or hour < 2):
            z += 0.8 * k
        if ad["category"] in ("tech", "finance") and 9 <= hour < 17 and dow not in ("sat", "sun"):
            z += 0.5 * k
        if user["age"] < 30 and ad["category"] in ("games", "fashion"):
            z += 0.5 * k
        if user["age"] > 50 and ad["category"] in ("travel", "finance"):
            z += 0.5 * k
        z += 0.8 * k * text_match if position <= 2 else 0.0
        if after_drift and ad["category"] == "travel":
            z += 1.0

        # Logged "historical CTR" features: noisy views of the hidden user/ad effects.
        user_past = _sigmoid(-3.5 + user["propensity"] + rng.gauss(0.0, 0.4))
        ad_past = _sigmoid(-3.5 + ad["appeal"] + 0.8 * (ad["quality"] - 0.5) + rng.gauss(0.0, 0.4))
        numeric = (float(user["age"]), float(user["sessions"]), round(user_past, 5),
                   round(ad["quality"], 4), round(age_days, 2), round(ad_past, 5),
                   float(position), float(hour), round(text_match, 4),
                   round(rng.uniform(0.1, 5.0), 2), round(hours_since, 1), round(page_load, 0))
        categorical = (device, os_name, user["country"], placement, ad["category"],
                       user["interest"], dow, ad["advertiser"])
        rows.append((numeric, categorical, t, u, a))
        logits.append(z)

    b = _solve_intercept(logits, base_ctr)
    probs = [_sigmoid(z + b) for z in logits]
    labels = tuple(1 if rng.random() < p else 0 for p in probs)
    return ClickLog(
        numeric_names=NUMERIC_FEATURES, categorical_names=CATEGORICAL_FEATURES,
        numeric=tuple(r[0] for r in rows), categorical=tuple(r[1] for r in rows),
        labels=labels, timestamps=tuple(r[2] for r in rows), user_ids=tuple(r[3] for r in rows),
        ad_ids=tuple(r[4] for r in rows), true_ctr=tuple(round(p, 6) for p in probs),
        base_ctr=base_ctr, drift_time=drift_time, seed=seed)
