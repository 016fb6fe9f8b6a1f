"""Similar listings end to end: listing embeddings from click sessions on a vacation-rental site.

The page ``docs/case-studies/similar-listings.md`` runs this system in its cells. Every builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the sessions or a
trained model builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). A rental platform with four markets (cities) of 60 listings each,
spread around three neighbourhoods per market. A listing has content anyone can read — market,
location (km), room type (:data:`TYPES`), capacity and nightly price — and two things no column
holds: a *style* (an angle on a circle: quiet design flat, family house, party loft, …) that
guests care about, and a *photo appeal* that draws clicks but not bookings. Style leans to the
neighbourhood's but varies widely listing by listing (:data:`STYLE_SPREAD`). About 8 % of the
listings go live only after :data:`SPLIT_DAY` (the cold-start set).

A search session belongs to one guest in one market. The guest has a searched area, a budget, a
room type, a group size and a preferred style, all hidden (:attr:`Session.guest`). The guest
clicks 2 to 10 listings, drawn by a softmax over a click utility (distance, price, type,
capacity, style and photo appeal); in about 4 % of sessions the guest books one of the clicked
listings, chosen by a booking utility that weighs style twice as much and ignores the photos. A
booked session ends with the booked listing.

**The system.** Listing vectors (:data:`DIM` dimensions) come from skip-gram with negative
sampling (:mod:`mlsd.skipgram`) over the click sessions before :data:`SPLIT_DAY`, one pass,
adjacent clicks as context, in three steps (:data:`VARIANTS`): three random negatives per pair;
plus the booked listing as a global context of every click of a booked session; plus two
negatives from the centre listing's own market. The incumbent is a content-only similarity
(distance, price ratio, room type, capacity) with weights tuned on the training window
(:func:`content_weights`). Similar listings are the nearest vectors among the live listings of
the same market (:func:`serve`); a listing with no clicks yet borrows the mean vector of its
:data:`COLD_K` closest listings by content (:func:`cold_vectors`). :func:`rerank` personalizes
a search page by the similarity of each result to the mean vector of the listings clicked so
far in the session, and counts the work; :func:`simulate_search` replays guests through search
with and without it.

**Evaluation.** :func:`booked_ranks`: for each click of a booked session in the test window,
where the booked listing ranks among the market's listings by similarity to the clicked one.
:func:`next_click_ranks`: the same for the next click of every session (many more pairs).

**Time windows.** Sessions on days 0-28 train; days 28-56 test.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter, mul

from casestudies.memo import memoized
from mlsd.skipgram import SkipGram, training_pairs
from mlsd.validate import check_choice, check_non_negative_int, check_positive_int

__all__ = ["WORLD", "SPLIT_DAY", "TYPES", "VARIANTS", "COLD_K", "DIM", "PERSONAL_WEIGHT",
           "SERVE_STAGES", "Listing", "Session", "listings", "sessions", "split",
           "market_members", "train_sessions", "trained_model", "embeddings", "trained_ids", "content_weights",
           "content_score", "embedding_scorer", "content_scorer", "booked_ranks",
           "next_click_ranks", "cold_vectors", "cold_start_ranks", "serving_vectors",
           "search_scores", "session_vector", "rerank", "personalization_ranks",
           "simulate_search", "serve"]

WORLD = dict(n_markets=4, per_market=60, new_share=0.08, n_sessions=8_000, days=56,
             booking_rate=0.04, seed=7)
SPLIT_DAY = 28.0
TYPES = ("entire home", "private room", "shared room")
VARIANTS = ("random negatives", "+ booked as global context", "+ same-market negatives")
COLD_K = 3
DIM = 12
STYLE = (5.0, 10.0)
STYLE_SPREAD = 1.2
WINDOW = 1
EPOCHS = 1
LR = 0.2
_TYPE_WEIGHTS = (0.6, 0.35, 0.05)


@dataclass(frozen=True)
class Listing:
    """One listing: what the catalogue shows, and what only the generator knows."""
    id: int
    market: int
    x: float                 # km east of the market's centre
    y: float                 # km north
    type: int                # index into TYPES
    capacity: int            # guests
    price: float             # dollars a night
    created: float           # the day the listing went live
    style: float             # hidden: an angle in radians
    appeal: float            # hidden: photo appeal, drives clicks, not bookings


@dataclass(frozen=True)
class Session:
    """One search session: its day, market, clicked listings in order, and the booking."""
    day: float
    market: int
    clicks: tuple
    booked: int | None       # the booked listing (also the last click), or None
    guest: tuple = ()        # hidden: (x, y, log budget, type, group, style)


@memoized(maxsize=1)
def listings() -> tuple:
    """Every listing of the world; seeded, so every run sees the same catalogue."""
    rng = random.Random(WORLD["seed"])
    out = []
    for m in range(WORLD["n_markets"]):
        base = 90.0 * math.exp(rng.gauss(0.0, 0.3))
        hoods = [(rng.uniform(-4, 4), rng.uniform(-4, 4), rng.uniform(0, 2 * math.pi))
                 for _ in range(3)]
        for _ in range(WORLD["per_market"]):
            hx, hy, hstyle = rng.choice(hoods)
            kind = rng.choices(range(3), _TYPE_WEIGHTS)[0]
            cap = rng.randint(2, 8) if kind == 0 else (rng.randint(1, 2) if kind == 1 else 1)
            price = base * (1.0, 0.55, 0.3)[kind] * (1 + 0.12 * (cap - 2) if kind == 0 else 1.0)
            price *= math.exp(rng.gauss(0.0, 0.25))
            new = rng.random() < WORLD["new_share"]
            created = rng.uniform(SPLIT_DAY, WORLD["days"] - 7) if new else -1.0
            # Style leans to the neighbourhood's but varies listing by listing.
            style = (hstyle + rng.gauss(0.0, STYLE_SPREAD)) % (2 * math.pi)
            out.append(Listing(len(out), m, round(hx + rng.gauss(0, 1.0), 3),
                               round(hy + rng.gauss(0, 1.0), 3), kind, cap, round(price, 2),
                               created, style, rng.gauss(0.0, 0.6)))
    return tuple(out)


@memoized(maxsize=1)
def market_members() -> tuple:
    """The listing ids of each market, as a tuple per market."""
    members = [[] for _ in range(WORLD["n_markets"])]
    for item in listings():
        members[item.market].append(item.id)
    return tuple(tuple(m) for m in members)


GUEST_KEYS = ("x", "y", "budget", "type", "group", "style")


@memoized(maxsize=1)
def _columns() -> tuple:
    """Per-listing columns the guests' utilities read: x, y, log price, type, capacity,
    cos(style), sin(style), appeal."""
    return tuple((i.x, i.y, math.log(i.price), i.type, i.capacity, math.cos(i.style),
                  math.sin(i.style), i.appeal) for i in listings())


def _utilities(guest: dict, items: list, booking: bool,
               searched: list | None = None) -> list[float]:
    """The guest's utility for each listing: to click (with photo appeal) or to book (without,
    and with twice the weight on style). Its first four terms are :func:`search_scores`; pass
    those as ``searched`` if already computed, and only the style terms are added."""
    w = STYLE[1] if booking else STYLE[0]
    cs, sn = w * math.cos(guest["style"]), w * math.sin(guest["style"])
    cols = _columns()
    if searched is not None:            # the same sums as below, from the search score on
        rows = [cols[it.id] for it in items]
        if booking:
            return [u + cs * row[5] + sn * row[6] for u, row in zip(searched, rows)]
        return [u + cs * row[5] + sn * row[6] + row[7] for u, row in zip(searched, rows)]
    gx, gy, budget, kind, group = guest["x"], guest["y"], guest["budget"], guest["type"], guest["group"]
    hypot = math.hypot
    rows = [cols[it.id] for it in items]
    # One comprehension per case, not a loop with a branch: sessions() calls this 8,000 times.
    # |lp - budget| is written out (the same value): in the browser the call to abs() for each
    # listing cost more than the comparison, about 7 % of building the sessions.
    if booking:
        return [-0.45 * hypot(x - gx, y - gy) - 2.0 * (lp - budget if lp > budget else budget - lp)
                - 1.2 * (t != kind) - 1.5 * (cap < group) + cs * c + sn * s
                for x, y, lp, t, cap, c, s, _ in rows]
    return [-0.45 * hypot(x - gx, y - gy) - 2.0 * (lp - budget if lp > budget else budget - lp)
            - 1.2 * (t != kind) - 1.5 * (cap < group) + cs * c + sn * s + appeal
            for x, y, lp, t, cap, c, s, appeal in rows]


def _softmax_pick(rng: random.Random, utils: list[float], k: int) -> list[int]:
    """Pick ``k`` distinct positions, each by a softmax over the remaining utilities."""
    weights = list(map(math.exp, utils))
    picked = []
    for _ in range(min(k, len(weights))):
        r, acc = rng.random() * sum(weights), 0.0
        for i, w in enumerate(weights):
            acc += w
            if acc >= r and w > 0:
                break
        picked.append(i)
        weights[i] = 0.0
    return picked


def _guest(rng: random.Random, live: list) -> dict:
    """A guest searching near a random live listing's area, with a budget, room type and group
    like that listing's, and a style of their own."""
    anchor = rng.choice(live)
    return {"x": anchor.x + rng.gauss(0, 1.0), "y": anchor.y + rng.gauss(0, 1.0),
            "budget": math.log(anchor.price) + rng.gauss(0, 0.2), "type": anchor.type,
            "group": max(1, anchor.capacity - rng.randint(0, 1)),
            "style": rng.uniform(0, 2 * math.pi)}


@memoized(maxsize=1)
def sessions() -> tuple:
    """Every search session, sorted by day; seeded."""
    rng = random.Random(WORLD["seed"] + 1)
    items, members = listings(), market_members()
    # The markets' shares of the sessions, as the running sums choices() would build per call
    market_cum = list(accumulate(1.0 + 0.5 * m for m in range(WORLD["n_markets"])))
    out = []
    for _ in range(WORLD["n_sessions"]):
        day = rng.uniform(0.0, WORLD["days"])
        m = rng.choices(range(WORLD["n_markets"]), cum_weights=market_cum)[0]
        live = [items[i] for i in members[m] if items[i].created <= day]
        guest = _guest(rng, live)
        n_clicks = 2 + min(8, int(rng.expovariate(1 / 3.0)))
        picks = _softmax_pick(rng, _utilities(guest, live, False), n_clicks)
        clicks = [live[i].id for i in picks]
        booked = None
        if rng.random() < WORLD["booking_rate"]:
            chosen = [items[i] for i in clicks]
            booked = clicks[_softmax_pick(rng, _utilities(guest, chosen, True), 1)[0]]
            clicks = [c for c in clicks if c != booked] + [booked]
        out.append(Session(round(day, 4), m, tuple(clicks), booked,
                           tuple(guest[k] for k in GUEST_KEYS)))
    out.sort(key=lambda s: s.day)
    return tuple(out)


def split(day: float = SPLIT_DAY) -> tuple[list, list]:
    """The sessions before ``day`` (training) and from ``day`` on (test): a time-based split."""
    if isinstance(day, bool) or not isinstance(day, (int, float)):
        raise TypeError(f"day must be a number, got {type(day).__name__}")
    if not 0 < day < WORLD["days"]:
        raise ValueError(f"day must be inside the world's {WORLD['days']} days (0 < day < "
                         f"{WORLD['days']}), got {day!r}")
    data = sessions()
    train = [s for s in data if s.day < day]
    return train, list(data[len(train):])


# --- embeddings -------------------------------------------------------------------------------

@memoized(maxsize=2)
def _training_data(before: float, booked_as_context: bool) -> tuple[tuple, tuple]:
    """The skip-gram pairs of the sessions before ``before`` (with the booked listing as global
    context or not) and each listing's click count there. Memoized: the variants with the
    global context train on the same pairs, and a cell that compares them builds them once."""
    train = [s for s in sessions() if s.day < before]
    n_items = len(listings())
    pairs = training_pairs([s.clicks for s in train], n_items, window=WINDOW,
                           global_context=[s.booked for s in train] if booked_as_context else None)
    counts = [0] * n_items
    for s in train:
        for c in s.clicks:
            counts[c] += 1
    return tuple(pairs), tuple(counts)


def train_sessions(variant: str = VARIANTS[-1], before: float = SPLIT_DAY,
                   epochs: int | None = None, seed: int = 0) -> SkipGram:
    """Train listing vectors on the sessions before ``before`` (not memoized: see embeddings)."""
    variant = check_choice("variant", variant, VARIANTS)
    epochs = check_positive_int("epochs", EPOCHS if epochs is None else epochs)
    seed = check_non_negative_int("seed", seed)
    if isinstance(before, bool) or not isinstance(before, (int, float)) or not 0 < before <= WORLD["days"]:
        raise ValueError(f"before must be a day in (0, {WORLD['days']}], got {before!r}")
    level = VARIANTS.index(variant)
    items, members = listings(), market_members()
    pairs, counts = _training_data(before, level >= 1)
    extra = None
    if level >= 2:           # two more negatives from the centre's own market
        pools = [members[it.market] for it in items]

        def extra(center, rng):
            pool = pools[center]
            return [pool[int(rng.random() * len(pool))], pool[int(rng.random() * len(pool))]]
    model = SkipGram(len(items), dim=DIM, seed=seed)
    model.fit(pairs, negatives=3, counts=counts, extra_negatives=extra, epochs=epochs,
              lr=LR, seed=seed)
    model.pairs = len(pairs)
    return model


@memoized(maxsize=3)
def trained_model(variant: str = VARIANTS[-1]) -> SkipGram:
    """:func:`train_sessions` with its defaults, trained once per variant (memoized).

    The cells that compare variants and the ones that use the vectors share one training; read the
    model, do not train it further.
    """
    return train_sessions(variant)


@memoized(maxsize=4)
def embeddings(variant: str = VARIANTS[-1]) -> tuple:
    """Unit-length listing vectors of ``variant``, trained on the training window (memoized).

    Listings without a click before :data:`SPLIT_DAY` keep their tiny random start vector.
    """
    return tuple(tuple(v) for v in trained_model(variant).normalized())


# --- similarity ---------------------------------------------------------------------------------

def _differences(a: Listing, b: Listing) -> tuple:
    """What content similarity compares: distance (km), |log price ratio|, whether the room
    types differ, |capacity difference|."""
    return (math.hypot(a.x - b.x, a.y - b.y), abs(math.log(a.price / b.price)), a.type != b.type,
            abs(a.capacity - b.capacity))


def content_score(a: Listing, b: Listing, weights: tuple) -> float:
    """Content similarity of ``b`` to ``a``: minus a weighted sum of differences."""
    geo, price, kind, cap = _differences(a, b)
    w_geo, w_price, w_type, w_cap = weights
    return -(w_geo * geo + w_price * price + w_type * kind + w_cap * cap)


@memoized(maxsize=256)
def _market_differences(q: int) -> dict:
    """:func:`_differences` of listing ``q`` to every listing of its market. They do not depend
    on the weights: the grid search of :func:`content_weights` scores the same pairs under 16
    weightings, and computes them once per query listing this way."""
    items = listings()
    a = items[q]
    return {c: _differences(a, items[c]) for c in market_members()[a.market]}


def content_scorer(weights: tuple | None = None):
    """A scorer ``(query id, candidate ids) -> scores`` by content similarity."""
    w = content_weights() if weights is None else weights
    w_geo, w_price, w_type, w_cap = w
    items = listings()

    def score(q: int, cands: list[int]) -> list[float]:
        try:            # content_score's sum, on the query's cached differences
            return [-(w_geo * geo + w_price * price + w_type * kind + w_cap * cap)
                    for geo, price, kind, cap in map(_market_differences(q).__getitem__, cands)]
        except KeyError:                                  # candidates from another market
            a = items[q]
            return [content_score(a, items[c], w) for c in cands]
    return score


def embedding_scorer(vectors):
    """A scorer ``(query id, candidate ids) -> cosine similarities`` from unit vectors.

    The scorer remembers each (query, candidate) score, so ``vectors`` must not change while it
    is in use: the evaluations ask about the same query listing many times (a listing is the
    click before some 55 next clicks of the test window), and looking a score up is far cheaper
    than the dot product, most of all in the browser."""
    return _dot_scorer(vectors, vectors)


def _dot_scorer(queries, vectors):
    """A scorer ``(query id, candidate ids) -> queries[query id] . vectors[candidate id]``,
    remembering every score it computed (see :func:`embedding_scorer`)."""
    rows: dict[int, dict[int, float]] = {}        # query id -> {candidate id: score}

    def score(q: int, cands: list[int]) -> list[float]:
        row = rows.get(q)
        if row is None:
            row = rows[q] = {}
        missing = [c for c in cands if c not in row]
        if missing:
            v = queries[q]
            dims = range(len(v))            # by index, as in rerank: faster in the browser
            row.update(zip(missing, [sum([v[k] * w[k] for k in dims])
                                     for w in map(vectors.__getitem__, missing)]))
        return [row[c] for c in cands]
    return score


def _queries(data: list) -> list[tuple[int, int, list[int]]]:
    """(query listing, booked listing, candidates): each clicked listing of a booked session,
    before the booking, paired with the listing the guest booked and the listings live in the
    query's market that day (the query itself left out)."""
    items, members = listings(), market_members()
    out = []
    for s in data:
        if s.booked is None:
            continue
        for q in dict.fromkeys(s.clicks[:-1]):
            if q != s.booked:
                cands = [c for c in members[items[q].market]
                         if c != q and items[c].created <= s.day]
                out.append((q, s.booked, cands))
    return out


def _booked_ranks(scorer, queries: list) -> list[int]:
    """:func:`booked_ranks` of the ``queries`` built by :func:`_queries`."""
    ranks = []
    for q, b, cands in queries:
        scores = scorer(q, cands)
        target = scores[cands.index(b)]
        # 1 + the others scoring at least as high (its own score, >= itself, is the 1)
        ranks.append(sum([s >= target for s in scores]))
    return ranks


def booked_ranks(scorer, data: list | None = None) -> list[int]:
    """Where the booked listing ranks (1 = first) among the live listings of the query's market,
    ordered by ``scorer`` similarity to each clicked listing of the booked sessions in ``data``
    (the test window by default). Ties count against the booked listing."""
    if not callable(scorer):
        raise TypeError("scorer must be a callable (query id, candidate ids) -> scores")
    return _booked_ranks(scorer, _queries(split()[1] if data is None else data))


@memoized(maxsize=1)
def content_weights() -> tuple:
    """The content baseline's weights (geo, price, type, capacity), tuned on the training
    window's booked sessions by a small grid search for the best hit rate at 10."""
    queries = _queries(split()[0])         # the same queries and candidates for every weighting
    best = None
    for w_geo in (0.5, 1.0):
        for w_price in (2.0, 4.0):
            for w_type in (0.5, 2.0):
                for w_cap in (0.0, 0.3):
                    w = (w_geo, w_price, w_type, w_cap)
                    ranks = _booked_ranks(content_scorer(w), queries)
                    hit = sum(r <= 10 for r in ranks)
                    if best is None or hit > best[0]:
                        best = (hit, w)
    return best[1]


@memoized(maxsize=1)
def trained_ids() -> frozenset:
    """The listings clicked at least once in the training window (they have a learned vector)."""
    return frozenset(c for s in split()[0] for c in s.clicks)


def cold_vectors(vectors, ids, k: int = COLD_K, weights: tuple | None = None) -> dict:
    """A vector for each listing in ``ids``: the normalized mean of the vectors of its ``k``
    closest listings by content (same market, among the listings with a learned vector, never
    the listing itself)."""
    k = check_positive_int("k", k)
    items, members, known = listings(), market_members(), trained_ids()
    w = content_weights() if weights is None else weights
    out = {}
    for i in ids:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(items):
            raise ValueError(f"ids must hold listing ids in [0, {len(items)}), got {i!r}")
        a = items[i]
        near = sorted((c for c in members[a.market] if c != i and c in known),
                      key=lambda c: -content_score(a, items[c], w))[:k]
        mean = [sum(col) / len(near) for col in zip(*(vectors[c] for c in near))]
        n = math.sqrt(sum(x * x for x in mean)) or 1.0
        out[i] = tuple(x / n for x in mean)
    return out


def next_click_ranks(scorer, data: list | None = None, every: int = 1,
                     queries=None) -> list[int]:
    """Where a session's next click ranks among the live listings of the market, ordered by
    ``scorer`` similarity to the click before it, over the sessions in ``data`` (the test window
    by default). ``every`` keeps every n-th pair; ``queries`` (a set) keeps only pairs whose
    first click is in it. Ties count against the clicked listing."""
    if not callable(scorer):
        raise TypeError("scorer must be a callable (query id, candidate ids) -> scores")
    every = check_positive_int("every", every)
    items, members = listings(), market_members()
    pairs = [(a, b, s.day) for s in (split()[1] if data is None else data)
             for a, b in zip(s.clicks, s.clicks[1:]) if queries is None or a in queries][::every]
    ranks = []
    for a, b, day in pairs:
        cands = [c for c in members[items[a].market] if c != a and items[c].created <= day]
        scores = scorer(a, cands)
        target = scores[cands.index(b)]
        # 1 + the others scoring at least as high (its own score, >= itself, is the 1)
        ranks.append(sum([x >= target for x in scores]))
    return ranks


def cold_start_ranks(vectors=None, every: int = 4, seed: int = 0) -> dict:
    """Leave-one-out cold start on the test window: pretend each listing with a learned vector
    is new, give it (a) its :data:`COLD_K`-neighbour mean vector, (b) a random unit vector, and
    rank its next clicks as in :func:`next_click_ranks`; (c) the content score and (d) its own
    learned vector are the references. Returns ranks per method."""
    vectors = embeddings() if vectors is None else vectors
    known = trained_ids()
    rng = random.Random(check_non_negative_int("seed", seed))
    cold = cold_vectors(vectors, sorted(known))
    rand = {}
    for i in sorted(known):
        v = [rng.gauss(0.0, 1.0) for _ in range(len(vectors[i]))]
        n = math.sqrt(sum(x * x for x in v))
        rand[i] = [x / n for x in v]
    return {name: next_click_ranks(scorer, every=every, queries=known)
            for name, scorer in (("learned vector", embedding_scorer(vectors)),
                                 (f"mean of {COLD_K} closest", _dot_scorer(cold, vectors)),
                                 ("random vector", _dot_scorer(rand, vectors)),
                                 ("content similarity", content_scorer()))}


# --- personalization and serving ------------------------------------------------------------------

PERSONAL_WEIGHT = 3.0
BOOK_SCALE = 0.0003
BOOK_SLOPE = 0.5
SERVE_STAGES = ("fetch query vector", "candidates: same market, available", "score",
                "top k")


def serve(listing: int, vectors, k: int = 10, day: float = SPLIT_DAY) -> dict:
    """The similar-listings request for one listing page: the ``k`` most similar live listings
    of its market. Returns ``ids``, ``ms`` per stage of :data:`SERVE_STAGES` and ``work``
    (candidates scored, dot products, bytes of vectors read)."""
    items = listings()
    if isinstance(listing, bool) or not isinstance(listing, int):
        raise TypeError(f"listing must be an int id, got {type(listing).__name__}")
    if not 0 <= listing < len(items):
        raise ValueError(f"listing must be in [0, {len(items)}), got {listing}")
    k = check_positive_int("k", k)
    clock = time.perf_counter
    t0 = clock()
    q = vectors[listing]
    t1 = clock()
    cands = [c for c in market_members()[items[listing].market]
             if c != listing and items[c].created <= day]
    t2 = clock()
    scores = [sum(map(mul, q, vectors[c])) for c in cands]
    t3 = clock()
    top = [c for _, c in sorted(zip(scores, cands), key=lambda t: -t[0])[:k]]
    t4 = clock()
    ms = dict(zip(SERVE_STAGES, (1e3 * (t1 - t0), 1e3 * (t2 - t1), 1e3 * (t3 - t2),
                                 1e3 * (t4 - t3))))
    return {"ids": top, "ms": ms, "work": {"candidates": len(cands), "dots": len(cands),
                                           "bytes": (len(cands) + 1) * len(q) * 4}}


# --- serving vectors, search personalization and a simulated online test ---------------------

@memoized(maxsize=1)
def serving_vectors() -> tuple:
    """The vectors the service holds on :data:`SPLIT_DAY`: the final variant's for every listing
    clicked in the training window, a cold-start vector (:func:`cold_vectors`) for the rest."""
    vectors, known = list(embeddings()), trained_ids()
    for i, v in cold_vectors(vectors, [i for i in range(len(vectors)) if i not in known]).items():
        vectors[i] = v
    return tuple(vectors)


def search_scores(guest, cands: list[int]) -> list[float]:
    """The search ranker's score of each candidate for a guest's query: distance to the searched
    area, price against the budget filter, room type and capacity — what the query tells it.
    It cannot see the guest's taste in style."""
    g = dict(zip(GUEST_KEYS, guest)) if not isinstance(guest, dict) else guest
    gx, gy, budget, kind, group = g["x"], g["y"], g["budget"], g["type"], g["group"]
    hypot, cols = math.hypot, _columns()          # x, y, log price, type, capacity first
    # |lp - budget| written out, not abs(): the same value without a call (see _utilities)
    return [-0.45 * hypot(x - gx, y - gy) - 2.0 * (lp - budget if lp > budget else budget - lp)
            - 1.2 * (t != kind) - 1.5 * (cap < group)
            for x, y, lp, t, cap, _, _, _ in map(cols.__getitem__, cands)]


def session_vector(clicked: list[int], vectors) -> tuple[list[float], int]:
    """The mean of the clicked listings' vectors, and how many vectors it read."""
    if not clicked:
        raise ValueError("clicked must hold at least one listing id")
    dim = len(vectors[clicked[0]])
    mean = [0.0] * dim
    for c in clicked:
        mean = [a + b for a, b in zip(mean, vectors[c])]
    return [a / len(clicked) for a in mean], len(clicked)


def rerank(cands: list[int], base: list[float], clicked: list[int], vectors,
           weight: float = PERSONAL_WEIGHT) -> tuple[list[int], dict]:
    """Order ``cands`` by ``base + weight x (vector . mean of the clicked listings' vectors)``.

    Returns the order and the work: vectors fetched, dot products, bytes read (4 bytes a value).
    With no clicks yet the order is the base order and no vector is read.
    """
    if len(base) != len(cands):
        raise ValueError(f"base must have one score per candidate ({len(cands)}), got {len(base)}")
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
        raise ValueError(f"weight must be a number >= 0, got {weight!r}")
    if not clicked or weight == 0:
        order = [c for _, c in sorted(zip(base, cands), key=itemgetter(0), reverse=True)]
        return order, {"vectors": 0, "dots": 0, "bytes": 0}
    q, read = session_vector(clicked, vectors)
    # The dot products element by element by index (the same sums as sum(map(mul, q, v))):
    # in the browser that is markedly faster, and the replays and simulations score many pages.
    dims = range(len(q))
    scores = [b + weight * sum([q[k] * v[k] for k in dims])
              for b, v in zip(base, map(vectors.__getitem__, cands))]
    # reverse=True keeps ties in their order, as sorting on -score would (itemgetter runs in C)
    order = [c for _, c in sorted(zip(scores, cands), key=itemgetter(0), reverse=True)]
    n_vec = read + len(cands)
    return order, {"vectors": n_vec, "dots": len(cands), "bytes": n_vec * len(q) * 4}


def personalization_ranks(vectors=None, weight: float = PERSONAL_WEIGHT, every: int = 3) -> dict:
    """Offline replay on the test window: after each click of a session, rank the guest's next
    click among the live, not yet clicked listings of the market — by the search score alone
    (``"search"``) and re-ranked by the session's clicks (``"personalized"``). ``every``: replay
    every n-th test session (3 keeps the cell fast)."""
    every = check_positive_int("every", every)
    vectors = serving_vectors() if vectors is None else vectors
    items, members = listings(), market_members()
    out = {"search": [], "personalized": []}
    for s in split()[1][::every]:
        live = [c for c in members[s.market] if items[c].created <= s.day]
        # A listing's search score depends on the guest's query, not on the clicks: score the
        # market once per session, not once per click.
        searched = dict(zip(live, search_scores(s.guest, live)))
        for t in range(1, len(s.clicks)):
            clicked, target = list(s.clicks[:t]), s.clicks[t]
            cands = [c for c in live if c not in clicked]
            base = [searched[c] for c in cands]
            for name, w in (("search", 0.0), ("personalized", weight)):
                order, _ = rerank(cands, base, clicked, vectors, w)
                out[name].append(1 + order.index(target))
    return out


@memoized(maxsize=2)
def _search_guests(n_sessions: int, seed: int) -> tuple:
    """The guests of :func:`simulate_search`, drawn from ``seed`` alone, so both arms of the
    paired simulation share one draw: per session the live listings of its market, the number
    of clicks, and per listing the search score, click utility and booking utility."""
    rng = random.Random(seed)
    items, members = listings(), market_members()
    market_cum = list(accumulate(1.0 + 0.5 * m for m in range(WORLD["n_markets"])))
    out = []
    for _ in range(n_sessions):
        day = rng.uniform(SPLIT_DAY, WORLD["days"])
        m = rng.choices(range(WORLD["n_markets"]), cum_weights=market_cum)[0]
        cands = [c for c in members[m] if items[c].created <= day]
        live = [items[c] for c in cands]
        guest = _guest(rng, live)
        n_clicks = 2 + min(8, int(rng.expovariate(1 / 3.0)))
        base = search_scores(guest, cands)
        out.append((cands, n_clicks, base, _utilities(guest, live, False, base),
                    _utilities(guest, live, True, base)))
    return tuple(out)


def simulate_search(personalized: bool, n_sessions: int, seed: int = 0, vectors=None,
                    page: int = 10) -> list[dict]:
    """Simulated online sessions in the test window. Each guest sees a page of ``page`` results,
    may book the best-fitting place on it — with a chance that grows with that place's booking
    utility (``BOOK_SCALE x exp(BOOK_SLOPE x fit)``) — or clicks one (softmax over the click
    utility, minus a position penalty) and gets a new page, re-ranked by the session's clicks
    when ``personalized``. The same ``seed`` draws the same guests for both arms (a paired simulation: the
    difference between arms is the ranker's, not the guests'). Returns one dict per session: ``clicks``, ``fit`` (the mean best fit
    of its pages), ``p_book`` (the chance the session books) and ``booked`` (drawn from it).
    """
    n_sessions = check_positive_int("n_sessions", n_sessions)
    seed = check_non_negative_int("seed", seed)
    page = check_positive_int("page", page)
    vectors = serving_vectors() if vectors is None else vectors
    act = random.Random(seed + 1)                # the guests' choices
    out = []
    for cands, n_clicks, base_scores, util, book in _search_guests(n_sessions, seed):
        base, util, book = (dict(zip(cands, v)) for v in (base_scores, util, book))
        if not personalized:
            search_order = rerank(cands, base_scores, [], vectors)[0]  # the search ranker's order
        clicked, p_none, fits = [], 1.0, []
        for _ in range(n_clicks):
            if personalized:
                rest = [c for c in cands if c not in clicked]
                order, _ = rerank(rest, [base[c] for c in rest], clicked, vectors)
            else:       # the same order without the listings clicked (no re-sort needed)
                order = [c for c in search_order if c not in clicked]
            shown = order[:page]
            fit = max(book[c] for c in shown)          # the best place this page offers
            fits.append(fit)
            p_none *= 1.0 - min(0.5, BOOK_SCALE * math.exp(BOOK_SLOPE * fit))
            pick = _softmax_pick(act, [util[c] - 0.15 * pos for pos, c in enumerate(shown)], 1)[0]
            clicked.append(shown[pick])
        p_book = 1.0 - p_none
        out.append({"clicks": tuple(clicked), "fit": sum(fits) / len(fits), "p_book": p_book,
                    "booked": act.random() < p_book})
    return out
