"""People you may know end to end: a social graph that grows, and a friend-suggestion system over it.

The page ``docs/case-studies/people-you-may-know.md`` runs this system in its cells.

**The world** (:data:`WORLD`). ``n_users`` people live in a few cities; each went to one school
(mostly in their own city) and most have a workplace. Each has a hidden interest vector and a
heavy-tailed sociability (Pareto, shape 2), so a few hubs make many more friendships than most.
Friendships form one at a time over :data:`DAYS` days. A user, drawn by sociability, meets
someone — a friend of a friend (a two-step walk, so hubs' friends come up often), a schoolmate, a
colleague or someone from the city — and the two become friends with the probability
:func:`accept_probability`, the world's **hidden affinity**: shared school, shared workplace,
shared city, similar interests and the number of mutual friends at that moment. The same
function decides whether a suggestion shown in the simulated online test is accepted, so the test
measures the world, not the model.

**Time windows.** The graph before :data:`TRAIN_CUT` gives the training features; the friendships
formed in ``[TRAIN_CUT, TEST_CUT)`` are the training labels. The graph before :data:`TEST_CUT`
gives the test features and the friendships after it are the test labels. No feature ever reads
an edge from its own label window (:func:`pair_features` takes the graph as it was).

**The design.** Candidates are friends of friends (:func:`fof_candidates`), walking at most
``per_friend_cap`` of each friend's *newest* friends so a hub cannot blow up the walk; the
``keep`` candidates with the most mutual friends go to the ranker. The ranker is a GBDT over
graph features (:data:`FEATURES`) — mutual friends, Jaccard, Adamic-Adar, shared school,
workplace and city, degrees, and the cosine of the users' mean-aggregated neighbourhood vectors
(:mod:`mlsd.graph_embedding`). Serving (:func:`serve`) times each stage; a friendship made an hour
ago reaches the suggestions through :class:`CandidateTable`, which updates mutual-friend counts
incrementally instead of recomputing the two-hop walks.
"""

from __future__ import annotations

import bisect
import math
import random
import time
from itertools import accumulate

from casestudies.memo import memoized
from mlsd import graph_embedding
from mlsd.ranking import GBDT, LogisticRegression

__all__ = ["WORLD", "DAYS", "TRAIN_CUT", "TEST_CUT", "FEATURES", "World", "world", "graph_at",
           "new_friendships", "accept_probability", "fof_candidates", "candidates", "pair_features",
           "embeddings", "dot", "training_rows", "trained", "rank", "top_k", "eval_users", "recall_at_k", "recall_per_user",
           "CandidateTable", "SERVE_STAGES", "serve"]

WORLD = dict(n_users=1200, n_cities=6, schools_per_city=6, workplaces_per_city=10, n_edges=9000,
             seed=3)
DAYS = 360
TRAIN_CUT = 270.0          # features from the graph before this day; labels from the next 45 days
TEST_CUT = 315.0           # test features from the graph before this day; labels from the rest
LISTED = dict(school=0.7, work=0.7)   # share of users whose profile shows their school / workplace
ACT_RATE = 0.1           # share of shown suggestions a user acts on if the pair would accept
KEEP = 50                  # candidates per user passed to the ranker (most mutual friends first)
PER_FRIEND_CAP = 40        # newest friends read per friend during the two-hop walk


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


class World:
    """Users' attributes and the friendships in the order they formed (``edges``, ``days``)."""

    def __init__(self, city, school, work, interest, sociability, edges, days,
                 listed_school=(), listed_work=()):
        self.city, self.school, self.work = city, school, work
        self.listed_school, self.listed_work = listed_school, listed_work
        self.interest, self.sociability = interest, sociability
        self.edges, self.days = edges, days
        self.n_users = len(city)

    def __len__(self) -> int:
        return len(self.edges)


def _mutual(adj, u, v) -> int:
    a, b = adj[u], adj[v]
    if len(a) > len(b):
        a, b = b, a
    return sum(1 for w in a if w in b)


def accept_probability(w: World, adj, u: int, v: int) -> float:
    """The world's hidden affinity: the chance that ``u`` and ``v`` become friends when they meet
    (or when one is suggested to the other), given the graph ``adj`` at that moment."""
    z = (-3.2 + 1.7 * (w.school[u] == w.school[v]) + 1.5 * (w.work[u] == w.work[v] >= 0)
         + 0.6 * (w.city[u] == w.city[v])
         + 1.2 * sum(a * b for a, b in zip(w.interest[u], w.interest[v]))
         + 1.0 * math.log1p(_mutual(adj, u, v)))
    return _sigmoid(z)


@memoized(maxsize=1)
def world() -> World:
    """The seeded world described in the module docstring (built once, then shared)."""
    rng = random.Random(WORLD["seed"])
    n, nc = WORLD["n_users"], WORLD["n_cities"]
    spc, wpc = WORLD["schools_per_city"], WORLD["workplaces_per_city"]
    city_cum = list(accumulate(1.0 + rng.random() for _ in range(nc)))
    city = [rng.choices(range(nc), cum_weights=city_cum)[0] for _ in range(n)]
    school = [(city[u] if rng.random() < 0.8 else rng.randrange(nc)) * spc + rng.randrange(spc)
              for u in range(n)]
    work = [city[u] * wpc + rng.randrange(wpc) if rng.random() < 0.75 else -1 for u in range(n)]
    interest = [tuple(rng.gauss(0.0, 0.5) for _ in range(4)) for _ in range(n)]
    sociability = [min(rng.paretovariate(1.6), 100.0) for _ in range(n)]
    cum = list(accumulate(sociability))
    groups: dict = {}
    for u in range(n):
        groups.setdefault(("s", school[u]), []).append(u)
        groups.setdefault(("c", city[u]), []).append(u)
        if work[u] >= 0:
            groups.setdefault(("w", work[u]), []).append(u)
    adj = [set() for _ in range(n)]
    order = [[] for _ in range(n)]           # friends in the order they were made
    w = World(city, school, work, interest, sociability, [], [])
    edges = []
    while len(edges) < WORLD["n_edges"]:
        u = bisect.bisect_left(cum, rng.random() * cum[-1])
        r = rng.random()
        if r < 0.5 and order[u]:
            f = order[u][rng.randrange(len(order[u]))]
            v = order[f][rng.randrange(len(order[f]))]
        elif r < 0.7:
            g = groups[("s", school[u])]
            v = g[rng.randrange(len(g))]
        elif r < 0.85 and work[u] >= 0:
            g = groups[("w", work[u])]
            v = g[rng.randrange(len(g))]
        else:
            g = groups[("c", city[u])]
            v = g[rng.randrange(len(g))]
        if v == u or v in adj[u]:
            continue
        if rng.random() < accept_probability(w, adj, u, v):
            adj[u].add(v)
            adj[v].add(u)
            order[u].append(v)
            order[v].append(u)
            edges.append((min(u, v), max(u, v)))
    days = [DAYS * (i + rng.random()) / len(edges) for i in range(len(edges))]
    listed_school = tuple(s if rng.random() < LISTED["school"] else -1 for s in school)
    listed_work = tuple(x if x >= 0 and rng.random() < LISTED["work"] else -1 for x in work)
    return World(city, school, work, interest, sociability, tuple(edges), tuple(days),
                 listed_school, listed_work)


def _check_day(name: str, day) -> float:
    if isinstance(day, bool) or not isinstance(day, (int, float)):
        raise TypeError(f"{name} must be a number of days, got {type(day).__name__}")
    if not 0 <= day <= DAYS:
        raise ValueError(f"{name} must be within the world's {DAYS} days (0 to {DAYS}), got {day!r}")
    return float(day)


def _check_user(w: World, user) -> int:
    if isinstance(user, bool) or not isinstance(user, int):
        raise TypeError(f"user must be an int, got {type(user).__name__}")
    if not 0 <= user < w.n_users:
        raise ValueError(f"user must be in [0, {w.n_users}), got {user}")
    return user


@memoized(maxsize=4)
def graph_at(day: float) -> tuple:
    """The graph as it was just before ``day``: ``(adj, order)`` — friend sets, and friend lists
    in the order the friendships formed (newest last). Read-only: copy before changing."""
    day = _check_day("day", day)
    w = world()
    adj = [set() for _ in range(w.n_users)]
    order = [[] for _ in range(w.n_users)]
    for (u, v), t in zip(w.edges, w.days):
        if t >= day:
            break
        adj[u].add(v)
        adj[v].add(u)
        order[u].append(v)
        order[v].append(u)
    return adj, order


def new_friendships(start: float, end: float) -> dict:
    """``{user: set of people they befriended in [start, end)}`` (both sides of each edge)."""
    start, end = _check_day("start", start), _check_day("end", end)
    if not start < end:
        raise ValueError(f"start must be before end, got {start} and {end}")
    w = world()
    out: dict = {}
    for (u, v), t in zip(w.edges, w.days):
        if start <= t < end:
            out.setdefault(u, set()).add(v)
            out.setdefault(v, set()).add(u)
    return out


def fof_candidates(adj, order, user: int, per_friend_cap: int | None = PER_FRIEND_CAP) -> tuple:
    """Friends of friends of ``user`` who are not friends yet, and the two-hop paths walked.

    Returns ``({candidate: mutual friends found}, paths)``. With ``per_friend_cap``, each friend
    contributes only their newest ``per_friend_cap`` friends, so a hub among the friends adds at
    most that many paths (the user's own degree is not capped here).
    """
    if per_friend_cap is not None and (isinstance(per_friend_cap, bool)
                                       or not isinstance(per_friend_cap, int) or per_friend_cap < 1):
        raise ValueError(f"per_friend_cap must be a positive int or None, got {per_friend_cap!r}")
    mine = adj[user]
    found: dict = {}
    paths = 0
    for f in order[user]:
        theirs = order[f] if per_friend_cap is None else order[f][-per_friend_cap:]
        paths += len(theirs)
        for c in theirs:
            if c != user and c not in mine:
                found[c] = found.get(c, 0) + 1
    return found, paths


def candidates(adj, order, user: int, keep: int = KEEP, per_friend_cap: int | None = PER_FRIEND_CAP):
    """The ``keep`` friend-of-friend candidates with the most mutual friends found (ties: lower id)."""
    found, _ = fof_candidates(adj, order, user, per_friend_cap)
    return sorted(found, key=lambda c: (-found[c], c))[:keep]


FEATURES = ("mutual", "jaccard", "adamic_adar", "same_school", "same_work", "same_city",
            "log_deg_user", "log_deg_cand", "emb_cosine")
HEURISTICS = ("mutual", "jaccard", "adamic_adar")


@memoized(maxsize=4)
def embeddings(day: float, hops: int = 1) -> tuple:
    """Each user's listed school, listed workplace and city (one-hot), mean-aggregated over
    ``hops`` hops of the graph before ``day`` (:func:`mlsd.graph_embedding.mean_aggregate`),
    scaled to unit length so that a dot product is the cosine."""
    w = world()
    adj, _ = graph_at(day)
    x = []
    for u in range(w.n_users):
        v = {f"c{w.city[u]}": 1.0}
        if w.listed_school[u] >= 0:
            v[f"s{w.listed_school[u]}"] = 1.0
        if w.listed_work[u] >= 0:
            v[f"w{w.listed_work[u]}"] = 1.0
        x.append(v)
    out = []
    for h in graph_embedding.mean_aggregate(adj, x, hops):      # unit length: cosine = dot
        norm = math.sqrt(sum(value * value for value in h.values()))
        out.append({key: value / norm for key, value in h.items()})
    return tuple(out)


def dot(a: dict, b: dict) -> float:
    """Dot product of two sparse vectors (the cosine, for :func:`embeddings`' unit vectors)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b[key] for key, value in a.items() if key in b)


def pair_features(adj, user: int, cand: int, emb=None) -> list[float]:
    """The :data:`FEATURES` of the pair, read from the graph ``adj`` (and embeddings ``emb``)."""
    w = world()
    a, b = adj[user], adj[cand]
    mutual = a & b
    aa = 0.0
    for m in sorted(mutual):
        aa += 1.0 / math.log(len(adj[m]))
    union = len(a | b)
    return [float(len(mutual)), len(mutual) / union if union else 0.0, aa,
            float(w.listed_school[user] == w.listed_school[cand] >= 0),
            float(w.listed_work[user] == w.listed_work[cand] >= 0),
            float(w.city[user] == w.city[cand]), math.log1p(len(a)), math.log1p(len(b)),
            dot(emb[user], emb[cand]) if emb is not None else 0.0]


def eval_users(start: float, end: float, n: int = 600, seed: int = 1) -> list[int]:
    """A seeded sample of ``n`` users who made at least one friendship in ``[start, end)`` and had
    at least one friend before ``start`` (so a two-hop walk exists)."""
    adj, _ = graph_at(start)
    pool = sorted(u for u in new_friendships(start, end) if adj[u])
    return sorted(random.Random(seed).sample(pool, min(n, len(pool))))


@memoized(maxsize=2)
def training_rows(feature_day: float = TRAIN_CUT, label_end: float = TEST_CUT, n_users: int = 500,
                  keep_negatives: float = 0.15, seed: int = 2, leak: bool = False) -> tuple:
    """Rows ``(X, y)`` for the ranker: each sampled user's candidates at ``feature_day``, labelled 1
    if the friendship formed in ``[feature_day, label_end)``; negatives kept at ``keep_negatives``.

    With ``leak=True`` the features are read from the graph at ``label_end`` instead — the label
    window's own friendships (minus the pair's edge) leak into them.
    """
    adj, order = graph_at(feature_day)
    feat_adj = _leaky(label_end) if leak else adj
    emb = embeddings(label_end if leak else feature_day)
    future = new_friendships(feature_day, label_end)
    rng = random.Random(seed)
    X, y = [], []
    for u in eval_users(feature_day, label_end, n_users, seed):
        for c in candidates(adj, order, u):
            label = int(c in future.get(u, ()))
            if label or rng.random() < keep_negatives:
                X.append(_features_without(feat_adj, u, c, emb) if leak else pair_features(adj, u, c, emb))
                y.append(label)
    return tuple(X), tuple(y)


def _leaky(day: float):
    return graph_at(day)[0]


def _features_without(adj, u: int, c: int, emb) -> list[float]:
    """Features from a later graph with the pair's own edge removed (the classic half-fix)."""
    if c in adj[u]:
        adj[u].discard(c)
        adj[c].discard(u)
        try:
            return pair_features(adj, u, c, emb)
        finally:
            adj[u].add(c)
            adj[c].add(u)
    return pair_features(adj, u, c, emb)


MODEL_KINDS = ("gbdt", "gbdt+embedding", "logistic", "gbdt-leaky")


def _model_input(kind: str, X) -> list:
    """The columns each kind reads: ``gbdt`` and ``logistic`` leave out ``emb_cosine``."""
    if kind in ("gbdt+embedding", "gbdt-leaky"):
        return X
    if kind == "logistic":
        return [_scaled(x[:-1]) for x in X]
    return [x[:-1] for x in X]


def _fit(kind: str):
    X, y = training_rows(leak=kind == "gbdt-leaky")
    X = _model_input(kind, X)
    if kind == "logistic":
        return LogisticRegression(learning_rate=0.05, l2=1e-4, epochs=20, seed=0).fit(X, y)
    return GBDT(n_estimators=30, num_leaves=8, min_data_in_leaf=20).fit(X, y).compile()


def _scaled(x):
    return [math.log1p(x[0]), x[1] * 10, x[2], *x[3:]]


@memoized(maxsize=4)
def trained(kind: str = "gbdt"):
    """A ranker trained on the training window: ``"gbdt"`` and ``"logistic"`` (the eight graph
    and profile features), ``"gbdt+embedding"`` (plus ``emb_cosine``) or ``"gbdt-leaky"`` (all nine
    read from the graph at the end of the label window, minus the pair's own edge)."""
    if kind not in MODEL_KINDS:
        raise ValueError(f"kind must be one of {MODEL_KINDS}, got {kind!r}")
    return _fit(kind)


def _scores(scorer: str, X) -> list[float]:
    if scorer in HEURISTICS:
        j = FEATURES.index(scorer)
        return [x[j] for x in X]
    if scorer not in MODEL_KINDS:
        raise ValueError(f"scorer must be one of {HEURISTICS + MODEL_KINDS}, got {scorer!r}")
    return trained(scorer).decision_function(_model_input(scorer, X))


def top_k(scorer: str, cands, X, k: int = 10) -> list[int]:
    """The ``k`` candidates of ``cands`` (feature rows ``X``) that ``scorer`` ranks first."""
    if len(cands) != len(X):
        raise ValueError(f"cands and X must have the same length, got {len(cands)} and {len(X)}")
    if not cands:
        return []
    s = _scores(scorer, X)
    ranked = sorted(range(len(cands)), key=lambda i: (-s[i], cands[i]))
    return [cands[i] for i in ranked[:k]]


def rank(scorer: str, adj, order, user: int, emb=None, k: int = 10,
         per_friend_cap: int | None = PER_FRIEND_CAP, feature_adj=None) -> list[int]:
    """Top ``k`` suggestions for ``user``: a heuristic (``"mutual"``, ``"jaccard"``,
    ``"adamic_adar"``) or a trained model kind from :data:`MODEL_KINDS`. Candidates come from
    ``adj``; features from ``feature_adj`` (a later graph, minus the pair's edge) if given."""
    if scorer not in HEURISTICS + MODEL_KINDS:
        raise ValueError(f"scorer must be one of {HEURISTICS + MODEL_KINDS}, got {scorer!r}")
    cands = candidates(adj, order, user, per_friend_cap=per_friend_cap)
    if feature_adj is None:
        X = [pair_features(adj, user, c, emb) for c in cands]
    else:
        X = [_features_without(feature_adj, user, c, emb) for c in cands]
    return top_k(scorer, cands, X, k)


@memoized(maxsize=8)
def _pool(day: float, end: float, per_friend_cap, leak: bool) -> tuple:
    """``(user, candidates, feature rows)`` for the evaluated users: shared by every ranker."""
    adj, order = graph_at(day)
    emb = embeddings(end if leak else day)
    out = []
    for u in eval_users(day, end):
        cands = candidates(adj, order, u, per_friend_cap=per_friend_cap)
        if leak:
            X = [_features_without(_leaky(end), u, c, emb) for c in cands]
        else:
            X = [pair_features(adj, u, c, emb) for c in cands]
        out.append((u, cands, X))
    return tuple(out)


def recall_at_k(scorer: str, k: int = 10, day: float = TEST_CUT, end: float = DAYS,
                per_friend_cap: int | None = PER_FRIEND_CAP, leak: bool = False) -> float:
    """Mean over the evaluated users (:func:`eval_users`) of the share of their friendships formed
    in ``[day, end)`` found in the top ``k`` suggestions made from the graph before ``day``. With
    ``leak=True`` the features (not the candidates) are read from the graph at ``end``, minus the
    pair's own edge."""
    per_user = recall_per_user(scorer, k, day, end, per_friend_cap, leak)
    return sum(per_user) / len(per_user)


def recall_per_user(scorer: str, k: int = 10, day: float = TEST_CUT, end: float = DAYS,
                    per_friend_cap: int | None = PER_FRIEND_CAP, leak: bool = False) -> list[float]:
    """Each evaluated user's recall@k (see :func:`recall_at_k`), in user order."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    if scorer not in HEURISTICS + MODEL_KINDS:
        raise ValueError(f"scorer must be one of {HEURISTICS + MODEL_KINDS}, got {scorer!r}")
    future = new_friendships(day, end)
    out = []
    for u, cands, X in _pool(day, end, per_friend_cap, leak):
        top = set(top_k(scorer, cands, X, k))
        out.append(len(top & future[u]) / len(future[u]))
    return out


class CandidateTable:
    """Every user's friend-of-friend candidates with mutual-friend counts, kept up to date.

    ``add_friendship(a, b)`` is the incremental update: ``b``'s friends become candidates of ``a``
    (one more mutual friend each, via ``b``), ``a``'s friends of ``b``, and ``b`` becomes a
    candidate of each of ``a``'s friends (and ``a`` of ``b``'s). It touches ``O(deg a + deg b)``
    entries. :attr:`work` counts the two-hop paths read to build the table, plus the entries each
    update touched. No cap here: the table is exact.
    """

    def __init__(self, adj):
        self.adj = [set(s) for s in adj]
        self.counts = [dict() for _ in adj]
        self.work = 0
        for u in range(len(adj)):
            for f in self.adj[u]:
                self.work += len(self.adj[f])           # every two-hop path is read once
                for c in self.adj[f]:
                    if c != u and c not in self.adj[u]:
                        self.counts[u][c] = self.counts[u].get(c, 0) + 1

    def add_friendship(self, a: int, b: int) -> int:
        """Record the friendship ``a``-``b``; return the entries touched."""
        n = len(self.adj)
        for name, x in (("a", a), ("b", b)):
            if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < n:
                raise ValueError(f"{name} must be a user in [0, {n}), got {x!r}")
        if a == b or b in self.adj[a]:
            raise ValueError(f"a and b must be two users who are not friends yet, got {a} and {b}")
        touched = 0
        self.counts[a].pop(b, None)
        self.counts[b].pop(a, None)
        for x, y in ((a, b), (b, a)):
            for c in self.adj[y]:                 # y's friends: two hops from x via y
                if c != x and c not in self.adj[x]:
                    self.counts[x][c] = self.counts[x].get(c, 0) + 1
                touched += 1
            for f in self.adj[x]:                 # x's friends: y is two hops away via x
                if f != y and y not in self.adj[f]:
                    self.counts[f][y] = self.counts[f].get(y, 0) + 1
                touched += 1
        # x's friends who were candidates of y via someone else are now friends-of-friends still;
        # the pair's own entries were removed above.
        self.adj[a].add(b)
        self.adj[b].add(a)
        self.work += touched
        return touched

    def top(self, user: int, k: int = 10) -> list[int]:
        """The ``k`` candidates with the most mutual friends (ties: lower id)."""
        c = self.counts[user]
        return sorted(c, key=lambda x: (-c[x], x))[:k]


SERVE_STAGES = ("candidates", "features", "model", "filter")


def serve(adj, order, user: int, scorer: str = "gbdt", emb=None, hidden=frozenset(), k: int = 10,
          table: "CandidateTable | None" = None) -> dict:
    """One request: candidates, features, scores, then drop the people the user hid or already
    invited. Candidates come from ``table`` (precomputed and kept fresh) if given, else from a
    two-hop walk of ``adj`` now. Returns ``{"suggestions", "ms" (per stage), "paths", "scored"}``:
    ``paths`` is the two-hop paths walked on the request (0 with a table)."""
    w = world()
    user = _check_user(w, user)
    if scorer not in HEURISTICS + MODEL_KINDS:
        raise ValueError(f"scorer must be one of {HEURISTICS + MODEL_KINDS}, got {scorer!r}")
    t0 = time.perf_counter()
    if table is None:
        found, paths = fof_candidates(adj, order, user)
    else:
        found, paths = table.counts[user], 0
    cands = sorted(found, key=lambda c: (-found[c], c))[:KEEP]
    t1 = time.perf_counter()
    X = [pair_features(adj, user, c, emb) for c in cands]
    t2 = time.perf_counter()
    s = _scores(scorer, X) if X else []
    t3 = time.perf_counter()
    ranked = sorted(range(len(cands)), key=lambda i: (-s[i], cands[i]))
    out = [cands[i] for i in ranked if cands[i] not in hidden][:k]
    t4 = time.perf_counter()
    ms = dict(zip(SERVE_STAGES, ((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, (t4 - t3) * 1e3)))
    return {"suggestions": out, "ms": ms, "paths": paths, "scored": len(cands)}
