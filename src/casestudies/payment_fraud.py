"""Payment fraud detection end to end: card payments, delayed chargebacks, rules plus a model.

The page ``docs/case-studies/payment-fraud.md`` runs this system in its cells. Every builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the data or a
trained model builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). A payment processor screens card-not-present payments from 5,000
cardholders at online merchants over 140 days (about 760 a day). Each card has a home country, a
typical basket, a rate of purchases, one or two devices (a few devices are shared by a
household), occasional big-ticket purchases and, for some cards, travel abroad; people buy by
day in eight merchant categories. Fraud is a fraction of a per cent of payments and comes in
three *patterns* that the generator knows and the models do not:

- ``burst`` — a ring with one device runs two to five stolen cards within an hour or two, often
  from abroad, sometimes testing a card with a tiny payment first, then buying electronics.
- ``lone`` — one stolen card, one payment, at a high amount; usually on a new device, sometimes
  (account takeover) on the cardholder's own.
- ``slow`` — what the rings switch to after the device rule ships on :data:`RULE_DAY`: every
  payment on a fresh device, at most one a day per card, rarely from abroad, gift cards under
  the rules' limits. The switch starts on :data:`ADAPT_DAY` and is complete 1.5 weeks later.

Every fraudulent payment gets a chargeback after ``3 + Gamma(2, 14)`` days (mean 31, capped at
120): the label exists at ``t + delay``, not at ``t``. The generator keeps the truth, so cells can
compare what a team *could* measure on a given day with what was really happening.

**Features** (:data:`FEATURES`), each from events *before* the payment: the payment itself
(amount, category, foreign IP, hour, new device for this card), a nightly profile (the amount
over the card's mean amount up to the last midnight) and velocity counts over 1 hour and
24 hours per card and per device. :func:`features` backfills them in one pass in time order;
:class:`OnlineState` computes the same numbers online with :class:`mlsd.windows.SlidingWindow`
(:func:`stream_features` replays a day to compare them).

**The system.** Rules (:data:`RULES`, later :data:`NEW_RULE`) block first; the model scores what
they let through. The incumbent model is a logistic regression on the per-payment and profile
features; the challenger is a GBDT (:mod:`mlsd.ranking`) that adds the velocity features. Both
train on every fraud and a :data:`KEEP_LEGIT` share of the good payments, and
:func:`recalibrate` undoes that sampling, so the probabilities can be priced:
:func:`decide` picks approve, review or block by expected cost (:data:`COSTS`), and
:func:`policy_cost` runs a policy over days of payments with a review queue of fixed daily
capacity and adds up what it really cost. :func:`serve` runs the whole path for one payment
with its time per stage.

**Time windows.** Days 0–7 warm up the profiles; train on days 7–56 (:data:`TRAIN_END`), test on
days 56–84 (:data:`TEST_END`, also the day the device rule ships), and watch the adaptation and
the retraining on days 84–140.
"""

from __future__ import annotations

import bisect
import math
import random
import time
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter

from casestudies.memo import memoized
from mlsd import metrics
from mlsd.ranking import GBDT, LogisticRegression
from mlsd.validate import check_in_range, check_non_negative, check_number, check_positive_int
from mlsd.windows import SlidingWindow

__all__ = ["WORLD", "HOUR", "WARMUP", "TRAIN_END", "TEST_END", "RULE_DAY", "ADAPT_DAY",
           "CATEGORIES", "PATTERNS", "FEATURES", "BASE_FEATURES", "VELOCITY_FEATURES", "RULES",
           "NEW_RULE", "KEEP_LEGIT", "COSTS", "MODEL_KINDS", "SERVE_STAGES", "World", "Model",
           "OnlineState", "world", "features", "window", "known_labels", "rule_hits", "passed",
           "recalibrate", "training_rows", "train_model", "trained", "scores", "expected_costs",
           "decide", "policy_cost", "online_state", "stream_features", "serve"]

WORLD = dict(n_cards=5_000, days=140, seed=11, legit_rate=0.15, burst_per_day=0.42,
             lone_per_day=0.9)
HOUR = 1 / 24
TRAIN_END = 56.0          # train on payments before this day
TEST_END = 84.0           # test on days 56-84; the device rule ships on this day
RULE_DAY = TEST_END
ADAPT_DAY = 88.0          # the rings start to switch to the slow pattern days later
ADAPT_WEEKS = 1.5         # ... and have switched completely 1.5 weeks after that

CATEGORIES = ("groceries", "restaurants", "fashion", "travel", "subscriptions",
              "digital goods", "electronics", "gift cards")
LEGIT_CATEGORY_WEIGHTS = (24, 18, 16, 8, 12, 10, 8, 4)
PATTERNS = ("legit", "burst", "lone", "slow")
N_COUNTRIES = 12          # country 0 is the processor's home market

# Legitimate shoppers buy by day; rings work around the clock.
_LEGIT_HOURS = (1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 10, 11, 10, 9, 9, 10, 11, 12, 12, 10, 7, 4, 2)
_CUM_HOURS = [sum(_LEGIT_HOURS[:i + 1]) / sum(_LEGIT_HOURS) for i in range(24)]
_CUM_CATEGORIES = [sum(LEGIT_CATEGORY_WEIGHTS[:i + 1]) / sum(LEGIT_CATEGORY_WEIGHTS)
                   for i in range(len(CATEGORIES))]


@dataclass(frozen=True)
class World:
    """The payments, as columns in time order (index ``i`` is one payment).

    ``t`` day (float), ``card``, ``device``, ``category`` (index into :data:`CATEGORIES`),
    ``amount`` (dollars), ``foreign`` (the IP's country differs from the card's), ``fraud``
    (0/1, the truth), ``pattern`` (index into :data:`PATTERNS`), ``chargeback_at`` (the day the
    chargeback arrives; ``inf`` for legitimate payments).
    """
    t: tuple
    card: tuple
    device: tuple
    category: tuple
    amount: tuple
    foreign: tuple
    fraud: tuple
    pattern: tuple
    chargeback_at: tuple

    def __len__(self) -> int:
        return len(self.t)


def _hour(rng: random.Random) -> float:
    return (bisect.bisect_left(_CUM_HOURS, rng.random()) + rng.random()) * HOUR


def _cents(amount: float) -> float:
    """``round(amount, 2)``, faster: ``round`` with digits converts to decimal and back, about
    ten times slower in WebAssembly (a tenth of :func:`world`'s time in Pyodide).

    Adding half a cent and truncating gives the same cents except where ``amount * 100`` lies
    within rounding error of a half (``round`` then decides on the exact binary value, ties to
    even): those amounts, and any outside the range where truncation is exact, go to ``round``.
    """
    scaled = amount * 100.0
    whole = int(scaled) if 0.0 <= scaled < 1e15 else None
    if whole is None or abs(scaled - whole - 0.5) < 1e-6:
        return round(amount, 2)
    return int(scaled + 0.5) / 100


def _chargeback_delay(rng: random.Random) -> float:
    return min(3.0 + rng.gammavariate(2.0, 14.0), 120.0)


def _slow_share(day: float) -> float:
    """Share of the rings' attacks that use the slow pattern on ``day`` (0 before ADAPT_DAY)."""
    return min(1.0, max(0.0, (day - ADAPT_DAY) / (7 * ADAPT_WEEKS)))


@memoized(maxsize=1)
def world() -> World:
    """Every payment of the world, sorted by time; seeded, so every run sees the same data."""
    rng = random.Random(WORLD["seed"])
    days, n_cards = WORLD["days"], WORLD["n_cards"]
    rows = []                           # (t, card, device, category, amount, foreign, pattern)
    home = [0 if rng.random() < 0.85 else rng.randrange(1, N_COUNTRIES) for _ in range(n_cards)]
    next_device = n_cards
    # Nine payments in ten are legitimate, so this loop is most of the world's time: it binds
    # what it calls to local names and inlines rng.expovariate, _hour and _cents (the same
    # draws in the same order, the same arithmetic).
    draw, gauss, exp, log = rng.random, rng.gauss, math.exp, math.log
    append, bisect_left, floor = rows.append, bisect.bisect_left, math.floor
    for card in range(n_cards):
        typical = 45.0 * exp(gauss(0.0, 0.6))
        rate = WORLD["legit_rate"] * exp(gauss(0.0, 0.7) - 0.245)
        primary = card if draw() > 0.04 else rng.randrange(n_cards)     # shared by a household
        abroad = 0.25 if draw() < 0.06 else 0.01                       # some cards travel
        second = n_cards * 10 + card if draw() < 0.3 else primary
        day = -log(1.0 - draw()) / rate                               # rng.expovariate(rate)
        while day < days:
            t = floor(day) + (bisect_left(_CUM_HOURS, draw()) + draw()) * HOUR
            u = draw()
            if u < 0.8:
                device = primary
            elif u < 0.96:
                device = second
            else:
                device, next_device = next_device + 100 * n_cards, next_device + 1  # a new phone
            if draw() < 0.03:                                # a big-ticket purchase
                cat = rng.choice((3, 6, 6, 2))
                amount = _cents(min(3000.0, typical * exp(gauss(1.6, 0.6))))
            else:
                cat = bisect_left(_CUM_CATEGORIES, draw())
                amount = int(typical * exp(gauss(0.0, 0.7)) * 100.0 + 0.5) / 100
            append((t, card, device, cat, amount, draw() < abroad, 0))
            day += -log(1.0 - draw()) / rate

    def fresh_device() -> int:
        nonlocal next_device
        next_device += 1
        return next_device + 100 * n_cards

    # Rings: bursts before the adaptation, slow attacks after it, at the same rate of attacks.
    day = rng.expovariate(WORLD["burst_per_day"])
    while day < days:
        slow = rng.random() < _slow_share(day)
        if not slow:
            t = math.floor(day) + rng.random()
            device, foreign = fresh_device(), rng.random() < 0.6
            for card in rng.sample(range(n_cards), 2 + min(3, int(rng.expovariate(0.8)))):
                if rng.random() < 0.4:                       # test the card with a tiny payment
                    rows.append((t, card, device, 5, _cents(rng.uniform(1, 5)), foreign, 1))
                    t += rng.uniform(2, 10) / 1440
                for _ in range(1 + (rng.random() < 0.5)):
                    cat = 6 if rng.random() < 0.7 else rng.choice((5, 7))
                    amount = _cents(min(2500.0, 280.0 * math.exp(rng.gauss(0.0, 0.6))))
                    rows.append((t, card, device, cat, amount, foreign, 1))
                    t += rng.uniform(3, 20) / 1440
        else:
            for card in rng.sample(range(n_cards), 4):
                t = day + rng.uniform(0.0, 3.0)
                for _ in range(1 + (rng.random() < 0.5)):
                    t = math.floor(t) + _hour(rng) + 1.0     # once a day, in shopping hours
                    amount = _cents(min(480.0, 180.0 * math.exp(rng.gauss(0.0, 0.35))))
                    rows.append((t, card, fresh_device(), 7, amount, rng.random() < 0.1, 3))
        day += rng.expovariate(WORLD["burst_per_day"])
    # Lone thieves: one stolen card, one payment, usually on a new device, a high amount; some
    # take over the account and pay from the cardholder's own device, like the cardholder would.
    day = rng.expovariate(WORLD["lone_per_day"])
    while day < days:
        card = rng.randrange(n_cards)
        cat = rng.choice((3, 5, 6, 6, 2, 0, 1))
        amount = _cents(min(3000.0, 120.0 * math.exp(rng.gauss(0.0, 0.9))))
        device = fresh_device() if rng.random() < 0.6 else card
        rows.append((math.floor(day) + _hour(rng), card, device, cat, amount,
                     rng.random() < 0.25, 2))
        day += rng.expovariate(WORLD["lone_per_day"])

    rows = [r for r in rows if r[0] < days]
    rows.sort(key=itemgetter(0))      # by time (a float key sorts faster than whole tuples)
    t, card, device, category, amount, foreign, pattern = zip(*rows)
    chargeback_at = [math.inf] * len(rows)
    for i in compress(range(len(rows)), pattern):      # the frauds, in time order
        chargeback_at[i] = t[i] + _chargeback_delay(rng)
    return World(t=t, card=card, device=device, category=category, amount=amount,
                 foreign=tuple(map(int, foreign)), fraud=tuple(map(int, map(bool, pattern))),
                 pattern=pattern, chargeback_at=tuple(chargeback_at))


# --- features ---------------------------------------------------------------------------------

WARMUP = 7.0              # the first week only builds up card profiles and device histories
BASE_FEATURES = ("log_amount", "category", "foreign", "hour", "new_device", "amount_ratio")
VELOCITY_FEATURES = ("card_tx_1h", "card_tx_24h", "card_amount_24h", "device_tx_1h",
                     "device_cards_24h")
FEATURES = BASE_FEATURES + VELOCITY_FEATURES


@memoized(maxsize=1)
def features() -> tuple:
    """One feature row per payment (:data:`FEATURES`), each from events before the payment.

    A single pass in time order: the batch *backfill* of the same values that
    :func:`stream_features` computes online with :class:`mlsd.windows.SlidingWindow`. Each
    payment links to the previous payment of its card and of its device; walking back along
    those links until a day ago visits exactly the events of the last 24 hours. Most cards pay
    less than once a day, so the walk usually stops at once, and no per-key queue has to be
    kept up to date (a fifth faster than queues). ``amount_ratio`` is the amount over the card's
    mean amount up to the previous midnight (a nightly batch profile; 1 for a card with no
    history).
    """
    w = world()
    n_cards, T, amounts, card_of = WORLD["n_cards"], w.t, w.amount, w.card
    last_of_card, last_of_device = [-1] * n_cards, {}   # each key's latest payment so far
    card_before, device_before = [-1] * len(w), [-1] * len(w)   # the link back from payment i
    devices_of = [set() for _ in range(n_cards)]        # the devices each card has used
    # nightly profile per card: total and count up to the last midnight, that day, today's
    # total and count (starting on day 0 folds nothing in: 0.0 + 0.0, 0 + 0)
    profiles = [[0.0, 0, 0, 0.0, 0] for _ in range(n_cards)]
    out = []
    append, log = out.append, math.log
    for i, (t, card, device, amount, category, foreign, day) in enumerate(zip(
            T, card_of, w.device, amounts, w.category, w.foreign, map(int, T))):
        day_ago = t - 1.0
        j = card_before[i] = last_of_card[card]
        last_of_card[card] = i
        if j < 0 or T[j] <= day_ago:                     # nothing in the last 24 hours
            card_1h = card_24h = card_amount = 0
        else:
            hour_ago, card_1h, recent = t - HOUR, 0, []
            while j >= 0 and T[j] > day_ago:
                card_1h += T[j] > hour_ago
                recent.append(amounts[j])
                j = card_before[j]
            card_24h, card_amount = len(recent), 0
            for a in reversed(recent):                   # oldest first, as a queue adds them
                card_amount += a
        j = device_before[i] = last_of_device.get(device, -1)
        last_of_device[device] = i
        if j < 0 or T[j] <= day_ago:
            device_1h = device_cards = 0
        else:
            hour_ago, device_1h, cards = t - HOUR, 0, set()
            while j >= 0 and T[j] > day_ago:
                device_1h += T[j] > hour_ago
                cards.add(card_of[j])
                j = device_before[j]
            cards.discard(card)                          # the other cards on this device
            device_cards = len(cards)
        devices = devices_of[card]
        if device in devices:
            new_device = 0
        else:
            new_device = 1
            devices.add(device)
        p = profiles[card]
        if day > p[2]:                                   # the nightly job folds yesterday in
            p[0] += p[3]
            p[1] += p[4]
            p[2], p[3], p[4] = day, 0.0, 0
        append((log(amount), category, foreign, (t - day) * 24.0, new_device,
                amount * p[1] / p[0] if p[1] else 1.0,
                card_1h, card_24h, card_amount, device_1h, device_cards))
        p[3] += amount
        p[4] += 1
    return tuple(out)


def window(start: float, end: float) -> list[int]:
    """Indices of the payments with ``start <= t < end`` (time order)."""
    start, end = check_number("start", start), check_number("end", end)
    if end <= start:
        raise ValueError(f"end must be after start, got start={start}, end={end}")
    t = world().t
    return list(range(bisect.bisect_left(t, start), bisect.bisect_left(t, end)))


def known_labels(indices, now: float) -> list[int]:
    """The labels a team has on day ``now``: 1 only if the chargeback has already arrived."""
    now = check_number("now", now)
    cb = world().chargeback_at
    return [1 if cb[i] <= now else 0 for i in indices]


# --- rules --------------------------------------------------------------------------------------

_F = {name: j for j, name in enumerate(FEATURES)}
# the rules' columns and limit, looked up once: every payment goes through every rule
_CARD_TX_1H, _FOREIGN, _LOG_AMOUNT, _DEVICE_CARDS_24H = (
    _F["card_tx_1h"], _F["foreign"], _F["log_amount"], _F["device_cards_24h"])
_LOG_500 = math.log(500.0)
RULES = {   # the incumbent rules engine: each blocks a payment outright
    "card velocity: 3rd payment of a card within an hour": lambda x: x[_CARD_TX_1H] >= 2,
    "foreign IP and amount >= $500": lambda x: x[_FOREIGN] == 1 and x[_LOG_AMOUNT] >= _LOG_500,
}
NEW_RULE = ("device farm: 3rd distinct card on a device within 24 hours",
            lambda x: x[_DEVICE_CARDS_24H] >= 2)


@memoized(maxsize=1)
def _rule_flags() -> tuple:
    """For every payment: (does an incumbent rule block it, does the device rule block it).

    The rules are pure functions of a payment's feature row and the cells ask about the same
    payments many times (each policy they compare), so one pass answers every later question."""
    X = features()
    # each rule over every payment with map() (a loop in C), then any() across the rules
    hits = [map(rule, X) for rule in RULES.values()]
    return tuple(map(any, zip(*hits))), tuple(map(bool, map(NEW_RULE[1], X)))


def rule_hits(indices, new_rule: bool = False) -> list[bool]:
    """For each payment, whether a rule blocks it (with the device rule when ``new_rule``)."""
    incumbent, device = _rule_flags()
    if new_rule:
        return [incumbent[i] or device[i] for i in indices]
    return [incumbent[i] for i in indices]


@memoized(maxsize=8)
def passed(start: float, end: float) -> tuple:
    """The payments of ``[start, end)`` that the incumbent rules let through to the model."""
    idx = window(start, end)
    return tuple([i for i, hit in zip(idx, rule_hits(idx)) if not hit])


# --- models -------------------------------------------------------------------------------------

KEEP_LEGIT = 0.05         # training keeps every fraud and this share of legitimate payments


def recalibrate(q: float, keep: float = KEEP_LEGIT) -> float:
    """Undo negative downsampling: the model's odds are the true odds divided by ``keep``."""
    q = check_in_range("q", q, 0.0, 1.0)
    keep = check_in_range("keep", keep, 1e-9, 1.0)
    return _recalibrate(q, keep)


def _recalibrate(q: float, keep: float = KEEP_LEGIT) -> float:
    return keep * q / (keep * q + 1.0 - q)


def training_rows(start: float, end: float, labels_on: float | None = None,
                  confirmed=(), seed: int = 0) -> tuple[list[int], list[int]]:
    """Indices and labels of a training set: payments in ``[start, end)`` that no rule blocked,
    every fraud and a :data:`KEEP_LEGIT` sample of the rest.

    ``labels_on`` is the day the labels are read: a payment counts as fraud only if its
    chargeback has arrived by then (``None``: the truth, as in a backtest run months later).
    Payments that look legitimate on that day are sampled like any other negative.
    ``confirmed``: payments known to be fraud without a chargeback (analysts' reviews).
    """
    indices = passed(start, end)
    truth = world().fraud
    labels = ([truth[i] for i in indices] if labels_on is None
              else known_labels(indices, labels_on))
    if confirmed:
        confirmed = set(confirmed)
        labels = [1 if i in confirmed else y for i, y in zip(indices, labels)]
    draw = random.Random(seed).random      # one draw per negative, in order
    keep = [y or draw() < KEEP_LEGIT for y in labels]
    return list(compress(indices, keep)), list(compress(labels, keep))


def _columns(names) -> list[int]:
    return [_F[n] for n in names]


_LOGGED = ("amount_ratio",) + VELOCITY_FEATURES      # skewed: the linear model reads log1p


def _expand(x, names) -> list[float]:
    """The logistic regression's inputs: categories one-hot, the hour as a night flag, skewed
    amounts and counts on a log scale (a linear model cannot bend a raw feature)."""
    out = []
    for name, v in zip(names, x):
        if name == "category":
            out.extend(1.0 if v == c else 0.0 for c in range(len(CATEGORIES)))
        elif name == "hour":
            out.append(1.0 if v < 6.0 else 0.0)
        elif name in _LOGGED:
            out.append(math.log1p(v))
        else:
            out.append(float(v))
    return out


class _ScaledLogistic:
    """Logistic regression on standardized, expanded features (see :func:`_expand`)."""

    def __init__(self, names):
        self.names = tuple(names)
        self.lr = LogisticRegression(learning_rate=0.05, l2=1e-4, epochs=8, seed=0)

    def _design(self, X) -> list[list[float]]:
        return [[(v - m) / s for v, m, s in zip(_expand(x, self.names), self.mean, self.sd)]
                for x in X]

    def fit(self, X, y) -> "_ScaledLogistic":
        rows = [_expand(x, self.names) for x in X]
        cols = list(zip(*rows))
        self.mean = [math.fsum(c) / len(c) for c in cols]
        self.sd = [max(1e-9, math.sqrt(math.fsum((v - m) ** 2 for v in c) / len(c)))
                   for c, m in zip(cols, self.mean)]
        self.lr.fit(self._design(X), y)

        # fold the standardization into the weights: one dot product per row when scoring
        self.coef = [wj / s for wj, s in zip(self.lr.weights, self.sd)]
        self.intercept = self.lr.bias - math.fsum(c * m for c, m in zip(self.coef, self.mean))
        return self

    def decision_function(self, X) -> list[float]:
        # the expanded dot product, feature by feature, without building the expanded row
        plan, k = [], 0
        for name in self.names:
            if name == "category":
                plan.append((0, self.coef[k:k + len(CATEGORIES)]))
                k += len(CATEGORIES)
            else:
                kind = 1 if name == "hour" else 2 if name in _LOGGED else 3
                plan.append((kind, self.coef[k]))
                k += 1
        b, log1p, out = self.intercept, math.log1p, []
        for x in X:
            z = b
            for (kind, c), v in zip(plan, x):
                if kind == 3:
                    z += c * v
                elif kind == 2:
                    z += c * log1p(v)
                elif kind == 1:
                    if v < 6.0:
                        z += c
                else:
                    z += c[v]
            out.append(z)
        return out

    def predict_proba(self, X) -> list[float]:
        return [1.0 / (1.0 + math.exp(-z)) for z in self.decision_function(X)]


class Model:
    """A trained fraud model: its name, the feature columns it reads, calibrated probabilities."""

    def __init__(self, name: str, model, names):
        self.name, self.model, self.names = name, model, tuple(names)
        self.cols = [_F[n] for n in names]

    def rows(self, indices) -> list[tuple]:
        # itemgetter picks the columns in C: a model scores tens of thousands of payments
        X, cols = features(), self.cols
        if cols == list(range(len(FEATURES))):      # every feature in order: the rows as they are
            return [X[i] for i in indices]
        if len(cols) == 1:                          # itemgetter would return bare values
            return [(X[i][cols[0]],) for i in indices]
        pick = itemgetter(*cols)
        return [pick(X[i]) for i in indices]

    def proba(self, indices) -> list[float]:
        """Calibrated fraud probabilities for payments (indices into :func:`world`)."""
        keep = KEEP_LEGIT     # _recalibrate inlined: no function call per payment
        return [keep * q / (keep * q + 1.0 - q)
                for q in self.model.predict_proba(self.rows(indices))]

    def proba_row(self, x) -> float:
        """One payment's calibrated probability from its full feature row (the serving path)."""
        z = self.model.decision_function([[x[c] for c in self.cols]])[0]
        return _recalibrate(1.0 / (1.0 + math.exp(-z)))

    def __repr__(self) -> str:
        return f"Model({self.name!r}, {len(self.names)} features)"


MODEL_KINDS = ("incumbent", "lr+velocity", "challenger", "gbdt-base")


def train_model(kind: str, end: float = TRAIN_END, labels_on: float | None = None,
                start: float = WARMUP, confirmed=()) -> Model:
    """Train a model on the payments of days ``start``–``end`` that the rules let through.

    ``kind``: ``"incumbent"`` (logistic regression on per-payment features), ``"lr+velocity"``
    (the same with the velocity features), ``"gbdt-base"`` (a GBDT on the per-payment features)
    or ``"challenger"`` (a GBDT on every feature). ``labels_on``: see :func:`training_rows`.
    """
    if kind not in MODEL_KINDS:
        raise ValueError(f"kind must be one of {MODEL_KINDS}, got {kind!r}")
    start, end = check_number("start", start), check_number("end", end)
    if start < WARMUP:
        raise ValueError(f"start must be on or after the warm-up week (day {WARMUP:g}), got {start}")
    if not start + 7 <= end <= WORLD["days"]:
        raise ValueError(f"end must be a day in [start + 7, {WORLD['days']}] (a week of "
                         f"training at least), got {end}")
    names = BASE_FEATURES if kind in ("incumbent", "gbdt-base") else FEATURES
    indices, labels = training_rows(start, end, labels_on, confirmed)
    if sum(labels) < 10:
        raise ValueError(f"only {sum(labels)} frauds are labelled by day {labels_on}: too few to train")
    if kind in ("challenger", "gbdt-base"):
        est = GBDT(n_estimators=40, learning_rate=0.15, num_leaves=8, min_data_in_leaf=10)
    else:
        est = _ScaledLogistic(names)
    model = Model(kind, est, names)
    est.fit(model.rows(indices), labels)
    if isinstance(est, GBDT):
        est.compile()
    return model


@memoized(maxsize=8)
def trained(kind: str, end: float = TRAIN_END, labels_on: float | None = None,
            start: float = WARMUP) -> Model:
    """:func:`train_model`, memoized: the models the cells share."""
    return train_model(kind, end, labels_on, start)


@memoized(maxsize=8)
def scores(kind: str, start: float = TRAIN_END, end: float = TEST_END) -> tuple:
    """Calibrated probabilities of the default-trained ``kind`` on the payments of a window that
    the rules let through: ``(indices, probabilities)``."""
    idx = passed(start, end)
    return idx, tuple(trained(kind).proba(idx))


# --- decisions by expected cost -----------------------------------------------------------------

COSTS = dict(
    chargeback_fee=15.0,   # the network's fee on top of the lost amount
    margin=0.25,           # the margin lost when a good payment is blocked ...
    goodwill=8.0,          # ... plus what a falsely declined customer costs later
    review=4.0,            # one analyst review
    review_miss=0.1,       # share of frauds an analyst still approves
    reviews_per_day=2,     # the review queue's capacity (about 0.25 % of the payments)
)


def expected_costs(p: float, amount: float) -> dict:
    """Expected cost in dollars of each action for a payment with fraud probability ``p``.

    approve: ``p (amount + fee)``; block: ``(1 - p)(margin amount + goodwill)``; review:
    ``review + miss p (amount + fee)`` (the analyst sees the truth, up to a miss rate).
    """
    p = check_in_range("p", p, 0.0, 1.0)
    amount = check_non_negative("amount", amount)
    return dict(zip(("approve", "block", "review"), _expected_costs(p, amount)))


def _expected_costs(p: float, amount: float) -> tuple[float, float, float]:
    """(approve, block, review): see :func:`expected_costs`."""
    c = COSTS
    loss = amount + c["chargeback_fee"]
    return (p * loss, (1.0 - p) * (c["margin"] * amount + c["goodwill"]),
            c["review"] + c["review_miss"] * p * loss)


def decide(p: float, amount: float, review_open: bool = True) -> str:
    """The cheapest action by expected cost; ``"review"`` only while the queue has room."""
    p = check_in_range("p", p, 0.0, 1.0)
    amount = check_non_negative("amount", amount)
    return _decide(p, amount, review_open)


def _decide(p: float, amount: float, review_open: bool) -> str:
    # the cheapest, and the first of approve, block, review on a tie (as min() over a dict);
    # without a dict, as policy_cost decides tens of thousands of payments
    approve, block, review = _expected_costs(p, amount)
    if review_open and review < min(approve, block):
        return "review"
    return "approve" if approve <= block else "block"


def policy_cost(indices, probabilities=None, *, threshold: float | None = None,
                new_rule: bool = False, reviews_per_day: int | None = None) -> dict:
    """Run a decision policy over payments in time order and add up what it really cost.

    Rules block first. A payment they pass is then blocked when its probability is at least
    ``threshold`` (a single cut-off), or, with ``threshold=None``, gets the cheapest action by
    :func:`expected_costs`; reviews go first come, first served until the day's
    ``reviews_per_day`` (default :data:`COSTS`) are used up. Without ``probabilities`` only
    the rules act. Costs use the truth: fraud approved loses amount + fee; a good payment
    blocked loses margin + goodwill; a review costs its price (and a missed fraud its loss).
    """
    w, c = world(), COSTS
    indices = list(indices)
    cap = c["reviews_per_day"] if reviews_per_day is None else reviews_per_day
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
        raise ValueError(f"reviews_per_day must be a non-negative integer, got {cap!r}")
    if probabilities is not None and len(probabilities) != len(indices):
        raise ValueError(f"probabilities must have one value per payment: {len(indices)} "
                         f"payments, {len(probabilities)} probabilities")
    if threshold is not None:
        threshold = check_in_range("threshold", threshold, 0.0, 1.0)
    blocked = rule_hits(indices, new_rule)
    # The running totals and the prices live in local names, not in dicts: the loop runs
    # over tens of thousands of payments per policy (the same additions in the same order).
    fee, margin, goodwill = c["chargeback_fee"], c["margin"], c["goodwill"]
    review_price, review_miss = c["review"], c["review_miss"]
    amounts, is_fraud, times = w.amount, w.fraud, w.t
    frauds = fraud_caught = good_blocked = reviews = 0
    fraud_loss = block_cost = review_cost = 0.0
    confirmed = []                               # frauds the analysts confirmed: labels today
    costs = []                                   # what each payment cost, in order
    used, today = 0, None
    rng = random.Random(0)                       # which frauds the analysts miss
    for k, (i, hit) in enumerate(zip(indices, blocked)):
        amount, fraud = amounts[i], is_fraud[i]
        day = int(times[i])
        if day != today:
            today, used = day, 0
        if hit:
            action = "block"
        elif probabilities is None:
            action = "approve"
        elif threshold is not None:
            action = "block" if probabilities[k] >= threshold else "approve"
        else:
            action = _decide(probabilities[k], amount, used < cap)
        frauds += fraud
        cost = 0.0
        if action == "review":
            used += 1
            reviews += 1
            review_cost += review_price
            cost = review_price
            action = "approve" if fraud and rng.random() < review_miss else \
                ("block" if fraud else "approve")
            if action == "block":
                confirmed.append(i)
        if action == "approve":
            if fraud:
                loss = amount + fee
                fraud_loss += loss
                cost += loss
        elif fraud:
            fraud_caught += 1
        else:
            good_blocked += 1
            block_cost += margin * amount + goodwill
            cost += margin * amount + goodwill
        costs.append(cost)
    return dict(payments=len(indices), frauds=frauds, fraud_caught=fraud_caught,
                fraud_loss=fraud_loss, good_blocked=good_blocked, block_cost=block_cost,
                reviews=reviews, review_cost=review_cost,
                total_cost=fraud_loss + block_cost + review_cost, confirmed=confirmed,
                costs=costs)


# --- online: the same features from streaming state, and the serving path ---------------------

class OnlineState:
    """What the fraud service keeps between payments.

    Velocity windows per card and per device (:class:`mlsd.windows.SlidingWindow`), the devices
    each card has used, and the nightly card profiles (mean amount up to the last midnight). One
    payment's features: query everything, then record the payment — the same "events before
    this payment" rule as the batch backfill in :func:`features`.
    """

    def __init__(self, profiles: dict, seen: dict):
        self.card_1h, self.card_24h = SlidingWindow(HOUR), SlidingWindow(1.0)
        self.device_1h, self.device_24h = SlidingWindow(HOUR), SlidingWindow(1.0)
        self.profiles, self.seen = profiles, seen

    def velocity(self, t: float, card: int, device: int, amount: float) -> tuple:
        """(card_tx_1h, card_tx_24h, card_amount_24h, device_tx_1h, device_cards_24h), then
        record the payment."""
        c1 = self.card_1h.query(card, t)["count"]
        c24 = self.card_24h.query(card, t)
        d1 = self.device_1h.query(device, t)["count"]
        d24 = (self.device_24h.query(device, t)["distinct"]
               - (self.device_24h.item_count(device, card, t) > 0))    # other cards only
        self.card_1h.add(card, t, amount)
        self.card_24h.add(card, t, amount)
        self.device_1h.add(device, t, amount, item=card)
        self.device_24h.add(device, t, amount, item=card)
        return c1, c24["count"], c24["total"], d1, d24

    def profile(self, t: float, card: int, device: int, amount: float) -> tuple:
        """(new_device, amount_ratio) from the nightly profile and the card's known devices."""
        devices = self.seen.setdefault(card, set())
        new_device = 0 if device in devices else 1
        devices.add(device)
        mean = self.profiles.get(card)
        return new_device, (amount / mean if mean else 1.0)

    def entries(self) -> int:
        """Events held in the velocity windows (the state's size)."""
        return sum(w.entries() for w in (self.card_1h, self.card_24h, self.device_1h,
                                          self.device_24h))


def online_state(day: int) -> OnlineState:
    """The service's state at the start of ``day``: profiles and known devices from the nightly
    batch over everything before ``day - 1``, velocity windows warmed on day ``day - 1``."""
    if isinstance(day, bool) or not isinstance(day, int):
        raise TypeError(f"day must be an integer, got {type(day).__name__}")
    if not WARMUP <= day < WORLD["days"]:
        raise ValueError(f"day must be in [{WARMUP:g}, {WORLD['days']}), got {day}")
    w = world()
    sums, seen = {}, {}
    before = window(0.0, day - 1.0)
    for i in before:
        s = sums.setdefault(w.card[i], [0.0, 0])
        s[0] += w.amount[i]
        s[1] += 1
        seen.setdefault(w.card[i], set()).add(w.device[i])
    state = OnlineState({}, seen)
    for i in window(day - 1.0, float(day)):
        state.velocity(w.t[i], w.card[i], w.device[i], w.amount[i])
        state.profile(w.t[i], w.card[i], w.device[i], w.amount[i])
        s = sums.setdefault(w.card[i], [0.0, 0])
        s[0] += w.amount[i]
        s[1] += 1
    state.profiles = {card: s[0] / s[1] for card, s in sums.items()}
    return state


def stream_features(day: int) -> tuple[list[int], list[tuple]]:
    """Replay day ``day`` through :class:`OnlineState`: ``(indices, feature rows)``, to compare
    with the batch backfill :func:`features`."""
    state, w = online_state(day), world()
    idx, rows = window(float(day), day + 1.0), []
    for i in idx:
        t, card, device, amount = w.t[i], w.card[i], w.device[i], w.amount[i]
        vel = state.velocity(t, card, device, amount)
        new_device, ratio = state.profile(t, card, device, amount)
        rows.append((math.log(amount), w.category[i], w.foreign[i], (t - int(t)) * 24.0,
                     new_device, ratio) + vel)
    return idx, rows


SERVE_STAGES = ("velocity", "profile", "rules", "model", "decision")


def serve(state: OnlineState, model: Model, payment: dict, review_open: bool = True,
          new_rule: bool = False) -> dict:
    """Decide one payment and time each stage (milliseconds, ``time.perf_counter``).

    ``payment``: ``t, card, device, category, amount, foreign``. Returns ``action``
    (approve, review, block), ``p`` (the model's probability; ``None`` when a rule blocked),
    ``rule`` (the rule that fired, or ``None``) and ``ms`` per stage of :data:`SERVE_STAGES`.
    """
    missing = [k for k in ("t", "card", "device", "category", "amount", "foreign") if k not in payment]
    if missing:
        raise ValueError(f"payment is missing {missing}")
    amount = check_non_negative("payment['amount']", payment["amount"])
    if amount == 0:
        raise ValueError("payment['amount'] must be positive, got 0")
    clock = time.perf_counter
    t, card, device = payment["t"], payment["card"], payment["device"]
    t0 = clock()
    vel = state.velocity(t, card, device, amount)
    t1 = clock()
    new_device, ratio = state.profile(t, card, device, amount)
    x = (math.log(amount), payment["category"], int(payment["foreign"]), (t - int(t)) * 24.0,
         new_device, ratio) + vel
    t2 = clock()
    rules = list(RULES.items()) + ([NEW_RULE] if new_rule else [])
    fired = next((name for name, rule in rules if rule(x)), None)
    t3 = clock()
    p = None if fired else model.proba_row(x)
    t4 = clock()
    action = "block" if fired else decide(p, amount, review_open)
    t5 = clock()
    ms = dict(zip(SERVE_STAGES, (1e3 * (t1 - t0), 1e3 * (t2 - t1), 1e3 * (t3 - t2),
                                 1e3 * (t4 - t3), 1e3 * (t5 - t4))))
    return {"action": action, "p": p, "rule": fired, "x": x, "ms": ms}
