"""Video recommendations end to end: the system of the case study, small enough for a browser.

The page's cells call these builders; each is memoized, so the first cell that needs the data,
the towers, the index or the ranker builds it and every later cell reuses it.

**The world** is :func:`mlsd.data.recsys.make_recsys` with a 10,000-video catalog
(:data:`WORLD`): 1,500 viewers, 80,000 impressions over 28 days, 20 topics in an 8-dimensional
latent space, a few percent of viewers and videos joining late (cold start), and a drift of tastes
from day 21. Its clicks are re-drawn with the click logit shifted by :data:`CLICK_SHIFT`, so about
4% of impressions are clicked, as on a real feed (:func:`world`). Sizes are chosen so that
building everything takes about a second in CPython: a cell that runs alone (as the site build
runs it) stays inside its time budget.

**Time windows** (days). Each stage is trained on an earlier window than the one it is judged on,
as in production:

====================  ===========================================================
``[0, 15)``           the two towers learn from clicks
``[15, 18)``          the ranker learns from impressions (every click, one
                      non-click in ten); its retrieval-score feature comes from
                      towers that never saw these days
``[18, 21)``          test: offline metrics, the A/B simulation, serving
``[21, 28)``          after the drift: monitoring
====================  ===========================================================

**A request** for viewer ``u`` at day :data:`NOW` runs six stages (:func:`serve` times each):

1. *user tower* — the viewer's embedding from their tokens (a viewer with no clicks before
   day 15 has only profile tokens: cold start);
2. *ANN search* — the IVF index over all 10,000 video embeddings returns the nearest videos;
3. *merge and filter* — three retrieval sources, videos the viewer already clicked removed: up
   to :data:`N_TOPIC` of the week's most clicked videos in the topics of the viewer's history
   (in all topics for a viewer with no history yet),
   the ANN results up to ``N_CANDIDATES - N_FRESH`` candidates in all, and the :data:`N_FRESH`
   best fresh uploads (videos uploaded in the last :data:`FRESH_DAYS` days, scored by the towers);
4. *features* — :func:`mlsd.data.recsys.pair_features` for each candidate, from logs before
   the day's snapshot;
5. *rank* — the compiled GBDT scores every candidate;
6. *re-rank* — :data:`FEED_SIZE` videos chosen by maximal marginal relevance (:func:`mmr`) among
   the ranker's best :data:`MMR_POOL`, then an exploration slot: if no fresh upload made it, the
   best-ranked fresh candidate takes position :data:`EXPLORE_SLOT`.

Items are embedded the same way: a video with no click before day 15 (new uploads included) has
only its topic token, so it gets an embedding from content alone.
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect_left
from collections import Counter
from operator import attrgetter, mul

from casestudies.memo import memoized
from mlsd import metrics
from mlsd.validate import check_int, check_non_empty, check_number, check_positive_int
from dataclasses import dataclass

from mlsd.data.recsys import (FEATURE_NAMES, Event, RecsysData, candidate_features, make_recsys,
                              pair_features)
from mlsd.ranking.gbdt import GBDT
from mlsd.retrieval import ExactIndex, IVFIndex
from mlsd.serving import percentile
from mlsd.two_tower import TwoTower

__all__ = ["WORLD", "TOWER_END", "RANKER_END", "TEST_END", "NOW", "N_CANDIDATES", "FEED_SIZE",
           "N_FRESH", "N_TOPIC", "FRESH_DAYS", "topic_popular", "EXPLORE_SLOT", "STAGES", "world", "clicks_before", "watched", "user_tokens",
           "item_tokens", "towers", "item_vectors", "user_vector", "ann_index", "exact_index",
           "popular_items", "retrieve", "fresh_videos", "candidates", "ranker_examples", "ranker",
           "incumbent_ranker", "click_probability", "CLICK_SHIFT", "NEG_RATE", "MMR_LAMBDA",
           "MMR_POOL", "CROSS_FEATURES", "FeedWorld", "rank_candidates", "mmr", "rerank", "recommend", "serve", "test_users", "test_clicks",
           "impressions", "score_impressions", "simulate_session", "visit_outcome", "latency_table", "ndcg_by_user"]

WORLD = dict(n_users=1500, n_items=10_000, n_events=80_000, d=8, n_clusters=20, days=28.0,
             drift_day=21.0, new_fraction=0.1, personal_share=0.7, seed=0)
CLICK_SHIFT = -3.25         # added to the generator's click logit: about 4% of impressions get a click
CLICK_SEED = 1              # seed of the click draws
NEG_RATE = 0.1              # the ranker keeps every click and one non-click in ten (negative downsampling)
TOWER_END, RANKER_END, TEST_END = 15.0, 18.0, 21.0
NOW = RANKER_END            # serving and the A/B test happen at the start of the test window
N_CANDIDATES = 100          # videos retrieval hands to the ranker
FEED_SIZE = 10              # videos in a feed
N_FRESH = 5                 # of which, fresh uploads (a second retrieval source)
N_TOPIC = 30                # of which, at most, popular videos of the viewer's topics (a third one)
FRESH_DAYS = 3.0            # "fresh" = uploaded in the last three days
EXPLORE_SLOT = 4            # 0-based feed position reserved for a fresh upload
MMR_LAMBDA = 0.7            # re-ranking: weight of relevance against similarity to videos above
MMR_POOL = 100             # re-ranking: how many of the ranker's best MMR chooses from (all candidates)
CROSS_FEATURES = ("user_topic_impressions", "user_topic_ctr", "same_as_last_topic",
                  "days_since_user_saw_topic", "user_x_item_ctr")   # viewer x video features
POPULAR_DAYS = 7.0          # the popularity list counts clicks of the last week
STAGES = ("user tower", "ANN search", "merge and filter", "features", "rank", "re-rank")


# ----------------------------------------------------------------------- data
@dataclass(frozen=True, eq=False)
class FeedWorld(RecsysData):
    """A :class:`~mlsd.data.recsys.RecsysData` whose click logit is shifted by ``click_shift``:
    same viewers, videos and impressions, a feed-like click rate."""
    click_shift: float = 0.0

    def true_score(self, user: int, item: int, t: float = 0.0) -> float:
        """The click logit of this world: the generator's logit plus :attr:`click_shift`."""
        return RecsysData.true_score(self, user, item, t) + self.click_shift

    def true_scores(self, events) -> list[float]:
        """:meth:`true_score` of every event in ``events``."""
        return [z + self.click_shift for z in RecsysData.true_scores(self, events)]


@memoized(maxsize=1)
def world() -> FeedWorld:
    """The seeded world of :data:`WORLD`, with every click re-drawn at the generator's logit plus
    :data:`CLICK_SHIFT` (about 4% of impressions are clicked, as on a real feed). Built once, in
    well under a second."""
    base = make_recsys(**WORLD)
    rng = random.Random(CLICK_SEED)
    # Thinning: the generator clicked with p0 = sigmoid(z); keeping such a click with probability
    # p1 / p0, where p1 = sigmoid(z + CLICK_SHIFT) < p0, makes every impression a click with
    # probability exactly p1, and only the clicks need a new draw.
    events = list(base.events)
    clicked = [n for n, e in enumerate(events) if e.clicked]
    for n, z in zip(clicked, base.true_scores([events[n] for n in clicked])):
        if not rng.random() * _sigmoid(z) < _sigmoid(z + CLICK_SHIFT):
            e = events[n]
            events[n] = Event(e.t, e.user, e.item, 0)   # the click is dropped (a kept one stays as is)
    return FeedWorld(base.users, base.items, tuple(events), base.days, base.drift_day,
                     base.trending_topic, base.n_clusters, base.seed, CLICK_SHIFT)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


_time = attrgetter("t")


def _events_between(start: float, end: float) -> tuple:
    """The world's impressions of days ``[start, end)``: the log is in time order, so two
    binary searches find them (instead of a scan of all 80,000)."""
    events = world().events
    return events[bisect_left(events, start, key=_time):bisect_left(events, end, key=_time)]


@memoized(maxsize=4)
def clicks_before(t: float) -> tuple:
    """``(user, item)`` of every click before day ``t``, in time order."""
    t = check_number("t", t)
    return tuple((e.user, e.item) for e in _events_between(-math.inf, t) if e.clicked)


@memoized(maxsize=2)
def _watched(t: float) -> dict:
    seen: dict = {}
    for u, i in clicks_before(t):
        seen.setdefault(u, set()).add(i)
    return seen


def watched(user: int, t: float = NOW) -> frozenset:
    """Videos ``user`` clicked before day ``t`` (filtered out of their feed)."""
    _check_user(user)
    return frozenset(_watched(check_number("t", t)).get(user, ()))


def _check_user(user) -> int:
    check_int("user", user)
    n = WORLD["n_users"]
    if not 0 <= user < n:
        raise ValueError(f"user must be in 0..{n - 1}, got {user}")
    return user


@memoized(maxsize=2)
def _user_tokens(t: float) -> dict:
    data = world()
    trained = {u for u, _ in clicks_before(TOWER_END)}
    history: dict = {}
    for u, i in clicks_before(t):
        history.setdefault(u, []).append(f"watched_topic={data.items[i].category}")
    return {u.id: ((f"user={u.id}",) if u.id in trained else ())
            + (f"age={u.age_bucket}", f"country={u.country}") + tuple(history.get(u.id, ()))
            for u in data.users}


@memoized(maxsize=1)
def _item_tokens() -> dict:
    trained = {i for _, i in clicks_before(TOWER_END)}
    return {it.id: ((f"item={it.id}",) if it.id in trained else ()) + (f"topic={it.category}",)
            for it in world().items}


def user_tokens(user: int, t: float = NOW) -> tuple:
    """The user tower's input at day ``t``: ``user=ID`` (only if the viewer clicked before day
    15), age, country, and one ``watched_topic=K`` token per click before ``t`` (the watch
    history, a streaming feature)."""
    return _user_tokens(check_number("t", t))[_check_user(user)]


def item_tokens(item: int) -> tuple:
    """The item tower's input: ``item=ID`` (only if the video was clicked before day 15) and its topic."""
    check_int("item", item)
    if not 0 <= item < WORLD["n_items"]:
        raise ValueError(f"item must be in 0..{WORLD['n_items'] - 1}, got {item}")
    return _item_tokens()[item]


# ------------------------------------------------------------------ retrieval
@memoized(maxsize=1)
def towers() -> TwoTower:
    """The two-tower model trained on the clicks of days [0, 15): in-batch negatives with the logQ
    correction, 16 dimensions, one epoch (about half a second)."""
    users, items = _user_tokens(TOWER_END), _item_tokens()
    return TwoTower(dim=16, temperature=0.1, lr=0.5, logq=True, seed=0).fit(
        list(clicks_before(TOWER_END)), users, items, epochs=1, batch_size=16)


@memoized(maxsize=1)
def item_vectors() -> tuple:
    """The item tower's embedding of every video (what the batch job writes to the index)."""
    model, items = towers(), _item_tokens()
    # Most videos were never clicked before day 15: their only token is the topic, so they share
    # one of 20 vectors. Each distinct token bag is embedded once (1,538 forward passes, not 10,000).
    by_tokens: dict = {}
    for tokens in set(items.values()):
        by_tokens[tokens] = tuple(model.item_vector(tokens=tokens))
    return tuple(by_tokens[items[i]] for i in range(WORLD["n_items"]))


def user_vector(user: int) -> list[float]:
    """The user tower's embedding of ``user`` (computed per request in production)."""
    return towers().user_vector(tokens=user_tokens(user))


@memoized(maxsize=4)
def ann_index(nlist: int = 16, nprobe: int = 1) -> IVFIndex:
    """An IVF index over :func:`item_vectors`: ``nlist`` k-means cells, ``nprobe`` searched."""
    check_positive_int("nlist", nlist)
    check_positive_int("nprobe", nprobe)
    return IVFIndex(nlist=nlist, nprobe=nprobe, n_iter=3, train_size=min(WORLD["n_items"], 40 * nlist),
                    seed=0).build([list(v) for v in item_vectors()])


@memoized(maxsize=1)
def exact_index() -> ExactIndex:
    """Brute-force search over :func:`item_vectors`: the ground truth for the ANN index."""
    return ExactIndex().build([list(v) for v in item_vectors()])


@memoized(maxsize=4)
def popular_items(t: float = NOW) -> tuple:
    """Videos by number of clicks in the week before day ``t``, most clicked first (ties: lower id)."""
    t = check_number("t", t)
    counts = Counter(e.item for e in _events_between(t - POPULAR_DAYS, t) if e.clicked)
    return tuple(i for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def retrieve(user: int, k: int = N_CANDIDATES, index: str = "ann") -> list[tuple[int, float]]:
    """The ``k`` videos nearest to the viewer's embedding that they have not watched, as
    ``(video, score)`` best first. ``index`` is ``"ann"`` (IVF) or ``"exact"``."""
    check_positive_int("k", k)
    if index not in ("ann", "exact"):
        raise ValueError(f"index must be 'ann' or 'exact', got {index!r}")
    seen = watched(user)
    return [(i, s) for i, s in _search(user, k + len(seen), index) if i not in seen][:k]


def _search(user: int, n: int, index: str = "ann") -> tuple:
    """The ``n`` videos nearest to the viewer's embedding in ``index``, ``(video, score)`` best
    first. :func:`retrieve` and :func:`candidates` ask for the same search, so it is memoized,
    keyed on the index's ``nprobe`` too: a cell may change it, and the search with it."""
    return _nearest(user, n, index, ann_index().nprobe if index == "ann" else None)


@memoized(maxsize=2048)
def _nearest(user: int, n: int, index: str, nprobe: int | None) -> tuple:
    idx = ann_index() if index == "ann" else exact_index()
    return tuple(idx.search(user_vector(user), n))


@memoized(maxsize=4)
def fresh_videos(t: float = NOW) -> tuple:
    """Videos uploaded in the :data:`FRESH_DAYS` days before day ``t`` (the fresh source)."""
    t = check_number("t", t)
    return tuple(it.id for it in world().items if t - FRESH_DAYS <= it.created_at < t)


@memoized(maxsize=2)
def topic_popular(t: float = NOW) -> dict:
    """``{topic: videos}``: :func:`popular_items` split by topic, most clicked first."""
    out: dict = {}
    for i in popular_items(t):
        out.setdefault(world().items[i].category, []).append(i)
    return out


def _merge(u, found, seen, tokens) -> list[tuple[int, float]]:
    """Three sources, watched videos removed (see the module docstring): up to :data:`N_TOPIC`
    popular videos of the topics in the viewer's history (most watched topic first; for a viewer
    with no history, of all topics), the ANN
    results up to :data:`N_CANDIDATES` - :data:`N_FRESH` in all, and the :data:`N_FRESH` best
    fresh uploads. Each candidate carries its two-tower score."""
    vecs = item_vectors()
    topics = Counter(int(tok[14:]) for tok in tokens if tok.startswith("watched_topic="))
    by_topic, picked = topic_popular(), []
    have = set(seen)
    lists = [by_topic.get(k, ()) for k, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))]
    for videos in lists or [popular_items()]:           # no history yet: the overall popular list
        for i in videos:
            if len(picked) == N_TOPIC:
                break
            if i not in have:
                picked.append(i)
                have.add(i)
    room = N_CANDIDATES - N_FRESH - len(picked)
    ann = [(i, s) for i, s in found if i not in have][:room]
    have.update(i for i, _ in ann)
    fresh = [(i, _dot(u, vecs[i])) for i in fresh_videos() if i not in have]
    fresh.sort(key=lambda p: (-p[1], p[0]))
    return ann + [(i, _dot(u, vecs[i])) for i in picked] + fresh[:N_FRESH]


def candidates(user: int) -> tuple:
    """The ranker's input for ``user`` at day :data:`NOW`: ANN results, popular videos of their
    topics and fresh uploads (see :func:`_merge`), as
    ``(video, two-tower score)``. Memoized per viewer (evaluation and the A/B test reuse it)."""
    return _candidates(_check_user(user))


@memoized(maxsize=2048)
def _candidates(user: int) -> tuple:
    seen = watched(user)
    found = _search(user, N_CANDIDATES + len(seen), "ann")
    return tuple(_merge(user_vector(user), found, seen, user_tokens(user)))


# -------------------------------------------------------------------- ranking
def _dot(a, b) -> float:
    return math.fsum(map(mul, a, b))


def _features(user: int, items, t: float, scores=None) -> list[list[float]]:
    data = world()
    if scores is None:
        u = user_vector(user)
        vecs = item_vectors()
        scores = [_dot(u, vecs[i]) for i in items]
    # One batch call instead of one pair_features call per item: the same rows, with the
    # per-request work (checks, the viewer's own features) done once.
    return candidate_features(data, user, list(items), t, list(scores))


@memoized(maxsize=512)
def _rows(user: int, items: tuple, t: float, scores: tuple) -> tuple:
    """:func:`_features`, memoized: both arms of the A/B test rank the same candidates."""
    return tuple(_features(user, items, t, scores))


@memoized(maxsize=8)
def impressions(start: float, end: float, neg_rate: float = 1.0) -> tuple:
    """Logged impressions of days ``[start, end)`` as ``(event, features)``: features from the
    daily snapshot (logs before the start of the impression's day) plus the two-tower score.

    ``neg_rate`` < 1 keeps every click and a seeded share ``neg_rate`` of the non-clicks
    (negative downsampling: a ranker's training set, or a cheaper evaluation set)."""
    start, end = check_number("start", start), check_number("end", end)
    if not start < end:
        raise ValueError(f"start must be before end, got {start} and {end}")
    neg_rate = check_number("neg_rate", neg_rate)
    if not 0 < neg_rate <= 1:
        raise ValueError(f"neg_rate must be in (0, 1], got {neg_rate}")
    data, vecs, model = world(), item_vectors(), towers()
    users = _user_tokens(start)
    rng = random.Random(0)
    uvec: dict = {}
    out = []
    for e in _events_between(start, end):
        if e.clicked or neg_rate == 1 or rng.random() < neg_rate:
            if e.user not in uvec:
                uvec[e.user] = model.user_vector(tokens=users[e.user])
            snap = float(math.floor(e.t))
            out.append((e, pair_features(data, e.user, e.item, snap, _dot(uvec[e.user], vecs[e.item]))))
    return tuple(out)


@memoized(maxsize=1)
def ranker_examples() -> tuple[tuple, tuple]:
    """``(rows, labels)``: the impressions of days [15, 18) with their features and click labels,
    every click and one non-click in ten (:data:`NEG_RATE`)."""
    imps = impressions(TOWER_END, RANKER_END, NEG_RATE)
    return tuple(f for _, f in imps), tuple(e.clicked for e, _ in imps)


_INCUMBENT_COLUMNS = tuple(j for j, name in enumerate(FEATURE_NAMES) if name not in CROSS_FEATURES)


@memoized(maxsize=1)
def incumbent_ranker() -> GBDT:
    """The ranker in production before this design: the same GBDT on the same examples, without
    the viewer x video features of :data:`CROSS_FEATURES` (it reads the two-tower score, the
    video's and the viewer's own counters and the context). The control arm of the A/B test."""
    X, y = ranker_examples()
    return GBDT(n_estimators=30, learning_rate=0.2, num_leaves=8, min_data_in_leaf=20,
                max_bin=16).fit([[r[j] for j in _INCUMBENT_COLUMNS] for r in X], list(y)).compile()


@memoized(maxsize=1)
def ranker() -> GBDT:
    """A GBDT (30 trees of up to 8 leaves) trained on :func:`ranker_examples`, compiled for serving.
    Its scores are logits of the downsampled data; :func:`click_probability` calibrates them."""
    X, y = ranker_examples()
    return GBDT(n_estimators=30, learning_rate=0.2, num_leaves=8, min_data_in_leaf=20,
                max_bin=16).fit(list(X), list(y)).compile()


def click_probability(scores) -> list[float]:
    """The ranker's scores (logits learned on downsampled negatives) as click probabilities: add
    ``log(NEG_RATE)`` to each logit, which undoes the downsampling."""
    shift = math.log(NEG_RATE)
    return [_sigmoid(s + shift) for s in scores]


def score_impressions(start: float, end: float, neg_rate: float = 1.0) -> dict:
    """Offline ranking evaluation on the logged impressions of ``[start, end)`` (``neg_rate``: see
    :func:`impressions`).

    Returns ``{"labels", "users", "gbdt", "retrieval", "popularity"}``: one entry per impression;
    the last three are the scores of the ranker, of the two-tower dot product alone, and of the
    video's past impression count (a popularity ranker)."""
    imps = impressions(start, end, neg_rate)
    if not imps:
        raise ValueError(f"no impressions in [{start}, {end})")
    rows = [list(f) for _, f in imps]
    pop = FEATURE_NAMES.index("item_log_impressions")
    return {"labels": [e.clicked for e, _ in imps], "users": [e.user for e, _ in imps],
            "gbdt": ranker().decision_function(rows), "retrieval": [r[0] for r in rows],
            "popularity": [r[pop] for r in rows]}


def rank_candidates(user: int, cands, t: float = NOW, model: str = "new") -> list[tuple[int, float]]:
    """Score ``(video, retrieval score)`` candidates with the ranker; best first. ``model`` is
    ``"new"`` (:func:`ranker`) or ``"incumbent"`` (:func:`incumbent_ranker`)."""
    _check_user(user)
    t = check_number("t", t)
    if model not in ("new", "incumbent"):
        raise ValueError(f"model must be 'new' or 'incumbent', got {model!r}")
    if isinstance(cands, (str, bytes)) or not hasattr(cands, "__iter__"):
        raise TypeError(f"cands must be a sequence of (video, score) pairs, got {type(cands).__name__}")
    cands = list(cands)
    for n, c in enumerate(cands):
        if not isinstance(c, (tuple, list)) or len(c) != 2:
            raise ValueError(f"cands[{n}] must be a (video, score) pair, got {c!r}")
    if not cands:
        return []
    items = [i for i, _ in cands]
    rows = _rows(user, tuple(items), float(math.floor(t)), tuple(s for _, s in cands))
    if model == "incumbent":
        scores = incumbent_ranker().decision_function([[r[j] for j in _INCUMBENT_COLUMNS] for r in rows])
    else:
        scores = ranker().decision_function(rows)
    return sorted(zip(items, scores), key=lambda p: (-p[1], p[0]))


@memoized(maxsize=1)
def _similarities() -> dict:
    """``{(a, b): cosine}`` (``a < b``) of the item tower's embeddings, filled as :func:`mmr` asks.
    The feeds of one viewer are re-ranked from the same candidates (two arms of an A/B test,
    several MMR weights), so most pairs come back: with this the A/B test computes 45,000 dot
    products instead of 113,000. The exact sum (fsum) is symmetric, so one entry serves both orders."""
    return {}


def mmr(ranked, k: int = FEED_SIZE, lam: float = MMR_LAMBDA,
        similarities: dict | None = None) -> list[tuple[int, float]]:
    """Maximal marginal relevance (Carbonell & Goldstein, 1998) over the ranker's best
    :data:`MMR_POOL` of ``ranked`` (``(video, ranker score)``, best first): slot by slot, take the
    video with the highest ``lam * relevance - (1 - lam) * (max similarity to the videos already
    chosen)``. Relevance is the click probability (:func:`click_probability`) divided by the best
    one; similarity is the cosine of the item tower's embeddings. ``lam=1`` keeps the ranker's order.

    ``similarities``: where computed cosines are remembered, ``{(a, b): cosine}`` with ``a < b``;
    None uses the shared :func:`_similarities` (cells re-rank the same viewers again and again),
    ``{}`` computes every one afresh, as :func:`serve` does to time a request."""
    check_positive_int("k", k)
    lam = check_number("lam", lam)
    if not 0 <= lam <= 1:
        raise ValueError(f"lam must be between 0 and 1, got {lam}")
    if similarities is not None and not isinstance(similarities, dict):
        raise TypeError(f"similarities must be a dict or None, got {type(similarities).__name__}")
    pool = list(ranked)[:max(k, MMR_POOL)]
    if lam == 1 or not pool:
        return pool[:k]
    ids = [i for i, _ in pool]
    vecs = [item_vectors()[i] for i in ids]
    probs = click_probability([s for _, s in pool])
    best = max(probs)
    rel = [p / best for p in probs]
    max_sim = [0.0] * len(pool)
    # score[n] = lam * rel[n] - (1 - lam) * max_sim[n], kept up to date as max_sim grows, so
    # choosing a slot is a max() over a list rather than a score computed per video per slot
    relevance, diversity = [lam * r for r in rel], 1 - lam
    score = list(relevance)                     # max_sim starts at 0
    left, chosen = list(range(len(pool))), []
    fsum = math.fsum
    similarity = _similarities() if similarities is None else similarities
    while left and len(chosen) < k:
        # ``left`` stays in increasing order, so max() keeps the lowest index among ties
        j = max(left, key=score.__getitem__)
        chosen.append(j)
        left.remove(j)
        b, v = ids[j], vecs[j]
        # This update (one dot product per video left) is most of MMR's time; the dot products
        # (_dot, inlined) are remembered, as the same pairs come back in other calls
        for n in left:
            a = ids[n]
            pair = (a, b) if a < b else (b, a)
            sim = similarity.get(pair)
            if sim is None:
                sim = similarity[pair] = fsum(map(mul, vecs[n], v))
            if sim > max_sim[n]:
                max_sim[n] = sim
                score[n] = relevance[n] - diversity * sim
    return [pool[j] for j in chosen]


def rerank(ranked, k: int = FEED_SIZE, lam: float = MMR_LAMBDA,
           similarities: dict | None = None) -> list[tuple[int, float]]:
    """The feed: :func:`mmr` picks ``k`` of ``ranked`` (best first) for relevance and variety
    (``lam=1``: the ranker's top ``k``), then an exploration slot: if none of them is a fresh
    upload, the best-ranked fresh one left in ``ranked`` takes position :data:`EXPLORE_SLOT` and
    the last of the ``k`` drops out. ``similarities``: see :func:`mmr`."""
    check_positive_int("k", k)
    ranked = list(ranked)
    feed = mmr(ranked, k, lam, similarities)
    fresh = set(fresh_videos())
    if k > EXPLORE_SLOT and not any(i in fresh for i, _ in feed):
        have = {i for i, _ in feed}
        pick = next((p for p in ranked if p[0] in fresh and p[0] not in have), None)
        if pick is not None:
            feed = feed[:EXPLORE_SLOT] + [pick] + feed[EXPLORE_SLOT:k - 1]
    return feed


def recommend(user: int, k: int = FEED_SIZE, model: str = "new", lam: float = MMR_LAMBDA) -> list[int]:
    """The feed of ``user`` at day :data:`NOW`: retrieve (memoized), rank with ``model`` (see
    :func:`rank_candidates`), re-rank with MMR weight ``lam`` (see :func:`rerank`)."""
    return [i for i, _ in rerank(rank_candidates(user, candidates(user), model=model), k, lam)]


def serve(user: int, k: int = FEED_SIZE, clock=time.perf_counter) -> tuple[list[int], dict]:
    """One request through the six stages, timed: ``(feed, {stage: milliseconds})``.

    Nothing is memoized inside a request (the user vector, the search, the features), so the
    times are what a request costs; the models, the index and the day's feature snapshot are
    loaded once, as in a server. ``clock`` is the timer: wall time by default;
    ``time.process_time`` counts only this program's CPU time, so other programs running on a
    shared machine do not inflate the figures."""
    _check_user(user)
    check_positive_int("k", k)
    if not callable(clock):
        raise TypeError(f"clock must be callable, got {type(clock).__name__}")
    model, index, gbdt, data = towers(), ann_index(), ranker(), world()
    tokens, seen = user_tokens(user), watched(user)
    t0 = clock()
    u = model.user_vector(tokens=tokens)
    t1 = clock()
    found = index.search(u, N_CANDIDATES + len(seen))
    t2 = clock()
    cands = _merge(u, found, seen, tokens)
    t3 = clock()
    snap = float(math.floor(NOW))
    rows = [pair_features(data, user, i, snap, s) for i, s in cands]
    t4 = clock()
    scores = gbdt.decision_function(rows)
    ranked = sorted(zip((i for i, _ in cands), scores), key=lambda p: (-p[1], p[0]))
    t5 = clock()
    feed = [i for i, _ in rerank(ranked, k, similarities={})]   # no cosine from earlier requests
    t6 = clock()
    ms = [1e3 * (b - a) for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6))]
    timing = dict(zip(STAGES, ms))
    timing["total"] = 1e3 * (t6 - t0)
    return feed, timing


def latency_table(timings, budget_ms: dict) -> list[dict]:
    """Rows ``{"stage", "budget_ms", "p50_ms", "p99_ms"}`` for a list of :func:`serve` timings;
    ``budget_ms`` maps each stage (and ``"total"``) to its budget."""
    timings = check_non_empty("timings", timings)
    rows = []
    for stage in STAGES + ("total",):
        if stage not in budget_ms:
            raise ValueError(f"budget_ms has no entry for stage {stage!r}")
        xs = [t[stage] for t in timings]
        rows.append({"stage": stage, "budget_ms": budget_ms[stage],
                     "p50_ms": percentile(xs, 50), "p99_ms": percentile(xs, 99)})
    return rows


# ---------------------------------------------------------------- evaluation
@memoized(maxsize=1)
def test_clicks() -> tuple:
    """``(user, item)`` clicks of the test window [18, 21) on videos the viewer had not clicked
    before: what retrieval should find."""
    seen = _watched(NOW)
    return tuple((e.user, e.item) for e in _events_between(NOW, TEST_END)
                 if e.clicked and e.item not in seen.get(e.user, ()))


@memoized(maxsize=4)
def test_users(n: int = 200, seed: int = 0) -> tuple:
    """A seeded sample of ``n`` viewers with at least one test click (sorted)."""
    check_positive_int("n", n)
    check_int("seed", seed)
    users = sorted({u for u, _ in test_clicks()})
    if n > len(users):
        raise ValueError(f"n must be at most {len(users)} (viewers with a test click), got {n}")
    return tuple(sorted(random.Random(seed).sample(users, n)))


def simulate_session(user: int, feed, rng: random.Random, examine_decay: float = 0.85) -> int:
    """Clicks of one simulated visit: the viewer looks at position ``p`` (0-based) with probability
    ``examine_decay ** p`` and clicks a video they look at with the world's true click
    probability at day :data:`NOW`."""
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    if not 0 < examine_decay <= 1:
        raise ValueError(f"examine_decay must be in (0, 1], got {examine_decay}")
    data = world()
    clicks = 0
    for p, item in enumerate(feed):
        if rng.random() < examine_decay ** p:
            z = data.true_score(user, item, NOW)
            clicks += rng.random() < 1.0 / (1.0 + math.exp(-z))
    return clicks


def visit_outcome(user: int, feed, examine_decay: float = 0.85) -> tuple[float, float]:
    """``(expected clicks, probability of at least one click)`` of one visit to ``feed``, under
    the model of :func:`simulate_session`, computed exactly from the world's click probabilities."""
    _check_user(user)
    if not 0 < examine_decay <= 1:
        raise ValueError(f"examine_decay must be in (0, 1], got {examine_decay}")
    data = world()
    ps = [examine_decay ** p * _sigmoid(data.true_score(user, item, NOW)) for p, item in enumerate(feed)]
    none = 1.0
    for q in ps:
        none *= 1.0 - q
    return math.fsum(ps), 1.0 - none


def ndcg_by_user(labels, scores, users, k: int = 10) -> float:
    """Mean nDCG@k over viewers, ranking each viewer's impressions by ``scores``; viewers with
    no click or fewer than two impressions are skipped."""
    groups: dict = {}
    for y, s, u in zip(labels, scores, users):
        groups.setdefault(u, []).append((s, y))
    vals = []
    for u in sorted(groups):
        g = groups[u]
        if len(g) < 2 or not any(y for _, y in g):
            continue
        vals.append(metrics.ndcg_score([y for _, y in g], [s for s, _ in g], k=k))
    if not vals:
        raise ValueError("no viewer has a click and two impressions")
    return math.fsum(vals) / len(vals)
