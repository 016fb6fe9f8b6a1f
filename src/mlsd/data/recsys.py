"""Synthetic recommender data: users, items, impressions and clicks over time.

The generator writes down a *known* world, so a page can check that a model
recovers it. The generative story, for ``d``-dimensional latent factors:

1. **Topics.** ``n_clusters`` topic centres ``c_k`` are drawn from N(0, I).
   Item ``i`` belongs to topic ``k(i)`` and has the unit-length latent vector
   ``v_i = normalize(c_k + spread * noise)``. Its *category* (the topic id) is
   an observable feature.
2. **Popularity.** Items get a Zipf weight: the item at popularity rank ``r``
   (ranks shuffled, independent of topic) is shown with probability
   proportional to ``1 / r**zipf_s``. A few items take most impressions.
3. **Users.** User ``u`` has a favourite topic, partly predictable from their
   observable ``age_bucket`` (so features help with new users), and the taste
   vector ``t_u = normalize(c_fav + user_spread * noise)``.
4. **Time.** Events cover ``days`` days. Most users and items exist at day 0;
   a fraction ``new_fraction`` joins later, uniformly over the period. These
   are the cold-start users and items of a time-based split.
5. **Impressions.** At each event an active, already-joined user sees one
   already-created item: from the popularity distribution with probability
   ``1 - personal_share``, otherwise a random item of their favourite topic
   (a stand-in for an existing recommender).
6. **Clicks.** The user clicks with probability
   ``sigmoid(affinity * t_u . v_i + pop_effect * log(n_items * pop_i) + bias)``.
7. **Drift.** From ``drift_day`` on, every user's taste moves toward one
   "trending" topic, ``t_u <- normalize(t_u + 0.8 * c_trend / |c_trend|)``, and
   the personalised impressions come from the trending topic half the time.
   Models trained before the drift point get worse after it.

Determinism: only ``random.Random(seed)`` is used, and Gaussian noise comes
from ``Random.normalvariate``, whose result is pure arithmetic (its single
``log`` only decides accept/reject). Sums of floats use ``math.fsum``, which is
correctly rounded everywhere, whereas the built-in ``sum`` of floats became
compensated in Python 3.12 and so differs from 3.11 in the last bit. The same
seed therefore gives bit-identical data on CPython 3.11 and Pyodide. Builders
are memoized with ``functools.lru_cache``; they return immutable tuples so a
caller cannot corrupt the cache.
"""

from __future__ import annotations

import functools
import math
import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import attrgetter, mul
from typing import NamedTuple

from mlsd.validate import (check_int, check_non_empty, check_non_negative_int, check_number,
                           check_positive,
                           check_positive_int, check_positive_ints, check_probability)

__all__ = ["User", "Item", "Event", "RecsysData", "AnnData", "make_recsys",
           "clustered_vectors", "make_ann_dataset", "zipf_weights",
           "FEATURE_NAMES", "pair_features", "candidate_features", "click_rate_model"]


# ----------------------------------------------------------------- small helpers
def _normalize(v: list[float]) -> tuple[float, ...]:
    norm = math.sqrt(math.fsum(map(mul, v, v))) or 1.0
    return tuple([x / norm for x in v])


def _gauss_vector(rng: random.Random, d: int) -> list[float]:
    # normalvariate, not gauss: its output is + - * / only, so bit-identical
    # across platforms whose libm differ in the last digit of cos/log.
    return [rng.normalvariate(0.0, 1.0) for _ in range(d)]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    """Zipf probabilities for ranks 1..n: ``p(r) = r**-s / sum_j j**-s``."""
    check_positive_int("n", n)
    s = check_number("s", s)
    if s < 0:
        raise ValueError(f"s must be >= 0, got {s}")
    w = [1.0 / (r ** s) for r in range(1, n + 1)]
    total = math.fsum(w)
    return [x / total for x in w]


# ------------------------------------------------------------- clustered vectors
@dataclass(frozen=True)
class AnnData:
    """Vectors for nearest-neighbour demos: a base set, held-out queries, and
    the topic (cluster) each base vector came from."""
    vectors: tuple[tuple[float, ...], ...]
    queries: tuple[tuple[float, ...], ...]
    labels: tuple[int, ...]


@functools.lru_cache(maxsize=16)
def make_ann_dataset(*, n: int = 10_000, n_queries: int = 100, d: int = 32,
                     n_clusters: int = 64, spread: float = 1.0,
                     seed: int = 0) -> AnnData:
    """Unit vectors drawn around ``n_clusters`` random centres, plus queries
    from the same mixture (so they have near neighbours, as real queries do).

    ``spread`` is the noise scale relative to a centre (centres have norm about
    ``sqrt(d)``, noise about ``spread * sqrt(d)``): small = tight, easy
    clusters; around 1 = clusters overlap and ANN gets harder.
    """
    check_positive_ints(n=n, d=d, n_clusters=n_clusters)
    check_non_negative_int("n_queries", n_queries)
    check_positive("spread", spread)
    check_int("seed", seed)
    rng = random.Random(seed)
    centres = [_gauss_vector(rng, d) for _ in range(n_clusters)]

    def draw(count: int) -> tuple[list[tuple[float, ...]], list[int]]:
        out, labels = [], []
        for _ in range(count):
            k = rng.randrange(n_clusters)
            c = centres[k]
            out.append(_normalize([c[j] + spread * rng.normalvariate(0.0, 1.0)
                                   for j in range(d)]))
            labels.append(k)
        return out, labels

    vectors, labels = draw(n)
    queries, _ = draw(n_queries)
    return AnnData(tuple(vectors), tuple(queries), tuple(labels))


def clustered_vectors(*, n: int, d: int = 32, n_clusters: int = 64, spread: float = 1.0,
                      seed: int = 0) -> tuple[tuple[float, ...], ...]:
    """``n`` unit vectors in ``n_clusters`` clusters (see :func:`make_ann_dataset`)."""
    return make_ann_dataset(n=n, n_queries=0, d=d, n_clusters=n_clusters, spread=spread,
                            seed=seed).vectors


# ------------------------------------------------------------------ recsys world
@dataclass(frozen=True)
class User:
    id: int
    age_bucket: int             # observable: 0..4
    country: int                # observable: 0..7
    activity: float             # relative number of sessions (hidden)
    joined_at: float            # day the user signed up
    favourite: int              # favourite topic (hidden)
    taste: tuple[float, ...]    # latent taste vector t_u (hidden)
    drifted_taste: tuple[float, ...]  # t_u after the drift point (hidden)


@dataclass(frozen=True)
class Item:
    id: int
    category: int               # observable: the topic id
    popularity: float           # Zipf share of impressions (hidden; observable as counts)
    created_at: float           # day the item was uploaded
    vector: tuple[float, ...]   # latent vector v_i (hidden)


class Event(NamedTuple):        # a named tuple: a world holds tens of thousands, made in a loop
    t: float                    # time in days since the start
    user: int
    item: int
    clicked: int                # 1 = click (the positive label), 0 = skipped


@dataclass(frozen=True, eq=False)   # eq=False: hash by identity, cheap for caches
class RecsysData:
    """One generated world. ``events`` (impressions) are sorted by time."""
    users: tuple[User, ...]
    items: tuple[Item, ...]
    events: tuple[Event, ...]
    days: float
    drift_day: float
    trending_topic: int
    n_clusters: int
    seed: int

    def interactions(self) -> list[Event]:
        """The positive events (clicks), in time order."""
        return [e for e in self.events if e.clicked]

    def split_by_time(self, t: float) -> tuple[list[Event], list[Event]]:
        """Events before day ``t`` and from day ``t`` on (no shuffling: the past
        trains, the future tests)."""
        t = check_number("t", t)
        cut = bisect_right([e.t for e in self.events], t - 1e-12)
        return list(self.events[:cut]), list(self.events[cut:])

    def true_score(self, user: int, item: int, t: float = 0.0) -> float:
        """The click logit the generator used (for checking models against truth)."""
        return _click_logit(self, user, item, t)

    def true_scores(self, events) -> list[float]:
        """:meth:`true_score` of every event in ``events`` (``Event``s, or anything with ``user``,
        ``item`` and ``t``): the same floats, with the world's lookups done once per log rather
        than three calls per event (a 28-day world has tens of thousands of clicks to score)."""
        users, items, drift_day, n_items = self.users, self.items, self.drift_day, len(self.items)
        fsum, log = math.fsum, math.log
        scores = []
        for e in events:
            it, us = items[e.item], users[e.user]
            taste = us.drifted_taste if e.t >= drift_day else us.taste
            # _logit, inlined: the same operations in the same order
            scores.append(_AFFINITY * fsum(map(mul, taste, it.vector))
                          + _POP_EFFECT * log(n_items * it.popularity) + _BIAS)
        return scores


# Click model constants: affinity dominates, popularity adds a little, and the
# bias puts the overall click rate around 20%.
_AFFINITY, _POP_EFFECT, _BIAS, _DRIFT_STRENGTH = 4.0, 0.3, -2.5, 0.8


def _click_logit(data: RecsysData, user: int, item: int, t: float) -> float:
    it, us = data.items[item], data.users[user]
    taste = us.drifted_taste if t >= data.drift_day else us.taste
    return _logit(taste, it.vector, math.log(len(data.items) * it.popularity))


def _logit(taste, vector, log_pop: float) -> float:
    """``affinity * t_u . v_i + pop_effect * log(n_items * pop_i) + bias``, given the log term."""
    return _AFFINITY * math.fsum(map(mul, taste, vector)) + _POP_EFFECT * log_pop + _BIAS


@functools.lru_cache(maxsize=8)
def make_recsys(*, n_users: int = 1000, n_items: int = 2000, n_events: int = 20_000,
                d: int = 32, n_clusters: int = 16, days: float = 28.0,
                drift_day: float = 21.0, new_fraction: float = 0.1,
                zipf_s: float = 1.0, personal_share: float = 0.5,
                spread: float = 0.5, user_spread: float = 0.5,
                seed: int = 0) -> RecsysData:
    """Build (once per argument set) a seeded recommender world; see the module
    docstring for the story. Takes about 0.1 s for the defaults in CPython."""
    check_positive_ints(n_users=n_users, n_items=n_items, n_events=n_events, d=d,
                        n_clusters=n_clusters)
    days = check_positive("days", days)
    drift_day = check_number("drift_day", drift_day)
    if not 0 <= drift_day <= days:
        raise ValueError(f"drift_day must be between 0 and days ({days}), got {drift_day}")
    check_probability("new_fraction", new_fraction)
    if new_fraction == 1:
        raise ValueError("new_fraction must be < 1 so some users and items exist at day 0")
    zipf_s = check_number("zipf_s", zipf_s)
    if zipf_s < 0:
        raise ValueError(f"zipf_s must be >= 0, got {zipf_s}")
    check_probability("personal_share", personal_share)
    check_positive("spread", spread)
    check_positive("user_spread", user_spread)
    check_int("seed", seed)

    rng = random.Random(seed)
    centres = [_gauss_vector(rng, d) for _ in range(n_clusters)]

    # Items: topic, Zipf popularity by shuffled rank, creation day.
    ranks = list(range(n_items))
    rng.shuffle(ranks)
    zipf = zipf_weights(n_items, zipf_s)
    items = []
    for i in range(n_items):
        k = rng.randrange(n_clusters)
        created = rng.uniform(0, days) if rng.random() < new_fraction and i else 0.0
        vec = _normalize([c + spread * rng.normalvariate(0.0, 1.0) for c in centres[k]])
        items.append(Item(i, k, zipf[ranks[i]], created, vec))

    # Users: age bucket predicts the favourite topic 60% of the time.
    trending = rng.randrange(n_clusters)
    trend = _normalize(centres[trending])
    users = []
    for u in range(n_users):
        age = rng.randrange(5)
        country = rng.randrange(8)
        if rng.random() < 0.6:
            fav = rng.randrange(age, n_clusters, 5) if age < n_clusters else rng.randrange(n_clusters)
        else:
            fav = rng.randrange(n_clusters)
        taste = _normalize([c + user_spread * rng.normalvariate(0.0, 1.0) for c in centres[fav]])
        drifted = _normalize([a + _DRIFT_STRENGTH * b for a, b in zip(taste, trend)])
        joined = rng.uniform(0, days) if rng.random() < new_fraction and u else 0.0
        activity = 1.0 / math.sqrt(1.0 - rng.random())  # Pareto(2): a few heavy users
        users.append(User(u, age, country, activity, joined, fav, taste, drifted))

    # Impressions, in time order. Sampling by cumulative weights + bisect is
    # what random.choices does; we do it by hand to reject not-yet-existing
    # users/items cheaply.
    user_cum = list(accumulate(us.activity for us in users))
    item_cum = list(accumulate(it.popularity for it in items))
    by_topic = [[] for _ in range(n_clusters)]
    for it in items:
        by_topic[it.category].append(it.id)
    rand, getrandbits = rng.random, rng.getrandbits
    times = sorted([days * rand() for _ in range(n_events)])   # rng.uniform(0, days), inlined
    # The loop below runs n_events times and is most of the build, so everything it reads is
    # looked up once here: plain lists instead of attributes, each item's popularity term of the
    # click logit, and each topic's pool with the bit length rng.choice draws an index with.
    user_total, item_total = user_cum[-1], item_cum[-1]
    joined = [us.joined_at for us in users]
    favourite = [us.favourite for us in users]
    taste = [us.taste for us in users]
    drifted_taste = [us.drifted_taste for us in users]
    created = [it.created_at for it in items]
    vector = [it.vector for it in items]
    pop_term = [_POP_EFFECT * math.log(n_items * it.popularity) for it in items]
    pools = [(pool, len(pool), len(pool).bit_length()) if pool
             else (range(n_items), n_items, n_items.bit_length()) for pool in by_topic]
    fsum, exp = math.fsum, math.exp
    events = []
    for t in times:
        while True:
            u = bisect_right(user_cum, rand() * user_total)
            if joined[u] <= t:
                break
        while True:
            if rand() < personal_share:
                topic = favourite[u]
                if t >= drift_day and rand() < 0.5:
                    topic = trending
                # rng.choice(pool), inlined: the same draws (getrandbits of the pool size's
                # bit length, drawn again while out of range) without three calls per event
                pool, size, bits = pools[topic]
                r = getrandbits(bits)
                while r >= size:
                    r = getrandbits(bits)
                i = pool[r]
            else:
                i = min(bisect_right(item_cum, rand() * item_total), n_items - 1)
            if created[i] <= t:
                break
        # _logit and _sigmoid, inlined (same operations in the same order, so the same floats)
        z = (_AFFINITY * fsum(map(mul, drifted_taste[u] if t >= drift_day else taste[u], vector[i]))
             + pop_term[i] + _BIAS)
        p = 1.0 / (1.0 + exp(-z)) if z >= 0 else exp(z) / (1.0 + exp(z))
        events.append((t, u, i, 1 if rand() < p else 0))
    # Event(*row) for every row, without a Python-level call per event (a namedtuple's
    # constructor is one): that call was a tenth of this loop's time in the browser.
    events = map(tuple.__new__, repeat(Event), events)
    return RecsysData(tuple(users), tuple(items), tuple(events), days, drift_day,
                      trending, n_clusters, seed)


# ------------------------------------------------------------ ranking features
FEATURE_NAMES = (
    "retrieval_score", "item_log_impressions", "item_ctr", "item_age_days",
    "item_is_new", "user_log_impressions", "user_ctr", "user_is_new",
    "user_topic_impressions", "user_topic_ctr", "same_as_last_topic",
    "days_since_user_saw_topic", "age_bucket", "country",
    "category", "topic_ctr", "topic_share_recent", "user_x_item_ctr",
    "hour_of_day", "is_trending_topic",
)


@dataclass(frozen=True)
class _Stats:
    item_imp: tuple[int, ...]
    item_clk: tuple[int, ...]
    user_imp: tuple[int, ...]
    user_clk: tuple[int, ...]
    user_topic: dict       # (user, topic) -> (impressions, clicks, last day)
    user_last_topic: dict  # user -> topic of last click
    topic_imp: tuple[int, ...]
    topic_clk: tuple[int, ...]
    topic_recent: tuple[float, ...]
    t_end: float


class _RunningCounts:
    """The counters of :class:`_Stats` over the first ``n`` events of ``data``, advanced in
    time order. The snapshot of day ``d`` is an earlier day's counts plus the events in
    between, so the days of one world, asked for in order, cost one pass over the log."""

    def __init__(self, data: RecsysData):
        n_u, n_i, n_k = len(data.users), len(data.items), data.n_clusters
        self.data, self.n, self.t_end = data, 0, -math.inf
        self.category = [it.category for it in data.items]
        self.item_imp, self.item_clk = [0] * n_i, [0] * n_i
        self.user_imp, self.user_clk = [0] * n_u, [0] * n_u
        self.topic_imp, self.topic_clk = [0] * n_k, [0] * n_k
        self.user_topic, self.last_topic = {}, {}

    def advance(self, t_end: float) -> None:
        """Count the events from the ``n``-th up to the first one at or after ``t_end``."""
        events, category = self.data.events, self.category
        item_imp, item_clk = self.item_imp, self.item_clk
        user_imp, user_clk = self.user_imp, self.user_clk
        topic_imp, topic_clk = self.topic_imp, self.topic_clk
        user_topic, last_topic = self.user_topic, self.last_topic
        # The log is in time order: a binary search finds where to stop, and the loop (tens of
        # thousands of events per world) unpacks each event instead of testing its time.
        stop = bisect_left(events, t_end, lo=self.n, key=_event_time)
        for t, user, item, clicked in events[self.n:stop]:
            k = category[item]
            item_imp[item] += 1
            user_imp[user] += 1
            topic_imp[k] += 1
            imps, clicks, _ = user_topic.get((user, k), (0, 0, None))
            user_topic[user, k] = (imps + 1, clicks + clicked, t)
            if clicked:                  # most impressions are not clicked: skip their +0s
                item_clk[item] += clicked
                user_clk[user] += clicked
                topic_clk[k] += clicked
                last_topic[user] = k
        self.n, self.t_end = stop, t_end


_event_time = attrgetter("t")
_RUNNING: dict = {}   # {"counts": _RunningCounts} of the world snapshotted last (one at a time)


@functools.lru_cache(maxsize=64)      # one snapshot per day of a 28-day world, and then some
def _history_stats(data: RecsysData, t_end: float) -> _Stats:
    run = _RUNNING.get("counts")
    if run is None or run.data is not data or run.t_end > t_end:
        run = _RUNNING["counts"] = _RunningCounts(data)   # a new world, or going back in time
    run.advance(t_end)
    # The day before t_end: the last events counted (the log is in time order).
    events, topic_recent, j = data.events, [0] * data.n_clusters, run.n - 1
    while j >= 0 and events[j].t >= t_end - 1.0:
        topic_recent[run.category[events[j].item]] += 1
        j -= 1
    total_recent = sum(topic_recent) or 1
    return _Stats(tuple(run.item_imp), tuple(run.item_clk), tuple(run.user_imp),
                  tuple(run.user_clk), dict(run.user_topic), dict(run.last_topic),
                  tuple(run.topic_imp), tuple(run.topic_clk),
                  tuple(x / total_recent for x in topic_recent), t_end)


def _check_user_item(data, user, item=None):
    if not isinstance(data, RecsysData):
        raise TypeError(f"data must be a RecsysData, got {type(data).__name__}")
    check_int("user", user)
    if not 0 <= user < len(data.users):
        raise ValueError(f"user must be in 0..{len(data.users) - 1}, got {user}")
    if item is not None:
        check_int("item", item)
        if not 0 <= item < len(data.items):
            raise ValueError(f"item must be in 0..{len(data.items) - 1}, got {item}")


def pair_features(data: RecsysData, user: int, item: int, t: float,
                  retrieval_score: float = 0.0) -> list[float]:
    """Twenty ranking features for showing ``item`` to ``user`` at day ``t``.
    Names and order: :data:`FEATURE_NAMES`.

    History features (counts, smoothed CTRs ``(clicks + 1) / (imps + 4)``)
    come from the *daily snapshot*: all events before day ``floor(t)``, the
    way a daily batch job fills a feature store. They never see the event
    being predicted (no leakage), and one snapshot serves a whole day of
    requests, so featurizing is cheap. Time features (item age, hour) use ``t``.
    """
    _check_user_item(data, user, item)
    return candidate_features(data, user, [item], t, [retrieval_score])[0]


def candidate_features(data: RecsysData, user: int, items, t: float,
                       scores=None) -> list[list[float]]:
    """:func:`pair_features` for many candidate ``items`` of one request at
    once (one row per item; ``scores`` are their retrieval scores, default 0).
    This is the fast path a serving pipeline uses."""
    _check_user_item(data, user)
    if isinstance(items, (str, bytes)) or not hasattr(items, "__len__"):
        raise TypeError(f"items must be a sequence of item ids, got {type(items).__name__}")
    n_items = len(data.items)
    for j, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item < n_items:
            raise ValueError(f"items[{j}] must be an item id in 0..{n_items - 1}, got {item!r}")
    if scores is None:
        scores = [0.0] * len(items)
    elif len(scores) != len(items):
        raise ValueError(f"scores and items must have the same length, got {len(scores)} and {len(items)}")
    t = check_number("t", t)
    st = _history_stats(data, float(math.floor(t)))
    us = data.users[user]
    # Per-request values, computed once.
    u_ctr = (st.user_clk[user] + 1.0) / (st.user_imp[user] + 4.0)
    u_log = math.log1p(st.user_imp[user])
    u_new = float(t - us.joined_at < 2.0)
    last = st.user_last_topic.get(user)
    hour = (t % 1.0) * 24.0
    drifted = t >= data.drift_day
    user_topic, item_imp, item_clk = st.user_topic, st.item_imp, st.item_clk
    rows = []
    for item, score in zip(items, scores):
        it = data.items[item]
        k = it.category
        ut = user_topic.get((user, k), (0, 0, None))
        i_ctr = (item_clk[item] + 1.0) / (item_imp[item] + 4.0)
        rows.append([
            float(score),
            math.log1p(item_imp[item]),
            i_ctr,
            max(0.0, t - it.created_at),
            float(t - it.created_at < 2.0),
            u_log,
            u_ctr,
            u_new,
            float(ut[0]),
            (ut[1] + 1.0) / (ut[0] + 4.0),
            float(last == k),
            (t - ut[2]) if ut[2] is not None else 99.0,
            float(us.age_bucket),
            float(us.country),
            float(k),
            (st.topic_clk[k] + 1.0) / (st.topic_imp[k] + 4.0),
            st.topic_recent[k],
            u_ctr * i_ctr,
            hour,
            float(k == data.trending_topic and drifted),
        ])
    return rows


def click_rate_model(data: RecsysData, rows, prior_weight: float = 5.0):
    """The simplest recommender there is, learned from the events ``rows``: a smoothed
    click rate per (user, topic) and one per item, added on the log-odds scale.

    Each key's rate is ``(clicks + m * base) / (impressions + m)``: ``m =
    prior_weight`` pseudo-impressions at the base rate ``base`` of ``rows`` keep
    keys with little history near the average. Returns ``score(event)``: the sum of
    the two keys' log-odds lifts over the base rate (0 for a key ``rows`` never had).
    """
    if not isinstance(data, RecsysData):
        raise TypeError(f"data must be a RecsysData, got {type(data).__name__}")
    rows = check_non_empty("rows", rows)
    m = check_positive("prior_weight", prior_weight)
    topic = [it.category for it in data.items]
    base = sum(e.clicked for e in rows) / len(rows)
    if not 0 < base < 1:
        raise ValueError(f"rows must hold clicks and non-clicks, got a click rate of {base}")

    def logit(p):
        return math.log(p / (1 - p))

    counts: dict = {}
    for e in rows:
        for key in ((e.user, topic[e.item]), ("item", e.item)):
            c = counts.setdefault(key, [0, 0])
            c[0] += e.clicked
            c[1] += 1
    lift = {k: logit((c + m * base) / (n + m)) - logit(base) for k, (c, n) in counts.items()}
    return lambda e: lift.get((e.user, topic[e.item]), 0.0) + lift.get(("item", e.item), 0.0)
