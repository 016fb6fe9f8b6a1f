"""Delivery time estimation end to end: food orders, three stages, losses, intervals and a storm.

The page ``docs/case-studies/delivery-time-estimation.md`` runs this system in its cells. Every
builder is memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the data
or a trained model builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). One delivery zone of a city: 80 restaurants, 6,000 customers and
about 260 orders a day for 35 days, with a lunch and a dinner peak. Each order's delivery time is
the sum of three stages, each driven by its own signal:

- **preparation** (order placed to food ready): the restaurant's usual pace, the number of items
  and the *kitchen load* — orders open in the kitchen when this one arrives (real time);
- **pickup** (food ready to the courier leaving): zero wait when a courier is already there, a
  long one when few *idle couriers* are near the restaurant (real time), plus handling;
- **travel** (restaurant to the customer's hand): the road distance, traffic by hour, *rain*
  (real time) and the hand-off (longer for apartment buildings).

The generator keeps the three stage times, so cells can score each stage's model on its own.
Rain falls in about one hour in seven, never above :data:`DRY_MAX_RAIN` mm/h in days 0-28. The
monitoring window holds a holiday evening with a storm (day :data:`STORM_DAYS`), with rain far
heavier than anything in training and a demand rush.

**Features** (:data:`FEATURES`), each known at checkout: the restaurant's mean preparation time
up to the previous midnight (a nightly batch profile, point-in-time correct), items, kitchen
load, idle couriers, hour, rain, distance and the apartment flag.

**The system.** The incumbent (:func:`baseline_table`) is the historical mean delivery time per
restaurant and distance band. The challenger is three stage models (gradient-boosted trees,
:class:`mlsd.regression.BoostedRegressor`, squared loss) whose sum is the expected time, plus
quantile models of the total: the promise shown at checkout is a quantile chosen by the
asymmetric cost of lateness (:data:`COSTS`, :func:`business_cost`), and two more quantiles give
an 80 % interval. :func:`serve` runs the checkout path with its time per stage; during delivery
the estimate is updated as stages finish (:func:`remaining_estimate`).

**Time windows.** Days 0-7 warm up the profiles; train on days 7-21 (:data:`TRAIN_END`), test on
days 21-28 (:data:`TEST_END`), and monitor days 28-35, the storm week.
"""

from __future__ import annotations

import bisect
import math
import random
import time
from dataclasses import dataclass

from casestudies.memo import memoized
from mlsd.regression import BoostedRegressor
from mlsd.validate import check_in_range, check_number

__all__ = ["WORLD", "WARMUP", "TRAIN_END", "TEST_END", "STORM_DAYS", "DRY_MAX_RAIN", "STAGES",
           "FEATURES", "STAGE_FEATURES", "REALTIME", "COSTS", "BANDS", "SERVE_STAGES", "World", "world",
           "features", "window", "distance_band", "baseline_table", "baseline_estimate",
           "train_stage", "train_total", "stage_models", "quantile_model", "expected_total",
           "quantile_total",
           "business_cost", "best_buffer", "remaining_estimate", "serve", "shown_range"]

WORLD = dict(n_restaurants=80, n_customers=6_000, days=35, orders_per_day=260, seed=5)
WARMUP = 7.0              # the first week only builds the restaurants' profiles
TRAIN_END = 21.0          # train on orders placed on days 7-21
TEST_END = 28.0           # test on days 21-28; days 28-35 are the monitoring window
STORM_DAYS = (31, 33)     # holiday evenings with a storm: rain beyond anything in training
DRY_MAX_RAIN = 4.0        # the heaviest rain (mm/h) before the monitoring window
STAGES = ("prep", "pickup", "travel")
FEATURES = ("rest_prep_mean", "items", "kitchen_load", "hour", "couriers_idle", "rain_mm",
            "distance_km", "apartment")
STAGE_FEATURES = {   # the signals each stage's model reads (its own real-time signal included)
    "prep": ("rest_prep_mean", "items", "kitchen_load", "hour"),
    "pickup": ("rest_prep_mean", "items", "kitchen_load", "couriers_idle", "hour", "rain_mm"),
    "travel": ("distance_km", "hour", "rain_mm", "apartment"),
}
REALTIME = {"prep": "kitchen_load", "pickup": "couriers_idle", "travel": "rain_mm"}
BANDS = (1.5, 3.0, 4.5)   # distance bands (km) of the incumbent's table
COSTS = dict(late_per_min=0.45,    # $ per minute a delivery arrives after its promise
             early_per_min=0.15)   # $ per minute the promise overstates the delivery time

_ORDER_HOURS = (0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 8, 14, 12, 6, 4, 4, 7, 13, 16, 14, 9, 5, 2)
_CUM_HOURS = [sum(_ORDER_HOURS[:i + 1]) / sum(_ORDER_HOURS) for i in range(24)]


def _peak(hour: float) -> float:
    """How busy the city is at ``hour``: 1 at the lunch and dinner peaks, about 0.3 at night."""
    return max(0.3, math.exp(-((hour - 12.5) / 1.3) ** 2), math.exp(-((hour - 19.2) / 1.6) ** 2))


@dataclass(frozen=True)
class World:
    """The orders as columns, in time order (index ``i`` is one order).

    ``t`` (day, float), ``restaurant``, ``customer``, ``items``, ``kitchen_load``,
    ``couriers_idle``, ``rain_mm``, ``distance_km``, ``apartment`` (0/1), the stage times in
    minutes ``prep``, ``pickup``, ``travel``, and ``total`` (their sum).
    """
    t: tuple
    restaurant: tuple
    customer: tuple
    items: tuple
    kitchen_load: tuple
    couriers_idle: tuple
    rain_mm: tuple
    distance_km: tuple
    apartment: tuple
    prep: tuple
    pickup: tuple
    travel: tuple
    total: tuple

    def __len__(self) -> int:
        return len(self.t)


def _poisson(rng: random.Random, lam: float) -> int:
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _weather(rng: random.Random, days: int) -> list[float]:
    """Rain in mm/h for every hour: dry spells and showers, then the storms of the last week."""
    rain, wet = [], False
    for h in range(days * 24):
        wet = rng.random() < (0.75 if wet else 0.04)
        rain.append(round(min(DRY_MAX_RAIN, 0.3 + rng.expovariate(0.5)), 1) if wet else 0.0)
    for day in STORM_DAYS:
        for h in range(day * 24 + 17, day * 24 + 23):
            rain[h] = round(rng.uniform(8.0, 12.0), 1)
    return rain


@memoized(maxsize=1)
def world() -> World:
    """Every order of the world, sorted by time; seeded, so every run sees the same data."""
    rng = random.Random(WORLD["seed"])
    n_rest, days = WORLD["n_restaurants"], WORLD["days"]
    pace = [rng.uniform(7.0, 17.0) for _ in range(n_rest)]         # minutes for a small order
    busy = [rng.uniform(0.5, 1.6) for _ in range(n_rest)]          # how crowded its kitchen gets
    popularity = [rng.paretovariate(1.5) for _ in range(n_rest)]
    cum_pop = [sum(popularity[:k + 1]) / sum(popularity) for k in range(n_rest)]
    rain = _weather(rng, days)
    cols = {k: [] for k in World.__dataclass_fields__}
    for day in range(days):
        holiday = day in STORM_DAYS
        for _ in range(_poisson(rng, WORLD["orders_per_day"] * (1.25 if holiday else 1.0))):
            hour = bisect.bisect_left(_CUM_HOURS, rng.random()) + rng.random()
            evening = holiday and 17 <= hour < 23
            surge = 1.8 if evening else 1.0                          # the holiday rush
            r = min(n_rest - 1, bisect.bisect_left(cum_pop, rng.random()))
            mm = rain[day * 24 + int(hour)]
            peak = _peak(hour)
            load = _poisson(rng, 4.0 * busy[r] * peak * surge)
            couriers = _poisson(rng, max(0.3, 5.0 * (1.25 - peak) * (0.6 if mm > 0.5 else 1.0) / surge))
            items = 1 + _poisson(rng, 1.5)
            dist = round(min(8.0, 0.5 + rng.gammavariate(2.0, 1.2)), 2)
            apartment = int(rng.random() < 0.5)
            prep = (pace[r] * (0.8 + 0.1 * items) * (1.0 + 0.07 * load)
                    * math.exp(rng.gauss(0.0, 0.22)) * (1.15 if evening else 1.0))
            arrival = 2.0 + 16.0 / (1.0 + couriers) + 0.5 * mm + rng.expovariate(1.0 / (1.0 + 2.0 / (1.0 + couriers)))
            pickup = max(0.0, arrival - prep) + 1.0 + rng.expovariate(1.0)
            speed = (19.0 * (1.0 - 0.25 * peak) / (1.0 + 0.09 * mm)
                     * math.exp(rng.gauss(0.0, 0.12 + 0.03 * mm)))
            travel = (dist / speed * 60.0 + 1.5 + 2.5 * apartment + rng.expovariate(1.0)
                      + (4.0 if evening else 0.0))                  # closed roads downtown
            for k, v in (("t", day + hour / 24.0), ("restaurant", r),
                         ("customer", rng.randrange(WORLD["n_customers"])), ("items", items),
                         ("kitchen_load", load), ("couriers_idle", couriers), ("rain_mm", mm),
                         ("distance_km", dist), ("apartment", apartment),
                         ("prep", round(prep, 2)), ("pickup", round(pickup, 2)),
                         ("travel", round(travel, 2)), ("total", round(prep + pickup + travel, 2))):
                cols[k].append(v)
    order = sorted(range(len(cols["t"])), key=cols["t"].__getitem__)
    return World(**{k: tuple(v[i] for i in order) for k, v in cols.items()})


# --- features -----------------------------------------------------------------------------------

@memoized(maxsize=1)
def features() -> tuple:
    """One row per order (:data:`FEATURES`), each known at checkout.

    ``rest_prep_mean`` is the restaurant's mean preparation time over the orders *before the
    previous midnight* (the nightly profile; the zone's mean of 14 minutes for a restaurant with
    no history), so no row sees its own outcome.
    """
    w = world()
    sums, pending, day_now, out = {}, {}, 0, []
    zone = 14.0
    for i in range(len(w)):
        day = int(w.t[i])
        if day != day_now:                  # the nightly job folds yesterday's orders in
            for r, (s, n) in pending.items():
                a = sums.setdefault(r, [0.0, 0])
                a[0] += s
                a[1] += n
            pending, day_now = {}, day
        r = w.restaurant[i]
        s = sums.get(r)
        mean = (s[0] + 5 * zone) / (s[1] + 5) if s else zone   # shrunk toward the zone's mean
        out.append((round(mean, 3), w.items[i], w.kitchen_load[i], round((w.t[i] - day) * 24.0, 3),
                    w.couriers_idle[i], w.rain_mm[i], w.distance_km[i], w.apartment[i]))
        p = pending.setdefault(r, [0.0, 0])
        p[0] += w.prep[i]
        p[1] += 1
    return tuple(out)


def window(start: float, end: float) -> list[int]:
    """Indices of the orders with ``start <= t < end`` (time order)."""
    start, end = check_number("start", start), check_number("end", end)
    if end <= start:
        raise ValueError(f"end must be after start, got start={start}, end={end}")
    t = world().t
    return list(range(bisect.bisect_left(t, start), bisect.bisect_left(t, end)))


# --- the incumbent: a table of historical means --------------------------------------------------

def distance_band(km: float) -> int:
    """The incumbent's distance band: 0 (< 1.5 km), 1 (< 3), 2 (< 4.5), 3 (farther)."""
    km = check_number("km", km)
    if km < 0:
        raise ValueError(f"km must be >= 0, got {km}")
    return bisect.bisect_right(BANDS, km)


def baseline_table(end: float = TRAIN_END) -> dict:
    """Mean delivery time per (restaurant, distance band) over days 0-``end``, shrunk toward the
    band's mean with the weight of 5 orders, so a sparse cell does not swing on one order."""
    return _baseline_table(float(check_number("end", end)))


@memoized(maxsize=2)
def _baseline_table(end: float) -> dict:
    w, idx = world(), window(0.0, end)
    band_sum, cell = {}, {}
    for i in idx:
        b = bisect.bisect_right(BANDS, w.distance_km[i])
        s = band_sum.setdefault(b, [0.0, 0])
        s[0] += w.total[i]
        s[1] += 1
        c = cell.setdefault((w.restaurant[i], b), [0.0, 0])
        c[0] += w.total[i]
        c[1] += 1
    band = {b: s / n for b, (s, n) in band_sum.items()}
    table = {key: (s + 5 * band[key[1]]) / (n + 5) for key, (s, n) in cell.items()}
    return {"cells": table, "bands": band}


def baseline_estimate(indices, end: float = TRAIN_END) -> list[float]:
    """The incumbent's estimate for orders: its table's cell, or the band's mean."""
    table, w = baseline_table(end), world()
    cells, bands = table["cells"], table["bands"]
    out = []
    for i in indices:
        b = bisect.bisect_right(BANDS, w.distance_km[i])
        out.append(cells.get((w.restaurant[i], b), bands[b]))
    return out


# --- models ---------------------------------------------------------------------------------------

_F = {name: j for j, name in enumerate(FEATURES)}
_TREES = dict(n_estimators=20, learning_rate=0.2, max_depth=3, min_samples_leaf=25)


def _rows(indices, names) -> list[list[float]]:
    X, cols = features(), [_F[n] for n in names]
    return [[X[i][c] for c in cols] for i in indices]


def _check_window(start: float, end: float) -> tuple[float, float]:
    start, end = check_number("start", start), check_number("end", end)
    if start < WARMUP:
        raise ValueError(f"start must be on or after the warm-up week (day {WARMUP:g}), got {start}")
    if not start + 7 <= end <= WORLD["days"]:
        raise ValueError(f"end must be a day in [start + 7, {WORLD['days']}] (a week of training "
                         f"at least), got {end}")
    return start, end


class Model:
    """A fitted regressor with the feature names it reads (:meth:`predict` takes order indices)."""

    def __init__(self, name: str, regressor: BoostedRegressor, names):
        self.name, self.regressor, self.names = name, regressor, tuple(names)
        self.cols = [_F[n] for n in self.names]

    def predict(self, indices) -> list[float]:
        X, cols, row = features(), self.cols, self.regressor.predict_row
        return [row([X[i][c] for c in cols]) for i in indices]

    def predict_features(self, x) -> float:
        """One order from its full feature row (:data:`FEATURES` order): the serving path."""
        return self.regressor.predict_row([x[c] for c in self.cols])

    def __repr__(self) -> str:
        return f"Model({self.name!r}, {self.regressor!r})"


def train_stage(stage: str, names=None, start: float = WARMUP, end: float = TRAIN_END) -> Model:
    """A squared-loss model of one stage's minutes (:data:`STAGES`) on the orders of days
    ``start``-``end``; ``names`` defaults to :data:`STAGE_FEATURES` of the stage."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
    names = STAGE_FEATURES[stage] if names is None else tuple(names)
    unknown = [n for n in names if n not in _F]
    if not names or unknown:
        raise ValueError(f"names must be a non-empty subset of {FEATURES}, got unknown {unknown}")
    start, end = _check_window(start, end)
    idx = window(start, end)
    y = getattr(world(), stage)
    reg = BoostedRegressor("squared", **_TREES).fit(_rows(idx, names), [y[i] for i in idx])
    return Model(stage, reg, names)


def train_total(loss: str = "squared", alpha: float = 0.5, names=FEATURES,
                start: float = WARMUP, end: float = TRAIN_END) -> Model:
    """A model of the whole delivery time with ``loss`` (squared, absolute or quantile)."""
    start, end = _check_window(start, end)
    idx = window(start, end)
    y = world().total
    reg = BoostedRegressor(loss, alpha, **_TREES).fit(_rows(idx, names), [y[i] for i in idx])
    what = f"q{alpha:g}" if loss == "quantile" else loss
    return Model(f"total ({what})", reg, names)


def stage_models(end: float = TRAIN_END, realtime: bool = True) -> dict:
    """The three stage models trained on the two weeks before ``end`` (days 7-21 by default),
    memoized: ``{stage: Model}``. ``realtime=False`` drops each stage's real-time signal
    (:data:`REALTIME`): the same models without kitchen load, idle couriers and rain."""
    if not isinstance(realtime, bool):
        raise TypeError(f"realtime must be True or False, got {realtime!r}")
    return _stage_models(float(check_number("end", end)), realtime)


@memoized(maxsize=3)
def _stage_models(end: float, realtime: bool) -> dict:
    start = end - (TRAIN_END - WARMUP)
    return {stage: train_stage(stage, None if realtime else
                               [n for n in STAGE_FEATURES[stage] if n != REALTIME[stage]],
                               start=start, end=end) for stage in STAGES}


def expected_total(indices, end: float = TRAIN_END, realtime: bool = True) -> list[float]:
    """The challenger's expected delivery time: the sum of its three stage models."""
    parts = [m.predict(indices) for m in stage_models(end, realtime).values()]
    return [a + b + c for a, b, c in zip(*parts)]


_SPREAD = dict(n_estimators=15, learning_rate=0.25, max_depth=3, min_samples_leaf=40)


def quantile_model(alpha: float, end: float = TRAIN_END) -> Model:
    """The ``alpha``-quantile of the *residual* ``total - expected_total``, trained on the two
    weeks before ``end``.

    Adding it to :func:`expected_total` gives the ``alpha``-quantile of the delivery time: the
    stage models carry the mean, this model only how far above or below it the outcome falls in
    these conditions (wider in rain, at the peaks, for far customers).
    """
    alpha = check_in_range("alpha", alpha, 0.0, 1.0)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha}")
    return _quantile_model(float(alpha), float(check_number("end", end)))


@memoized(maxsize=8)
def _quantile_model(alpha: float, end: float) -> Model:
    idx, residual = _residuals(end)
    reg = BoostedRegressor("quantile", alpha, **_SPREAD).fit(_rows(idx, FEATURES), residual)
    return Model(f"residual q{alpha:g}", reg, FEATURES)


@memoized(maxsize=2)
def _residuals(end: float) -> tuple[list[int], list[float]]:
    """The training orders of the two weeks before ``end`` and their residuals
    ``total - expected_total``: what the quantile models learn from (computed once)."""
    start, end = _check_window(end - (TRAIN_END - WARMUP), end)
    idx = window(start, end)
    total = world().total
    return idx, [total[i] - e for i, e in zip(idx, expected_total(idx, end))]


def quantile_total(indices, alpha: float, end: float = TRAIN_END) -> list[float]:
    """The ``alpha``-quantile of the delivery time: expected time plus the residual quantile."""
    spread = quantile_model(alpha, end).predict(indices)
    return [e + s for e, s in zip(expected_total(indices, end), spread)]


# --- the promise and its cost -------------------------------------------------------------------

def business_cost(actual, promised) -> dict:
    """What the promises cost, from :data:`COSTS`: a minute late costs three times a minute of
    over-promise. Returns ``per_order`` ($), ``late_5`` and ``late_10`` (shares of orders later
    than the promise by more than 5 and 10 minutes) and ``mean_promise``."""
    actual, promised = list(actual), list(promised)
    if not actual or len(actual) != len(promised):
        raise ValueError(f"actual and promised must be non-empty and of equal length, got "
                         f"{len(actual)} and {len(promised)}")
    late, early = COSTS["late_per_min"], COSTS["early_per_min"]
    cost = math.fsum(late * (a - p) if a > p else early * (p - a) for a, p in zip(actual, promised))
    n = len(actual)
    return {"per_order": cost / n,
            "late_5": sum(a - p > 5 for a, p in zip(actual, promised)) / n,
            "late_10": sum(a - p > 10 for a, p in zip(actual, promised)) / n,
            "mean_promise": math.fsum(promised) / n}


def best_buffer(actual, estimate, step: float = 0.5) -> float:
    """The constant number of minutes (0 to 12, by ``step``) to add to ``estimate`` that minimises :func:`business_cost`
    on these orders (how the incumbent sets its promise)."""
    actual, estimate = list(actual), list(estimate)
    if not actual or len(actual) != len(estimate):
        raise ValueError("actual and estimate must be non-empty and of equal length")
    step = check_in_range("step", step, 0.01, 5.0)
    candidates = [k * step for k in range(int(12 / step) + 1)]
    return min(candidates,
               key=lambda b: business_cost(actual, [e + b for e in estimate])["per_order"])


def shown_range(promise: float) -> tuple[int, int]:
    """What the checkout page shows for a promise: a 10-minute range ending at the promise,
    rounded up to 5 minutes (a promise of 37.2 minutes shows "30-40 min")."""
    promise = check_number("promise", promise)
    if promise <= 0:
        raise ValueError(f"promise must be positive minutes, got {promise}")
    high = 5 * math.ceil(promise / 5)
    return max(5, high - 10), high


# --- updates during delivery and the serving path -----------------------------------------------

def remaining_estimate(x, event: str, stages: dict, elapsed: float = 0.0) -> float:
    """Expected minutes still to go at ``event`` (``"checkout"``, ``"food_ready"``,
    ``"picked_up"``): the stage models of the stages not finished yet. ``elapsed`` is the time
    spent in the current stage so far (not used by the stage means; kept for the signature a
    production updater would need)."""
    order = {"checkout": STAGES, "food_ready": STAGES[1:], "picked_up": STAGES[2:]}
    if event not in order:
        raise ValueError(f"event must be one of {tuple(order)}, got {event!r}")
    check_number("elapsed", elapsed)
    return math.fsum(stages[s].predict_features(x) for s in order[event])


SERVE_STAGES = ("features", "stage models", "quantiles", "format")


def serve(order: dict, stores: dict, stages: dict, quantiles: dict) -> dict:
    """The checkout estimate for one order, timed stage by stage (milliseconds).

    ``order``: ``restaurant``, ``items``, ``distance_km``, ``apartment``, ``hour``.
    ``stores``: ``profile`` (restaurant -> mean prep, nightly), ``kitchen`` (restaurant -> open
    orders), ``couriers`` (restaurant -> idle couriers nearby), ``rain_mm`` (the zone's rain now).
    ``quantiles``: ``{"promise": Model, "low": Model, "high": Model}``, residual quantile models
    (:func:`quantile_model`) added to the expected time. Returns ``expected``
    (sum of the stage models), ``promise``, ``low``, ``high``, ``shown`` (the range on the
    page), ``lookups`` (store reads), ``nodes`` (tree nodes walked at most) and ``ms``.
    """
    missing = [k for k in ("restaurant", "items", "distance_km", "apartment", "hour") if k not in order]
    if missing:
        raise ValueError(f"order is missing {missing}")
    for key in ("profile", "kitchen", "couriers", "rain_mm"):
        if key not in stores:
            raise ValueError(f"stores is missing {key!r}")
    clock = time.perf_counter
    t0 = clock()
    r = order["restaurant"]
    x = (stores["profile"].get(r, 14.0), order["items"], stores["kitchen"].get(r, 0),
         order["hour"], stores["couriers"].get(r, 0), stores["rain_mm"], order["distance_km"],
         order["apartment"])
    t1 = clock()
    parts = {s: m.predict_features(x) for s, m in stages.items()}
    t2 = clock()
    q = {k: m.predict_features(x) for k, m in quantiles.items()}
    t3 = clock()
    expected = math.fsum(parts.values())
    promise = expected + q["promise"]                 # the quantile models predict the residual
    low, high = min(expected + q["low"], promise), max(expected + q["high"], promise)
    shown = shown_range(promise)
    t4 = clock()
    nodes = sum(m.regressor.nodes_per_row() for m in list(stages.values()) + list(quantiles.values()))
    ms = dict(zip(SERVE_STAGES, (1e3 * (t1 - t0), 1e3 * (t2 - t1), 1e3 * (t3 - t2), 1e3 * (t4 - t3))))
    return {"expected": expected, "parts": parts, "promise": promise, "low": low,
            "high": high, "shown": shown, "x": x, "lookups": 4, "nodes": nodes, "ms": ms}
