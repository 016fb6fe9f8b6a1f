"""Event recommendation end to end: a city's upcoming events, ranked for each resident.

The page's cells call these builders; each is memoized, so the first cell that needs the world,
the index or a ranker builds it and every later cell reuses it.

**The world** (:func:`world`, sizes in :data:`WORLD`) is one city of 30 × 30 km with twelve
neighbourhoods. Residents live near a neighbourhood centre, like one or two of ten categories
(music, food, tech, ...), declared a few interests at sign-up (a noisy view of their true
tastes), have their own travel tolerance and price sensitivity, and have a handful of friends,
mostly from the same neighbourhood. Hosts (venues, organisers) run events in one category at one
venue and differ in quality. Every day new events are listed; each starts 2 to 21 days after it
is listed and leaves the catalogue when it starts, so about 350 to 400 events are live at any
moment and *every* event is new once. From :data:`SHIFT_DAY` a ticketing partner's feed adds paid
nightlife and music events from hosts with no history: a supply shift for monitoring.

**The logs.** Residents open the app now and then (about 3 % of them on a given day). An older
rule-based feed showed :data:`SLATE` nearby live events, chosen by a noisy rule (near, in a
declared interest); a resident looks at position ``p`` with probability ``0.8 ** p`` and
registers with the world's true probability (:func:`true_logit`): interest, distance against
the resident's travel tolerance (people travel further for some categories), how many days
ahead the event is (a peak that differs by category), price against price sensitivity, host and
event quality, friends already registered, weekends. Fewer than 2 % of impressions end in a
registration. Hosts bring a sell-through rate from their past events elsewhere, a noisy view of
their quality; the partner's hosts have none (imputed).

**Features** come from a daily snapshot (counters as of the start of the impression's day), the
same in the logs and at serving, so training and serving agree (:data:`FEATURES`). The only
features that need the event's own history are ``event_reg_rate`` and ``event_log_imps``; for a
new event they are at their prior, and the others (content, place, time, price, host, friends)
carry the prediction.

**Time windows** (days). The split is by event *start*: the ranker learns from impressions of
events that started before :data:`TRAIN_END` (their registration period is over), and is judged
on the impressions of days ``[TRAIN_END, TEST_END)``, all of events that start later: no test
event is in the training data. Days ``[SHIFT_DAY, days)`` are for monitoring.

**A request** for resident ``u`` at time ``t`` runs four stages (:func:`serve` times each):

1. *candidates* — three sources over the day's :class:`GeoIndex` of live events (2 km cells,
   walked in rings outward) and the snapshot: the :data:`N_NEARBY` nearest events, the
   :data:`N_INTEREST` nearest in the resident's declared categories (within
   :data:`MAX_RADIUS_KM`), and events friends registered for; all live and starting within
   :data:`WINDOW_DAYS`;
2. *features* — the :data:`FEATURES` row of each candidate from the day's snapshot;
3. *rank* — the compiled GBDT scores every candidate;
4. *re-rank* — the top :data:`FEED_SIZE`, at most one event per host.
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from casestudies.memo import memoized
from mlsd import metrics
from mlsd.ranking.gbdt import GBDT
from mlsd.ranking.logistic import LogisticRegression
from mlsd.serving import percentile

__all__ = ["CATEGORIES", "WORLD", "CITY_KM", "CELL_KM", "TRAIN_END", "TEST_END", "SHIFT_DAY",
           "SLATE", "N_CANDIDATES", "MAX_RADIUS_KM", "WINDOW_DAYS", "FEED_SIZE", "NEG_KEEP",
           "FEATURES", "HISTORY_FEATURES", "NEW_FEATURES", "N_NEARBY", "N_INTEREST", "STAGES", "User", "Host", "Event", "Impression",
           "EventWorld", "world", "true_logit", "examine", "Snapshot", "snapshot", "feature_row",
           "impression_rows", "GeoIndex", "geo_index", "training_set", "ranker",
           "incumbent", "history_ranker", "unbias", "score_window", "history_slice",
           "candidates", "rank", "rerank", "feeds", "recommend", "serve", "latency_table",
           "ndcg_by_visit", "test_visits", "simulate_visit", "scaled_catalog"]

CATEGORIES = ("music", "nightlife", "food", "arts", "sports", "tech", "family", "wellness",
              "business", "community")
# How fast interest falls with distance, per category: people cross the city for a concert or a
# match, not for a yoga class or a neighbourhood meeting.
_REACH = (0.4, 0.7, 1.0, 0.6, 0.4, 0.7, 1.8, 1.8, 1.0, 2.2)
# How many days ahead each category is usually booked (the peak of the timing preference).
_PEAK_DAYS = (12.0, 3.0, 2.0, 7.0, 9.0, 10.0, 5.0, 3.0, 12.0, 2.0)
WORLD = dict(n_users=4000, n_hosts=300, events_per_day=32, days=56, visit_rate=0.03, seed=0)
CITY_KM = 30.0              # the city is a CITY_KM x CITY_KM square
N_HOODS = 12                # neighbourhood centres
CELL_KM = 2.0               # grid cell side of the geo index
TRAIN_END = 28.0            # the ranker learns from events that started before this day
TEST_END = 42.0             # test: impressions of days [TRAIN_END, TEST_END)
SHIFT_DAY = 42.0            # a ticketing partner's feed starts
SLATE = 8                   # events the logging system shows per visit
N_NEARBY = 40               # candidates from the nearest live events
N_INTEREST = 40             # candidates from the nearest events in the declared categories
N_CANDIDATES = N_NEARBY     # default n of a GeoIndex query
MAX_RADIUS_KM = 10.0        # candidate rings stop here
WINDOW_DAYS = 14.0          # candidates start within this many days
FEED_SIZE = 10              # events in a feed
NEG_KEEP = 0.15             # share of non-registered impressions kept for training
EXAMINE_DECAY = 0.8         # a resident looks at position p with probability EXAMINE_DECAY ** p
STAGES = ("candidates", "features", "rank", "re-rank")

FEATURES = ("distance_km", "category", "days_to_start", "log_price", "weekend", "declared_interest",
            "user_category_regs", "user_regs", "host_sell_through", "host_reg_rate", "host_log_imps",
            "friends_going", "event_reg_rate", "event_log_imps")
HISTORY_FEATURES = ("event_reg_rate", "event_log_imps")   # need the event's own interactions
NEW_FEATURES = ("host_sell_through", "friends_going")   # the incumbent ranker lacks these
SELL_THROUGH_PRIOR = 0.55   # imputed for a host with no track record
PRIOR_RATE, PRIOR_WEIGHT = 0.03, 10.0                       # smoothing of the rate counters


def _check_int(name, value, low=None, high=None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be in {low}..{high}, got {value}")
    return value


def _check_number(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _check_positive(name, value) -> float:
    value = _check_number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


# ------------------------------------------------------------------------ world
@dataclass(frozen=True)
class User:
    id: int
    x: float
    y: float
    hood: int
    interest: tuple          # true interest per category, 0..1
    declared: frozenset      # categories followed at sign-up
    travel_km: float         # distance at which interest falls by one logit unit
    price_sens: float
    friends: tuple


@dataclass(frozen=True)
class Host:
    id: int
    category: int
    x: float
    y: float
    quality: float
    free_share: float
    price: float
    partner: bool
    sell_through: float      # share of tickets sold at its past events elsewhere (-1: unknown)


@dataclass(frozen=True)
class Event:
    id: int
    host: int
    category: int
    x: float
    y: float
    listed_at: float
    start_at: float
    price: float
    quality: float
    partner: bool


class Impression(NamedTuple):
    """One logged impression (a named tuple: the log holds tens of thousands)."""
    t: float
    visit: int
    user: int
    event: int
    position: int
    registered: bool
    features: tuple | None   # the row the server used (FEATURES), from the day's snapshot;
                             # None for a negative that was not kept (see world())


@dataclass(frozen=True)
class EventWorld:
    users: tuple
    hosts: tuple
    events: tuple
    impressions: tuple
    days: float


def _clip(v: float) -> float:
    return min(CITY_KM - 0.01, max(0.0, v))


def _dist(ax, ay, bx, by) -> float:
    return math.hypot(ax - bx, ay - by)


def _timing_pref(days_to_start: float, category: int) -> float:
    """Residents prefer events some days away, and how many depends on the kind: a concert or a
    conference is booked a week or two ahead, a meetup or a dinner a day or two ahead."""
    return -0.8 * math.log(max(days_to_start, 0.05) / _PEAK_DAYS[category]) ** 2


def true_logit(u: User, e: Event, t: float, friends_going: int, hosts) -> float:
    """The world's registration logit for resident ``u`` shown event ``e`` at time ``t``."""
    return (-2.8 + 2.2 * u.interest[e.category]
            - _dist(u.x, u.y, e.x, e.y) * _REACH[e.category] / u.travel_km
            + _timing_pref(e.start_at - t, e.category) - u.price_sens * math.log1p(e.price) / 2.0
            + hosts[e.host].quality + e.quality + 1.3 * math.log1p(friends_going)
            + (0.3 if int(e.start_at) % 7 >= 5 else 0.0))


def examine(position: int) -> float:
    """Probability that a resident looks at the event in ``position`` (0-based) of a list."""
    _check_int("position", position, 0)
    return EXAMINE_DECAY ** position


class _Counters:
    """The daily snapshot's counters, updated in place (see :class:`Snapshot`)."""

    def __init__(self):
        self.event_imps, self.event_regs = Counter(), Counter()
        self.host_imps, self.host_regs = Counter(), Counter()
        self.user_regs, self.user_cat_regs = Counter(), Counter()
        self.going: dict = {}           # event -> set of registered residents
        self.by_user: dict = {}         # resident -> events registered for

    def add(self, user: int, event: Event, registered: bool) -> None:
        self.event_imps[event.id] += 1
        self.host_imps[event.host] += 1
        if registered:
            self.event_regs[event.id] += 1
            self.host_regs[event.host] += 1
            self.user_regs[user] += 1
            self.user_cat_regs[user, event.category] += 1
            self.going.setdefault(event.id, set()).add(user)
            self.by_user.setdefault(user, []).append(event.id)


def _rate(regs: int, imps: int) -> float:
    return (regs + PRIOR_WEIGHT * PRIOR_RATE) / (imps + PRIOR_WEIGHT)


def _row(c: _Counters, u: User, e: Event, t: float, hosts) -> tuple:
    going = c.going.get(e.id)
    sell = hosts[e.host].sell_through
    return (_dist(u.x, u.y, e.x, e.y), float(e.category), e.start_at - t, math.log1p(e.price),
            1.0 if int(e.start_at) % 7 >= 5 else 0.0, 1.0 if e.category in u.declared else 0.0,
            float(c.user_cat_regs[u.id, e.category]), float(c.user_regs[u.id]),
            sell if sell >= 0 else SELL_THROUGH_PRIOR,
            _rate(c.host_regs[e.host], c.host_imps[e.host]), math.log1p(c.host_imps[e.host]),
            float(len(going.intersection(u.friends))) if going else 0.0,
            _rate(c.event_regs[e.id], c.event_imps[e.id]), math.log1p(c.event_imps[e.id]))


def _make_users(rng: random.Random, n: int, hoods) -> list:
    raw = []
    for uid in range(n):
        h = rng.randrange(N_HOODS)
        cx, cy = hoods[h]
        fav = rng.sample(range(len(CATEGORIES)), 2)
        interest = [0.1] * len(CATEGORIES)
        interest[fav[0]], interest[fav[1]] = 1.0, 0.6
        declared = {fav[0]} if rng.random() < 0.8 else set()
        if rng.random() < 0.6:
            declared.add(fav[1])
        if rng.random() < 0.5 or not declared:
            declared.add(rng.randrange(len(CATEGORIES)))
        raw.append([uid, _clip(rng.gauss(cx, 2.5)), _clip(rng.gauss(cy, 2.5)), h, tuple(interest),
                    frozenset(declared), math.exp(rng.gauss(math.log(4.0), 0.4)),
                    rng.uniform(0.3, 1.5), set()])
    by_hood: dict = {}
    for r in raw:
        by_hood.setdefault(r[3], []).append(r[0])
    by_taste: dict = {}
    for r in raw:
        r.append(r[4].index(1.0))                  # favourite category
        by_taste.setdefault((r[3], r[9]), []).append(r[0])
    for r in raw:                   # about eight friends each: most nearby, many with the same taste
        for _ in range(4):
            draw = rng.random()
            pool = (by_taste[r[3], r[9]] if draw < 0.5
                    else by_hood[r[3]] if draw < 0.85 else range(n))
            f = rng.choice(pool)
            if f != r[0]:
                r[8].add(f)
                raw[f][8].add(r[0])
    return [User(*r[:8], tuple(sorted(r[8]))) for r in raw]


def _make_hosts(rng: random.Random, n: int, hoods, start_id: int = 0, partner: bool = False) -> list:
    weights = (5, 3, 4, 3, 3, 2, 2, 2, 1.5, 2)     # music and food are the most common
    hosts = []
    for hid in range(start_id, start_id + n):
        if partner:
            cat = rng.choice((0, 1))
            x, y = rng.uniform(0, CITY_KM), rng.uniform(0, CITY_KM)
            quality, free, price = rng.gauss(-0.7, 0.4), 0.0, math.exp(rng.gauss(math.log(35), 0.3))
        else:
            cat = rng.choices(range(len(CATEGORIES)), weights)[0]
            cx, cy = hoods[rng.randrange(N_HOODS)]
            x, y = _clip(rng.gauss(cx, 2.0)), _clip(rng.gauss(cy, 2.0))
            quality, free = rng.gauss(0.0, 0.8), rng.uniform(0.1, 0.7)
            price = math.exp(rng.gauss(math.log(20), 0.5))
        # The track record a host brings from its past events (tickets sold / capacity): a
        # noisy view of its quality. The partner's hosts are new to the platform: unknown.
        sell = -1.0 if partner else round(1.0 / (1.0 + math.exp(-(1.2 * quality + rng.gauss(0.3, 0.4)))), 2)
        hosts.append(Host(hid, cat, x, y, quality, free, price, partner, sell))
    return hosts


def _make_events(rng: random.Random, hosts, per_day: int, days: int) -> list:
    activity = [1.0 / (1 + i) ** 0.8 for i in range(len(hosts))]   # a few prolific hosts
    events = []
    for d in range(-21, days):
        for h in [rng.choices(hosts, activity)[0] for _ in range(per_day)]:
            events.append(_event(rng, len(events), h, d))
    return events


def _event(rng: random.Random, eid: int, h: Host, day: int) -> Event:
    listed = day + rng.random()
    start = listed + rng.uniform(2.0, 21.0)
    cat = h.category if rng.random() < 0.9 else rng.randrange(len(CATEGORIES))
    price = 0.0 if rng.random() < h.free_share else round(h.price * math.exp(rng.gauss(0, 0.3)))
    return Event(eid, h.id, cat, _clip(h.x + rng.gauss(0, 0.3)), _clip(h.y + rng.gauss(0, 0.3)),
                 listed, start, float(price), rng.gauss(0.0, 0.4), h.partner)


@memoized(maxsize=1)
def world() -> EventWorld:
    """The seeded city of :data:`WORLD`, with its impression log (built once)."""
    cfg = WORLD
    rng = random.Random(cfg["seed"])
    hoods = [(rng.uniform(4, CITY_KM - 4), rng.uniform(4, CITY_KM - 4)) for _ in range(N_HOODS)]
    users = _make_users(rng, cfg["n_users"], hoods)
    hosts = _make_hosts(rng, cfg["n_hosts"], hoods)
    partner_hosts = _make_hosts(rng, 40, hoods, start_id=len(hosts), partner=True)
    events = _make_events(rng, hosts, cfg["events_per_day"], cfg["days"])
    hosts += partner_hosts
    prng = random.Random(cfg["seed"] + 2)          # the partner feed: its own random stream
    for d in range(int(SHIFT_DAY), cfg["days"]):
        for _ in range(cfg["events_per_day"]):
            events.append(_event(prng, len(events), prng.choice(partner_hosts), d))
    # events live on day d, in 5 km blocks: what the logging system picks from
    block = 5.0
    nb = int(CITY_KM // block)
    live: dict = {}
    for e in events:
        for d in range(max(0, int(e.listed_at)), min(cfg["days"], int(e.start_at) + 1)):
            live.setdefault((d, int(e.x // block), int(e.y // block)), []).append(e)
    pools: dict = {}
    activity = [math.exp(rng.gauss(0, 0.7)) for _ in users]
    norm = sum(activity) / len(activity)
    keep_rng = random.Random(cfg["seed"] + 1)      # which negatives get their features logged
    counters, pending, imps = _Counters(), [], []
    visit = 0
    for d in range(cfg["days"]):
        for user, act in zip(users, activity):
            if rng.random() >= cfg["visit_rate"] * act / norm:
                continue
            t = d + rng.random()
            key = (d, int(user.x // block), int(user.y // block))
            pool = pools.get(key)
            if pool is None:
                pool = pools[key] = [e for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                                     for e in live.get((d, key[1] + dx, key[2] + dy), ())]
            pick = rng.sample(pool, 16) if len(pool) > 16 else pool
            scored = sorted(((-_dist(user.x, user.y, e.x, e.y) / 4.0
                              + (1.5 if e.category in user.declared else 0.0)
                              + 1.5 * rng.random(), e.id, e)
                             for e in pick if e.listed_at <= t < e.start_at), reverse=True)[:SLATE]
            for p, (_, _, e) in enumerate(scored):
                going = counters.going.get(e.id)
                friends = len(going.intersection(user.friends)) if going else 0
                z = true_logit(user, e, t, friends, hosts)
                reg = rng.random() < EXAMINE_DECAY ** p / (1.0 + math.exp(-z))
                # Features are logged for every impression from TRAIN_END on, and before it
                # for registrations and a NEG_KEEP share of the rest (negative downsampling
                # at logging time); impressions of events still running at TRAIN_END are
                # never training rows.
                keep = keep_rng.random() < NEG_KEEP
                row = (_row(counters, user, e, t, hosts)
                       if t >= TRAIN_END or (e.start_at < TRAIN_END and (reg or keep)) else None)
                imps.append(Impression(t, visit, user.id, e.id, p, reg, row))
                pending.append((user.id, e, reg))
            visit += 1
        for u, e, reg in pending:                  # the snapshot moves at midnight
            counters.add(u, e, reg)
        pending.clear()
    imps.sort(key=lambda i: (i.t, i.position))
    return EventWorld(tuple(users), tuple(hosts), tuple(events), tuple(imps), float(cfg["days"]))


# --------------------------------------------------------------------- features
class Snapshot:
    """Counters as of the start of ``day``: what the feature store serves that day.

    Built from the previous day's snapshot when that one is at hand (copy the counters, add one
    day of impressions), else from the start of the log."""

    def __init__(self, day: int, previous: "Snapshot | None" = None):
        self.day = day
        data = world()
        c = self._c = _Counters()
        start = 0.0
        if previous is not None and previous.day == day - 1:
            p = previous._c
            for name in ("event_imps", "event_regs", "host_imps", "host_regs", "user_regs",
                         "user_cat_regs"):
                setattr(c, name, Counter(getattr(p, name)))
            c.going = {k: set(v) for k, v in p.going.items()}
            c.by_user = {k: list(v) for k, v in p.by_user.items()}
            start = float(day - 1)
        for imp in _impressions(start, float(day)) if day > start else ():
            c.add(imp.user, data.events[imp.event], imp.registered)

    def row(self, user: User, event: Event, t: float) -> tuple:
        """The feature row (:data:`FEATURES`) of ``user`` and ``event`` at time ``t``."""
        return _row(self._c, user, event, t, world().hosts)

    def friends_events(self, user: User) -> list:
        """Events that ``user``'s friends had registered for by the start of the day."""
        out = set()
        for f in user.friends:
            out.update(self._c.by_user.get(f, ()))
        return sorted(out)

    def friends_going(self, user: User, event: Event) -> int:
        going = self._c.going.get(event.id)
        return len(going.intersection(user.friends)) if going else 0


@memoized(maxsize=1)
def _snapshots() -> dict:
    return {}


def snapshot(day: int) -> Snapshot:
    """The daily feature snapshot of ``day`` (the last 16 days asked for are kept)."""
    _check_int("day", day, 0, int(WORLD["days"]))
    cache = _snapshots()
    snap = cache.get(day)
    if snap is None:
        snap = cache[day] = Snapshot(day, cache.get(day - 1))
        while len(cache) > 16:
            del cache[min(cache, key=lambda d: (abs(d - day) <= 1, d))]
    return snap


def feature_row(user: int, event: int, t: float) -> tuple:
    """The feature row of ``(user, event)`` at time ``t`` from the snapshot of ``t``'s day."""
    data = world()
    _check_int("user", user, 0, len(data.users) - 1)
    _check_int("event", event, 0, len(data.events) - 1)
    t = _check_number("t", t)
    return snapshot(int(t)).row(data.users[user], data.events[event], t)


def impression_rows(start: float, end: float) -> tuple:
    """Logged impressions with ``start <= t < end``."""
    start, end = _check_number("start", start), _check_number("end", end)
    if not start < end:
        raise ValueError(f"start must be before end, got {start} and {end}")
    return _impressions(start, end)


@memoized(maxsize=8)
def _impressions(start: float, end: float) -> tuple:
    imps = world().impressions
    lo = bisect_left(imps, start, key=lambda i: i.t)
    hi = bisect_left(imps, end, key=lambda i: i.t)
    return imps[lo:hi]


# ----------------------------------------------------------------------- ranking
@memoized(maxsize=1)
def training_set() -> tuple:
    """``(rows, labels, n_impressions)``: impressions of events that started before
    :data:`TRAIN_END`, all registrations and a seeded :data:`NEG_KEEP` share of the rest
    (the rows the log kept); ``n_impressions`` counts all of them, kept or not."""
    data = world()
    rows, labels, n = [], [], 0
    for imp in data.impressions:
        if imp.t >= TRAIN_END:
            break
        if data.events[imp.event].start_at >= TRAIN_END:
            continue
        n += 1
        if imp.features is not None:
            rows.append(list(imp.features))
            labels.append(int(imp.registered))
    return rows, labels, n


def unbias(logits) -> list[float]:
    """Registration probabilities from a model trained on negatives kept at rate :data:`NEG_KEEP`:
    ``p = q / (q + (1 - q) / r)`` undone, i.e. the logit shifted by ``log r``."""
    shift = math.log(NEG_KEEP)
    return [1.0 / (1.0 + math.exp(-(z + shift))) for z in logits]


@memoized(maxsize=1)
def ranker() -> GBDT:
    """The GBDT ranker (30 trees of up to 8 leaves) on all :data:`FEATURES`, compiled."""
    rows, labels, _ = training_set()
    return GBDT(n_estimators=30, learning_rate=0.15, num_leaves=8, min_data_in_leaf=20,
                max_bin=16).fit(rows, labels).compile()


class _Bucketed:
    """A logistic regression on one-hot quantile buckets of the ``columns`` of each row."""

    def __init__(self, rows, labels, columns, n_bins: int = 8):
        self.columns = tuple(columns)
        rows = self._select(rows)
        cols = list(zip(*rows))
        self.edges = []
        for col in cols:
            s = sorted(col)
            edges = sorted({s[int(len(s) * q / n_bins)] for q in range(1, n_bins)})
            self.edges.append(edges)
        self.width = n_bins + 1
        self.model = LogisticRegression(learning_rate=0.05, l2=1e-4, epochs=4, seed=0).fit(
            self._encode(rows), labels)

    def _select(self, rows):
        return [[r[j] for j in self.columns] for r in rows]

    def _encode(self, rows):
        out = []
        for r in rows:
            row = {}
            for j, (v, e) in enumerate(zip(r, self.edges)):
                row[j * self.width + bisect_left(e, v)] = 1.0
            out.append(row)
        return out

    def decision_function(self, rows) -> list[float]:
        return self.model.decision_function(self._encode(self._select(rows)))


@memoized(maxsize=2)
def incumbent(new_features: bool = False) -> _Bucketed:
    """The ranker in production: a logistic regression on bucketed features (each feature's
    effect can bend, but features cannot combine). It predates the host's sell-through and the
    friends feature (:data:`NEW_FEATURES`); ``new_features=True`` adds them, to separate what the
    features bring from what the model brings."""
    if not isinstance(new_features, bool):
        raise TypeError(f"new_features must be a bool, got {type(new_features).__name__}")
    rows, labels, _ = training_set()
    cols = [j for j, f in enumerate(FEATURES) if new_features or f not in NEW_FEATURES]
    return _Bucketed(rows, labels, cols)


@memoized(maxsize=1)
def history_ranker() -> GBDT:
    """A GBDT that sees only the event's own interactions (:data:`HISTORY_FEATURES`): what a
    model keyed on the item's history (its ID, its counters) knows."""
    rows, labels, _ = training_set()
    keep = [FEATURES.index(f) for f in HISTORY_FEATURES]
    return GBDT(n_estimators=10, learning_rate=0.3, num_leaves=8, min_data_in_leaf=20,
                max_bin=16).fit([[r[j] for j in keep] for r in rows], labels).compile()


def _history_cols(rows):
    keep = [FEATURES.index(f) for f in HISTORY_FEATURES]
    return [[r[j] for j in keep] for r in rows]


@memoized(maxsize=4)
def score_window(start: float, end: float) -> dict:
    """Scores of every logged impression in ``[start, end)``: ``{"labels", "visits", "events",
    "rows", "gbdt", "incumbent", "incumbent_new", "history", "nearest"}`` (logits;
    ``incumbent_new`` is the incumbent with the new features; ``nearest`` is minus the distance,
    a rule with no learning)."""
    imps = impression_rows(start, end)
    if not imps:
        raise ValueError(f"no impressions in [{start}, {end})")
    rows = [list(i.features) for i in imps]
    return {"labels": [int(i.registered) for i in imps], "visits": [i.visit for i in imps],
            "events": [i.event for i in imps], "rows": rows,
            "gbdt": ranker().decision_function(rows),
            "incumbent": incumbent().decision_function(rows),
            "incumbent_new": incumbent(True).decision_function(rows),
            "history": history_ranker().decision_function(_history_cols(rows)),
            "nearest": [-r[0] for r in rows]}


def history_slice(row) -> str:
    """Which cold-start slice an impression's row is in: ``"no impressions yet"``,
    ``"shown, no registration"`` or ``"has registrations"`` (from the snapshot's counters)."""
    if len(row) != len(FEATURES):
        raise ValueError(f"row must have {len(FEATURES)} features, got {len(row)}")
    imps = round(math.expm1(row[FEATURES.index("event_log_imps")]))
    regs = row[FEATURES.index("event_reg_rate")] * (imps + PRIOR_WEIGHT) - PRIOR_WEIGHT * PRIOR_RATE
    if imps == 0:
        return "no impressions yet"
    return "has registrations" if regs > 0.5 else "shown, no registration"


def ndcg_by_visit(labels, scores, visits, k: int = FEED_SIZE) -> float:
    """Mean nDCG@k over visits with at least one registration, each visit's impressions ranked by
    ``scores``."""
    _check_int("k", k, 1)
    if not len(labels) == len(scores) == len(visits):
        raise ValueError(f"labels, scores and visits must have the same length, got "
                         f"{len(labels)}, {len(scores)} and {len(visits)}")
    groups: dict = {}
    for y, s, v in zip(labels, scores, visits):
        groups.setdefault(v, []).append((s, y))
    vals = [metrics.ndcg_score([y for _, y in g], [s for s, _ in g], k=k)
            for _, g in sorted(groups.items()) if len(g) > 1 and any(y for _, y in g)]
    if not vals:
        raise ValueError("no visit has a registration and two impressions")
    return math.fsum(vals) / len(vals)


# ------------------------------------------------------------- candidates (geo)
class GeoIndex:
    """Live events in square grid cells of ``cell_km``; a query walks rings of cells outward.

    Ring ``r`` holds the cells at Chebyshev distance ``r`` from the query's cell; after ring
    ``r`` every event within ``r * cell_km`` of the query has been seen. The walk stops when
    ``n`` eligible events lie within that guaranteed radius, or at ``max_km``: in a dense
    district it stops early, in the suburbs it walks further, so the work per request depends
    on ``n`` and on the density near the resident, not on the size of the city's catalogue.
    ``examined`` counts the events the last query looked at.
    """

    def __init__(self, events, cell_km: float = CELL_KM, city_km: float = CITY_KM):
        self.cell_km = _check_positive("cell_km", cell_km)
        self.side = max(1, math.ceil(_check_positive("city_km", city_km) / self.cell_km))
        self.cells: dict = {}
        self.size = 0
        for e in events:
            if not isinstance(e, Event):
                raise TypeError(f"events must hold Event objects, got {type(e).__name__}")
            self.cells.setdefault((int(e.x // self.cell_km), int(e.y // self.cell_km)), []).append(e)
            self.size += 1
        self.examined = 0

    def query(self, x: float, y: float, t: float, n: int = N_CANDIDATES,
              max_km: float = MAX_RADIUS_KM, window_days: float = WINDOW_DAYS,
              categories=None) -> list:
        """The ``n`` nearest events to ``(x, y)`` that are live at ``t``, start within
        ``window_days`` and (if given) are in ``categories``: ``(distance_km, event)``, nearest
        first."""
        x, y, t = _check_number("x", x), _check_number("y", y), _check_number("t", t)
        _check_int("n", n, 1)
        max_km = _check_positive("max_km", max_km)
        end = t + _check_positive("window_days", window_days)
        cats = None if categories is None else frozenset(categories)
        cx, cy = int(x // self.cell_km), int(y // self.cell_km)
        found, examined, r = [], 0, 0
        while True:
            ring = ([(cx + dx, cy + dy) for dx in range(-r, r + 1) for dy in (-r, r)]
                    + [(cx + dx, cy + dy) for dx in (-r, r) for dy in range(-r + 1, r)]) if r else [(cx, cy)]
            for key in ring:
                for e in self.cells.get(key, ()):
                    examined += 1
                    if e.listed_at <= t < e.start_at <= end and (cats is None or e.category in cats):
                        found.append((_dist(x, y, e.x, e.y), e.id, e))
            covered = r * self.cell_km
            if covered >= max_km or r > self.side:
                break
            if covered > 0 and sum(1 for d, _, _ in found if d <= covered) >= n:
                break
            r += 1
        self.examined = examined
        found.sort()
        return [(d, e) for d, _, e in found if d <= max_km][:n]

    def scan(self, x: float, y: float, t: float, n: int = N_CANDIDATES,
             max_km: float = MAX_RADIUS_KM, window_days: float = WINDOW_DAYS,
             categories=None) -> list:
        """The same answer as :meth:`query`, by looking at every event (the baseline)."""
        end = t + _check_positive("window_days", window_days)
        cats = None if categories is None else frozenset(categories)
        found = []
        for cell in self.cells.values():
            for e in cell:
                if e.listed_at <= t < e.start_at <= end and (cats is None or e.category in cats):
                    d = _dist(x, y, e.x, e.y)
                    if d <= max_km:
                        found.append((d, e.id, e))
        self.examined = self.size
        found.sort()
        return [(d, e) for d, _, e in found][:n]


@memoized(maxsize=16)
def geo_index(day: int) -> GeoIndex:
    """The grid of events that are live at some time on ``day`` (rebuilt daily; an event leaves
    the index when it starts)."""
    _check_int("day", day, 0, int(WORLD["days"]))
    return GeoIndex([e for e in world().events if e.listed_at < day + 1 and e.start_at > day])


def scaled_catalog(day: int, factor: int, seed: int = 0) -> GeoIndex:
    """A grid over ``factor`` jittered copies of ``day``'s live events: the same city with
    ``factor`` times as many events (for how cost grows with catalogue size)."""
    _check_int("factor", factor, 1, 64)
    _check_int("seed", seed)
    rng = random.Random(seed)
    base = [e for cell in geo_index(day).cells.values() for e in cell]
    return GeoIndex([e if k == 0 else Event(e.id, e.host, e.category, _clip(e.x + rng.gauss(0, 1.0)),
                                            _clip(e.y + rng.gauss(0, 1.0)), e.listed_at, e.start_at,
                                            e.price, e.quality, e.partner)
                     for k in range(factor) for e in base])


def _sources(index: GeoIndex, snap: Snapshot, u: User, t: float) -> tuple:
    """The three candidate sources merged: ``(event ids, events examined)``."""
    near = index.query(u.x, u.y, t, N_NEARBY)
    examined = index.examined
    liked = index.query(u.x, u.y, t, N_INTEREST, categories=u.declared) if u.declared else []
    examined += index.examined
    ids = list(dict.fromkeys([e.id for _, e in near] + [e.id for _, e in liked]))
    end = t + WINDOW_DAYS
    data = world()
    for e in snap.friends_events(u):
        ev = data.events[e]
        if ev.listed_at <= t < ev.start_at <= end and e not in ids:
            ids.append(e)
    return ids, examined


def candidates(user: int, t: float, sources=("nearby", "interest", "friends"),
               n_nearby: int = N_NEARBY, n_interest: int = N_INTEREST) -> list:
    """Candidate event ids for ``user`` at time ``t`` from the chosen ``sources``: ``"nearby"``
    (the ``n_nearby`` nearest), ``"interest"`` (the ``n_interest`` nearest in the resident's
    declared categories) and ``"friends"`` (events friends registered for)."""
    data = world()
    _check_int("user", user, 0, len(data.users) - 1)
    t = _check_number("t", t)
    _check_int("n_nearby", n_nearby, 1)
    _check_int("n_interest", n_interest, 1)
    if isinstance(sources, str) or not set(sources) <= {"nearby", "interest", "friends"} or not sources:
        raise ValueError(f"sources must be a non-empty subset of ('nearby', 'interest', 'friends'), "
                         f"got {sources!r}")
    u, index, snap = data.users[user], geo_index(int(t)), snapshot(int(t))
    ids = []
    if "nearby" in sources:
        ids += [e.id for _, e in index.query(u.x, u.y, t, n_nearby)]
    if "interest" in sources and u.declared:
        ids += [e.id for _, e in index.query(u.x, u.y, t, n_interest, categories=u.declared)]
    if "friends" in sources:
        end = t + WINDOW_DAYS
        ids += [e for e in snap.friends_events(u)
                if data.events[e].listed_at <= t < data.events[e].start_at <= end]
    return list(dict.fromkeys(ids))


def rank(user: int, events, t: float, model: str = "gbdt") -> list:
    """Score event ids with ``model`` (``"gbdt"`` or ``"incumbent"``): ``(event, logit)`` best first."""
    data = world()
    _check_int("user", user, 0, len(data.users) - 1)
    t = _check_number("t", t)
    if model not in ("gbdt", "incumbent"):
        raise ValueError(f"model must be 'gbdt' or 'incumbent', got {model!r}")
    if isinstance(events, (str, bytes)) or not hasattr(events, "__iter__"):
        raise TypeError(f"events must be a sequence of event ids, got {type(events).__name__}")
    events = [_check_int("events[]", e, 0, len(data.events) - 1) for e in events]
    if not events:
        return []
    snap, u = snapshot(int(t)), data.users[user]
    rows = [snap.row(u, data.events[e], t) for e in events]
    scores = (ranker() if model == "gbdt" else incumbent()).decision_function(rows)
    return sorted(zip(events, scores), key=lambda p: (-p[1], p[0]))


def rerank(ranked, k: int = FEED_SIZE) -> list:
    """The top ``k`` of ``ranked`` (``(event, score)``, best first), at most one event per host."""
    _check_int("k", k, 1)
    data = world()
    feed, hosts = [], set()
    for e, s in ranked:
        h = data.events[e].host
        if h in hosts:
            continue
        hosts.add(h)
        feed.append((e, s))
        if len(feed) == k:
            break
    return feed


def feeds(user: int, t: float, k: int = FEED_SIZE) -> dict:
    """The feeds of both arms for one request, ``{"incumbent": [...], "gbdt": [...]}``: the same
    candidates and feature rows, ranked by each model, then re-ranked (for the online test)."""
    data = world()
    _check_int("user", user, 0, len(data.users) - 1)
    t = _check_number("t", t)
    ids = candidates(user, t)
    snap, u = snapshot(int(t)), data.users[user]
    rows = [snap.row(u, data.events[e], t) for e in ids]
    out = {}
    for name, model in (("incumbent", incumbent()), ("gbdt", ranker())):
        scores = model.decision_function(rows) if rows else []
        out[name] = [e for e, _ in rerank(sorted(zip(ids, scores), key=lambda p: (-p[1], p[0])), k)]
    return out


def recommend(user: int, t: float, model: str = "gbdt", k: int = FEED_SIZE) -> list:
    """The feed of ``user`` at time ``t``: candidates, rank, re-rank (event ids)."""
    return [e for e, _ in rerank(rank(user, candidates(user, t), t, model), k)]


def serve(user: int, t: float, k: int = FEED_SIZE, clock=time.perf_counter) -> tuple:
    """One request through the four :data:`STAGES`, timed: ``(feed, {stage: ms, "total": ms,
    "examined": events the geo index looked at, "n_candidates": n})``. The day's index, the model
    and the day's snapshot are loaded before the clock starts, as in a server."""
    data = world()
    _check_int("user", user, 0, len(data.users) - 1)
    t = _check_number("t", t)
    _check_int("k", k, 1)
    if not callable(clock):
        raise TypeError(f"clock must be callable, got {type(clock).__name__}")
    index, model, snap, u = geo_index(int(t)), ranker(), snapshot(int(t)), data.users[user]
    t0 = clock()
    ids, examined = _sources(index, snap, u, t)                             # stage 1
    t1 = clock()
    rows = [snap.row(u, data.events[e], t) for e in ids]                    # stage 2
    t2 = clock()
    scores = model.decision_function(rows) if rows else []                  # stage 3
    ranked = sorted(zip(ids, scores), key=lambda p: (-p[1], p[0]))
    t3 = clock()
    feed = [e for e, _ in rerank(ranked, k)]                                 # stage 4
    t4 = clock()
    ms = [1e3 * (b - a) for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4))]
    timing = dict(zip(STAGES, ms))
    timing.update(total=1e3 * (t4 - t0), examined=examined, n_candidates=len(ids))
    return feed, timing


def latency_table(timings) -> list:
    """Rows ``{"stage", "p50_ms", "p99_ms", "share"}`` for a list of :func:`serve` timings;
    ``share`` is the stage's part of the summed stage medians."""
    if isinstance(timings, (str, bytes, dict)) or not hasattr(timings, "__len__") or not timings:
        raise ValueError("timings must be a non-empty list of serve() timings")
    for n, t in enumerate(timings):
        if not isinstance(t, dict) or any(s not in t for s in STAGES + ("total",)):
            raise ValueError(f"timings[{n}] must be a dict with a time for 'total' and every stage "
                             f"in {STAGES}")
    medians = {s: percentile([t[s] for t in timings], 50) for s in STAGES}
    whole = math.fsum(medians.values())
    rows = [{"stage": s, "p50_ms": medians[s], "p99_ms": percentile([t[s] for t in timings], 99),
             "share": medians[s] / whole if whole > 0 else 0.0} for s in STAGES]
    xs = [t["total"] for t in timings]
    rows.append({"stage": "total", "p50_ms": percentile(xs, 50), "p99_ms": percentile(xs, 99),
                 "share": 1.0})
    return rows


# -------------------------------------------------------------------- online test
@memoized(maxsize=2)
def test_visits(start: float = TRAIN_END, end: float = TEST_END) -> tuple:
    """``(visit, user, t)`` of every logged visit in ``[start, end)``, in time order."""
    seen, out = set(), []
    for imp in impression_rows(start, end):
        if imp.visit not in seen:
            seen.add(imp.visit)
            out.append((imp.visit, imp.user, imp.t))
    return tuple(out)


def simulate_visit(user: int, t: float, feed, rng: random.Random) -> tuple:
    """One simulated visit to ``feed``: ``(registrations drawn, expected registrations)``. The
    resident looks at position ``p`` with probability ``0.8 ** p`` and registers with the world's
    true probability; the expectation is what the simulator knows and an experiment never does."""
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    data = world()
    _check_int("user", user, 0, len(data.users) - 1)
    t = _check_number("t", t)
    u, snap = data.users[user], snapshot(int(t))
    drawn, expected = 0, 0.0
    for p, e in enumerate(feed):
        ev = data.events[e]
        q = EXAMINE_DECAY ** p / (1.0 + math.exp(-true_logit(u, ev, t, snap.friends_going(u, ev),
                                                            data.hosts)))
        expected += q
        drawn += rng.random() < q
    return drawn, expected
