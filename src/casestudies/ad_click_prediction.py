"""Ad click prediction on a social feed: the system of the case study, small enough for a browser.

**The world.** A social app shows ads in its feed. :func:`world` simulates three weeks of it
(:data:`IMPRESSIONS_PER_DAY` ad impressions a day), seeded, with a click-through rate near 1 %:

- 6,000 users with an age bucket, a country, a device, a declared interest (right 80 % of the
  time) and a hidden true interest and propensity to click; the 300 most active users see the
  most ads and click less (ad blindness);
- 60 advertisers, each selling in one of 12 topics, with a hidden quality;
- ad churn: 90 ads are live on day 0 and 15 new ones start every day; an ad runs 4 to 10 days,
  so most ads the model must score next week do not exist yet. Each ad accepts all age groups or
  three neighbouring ones (targeting). Each ad has a format (image,
  video, carousel), a cost-per-click bid and a hidden creative quality, and wears out with age
  (creative fatigue);
- drift: the appeal of each topic to each age group follows a random walk from day to day, and
  from day :data:`LAYOUT_START` a new feed layout rolls out that takes clicks away, a little more
  every day and most from ads lower in the feed;
- clicks mostly arrive within a minute of the impression, but a fifth arrive later (the person
  comes back to the post): every click has a delay, so the label depends on the label window.

The click probability of an impression is ``sigmoid(z)`` with, in :func:`true_logit`::

    z = b + user propensity + advertiser quality + ad quality + trend(day, age, topic)
        + 1.4 [true interest == ad topic] + 0.5 [age group likes topic] + device x format
        - slot effect(day) x feed slot - 0.8 (1 - exp(-ad age / 4)) + hour of day
        + 1.0 [games or music ad, on a phone, late at night] - 0.8 [one of the 300 heaviest users]

where ``b`` is solved once so that the mean click probability is :data:`BASE_CTR`. Because the
simulator knows every impression's true probability, evaluation uses the *expected* log loss
(:func:`expected_ne`): the average over all ways the clicks could have fallen, which removes the
label noise that would otherwise swamp differences of a few per cent between models on a toy
sample. In production you only have labels, and billions of them.

**Logging.** Every impression updates the counters (clicks and impressions per ad, advertiser
and user per day, from which :func:`counters` gives point-in-time smoothed CTRs). The training
log keeps every click and a random :data:`NEG_RATE` share of non-clicks (negative
downsampling); a separate uniform sample of :data:`EVAL_RATE` of all impressions is kept for
evaluation.

**Time windows** (days): ``[0, 4)`` warms up the counters, ``[4, 14)`` trains the model ladder,
day 14 tests it, and days 14-20 are the week of the freshness experiment (:func:`freshness_run`),
the online test (:func:`ab_test`) and monitoring.

**Models** (:func:`ladder`), all trained on the same downsampled rows, each given one fitted
logit offset (its mean prediction on the training rows equals their click rate) and recalibrated
with :func:`recalibrate`: logistic regressions on hashed features without and with crosses, a
GBDT on dense features, the GBDT's leaves plus the hashed features fed to a logistic regression
(He et al., 2014), and a Deep & Cross network.

**A request** (:func:`serve`) runs six timed stages: targeting, pre-ranking (bid x ad CTR
counter, keep :data:`N_CANDIDATES`), features, scoring, calibration and the auction
(:func:`auction`, a single-slot second-price auction on pCTR x bid with a reserve price).
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect
from itertools import accumulate
from operator import itemgetter

from casestudies.memo import memoized
from mlsd.ranking import DCN, GBDT, FeatureHasher, LogisticRegression
from mlsd.serving import percentile
from mlsd.validate import check_int, check_non_empty, check_number, check_positive_int, check_probability

__all__ = ["DAYS", "IMPRESSIONS_PER_DAY", "BASE_CTR", "NEG_RATE", "EVAL_RATE", "TOPICS", "FORMATS",
           "TRAIN_START", "TRAIN_END", "TEST_DAY", "N_CANDIDATES", "RESERVE_ECPM", "STAGES",
           "Ad", "User", "Impression", "World", "world", "true_logit", "sigmoid", "logit",
           "label_window_table", "counters", "record", "dense_row", "onehot_row", "hasher",
           "training_rows", "eval_rows", "features", "activity", "MODELS", "recalibrate", "expected_log_loss", "expected_ne",
           "collision_rate", "hashed_lr", "expected_auc", "reliability", "tokens", "ladder", "predict", "evaluate", "auction", "auction_requests",
           "run_auctions", "true_scores", "prerank_recall", "ab_test", "window_model", "window_predict", "candidates", "serve", "latency_table", "freshness_run", "scoring_cost"]

DAYS = 21
IMPRESSIONS_PER_DAY = 12_000
BASE_CTR = 0.010            # mean click probability of an ad impression
NEG_RATE = 0.02             # share of non-clicks kept in the training log
EVAL_RATE = 0.2             # share of impressions from TEST_DAY on kept, uniformly, to evaluate
TRAIN_START, TRAIN_END, TEST_DAY = 4, 14, 14
N_CANDIDATES = 50           # ads the pre-ranker hands to the model
RESERVE_ECPM = 0.004        # $ per impression: the value of the organic post an ad would replace
HASH_BUCKETS = 2 ** 14
STAGES = ("targeting", "pre-rank", "features", "score", "calibrate", "auction")

TOPICS = ("games", "fashion", "travel", "finance", "sports", "food", "tech", "music", "autos",
          "home", "beauty", "education")
FORMATS = ("image", "video", "carousel")
DEVICES = ("android", "ios", "desktop")
COUNTRIES = ("US", "BR", "IN", "DE", "GB", "FR", "JP", "MX")
_YOUNG = {"games", "fashion", "music", "beauty"}
_OLDER = {"travel", "finance", "home", "autos"}
_HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4)
_N_USERS, _N_ADVERTISERS, _ADS_AT_START, _NEW_ADS_PER_DAY = 6000, 60, 90, 15
_HEAVY_USERS = 300          # the most active users (ranks 0..299) have ad blindness


def _field(index: int) -> property:
    """Item ``index`` of a record tuple as a read-only attribute. ``itemgetter`` reads it in C; a
    lambda would cost a Python call per read, and the simulation reads fields a million times."""
    return property(itemgetter(index), doc=f"Item {index} of the tuple.")


class User(tuple):
    """``(id, age bucket 0-4, country, device, declared interest, true interest, propensity)``."""
    __slots__ = ()
    id = _field(0)
    age = _field(1)
    country = _field(2)
    device = _field(3)
    declared = _field(4)
    interest = _field(5)
    propensity = _field(6)


class Ad(tuple):
    """``(id, advertiser, topic, format, bid $/click, quality, created day, end day, target ages)``."""
    __slots__ = ()
    id = _field(0)
    advertiser = _field(1)
    topic = _field(2)
    format = _field(3)
    bid = _field(4)
    quality = _field(5)
    created = _field(6)
    end = _field(7)
    ages = _field(8)


class Impression(tuple):
    """``(day, hour, user, ad, slot, true p, clicked, click delay in seconds or None)``."""
    __slots__ = ()
    day = _field(0)
    hour = _field(1)
    user = _field(2)
    ad = _field(3)
    slot = _field(4)
    p = _field(5)
    clicked = _field(6)
    delay = _field(7)


class World:
    """Everything :func:`world` generates (read-only by convention)."""

    def __init__(self, users, ads, adv_quality, trend, intercept, train_log, eval_log, counts,
                 n_impressions, n_clicks, delays):
        self.users, self.ads, self.adv_quality, self.trend = users, ads, adv_quality, trend
        self.intercept, self.train_log, self.eval_log, self.counts = intercept, train_log, eval_log, counts
        self.n_impressions, self.n_clicks, self.delays = n_impressions, n_clicks, delays

    def active_ads(self, day: int) -> list:
        """Ads that run on ``day``."""
        return [a for a in self.ads if a.created <= day < a.end]

    def __repr__(self) -> str:
        return (f"World(users={len(self.users)}, ads={len(self.ads)}, impressions={self.n_impressions}, "
                f"ctr={self.n_clicks / self.n_impressions:.4f})")


def sigmoid(z: float) -> float:
    """``1 / (1 + e^-z)`` without overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoids(zs) -> list:
    """:func:`sigmoid` of each of ``zs``, the same floats, in one call: the Newton fits call it
    on thousands of logits per step, and a Python call per value measured slower in Pyodide."""
    exp, out = math.exp, []
    for z in zs:
        if z >= 0:
            out.append(1.0 / (1.0 + exp(-z)))
        else:
            e = exp(z)
            out.append(e / (1.0 + e))
    return out


def logit(p: float) -> float:
    """``log(p / (1 - p))``, with ``p`` clipped to ``[1e-6, 1 - 1e-6]``."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


_DEVICE_FORMAT = ((0.0, 0.45, 0.0), (0.0, 0.45, 0.0), (0.0, -0.2, 0.35))   # [device][format]
_HOUR_EFFECT = tuple(0.2 if 18 <= h <= 22 else (-0.2 if h < 6 else 0.0) for h in range(24))
LAYOUT_START = 14          # from this day a new feed layout rolls out: later ad slots get fewer clicks
_SLOT_EFFECT = tuple(tuple(-0.07 * max(0, d - LAYOUT_START + 1) * (1 + s) - 0.2 * s for s in range(5))
                     for d in range(DAYS))        # [day][slot]
_LATE = tuple(h >= 21 or h < 2 for h in range(24))
_LATE_TOPICS = {TOPICS.index("games"), TOPICS.index("music")}   # late at night, on a phone


@memoized(maxsize=_N_USERS)
def _user_part(user: User) -> tuple:
    """The user's share of the logit for an ad of each topic: propensity, interest, age x topic
    (memoized: :func:`true_logit` needs it at every call)."""
    heavy = 0.8 if user.id < _HEAVY_USERS else 0.0
    liked = _YOUNG if user.age <= 1 else (_OLDER if user.age >= 3 else ())
    out = []
    for k, topic in enumerate(TOPICS):
        z = user.propensity + (1.4 if user.interest == k else 0.0) - heavy
        if topic in liked:
            z += 0.5
        out.append(z)
    return tuple(out)


def _ad_part(ad: Ad, day: int, adv_quality) -> float:
    """The ad's share of the logit on ``day``: advertiser, creative, fatigue."""
    return (adv_quality[ad.advertiser] + ad.quality
            - 0.8 * (1.0 - math.exp(-(day - ad.created) / 4.0)))


def true_logit(user: User, ad: Ad, day: int, hour: int = 12, slot: int = 0) -> float:
    """The world's log-odds of a click when ``user`` sees ``ad`` in feed ad ``slot`` (0 = first)."""
    if not isinstance(user, User) or not isinstance(ad, Ad):
        raise TypeError("user must be a User and ad an Ad (from world().users and world().ads)")
    _check_day(day)
    if not 0 <= check_int("hour", hour) < 24:
        raise ValueError(f"hour must be in 0..23, got {hour}")
    if not 0 <= check_int("slot", slot) < 5:
        raise ValueError(f"slot must be in 0..4, got {slot}")
    w = _simulation()       # the intercept and the drift, without simulating the logged traffic
    return (w.intercept + _user_part(user)[ad.topic] + _ad_part(ad, day, w.adv_quality) + w.trend[day][user.age][ad.topic]
            + _DEVICE_FORMAT[user.device][ad.format] + _SLOT_EFFECT[day][slot] + _HOUR_EFFECT[hour]
            + (1.0 if _LATE[hour] and user.device != 2 and ad.topic in _LATE_TOPICS else 0.0))


def _click_delay(rng: random.Random) -> float:
    """Seconds from impression to click: 80 % within about a minute, 20 % hours later."""
    if rng.random() < 0.8:
        return rng.expovariate(1 / 20.0)
    return min(rng.lognormvariate(math.log(2 * 3600), 1.2), 6 * 86400)


def _make_ads(rng: random.Random) -> tuple:
    adv_topic = [rng.randrange(len(TOPICS)) for _ in range(_N_ADVERTISERS)]
    adv_quality = tuple(rng.gauss(0.0, 0.4) for _ in range(_N_ADVERTISERS))
    ads = []
    starts = [-rng.randrange(7) for _ in range(_ADS_AT_START)]
    starts += [d for d in range(DAYS) for _ in range(_NEW_ADS_PER_DAY)]
    for created in starts:
        adv = rng.randrange(_N_ADVERTISERS)
        lo = rng.randrange(3)
        ages = tuple(range(5)) if rng.random() < 0.5 else tuple(range(lo, lo + 3))
        ads.append(Ad((len(ads), adv, adv_topic[adv], rng.choices((0, 1, 2), weights=(5, 3, 2))[0],
                       round(math.exp(rng.gauss(math.log(0.6), 0.6)), 2), rng.gauss(0.0, 0.5),
                       created, created + rng.randint(4, 10), ages)))
    return tuple(ads), adv_quality


class _Simulation:
    """The world under construction: users, ads and drift at once, the traffic day by day.

    :meth:`through` simulates the days up to the one a question needs, and no further: the
    model ladder and the auction look no later than :data:`TEST_DAY`, so a cell that asks only
    about them is spared the last six days of traffic (about a quarter of the world's build).
    Every random number comes from one stream, drawn in the same order as if all the days were
    simulated at once, so the world is the same whichever cells ran first and however far each
    one went. A simulation interrupted in the middle of a day is thrown away (see :meth:`through`).
    """

    def __init__(self):
        rng = random.Random(2024)
        users = []
        for u in range(_N_USERS):
            interest = rng.randrange(len(TOPICS))
            declared = interest if rng.random() < 0.8 else rng.randrange(len(TOPICS))
            device = rng.choices((0, 1, 2), weights=(5, 4, 1))[0]
            users.append(User((u, rng.randrange(5), rng.randrange(len(COUNTRIES)), device, declared,
                               interest, rng.gauss(0.0, 0.6))))
        self.users = users = tuple(users)
        self.ads, self.adv_quality = ads, adv_quality = _make_ads(rng)
        trend = [[[0.0] * len(TOPICS) for _ in range(5)]]          # trend[day][age][topic]
        for _ in range(1, DAYS):
            trend.append([[t + rng.gauss(0.0, 0.15) for t in row] for row in trend[-1]])
        self.trend = tuple(tuple(tuple(row) for row in day) for day in trend)
        self._aparts = [{a.id: _ad_part(a, d, adv_quality) for a in ads if a.created <= d < a.end}
                        for d in range(DAYS)]
        # The fields the traffic reads, unpacked once per user rather than per impression
        # (the traffic loop runs a quarter of a million times and is most of the world's build):
        # user, age, device x format effects, on a phone?, logit share per topic, counts key.
        self._people = [(u, u.age, _DEVICE_FORMAT[u.device], u.device != 2, _user_part(u), u.id * DAYS)
                        for u in users]
        # Two shortcuts that pick the same user and hour as a plain bisect, for less work per draw:
        # - the users: a guide table (the cutpoint method) splits [0, top_u) into one cell per user
        #   and keeps the range of users each cell can land on (widened by one against rounding);
        #   the bisect then searches that range, a few entries instead of 6,000;
        # - the hours: the weights are integers, so bisect(hour_cum, x) depends on int(x) only.
        user_cum = list(accumulate(1.0 / (r + 1) ** 0.6 for r in range(len(users))))
        per_cell = len(user_cum) / user_cum[-1]
        self._user_table = (user_cum, per_cell,
                            [max(bisect(user_cum, c / per_cell) - 1, 0) for c in range(len(user_cum) + 1)],
                            [min(bisect(user_cum, (c + 1) / per_cell) + 1, len(user_cum))
                             for c in range(len(user_cum) + 1)])
        hour_cum = list(accumulate(_HOUR_WEIGHTS))
        self._hour_of = [bisect(hour_cum, k) for k in range(hour_cum[-1] + 1)]
        self._rng = rng
        n_ads, n_adv = len(ads), _N_ADVERTISERS
        # counts[kind] = (impressions, clicks), flat lists indexed by key * DAYS + day
        self.counts = {"ad": ([0] * (n_ads * DAYS), [0] * (n_ads * DAYS)),
                       "adv": ([0] * (n_adv * DAYS), [0] * (n_adv * DAYS)),
                       "user": ([0] * (_N_USERS * DAYS), [0] * (_N_USERS * DAYS))}
        self.train_log, self.eval_log, self.delays = [], [], []
        self.n_impressions = self.n_clicks = 0
        self.intercept = None         # the pilot traffic that solves it does not use it
        self.intercept = self._solve_intercept()
        self.days = 0                 # days simulated so far: 0 .. days - 1
        self._prefix, self._prefix_days = None, None   # counts_before()'s sums, and of how many days

    def _traffic(self, rng, n_per_day: int, days, pilot: list | None = None) -> None:
        """Draw ``n_per_day`` impressions for each day of ``days`` from ``rng``, then their clicks:
        count them, log them and sample them for evaluation. With a ``pilot`` list, only append
        each impression's logit without the intercept to it (no clicks: :meth:`_solve_intercept`).

        Nothing is drawn outside a day's loop, so asking for the days in one call or in several
        draws the same stream. One loop for both uses, not a generator of impressions for the
        clicks to consume: resuming a generator 250,000 times cost a tenth of the build in CPython.
        """
        user_cum, per_cell, first, last = self._user_table
        top_u, hour_of, rand, exp = user_cum[-1], self._hour_of, rng.random, math.exp
        top_h = len(hour_of) - 1
        people, ads, trend = self._people, self.ads, self.trend
        late, late_topics, hour_effect, neg_rate, eval_rate = _LATE, _LATE_TOPICS, _HOUR_EFFECT, NEG_RATE, EVAL_RATE
        (i_ad, c_ad), (i_adv, c_adv), (i_user, c_user) = self.counts["ad"], self.counts["adv"], self.counts["user"]
        train_log, eval_log, delays = self.train_log, self.eval_log, self.delays
        b, n, n_clicks = self.intercept, self.n_impressions, self.n_clicks
        for d in days:
            apart, trend_d, slot_d = self._aparts[d], trend[d], _SLOT_EFFECT[d]
            live = [(a, a.ages, a.topic, a.format, apart[a.id], a.id * DAYS + d, a.advertiser * DAYS + d)
                    for a in ads if a.created <= d < a.end]
            n_live, evaluating = len(live), d >= TEST_DAY
            if pilot is None:
                n += n_per_day
            for _ in range(n_per_day):
                x = rand() * top_u
                cell = int(x * per_cell)
                user, age, formats, phone, upart, user_key = people[bisect(user_cum, x, first[cell], last[cell])]
                hour = hour_of[int(rand() * top_h)]
                ad, ages, topic, fmt, ad_z, ka, kv = live[int(rand() * n_live)]
                while age not in ages:                  # targeting: the ad must accept the user's age
                    ad, ages, topic, fmt, ad_z, ka, kv = live[int(rand() * n_live)]
                slot = int(rand() * rand() * 5)         # early ad slots are seen more often
                z = (upart[topic] + ad_z + formats[fmt]
                     + slot_d[slot] + hour_effect[hour] + trend_d[age][topic])
                if late[hour] and phone and topic in late_topics:
                    z += 1.0
                if pilot is not None:
                    pilot.append(z)
                    continue
                p = 1.0 / (1.0 + exp(-z - b))
                clicked = rand() < p
                ku = user_key + d
                i_ad[ka] += 1
                i_adv[kv] += 1
                i_user[ku] += 1
                if clicked:
                    n_clicks += 1
                    c_ad[ka] += 1
                    c_adv[kv] += 1
                    c_user[ku] += 1
                    delay = _click_delay(rng)
                    delays.append(delay)
                    train_log.append(Impression((d, hour, user[0], ad[0], slot, p, True, delay)))
                elif rand() < neg_rate:
                    train_log.append(Impression((d, hour, user[0], ad[0], slot, p, False, None)))
                if evaluating and rand() < eval_rate:
                    eval_log.append(Impression((d, hour, user[0], ad[0], slot, p, clicked,
                                                delays[-1] if clicked else None)))
        self.n_impressions, self.n_clicks = n, n_clicks

    def _solve_intercept(self) -> float:
        """The intercept that makes the mean click probability BASE_CTR: Newton's method on a
        pilot sample of traffic drawn with its own seed."""
        sample = []
        self._traffic(random.Random(7), 1000, range(DAYS), pilot=sample)
        b = logit(BASE_CTR) - 1.0
        for _ in range(50):
            ps = _sigmoids([z + b for z in sample])
            gap = sum(ps) / len(ps) - BASE_CTR
            b -= gap / (sum([p * (1 - p) for p in ps]) / len(ps))
            if abs(gap) < 1e-12:
                break
        return b

    def through(self, day: int) -> "_Simulation":
        """Simulate every day up to and including ``day`` (at most the last one).

        The counts, logs and random stream change in place as the days are drawn, so a run cut
        short (an interrupted cell, a MemoryError) would leave them half a day ahead of
        ``self.days``: the simulation is then discarded, and the next question starts a new one.
        """
        day = min(day, DAYS - 1)
        if day < self.days:
            return self
        try:
            self._traffic(self._rng, IMPRESSIONS_PER_DAY, range(self.days, day + 1))
        except BaseException:
            _simulation.cache_clear()
            raise
        self.days = day + 1
        return self

    def counts_before(self, day: int) -> dict:
        """Prefix sums of the counts, every day before ``day`` simulated first:
        ``[kind][key * (DAYS + 1) + d]`` = (impressions, clicks) of days ``[0, d)``. Past the
        days simulated so far the sums stay flat (those days hold no counts yet): read them only
        up to ``day``."""
        # every counter lookup comes through here: the common case is two comparisons
        if day > self.days and self.days < DAYS:
            self.through(min(day, DAYS) - 1)
        if self._prefix_days != self.days:
            self._prefix, self._prefix_days = {}, self.days
            for kind, (cell_imps, cell_clicks) in self.counts.items():
                imps, clicks = [], []
                for key in range(len(cell_imps) // DAYS):
                    lo = key * DAYS
                    imps.append(0)
                    clicks.append(0)
                    imps.extend(accumulate(cell_imps[lo:lo + DAYS]))
                    clicks.extend(accumulate(cell_clicks[lo:lo + DAYS]))
                self._prefix[kind] = (imps, clicks)
        return self._prefix


@memoized(maxsize=1)
def _simulation() -> _Simulation:
    return _Simulation()


@memoized(maxsize=1)
def world() -> World:
    """The seeded three-week world (built once; about half a second in CPython)."""
    sim = _simulation().through(DAYS - 1)
    return World(sim.users, sim.ads, sim.adv_quality, sim.trend, sim.intercept, tuple(sim.train_log),
                 tuple(sim.eval_log), sim.counts, sim.n_impressions, sim.n_clicks, tuple(sim.delays))


# ------------------------------------------------------------------- labels
def label_window_table(windows_s) -> list[dict]:
    """For each label window (seconds): the share of all clicks it catches and the CTR its
    labels show, over the whole log."""
    windows = check_non_empty("windows_s", windows_s)
    w = world()
    rows = []
    for win in windows:
        win = check_number("windows_s", win)
        if win <= 0:
            raise ValueError(f"windows_s must hold positive numbers of seconds, got {win}")
        caught = sum(1 for d in w.delays if d <= win)
        rows.append({"window_s": win, "clicks_caught": caught / len(w.delays),
                     "label_ctr": caught / w.n_impressions})
    return rows


# ----------------------------------------------------------------- features
_PRIOR = {"ad": 200.0, "adv": 200.0, "user": 100.0}


def counters(kind: str, key: int, day: int, lookback: int = 7) -> float:
    """Smoothed CTR of ``kind`` (``"ad"``, ``"adv"`` or ``"user"``) ``key`` over the ``lookback``
    days before ``day`` (point in time: nothing from ``day`` itself), shrunk towards
    :data:`BASE_CTR` with a prior worth ``_PRIOR[kind]`` impressions. These are the streaming
    counters every ad system keeps; here they are daily snapshots."""
    if kind not in _PRIOR:
        raise ValueError(f"kind must be 'ad', 'adv' or 'user', got {kind!r}")
    # The checkers run only on arguments that are not plain ints (lookback >= 1): every feature
    # row makes four lookups, and the four checker calls took nearly as long as the lookup itself.
    if type(day) is not int:
        check_int("day", day)
    if type(lookback) is not int or lookback < 1:
        check_positive_int("lookback", lookback)
    if type(key) is not int:
        check_int("key", key)
    imps, clicks = _simulation().counts_before(day)[kind]
    n_keys = len(imps) // (DAYS + 1)
    if not 0 <= key < n_keys:
        raise ValueError(f"key must be in 0..{n_keys - 1} for kind {kind!r}, got {key}")
    hi = max(0, min(day, DAYS))
    lo = max(0, hi - lookback)
    base = key * (DAYS + 1)
    i, c = imps[base + hi] - imps[base + lo], clicks[base + hi] - clicks[base + lo]
    m = _PRIOR[kind]
    return (c + m * BASE_CTR) / (i + m)


def activity(user_id: int, day: int, lookback: int = 7) -> int:
    """Ad impressions ``user_id`` saw in the ``lookback`` days before ``day``."""
    if type(day) is not int:                       # as in counters()
        check_int("day", day)
    if type(lookback) is not int or lookback < 1:
        check_positive_int("lookback", lookback)
    if type(user_id) is not int:
        check_int("user_id", user_id)
    imps, _ = _simulation().counts_before(day)["user"]
    if not 0 <= user_id < _N_USERS:
        raise ValueError(f"user_id must be in 0..{_N_USERS - 1}, got {user_id}")
    hi = max(0, min(day, DAYS))
    base = user_id * (DAYS + 1)
    return imps[base + hi] - imps[base + max(0, hi - lookback)]


def _age_bucket(days: int) -> str:
    return ("0", "1", "2", "3-4", "3-4", "5-7", "5-7", "5-7")[days] if days < 8 else "8+"


def record(user: User, ad: Ad, day: int, hour: int, slot: int) -> dict:
    """The feature record of one impression, as of the start of ``day`` (tokens and counters)."""
    return {"user": user.id, "age": user.age, "country": user.country, "device": user.device,
            "interest": user.declared, "ad": ad.id, "adv": ad.advertiser, "topic": ad.topic,
            "format": ad.format, "slot": slot, "hour": hour // 4, "ad_age": _age_bucket(day - ad.created),
            "ad_ctr": logit(counters("ad", ad.id, day)), "adv_ctr": logit(counters("adv", ad.advertiser, day)),
            "user_ctr": logit(counters("user", user.id, day, lookback=14)),
            "user_imps": math.log1p(activity(user.id, day))}


CATEGORICAL = ("age", "country", "device", "interest", "ad", "adv", "topic", "format", "slot",
               "hour", "ad_age")
NUMERIC = ("ad_ctr", "adv_ctr", "user_ctr", "user_imps")
CROSSES = (("interest", "topic"), ("device", "format"), ("age", "topic"))
DENSE_NAMES = ("age", "country", "device", "interest", "topic", "format", "slot", "hour", "ad_age_days",
               "interest_match", "ad_ctr", "adv_ctr", "user_ctr", "user_imps")


def dense_row(rec: dict, day: int, ad: Ad) -> list:
    """The GBDT's input: codes, numbers and one hand-made match flag (names in ``DENSE_NAMES``)."""
    return [rec["age"], rec["country"], rec["device"], rec["interest"], rec["topic"], rec["format"],
            rec["slot"], rec["hour"], day - ad.created, float(rec["interest"] == rec["topic"]),
            rec["ad_ctr"], rec["adv_ctr"], rec["user_ctr"], rec["user_imps"]]


_ONEHOT = (("age", 5), ("country", len(COUNTRIES)), ("device", 3), ("interest", len(TOPICS)),
           ("topic", len(TOPICS)), ("format", 3), ("slot", 5), ("hour", 6))
_ONEHOT_OFFSETS = tuple(accumulate([0] + [n for _, n in _ONEHOT]))


def onehot_row(rec: dict, day: int, ad: Ad) -> dict:
    """The DCN's input: one-hot categories (no IDs) and the counters, as a sparse row."""
    row = {off + rec[name]: 1.0 for (name, _), off in zip(_ONEHOT, _ONEHOT_OFFSETS)}
    base = _ONEHOT_OFFSETS[-1]
    row[base] = min(day - ad.created, 10) / 10.0
    row[base + 1], row[base + 2], row[base + 3] = rec["ad_ctr"], rec["adv_ctr"], rec["user_ctr"]
    row[base + 4] = rec["user_imps"]
    return row


def features(imps) -> dict:
    """Feature rows of ``imps`` (impressions): ``{"records", "dense", "onehot", "labels", "p_true"}``."""
    w = _simulation()       # users and ads only: features never need traffic beyond the counters
    recs, dense, onehot, labels, p_true = [], [], [], [], []
    for imp in imps:
        user, ad = w.users[imp.user], w.ads[imp.ad]
        rec = record(user, ad, imp.day, imp.hour, imp.slot)
        recs.append(rec)
        dense.append(dense_row(rec, imp.day, ad))
        onehot.append(onehot_row(rec, imp.day, ad))
        labels.append(int(imp.clicked))
        p_true.append(imp.p)
    return {"records": recs, "dense": dense, "onehot": onehot, "labels": labels, "p_true": p_true}


def _check_day(day: int, name: str = "day") -> int:
    check_int(name, day)
    if not 0 <= day < DAYS:
        raise ValueError(f"{name} must be in 0..{DAYS - 1}, got {day}")
    return day


def _check_days(start: int, end: int) -> tuple:
    check_int("start", start)
    check_int("end", end)
    if not 0 <= start < end <= DAYS:
        raise ValueError(f"need 0 <= start < end <= {DAYS}, got start={start}, end={end}")
    return start, end


@memoized(maxsize=DAYS)
def _day_rows(day: int) -> dict:
    return features([i for i in _simulation().through(day).train_log if i.day == day])


@memoized(maxsize=8)
def training_rows(start: int = TRAIN_START, end: int = TRAIN_END) -> dict:
    """Features and labels of the downsampled training log for days ``[start, end)``."""
    start, end = _check_days(start, end)
    _simulation().through(end - 1)     # all the days in one go, not one more at each day's rows
    out = {k: [] for k in ("records", "dense", "onehot", "labels", "p_true")}
    for d in range(start, end):
        for k, v in _day_rows(d).items():
            out[k].extend(v)
    return out


@memoized(maxsize=8)
def eval_rows(day: int = TEST_DAY, n: int = 2000) -> dict:
    """Features, labels and true probabilities of ``n`` uniformly sampled impressions of ``day``."""
    _check_day(day)
    check_positive_int("n", n)
    rows = [i for i in _simulation().through(day).eval_log if i.day == day]
    if n > len(rows):
        raise ValueError(f"n must be at most {len(rows)} (the evaluation sample of day {day}), got {n}")
    return features(rows[:n])


@memoized(maxsize=2)
def hasher(crosses: bool = True) -> FeatureHasher:
    """The feature hasher of the logistic regressions, fitted on the ladder's training rows:
    every categorical field and :data:`CROSSES` (or none with ``crosses=False``), plus the
    standardized counters, into :data:`HASH_BUCKETS` columns."""
    if not isinstance(crosses, bool):
        raise TypeError(f"crosses must be True or False, got {type(crosses).__name__}")
    h = FeatureHasher(n_buckets=HASH_BUCKETS, numeric=NUMERIC, categorical=CATEGORICAL,
                      crosses=CROSSES if crosses else ())
    return h.fit(training_rows()["records"])


def collision_rate(tokens, n_buckets: int) -> float:
    """Share of distinct ``tokens`` that share their hash bucket with at least one other token."""
    from mlsd.ranking import hash_index
    check_positive_int("n_buckets", n_buckets)
    distinct = set(check_non_empty("tokens", tokens))
    load: dict = {}
    for t in distinct:
        j = hash_index(t, n_buckets)
        load[j] = load.get(j, 0) + 1
    return sum(c for c in load.values() if c > 1) / len(distinct)


# --------------------------------------------------------------- calibration
def recalibrate(p: float, rate: float = NEG_RATE) -> float:
    """Undo negative downsampling: a model trained on a log that kept a share ``rate`` of the
    negatives predicts ``p``; the probability on all traffic is ``p / (p + (1 - p) / rate)``."""
    p = check_probability("p", p)
    rate = check_probability("rate", rate, open_low=True)
    return p / (p + (1.0 - p) / rate)


def _recalibrated(raw) -> list:
    """:func:`recalibrate` of each of a model's probabilities, without its checks: they are
    probabilities by construction, and the checks cost more than the arithmetic."""
    return [p / (p + (1.0 - p) / NEG_RATE) for p in raw]


def expected_log_loss(p_true, p_pred) -> float:
    """Mean of ``-(t log q + (1 - t) log(1 - q))``: the log loss expected when each label is
    drawn with its true probability ``t`` and the model predicts ``q``."""
    t_list, q_list = check_non_empty("p_true", p_true), check_non_empty("p_pred", p_pred)
    if len(t_list) != len(q_list):
        raise ValueError(f"p_true and p_pred must have the same length, got {len(t_list)} and {len(q_list)}")
    total = 0.0
    for t, q in zip(t_list, q_list):
        q = min(max(q, 1e-12), 1 - 1e-12)
        total -= t * math.log(q) + (1 - t) * math.log(1 - q)
    return total / len(t_list)


def expected_ne(p_true, p_pred) -> float:
    """Normalized entropy in expectation: :func:`expected_log_loss` divided by the entropy of
    the mean true click rate (predicting the average CTR for everyone scores 1.0)."""
    t_list = check_non_empty("p_true", p_true)
    base = sum(t_list) / len(t_list)
    if not 0 < base < 1:
        raise ValueError(f"the mean of p_true must be in (0, 1), got {base}")
    return expected_log_loss(t_list, p_pred) / -(base * math.log(base) + (1 - base) * math.log(1 - base))


def expected_auc(p_true, scores) -> float:
    """ROC AUC in expectation: the probability that a click scores above a non-click when every
    impression ``i`` is a click with probability ``p_true[i]`` (ties count one half)."""
    t_list, s_list = check_non_empty("p_true", p_true), check_non_empty("scores", scores)
    if len(t_list) != len(s_list):
        raise ValueError(f"p_true and scores must have the same length, got {len(t_list)} and {len(s_list)}")
    pairs = sorted(zip(s_list, t_list))
    pos_total = sum(t_list)
    neg_total = len(t_list) - pos_total
    if pos_total <= 0 or neg_total <= 0:
        raise ValueError("p_true must not be all 0 or all 1")
    below_neg = won = 0.0         # expected non-clicks scored strictly below the current group
    i = 0
    while i < len(pairs):
        j = i
        group_pos = group_neg = 0.0
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            group_pos += pairs[j][1]
            group_neg += 1.0 - pairs[j][1]
            j += 1
        won += group_pos * (below_neg + 0.5 * group_neg)
        below_neg += group_neg
        i = j
    return won / (pos_total * neg_total)


def reliability(p_true, p_pred, n_bins: int = 5) -> list:
    """Quantile bins of the predictions: rows ``{"predicted", "observed", "count"}`` with the
    mean prediction and the mean true click probability of each bin."""
    t_list, q_list = check_non_empty("p_true", p_true), check_non_empty("p_pred", p_pred)
    if len(t_list) != len(q_list):
        raise ValueError(f"p_true and p_pred must have the same length, got {len(t_list)} and {len(q_list)}")
    check_positive_int("n_bins", n_bins)
    order = sorted(range(len(q_list)), key=q_list.__getitem__)
    rows = []
    for b in range(n_bins):
        idx = order[b * len(order) // n_bins:(b + 1) * len(order) // n_bins]
        if idx:
            rows.append({"predicted": sum(q_list[i] for i in idx) / len(idx),
                         "observed": sum(t_list[i] for i in idx) / len(idx), "count": len(idx)})
    return rows


def tokens(records, crosses=CROSSES) -> list:
    """The tokens the hasher sees for ``records``: ``field=value`` per categorical field and one
    per cross (``interest=3&topic=3``). Counters are numeric and not hashed by name per value."""
    from mlsd.ranking import cross_token
    out = []
    for rec in check_non_empty("records", records):
        out.extend(f"{f}={rec[f]}" for f in CATEGORICAL)
        out.extend(cross_token(rec, c) for c in crosses)
    return out


# -------------------------------------------------------------------- models
class _Offset:
    """A fitted model plus one logit offset, chosen so that its mean prediction on the training
    rows equals their click rate. SGD stops wherever its last steps left the bias, which can be
    tens of per cent off on a few thousand rows; this one-parameter fit puts it back."""

    def __init__(self, model, X, labels):
        self.model = model
        z = model.decision_function(X)
        target, d = sum(labels), 0.0
        for _ in range(50):                      # Newton's method on sum(sigmoid(z + d)) = clicks
            ps = _sigmoids([x + d for x in z])
            gap = sum(ps) - target
            d -= gap / sum([p * (1 - p) for p in ps])
            if abs(gap) < 1e-9 * len(z):
                break
        self.offset = d

    def decision_function(self, X) -> list:
        return [z + self.offset for z in self.model.decision_function(X)]

    def predict_proba(self, X) -> list:
        return _sigmoids(self.decision_function(X))

    def __getattr__(self, name):
        return getattr(self.model, name)


def _fit_lr(X, labels, learning_rate: float = 0.01, epochs: int = 3):
    model = LogisticRegression(learning_rate=learning_rate, l2=1e-4, epochs=epochs, seed=0).fit(X, labels)
    return _Offset(model, X, labels)


@memoized(maxsize=2)
def _hashed_training_rows(crosses: bool = True) -> list:
    """The ladder's training records through :func:`hasher` (shared by two of its models)."""
    return hasher(crosses).transform(training_rows()["records"])


@memoized(maxsize=1)
def _lr_plain():
    return _fit_lr(_hashed_training_rows(crosses=False), training_rows()["labels"])


@memoized(maxsize=1)
def _lr():
    return _fit_lr(_hashed_training_rows(), training_rows()["labels"])


@memoized(maxsize=1)
def _gbdt():
    rows = training_rows()
    model = GBDT(n_estimators=30, learning_rate=0.1, num_leaves=8, min_data_in_leaf=40).fit(
        rows["dense"], rows["labels"]).compile()
    return _Offset(model, rows["dense"], rows["labels"])


def _stack(leaf_rows, hashed_rows) -> list:
    """Leaf indicators and hashed features side by side (leaf columns after the hash buckets)."""
    out = []
    for leaves, hashed in zip(leaf_rows, hashed_rows):
        row = dict(hashed)
        for j, v in leaves.items():
            row[HASH_BUCKETS + j] = v
        out.append(row)
    return out


@memoized(maxsize=1)
def _gbdt_lr():
    rows, gbdt = training_rows(), _gbdt()
    X = _stack(gbdt.leaf_features(rows["dense"]), _hashed_training_rows())
    return _fit_lr(X, rows["labels"], learning_rate=0.005, epochs=2)


@memoized(maxsize=1)
def _dcn():
    rows = training_rows()
    model = DCN(n_cross=2, n_hidden=4, learning_rate=0.002, l2=1e-4, epochs=1, seed=0).fit(
        rows["onehot"], rows["labels"])
    return _Offset(model, rows["onehot"], rows["labels"])


@memoized(maxsize=4)
def hashed_lr(n_buckets: int):
    """``(hasher, model)``: the LR with crosses trained on the ladder's rows with ``n_buckets``
    hash buckets (to measure what collisions cost)."""
    check_positive_int("n_buckets", n_buckets)
    rows = training_rows()
    h = FeatureHasher(n_buckets=n_buckets, numeric=NUMERIC, categorical=CATEGORICAL, crosses=CROSSES)
    h.fit(rows["records"])
    return h, _fit_lr(h.transform(rows["records"]), rows["labels"])


MODELS = ("LR, no crosses", "LR + crosses", "GBDT", "GBDT leaves + LR", "DCN")
_BUILDERS = dict(zip(MODELS, (_lr_plain, _lr, _gbdt, _gbdt_lr, _dcn)))


def ladder(name: str):
    """The trained model ``name`` (one of :data:`MODELS`), memoized."""
    if name not in _BUILDERS:
        raise ValueError(f"name must be one of {MODELS}, got {name!r}")
    return _BUILDERS[name]()


def predict(name: str, rows: dict, calibrated: bool = True) -> list:
    """Click probabilities of model ``name`` for feature ``rows`` (from :func:`training_rows`,
    :func:`eval_rows` or :func:`features`); ``calibrated`` undoes the negative downsampling."""
    model = ladder(name)
    if name == "LR, no crosses":
        raw = model.predict_proba(hasher(crosses=False).transform(rows["records"]))
    elif name == "LR + crosses":
        raw = model.predict_proba(hasher().transform(rows["records"]))
    elif name == "GBDT":
        raw = model.predict_proba(rows["dense"])
    elif name == "GBDT leaves + LR":
        raw = model.predict_proba(_stack(ladder("GBDT").leaf_features(rows["dense"]),
                                         hasher().transform(rows["records"])))
    else:
        raw = model.predict_proba(rows["onehot"])
    return _recalibrated(raw) if calibrated else raw


def evaluate(p_true, p_pred) -> dict:
    """``{"NE", "calibration", "AUC"}``: expected normalized entropy, predicted over true clicks
    (1.0 = calibrated on average) and the expected AUC, all against the true probabilities."""
    return {"NE": expected_ne(p_true, p_pred), "calibration": sum(p_pred) / sum(p_true),
            "AUC": expected_auc(p_true, p_pred)}


# ------------------------------------------------------------------- auction
def auction(p_ctr, bids, reserve: float = RESERVE_ECPM):
    """Single-slot second-price auction on expected value per impression (``pCTR x bid``).

    Returns ``(winner index or None, price per click)``. The winner pays the smallest bid that
    would still have won: ``max(second-best pCTR x bid, reserve) / winner's pCTR``, never more
    than its bid. No ad whose ``pCTR x bid`` is below ``reserve``: the slot keeps its organic post.
    """
    p_list, b_list = check_non_empty("p_ctr", p_ctr), check_non_empty("bids", bids)
    if len(p_list) != len(b_list):
        raise ValueError(f"p_ctr and bids must have the same length, got {len(p_list)} and {len(b_list)}")
    check_number("reserve", reserve)
    scores = sorted(((p * b, i) for i, (p, b) in enumerate(zip(p_list, b_list))), reverse=True)
    best, i = scores[0]
    if best < reserve or p_list[i] <= 0:
        return None, 0.0
    second = scores[1][0] if len(scores) > 1 else 0.0
    return i, min(b_list[i], max(second, reserve) / p_list[i])


def _requests(n: int, k: int, day: int, rng: random.Random, full: bool = True) -> list:
    w = _simulation()
    live = _live_ads(day)
    eligible = [[a for a in live if age in a.ages] for age in range(5)]   # by the user's age
    out = []
    for _ in range(n):
        user = w.users[rng.randrange(len(w.users))]
        hour = rng.randrange(24)
        ads = rng.sample(eligible[user.age], k)
        imps = [Impression((day, hour, user.id, a.id, 0, 0.0, False, None)) for a in ads]
        feats = features(imps) if full else {"records": [record(user, a, day, hour, 0) for a in ads]}
        feats["day"], feats["hour"] = day, hour
        out.append((day, user, hour, tuple(ads), feats))
    return out


def true_scores(feats: dict) -> list:
    """The true click probabilities of a request's candidates (an oracle, for comparisons);
    ``feats`` comes from :func:`auction_requests`."""
    w = _simulation()
    return [sigmoid(true_logit(w.users[r["user"]], w.ads[r["ad"]], feats["day"], feats["hour"], 0))
            for r in feats["records"]]


@memoized(maxsize=2)
def auction_requests(n: int = 1500, k: int = 10, day: int = TEST_DAY, seed: int = 1) -> tuple:
    """``n`` ad requests of ``day``: ``(day, user, hour, candidate ads, their feature rows)``
    with ``k`` candidates each, drawn at random from the live ads that target the user."""
    check_positive_int("n", n)
    check_positive_int("k", k)
    _check_day(day)
    check_int("seed", seed)
    return tuple(_requests(n, k, day, random.Random(seed), full=False))


def run_auctions(requests, score) -> dict:
    """Run one auction per request, ranking by ``score(features) -> pCTRs``; value everything with
    the true click probabilities. Returns expected totals per 1,000 requests: ``revenue``,
    ``advertiser_value`` (true pCTR x (bid - price): bids are the advertisers' value of a click),
    ``clicks``, ``ads_shown``, and ``bad_ads`` (ads whose true value per impression is below the
    reserve, that is, worth less than the organic post they replace)."""
    reqs = check_non_empty("requests", requests)
    if not callable(score):
        raise TypeError(f"score must be callable, got {type(score).__name__}")
    revenue = value = clicks = shown = bad = 0.0
    for day, user, hour, ads, feats in reqs:
        i, price = auction(score(feats), [a.bid for a in ads])
        if i is None:
            continue
        t = sigmoid(true_logit(user, ads[i], day, hour, 0))
        revenue += t * price
        value += t * (ads[i].bid - price)
        clicks += t
        shown += 1
        bad += t * ads[i].bid < RESERVE_ECPM
    k = 1000.0 / len(reqs)
    return {"revenue": revenue * k, "advertiser_value": value * k, "clicks": clicks * k,
            "ads_shown": shown * k, "bad_ads": bad * k}


@memoized(maxsize=1)
def ab_test(first: int = TEST_DAY + 1, last: int = DAYS - 1, n_per_day: int = 400, k: int = 8,
            seed: int = 3) -> dict:
    """A simulated online test of daily retraining (treatment) against weekly retraining (control,
    the model trained the night before ``TEST_DAY``) on days ``first..last``. Each day,
    ``n_per_day`` requests go half to each arm by user id; each runs the auction of :func:`auction`
    with its arm's model; the shown ad is clicked with its true probability (seeded) and the
    advertiser pays the price on a click. Returns, per arm, lists over requests: ``revenue``
    (realised $), ``clicks`` (0/1), ``expected_revenue`` and ``expected_clicks`` (from the true
    probabilities)."""
    _check_day(first, "first")
    _check_day(last, "last")
    if last < first:
        raise ValueError(f"last must be >= first ({first}), got {last}")
    check_positive_int("n_per_day", n_per_day)
    check_positive_int("k", k)
    rng = random.Random(check_int("seed", seed))
    arms = {arm: {"revenue": [], "clicks": [], "expected_revenue": [], "expected_clicks": []}
            for arm in ("weekly", "daily")}
    for d in range(first, last + 1):
        for day, user, hour, ads, feats in _requests(n_per_day, k, d, rng, full=False):
            arm = "daily" if user.id % 2 else "weekly"
            end = d if arm == "daily" else TEST_DAY
            i, price = auction(window_predict(end - 7, end, feats), [a.bid for a in ads])
            t = 0.0 if i is None else sigmoid(true_logit(user, ads[i], day, hour, 0))
            clicked = rng.random() < t
            out = arms[arm]
            out["revenue"].append(price if clicked else 0.0)
            out["clicks"].append(int(clicked))
            out["expected_revenue"].append(t * price)
            out["expected_clicks"].append(t)
    return arms


# ------------------------------------------------------------------- serving
def candidates(user: User, day: int = TEST_DAY, k: int = N_CANDIDATES) -> list:
    """Targeting then pre-ranking: the ``k`` live ads that accept ``user`` with the highest
    ``bid x smoothed ad CTR`` (a cheap score from counters, no model)."""
    check_positive_int("k", k)
    eligible = [a for a in _live_ads(day) if user.age in a.ages]
    eligible.sort(key=lambda a: (-a.bid * counters("ad", a.id, day), a.id))
    return eligible[:k]


@memoized(maxsize=DAYS)
def _live_ads(day: int) -> tuple:
    return tuple(a for a in _simulation().ads if a.created <= day < a.end)


@memoized(maxsize=1)
def _prerank_scores(day: int) -> dict:
    return {a.id: a.bid * counters("ad", a.id, day) for a in _live_ads(day)}


def prerank_recall(ks, n_requests: int = 300, seed: int = 5) -> list:
    """How often pre-ranking keeps the ad that should win: for ``n_requests`` requests on
    :data:`TEST_DAY`, the share whose best eligible ad by true eCPM (true pCTR x bid) is among the
    top ``k`` by the pre-rank score (bid x smoothed ad CTR), for each ``k`` in ``ks``; also the
    mean number of eligible ads. Returns ``{"eligible": mean, "recall": [share for each k]}``."""
    ks = [check_positive_int("ks", k) for k in check_non_empty("ks", ks)]
    check_positive_int("n_requests", n_requests)
    rng = random.Random(check_int("seed", seed))
    w, live, pre = _simulation(), _live_ads(TEST_DAY), _prerank_scores(TEST_DAY)
    hits, eligible_total = [0] * len(ks), 0
    for _ in range(n_requests):
        user, hour = w.users[rng.randrange(len(w.users))], rng.randrange(24)
        eligible = [a for a in live if user.age in a.ages]
        eligible_total += len(eligible)
        best = max(eligible, key=lambda a: (sigmoid(true_logit(user, a, TEST_DAY, hour, 0)) * a.bid, -a.id))
        order = sorted(eligible, key=lambda a: (-pre[a.id], a.id))
        rank = order.index(best)
        for j, k in enumerate(ks):
            hits[j] += rank < k
    return {"eligible": eligible_total / n_requests, "recall": [h / n_requests for h in hits]}


def serve(user_id: int, hour: int = 20, model: str = "GBDT", k: int = N_CANDIDATES,
          clock=time.perf_counter) -> tuple:
    """One ad request through the six :data:`STAGES`, timed: ``((ad id or None, price), {stage: ms})``.

    The models, the live ads and the day's counter snapshot are loaded once, as in a server;
    everything per request (targeting, features, scores) is computed inside the timed stages."""
    check_int("user_id", user_id)
    if not 0 <= user_id < _N_USERS:
        raise ValueError(f"user_id must be in 0..{_N_USERS - 1}, got {user_id}")
    check_positive_int("k", k)
    if not callable(clock):
        raise TypeError(f"clock must be callable, got {type(clock).__name__}")
    ladder(model)
    live, prerank = _live_ads(TEST_DAY), _prerank_scores(TEST_DAY)
    user = _simulation().users[user_id]
    t0 = clock()
    eligible = [a for a in live if user.age in a.ages]
    t1 = clock()
    eligible.sort(key=lambda a: (-prerank[a.id], a.id))
    cands = eligible[:k]
    t2 = clock()
    feats = features([Impression((TEST_DAY, hour, user_id, a.id, 0, 0.0, False, None)) for a in cands])
    t3 = clock()
    raw = predict(model, feats, calibrated=False)
    t4 = clock()
    p = [recalibrate(q) for q in raw]
    t5 = clock()
    i, price = auction(p, [a.bid for a in cands])
    t6 = clock()
    ms = [1e3 * (b - a) for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6))]
    timing = dict(zip(STAGES, ms))
    timing["total"] = 1e3 * (t6 - t0)
    return (None if i is None else cands[i].id, price), timing


def latency_table(timings) -> list:
    """Rows ``{"stage", "p50_ms", "p99_ms", "share"}``; ``share`` is the stage's part of the
    total time over all requests (sums, so a coarse clock still gives fair shares)."""
    timings = check_non_empty("timings", timings)
    for i, t in enumerate(timings):
        if not isinstance(t, dict) or not set(STAGES) <= set(t):
            raise ValueError(f"timings[{i}] must be a dict with a time for every stage of {STAGES}")
    sums = {s: math.fsum(t[s] for t in timings) for s in STAGES}
    total = math.fsum(sums.values())
    if total <= 0:
        raise ValueError("timings add up to 0 ms: the clock is too coarse for these requests")
    return [{"stage": s, "p50_ms": percentile([t[s] for t in timings], 50),
             "p99_ms": percentile([t[s] for t in timings], 99), "share": sums[s] / total}
            for s in STAGES]


def scoring_cost(n_candidates, user_id: int = 0, repeats: int = 5, clock=time.perf_counter) -> list:
    """Milliseconds of the features + score stages for each candidate count: the fastest of
    ``repeats`` requests (the least disturbed by anything else running on the machine)."""
    counts = check_non_empty("n_candidates", n_candidates)
    check_positive_int("repeats", repeats)
    check_int("user_id", user_id)
    if not 0 <= user_id < _N_USERS:
        raise ValueError(f"user_id must be in 0..{_N_USERS - 1}, got {user_id}")
    user = _simulation().users[user_id]
    n_eligible = sum(1 for a in _live_ads(TEST_DAY) if user.age in a.ages)
    out = []
    for n in counts:
        check_positive_int("n_candidates", n)
        if n > n_eligible:
            raise ValueError(f"n_candidates must be at most {n_eligible} (the ads that target user "
                             f"{user_id}), got {n}")
        out.append(min(t["features"] + t["score"]
                       for t in (serve(user_id, k=n, clock=clock)[1] for _ in range(repeats))))
    return out


# ----------------------------------------------------------------- freshness
@memoized(maxsize=8)
def window_model(start: int, end: int) -> tuple:
    """``(hasher, model)``: the logistic regression with crosses trained on days ``[start, end)``
    (the freshness experiments retrain it on sliding windows)."""
    rows = training_rows(start, end)
    h = FeatureHasher(n_buckets=HASH_BUCKETS, numeric=NUMERIC, categorical=CATEGORICAL, crosses=CROSSES)
    h.fit(rows["records"])
    return h, _fit_lr(h.transform(rows["records"]), rows["labels"])


def window_predict(start: int, end: int, rows: dict) -> list:
    """Calibrated click probabilities of :func:`window_model` ``(start, end)`` for ``rows``."""
    h, model = window_model(start, end)
    return _recalibrated(model.predict_proba(h.transform(rows["records"])))


@memoized(maxsize=1)
def freshness_run(first: int = TEST_DAY, last: int = DAYS - 1, window: int = 7, n_eval: int = 1500) -> tuple:
    """Weekly versus daily retraining over days ``first..last``. Both are logistic regressions
    with crosses on the last ``window`` days: the weekly one is trained once, the night before
    ``first``; the daily one the night before each day. Rows: ``{"day", "weekly_NE",
    "daily_NE", "weekly_calibration", "daily_calibration", "new_ads"}`` where ``new_ads`` is the
    share of the day's impressions whose ad started after the weekly model's data ended."""
    check_positive_int("window", window)
    _check_day(first, "first")
    _check_day(last, "last")
    if last < first:
        raise ValueError(f"last must be >= first ({first}), got {last}")
    if first - window < 0:
        raise ValueError(f"window must be at most first={first} days, got {window}")
    w, rows = _simulation(), []
    for d in range(first, last + 1):
        ev = eval_rows(d, n_eval)
        out = {"day": d}
        for name, end in (("weekly", first), ("daily", d)):
            m = evaluate(ev["p_true"], window_predict(end - window, end, ev))
            out[f"{name}_NE"], out[f"{name}_calibration"] = m["NE"], m["calibration"]
        out["new_ads"] = sum(1 for r in ev["records"] if w.ads[r["ad"]].created >= first) / len(ev["records"])
        rows.append(out)
    return tuple(rows)
