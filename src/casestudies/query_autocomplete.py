"""Query autocomplete end to end: the system of the case study, small enough for a browser.

The page ``docs/case-studies/query-autocomplete.md`` runs this system in its cells. Each builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the log, an index or
an evaluation builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). A search box used by ``n_users`` people for ``days`` days. A query
is a template filled with words: navigational words (``youtube``), place queries (``weather
lisbon``, ``flights from oslo to rome``), recipes and device questions. Words are Zipf-popular,
so the city pairs form a long tail of queries that are rare or never seen. Each user has a home
city and re-issues one of their own earlier queries with probability ``repeat``. One query
(``winter olympics``) is hot for the first two weeks; then only a few users repeat it. Two queries
trend inside the test window: a harmless one (``world cup final``) and a harmful one (``fake
vaccine pass``) that no blocklist knows yet. A few benign queries carry words a safety model
distrusts (``kill process linux``).

**Time windows.** Days ``[0, SPLIT_DAY)`` are the history every index and model is built from;
days ``[SPLIT_DAY, days)`` are the held-out later sessions. Inside the test window the indexes are
rebuilt every ``REBUILD_HOURS`` hours from the log up to the rebuild, as production rebuilds them.

**The design.**

- :class:`TopKTrie` — a prefix tree whose every node stores the ids of the ``k`` best queries
  below it. A keystroke is one step down the tree and a read of ``k`` ids. :meth:`TopKTrie.walk_topk`
  is the alternative it replaces: find the prefix node, then visit its whole subtree.
- Scores: ``popularity`` (counts so far), ``recency`` (counts decayed with a half-life), and
  :func:`suggest` blends in the user's own history at request time.
- :class:`NGram` — a word trigram model with stupid backoff over the log, which completes the
  last word of a prefix no indexed query starts with, from the words before it.
- Safety: :data:`BLOCKLIST` phrases plus :func:`unsafe_score`, a documented stand-in for a text
  classifier, applied when the index is built and again on every n-gram completion.
- :func:`serve` — one keystroke end to end, timed per stage, with the work each stage did.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import time
from dataclasses import dataclass

from casestudies.memo import memoized

__all__ = ["WORLD", "SPLIT_DAY", "HARMFUL_TREND", "TRENDING", "FADED", "K", "REBUILD_HOURS", "MIN_USERS", "BLOCKLIST", "Session",
           "sessions", "split", "templates", "TopKTrie", "counts", "index", "NGram", "ngram",
           "unsafe_score", "is_blocked", "is_unsafe", "suggest", "evaluate", "SYSTEMS",
           "system_index", "impressions", "serve", "SERVE_STAGES", "keystrokes_saved"]

WORLD = dict(n_users=1_500, days=28, sessions_per_day=1_000, repeat=0.3, home=0.5, seed=7)
SPLIT_DAY = 24.0          # the test window: days 24-28
K = 8                     # suggestions shown per keystroke
REBUILD_HOURS = 12        # the index is rebuilt from the log this often
MIN_USERS = 2             # a query is suggested only once this many distinct users issued it
HALF_LIFE_DAYS = 3.0      # recency: a count loses half its weight in this many days
W_PERSONAL = 0.6          # weight of the user's own history in the blend
TRENDING = {"world cup final": (25.0, 0.06), "fake vaccine pass": (25.5, 0.03)}  # start, share
HARMFUL_TREND = "fake vaccine pass"
FADED = ("winter olympics", 14.0, 0.05)   # hot until day 14, then nobody searches it
UNSAFE_THRESHOLD = 0.5    # the classifier stand-in's cut

CITIES = ("london paris berlin madrid rome lisbon vienna prague warsaw oslo stockholm helsinki "
          "dublin amsterdam brussels zurich geneva milan naples munich hamburg cologne lyon "
          "marseille nice porto seville valencia barcelona bilbao athens sofia bucharest budapest "
          "krakow riga tallinn vilnius copenhagen bergen gothenburg edinburgh glasgow manchester "
          "liverpool leeds bristol cardiff belfast florence venice turin bologna verona salzburg "
          "innsbruck graz ljubljana zagreb split belgrade").split()
DISHES = ("lasagna risotto paella pancakes hummus falafel ramen curry goulash moussaka tiramisu "
          "brownies lentil soup omelette gnocchi carbonara pesto guacamole meatballs sushi").split()
DEVICES = ("iphone ipad android laptop printer router kindle airpods smartwatch chromebook "
           "macbook thermostat").split()
NAVIGATION = {"youtube": 9.0, "facebook": 6.0, "gmail": 5.0, "amazon": 5.0, "netflix": 4.0,
              "weather": 4.0, "translate": 3.0, "maps": 3.0, "news": 3.0, "wikipedia": 2.0,
              "instagram": 3.0, "whatsapp web": 2.0, "ebay": 2.0, "linkedin": 1.5, "spotify": 1.5}
PLACE = {"weather {a}": 3.0, "hotels in {a}": 1.5, "things to do in {a}": 1.0,
         "flights to {a}": 1.5, "train to {a}": 0.8, "restaurants in {a}": 1.0,
         "time in {a}": 0.6, "flights from {a} to {b}": 2.5}
FOOD = {"{d} recipe": 2.0, "how to cook {d}": 0.8, "calories in {d}": 0.6, "easy {d}": 0.5}
TECH = {"how to reset {v}": 0.8, "{v} not charging": 0.6, "{v} price": 0.8, "best {v}": 0.6}
RISKY_BENIGN = {"kill process linux": 0.05, "hacker news": 0.08, "photo shoot ideas": 0.05,
                "drug interactions checker": 0.04, "shooting stars tonight": 0.03}
UNSAFE = {"free movie torrent": 0.08, "buy fake id": 0.05, "how to hack wifi password": 0.06,
          "celebrity leaked photos": 0.05, "buy counterfeit passport": 0.02,
          "how to hack instagram account": 0.04}
# The classifier stand-in's scores for the queries it has an opinion on (see unsafe_score).
SAFETY_SCORES = {"free movie torrent": 0.92, "buy fake id": 0.88, "how to hack wifi password": 0.81,
                 "celebrity leaked photos": 0.85, "buy counterfeit passport": 0.62,
                 "how to hack instagram account": 0.71, "kill process linux": 0.61,
                 "hacker news": 0.55, "drug interactions checker": 0.57, "photo shoot ideas": 0.34,
                 "shooting stars tonight": 0.41, "fake vaccine pass": 0.35}
BLOCKLIST = ("torrent", "fake id", "leaked photos", "hack wifi", "hack instagram")

Session = tuple[float, int, str]        # (day, user, query)


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (r + 1) ** s for r in range(n)]


def templates() -> list[tuple[str, float]]:
    """Every query the world can produce with its popularity weight (before trends and users)."""
    out = list(NAVIGATION.items()) + list(RISKY_BENIGN.items()) + list(UNSAFE.items())
    city_w, dish_w, dev_w = _zipf(len(CITIES)), _zipf(len(DISHES)), _zipf(len(DEVICES))
    for t, w in PLACE.items():
        for i, a in enumerate(CITIES):
            if "{b}" in t:
                for j, b in enumerate(CITIES):
                    if a != b:
                        out.append((t.format(a=a, b=b), w * city_w[i] * city_w[j] * 0.6))
            else:
                out.append((t.format(a=a), w * city_w[i] * 0.25))
    for t, w in FOOD.items():
        out += [(t.format(d=d), w * dish_w[i] * 0.4) for i, d in enumerate(DISHES)]
    for t, w in TECH.items():
        out += [(t.format(v=v), w * dev_w[i] * 0.4) for i, v in enumerate(DEVICES)]
    return out


@memoized(maxsize=1)
def sessions() -> tuple[Session, ...]:
    """Every query the users typed, sorted by time; seeded, so every run sees the same log."""
    rng = random.Random(WORLD["seed"])
    base = templates()
    queries = [q for q, _ in base]
    cum, total = [], 0.0
    for _, w in base:
        total += w
        cum.append(total)
    home = [rng.randrange(len(CITIES) // 2) for _ in range(WORLD["n_users"])]
    history: list[list[str]] = [[] for _ in range(WORLD["n_users"])]
    place = [(t, w) for t, w in PLACE.items() if "{b}" not in t]
    out = []
    n = WORLD["days"] * WORLD["sessions_per_day"]
    for _ in range(n):
        day = rng.uniform(0.0, WORLD["days"])
        out.append(day)
    out.sort()
    log = []
    for day in out:
        user = rng.randrange(WORLD["n_users"])
        q = None
        if day < FADED[1] and rng.random() < FADED[2]:
            q = FADED[0]
        for text, (start, share) in TRENDING.items():
            if day >= start and rng.random() < share * math.exp(-(day - start) / 2.0):
                q = text
        if q is None:
            past = history[user]
            u = rng.random()
            if past and u < WORLD["repeat"]:
                q = rng.choice(past)
                if q == FADED[0] and day >= FADED[1]:
                    q = queries[bisect.bisect_left(cum, rng.random() * total)]   # the event is over
            elif u < WORLD["repeat"] + (1 - WORLD["repeat"]) * WORLD["home"] * 0.3:
                t = rng.choice(place)[0]
                q = t.format(a=CITIES[home[user]])
            else:
                q = queries[bisect.bisect_left(cum, rng.random() * total)]
        history[user].append(q)
        log.append((day, user, q))
    return tuple(log)


def split(day: float = SPLIT_DAY) -> tuple[list[Session], list[Session]]:
    """The sessions before ``day`` (history) and from ``day`` on (test): a time-based split."""
    if isinstance(day, bool) or not isinstance(day, (int, float)):
        raise TypeError(f"day must be a number, got {type(day).__name__}")
    if not 0 < day < WORLD["days"]:
        raise ValueError(f"day must be inside the world's {WORLD['days']} days (0 < day < "
                         f"{WORLD['days']}), got {day!r}")
    data = sessions()
    cut = bisect.bisect_left([s[0] for s in data], day)
    return list(data[:cut]), list(data[cut:])


# ---------------------------------------------------------------- the prefix index

class TopKTrie:
    """A prefix tree whose nodes store the ``k`` best query ids below them.

    ``scores`` maps each query to its score; queries are inserted best first, so a node's list
    fills in score order and never needs sorting: building costs one step per character. A node
    is ``[children: dict, top: list[int]]``; ``queries[i]`` is the text of id ``i``.
    """

    def __init__(self, scores: dict, k: int = K):
        if not isinstance(scores, dict):
            raise TypeError(f"scores must be a dict of query -> score, got {type(scores).__name__}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive int, got {k!r}")
        self.k = k
        self.queries = sorted(scores, key=lambda q: (-scores[q], q))
        self.scores = [scores[q] for q in self.queries]
        for q in self.queries:
            if not isinstance(q, str) or not q:
                raise ValueError(f"scores keys must be non-empty strings, got {q!r}")
        root: list = [{}, list(range(min(k, len(self.queries)))), -1]
        nodes = 1
        for qid, q in enumerate(self.queries):
            node = root
            for ch in q:
                children = node[0]
                child = children.get(ch)
                if child is None:
                    child = children[ch] = [{}, [qid], -1]
                    nodes += 1
                elif len(child[1]) < k:
                    child[1].append(qid)
                node = child
            node[2] = qid
        self.root, self.nodes = root, nodes

    def node(self, prefix: str):
        """The node of ``prefix`` and the number of nodes stepped through (None if absent)."""
        node, steps = self.root, 0
        for ch in prefix:
            node = node[0].get(ch)
            steps += 1
            if node is None:
                return None, steps
        return node, steps

    def topk(self, prefix: str) -> tuple[list[str], int]:
        """The precomputed top-k completions of ``prefix`` and the nodes visited."""
        node, steps = self.node(prefix)
        if node is None:
            return [], steps
        return [self.queries[i] for i in node[1]], steps

    def walk_topk(self, prefix: str) -> tuple[list[str], int]:
        """The same answer computed at request time: visit every node below the prefix."""
        node, steps = self.node(prefix)
        if node is None:
            return [], steps
        best, stack = [], [node]
        while stack:
            n = stack.pop()
            steps += 1
            if n[2] >= 0:
                best.append(n[2])           # a query ends here; ids are ranks, lower is better
            stack.extend(n[0].values())
        best = heapq.nsmallest(self.k, best)
        return [self.queries[i] for i in best], steps

    def subtree_nodes(self, max_len: int = 2) -> dict:
        """``{prefix: nodes below it, itself included}`` for every prefix up to ``max_len`` chars:
        the nodes :meth:`walk_topk` visits after reaching that prefix."""
        if isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1:
            raise ValueError(f"max_len must be a positive int, got {max_len!r}")
        out: dict = {}

        def size(node, prefix):
            total = 1 + sum(size(child, prefix + ch) for ch, child in node[0].items())
            if 0 < len(prefix) <= max_len:
                out[prefix] = total
            return total

        size(self.root, "")
        return out

    def entries(self) -> int:
        """How many query ids the nodes store in total (the memory the precomputation costs)."""
        total, stack = 0, [self.root]
        while stack:
            n = stack.pop()
            total += len(n[1])
            stack.extend(n[0].values())
        return total


# ---------------------------------------------------------------- scores and indexes

@memoized(maxsize=1)
def _timelines() -> dict:
    """Per query: its search days (sorted), running sums of ``exp(rate * day)`` for the recency
    decay, and the day it reached :data:`MIN_USERS` distinct users (inf if never)."""
    rate = math.log(2) / HALF_LIFE_DAYS
    out: dict = {}
    for day, user, q in sessions():
        entry = out.get(q)
        if entry is None:
            entry = out[q] = [[], [], set(), math.inf]
        entry[0].append(day)
        entry[1].append((entry[1][-1] if entry[1] else 0.0) + math.exp(rate * day))
        if len(entry[2]) < MIN_USERS:
            entry[2].add(user)
            if len(entry[2]) == MIN_USERS:
                entry[3] = day
    return out


def counts(until: float, half_life: float | None = None) -> tuple[dict, dict]:
    """Query scores from the log before ``until``: counts, or counts decayed by ``half_life`` days.

    Returns ``(scores, eligible)``: ``eligible[q]`` is True once :data:`MIN_USERS` distinct users
    issued ``q`` before ``until``. Decay uses the module's half-life (``HALF_LIFE_DAYS``) through
    running sums: ``sum exp(-r (until - d)) = exp(-r until) * sum exp(r d)``.
    """
    if isinstance(until, bool) or not isinstance(until, (int, float)):
        raise TypeError(f"until must be a number (a day), got {type(until).__name__}")
    if half_life is not None and half_life != HALF_LIFE_DAYS:
        raise ValueError(f"half_life must be None or HALF_LIFE_DAYS ({HALF_LIFE_DAYS}), got {half_life!r}")
    scale = math.exp(-math.log(2) / HALF_LIFE_DAYS * until)
    scores: dict = {}
    eligible: dict = {}
    for q, (days, sums, _, reached) in _timelines().items():
        n = bisect.bisect_left(days, until)
        if n:
            scores[q] = sums[n - 1] * scale if half_life else float(n)
            eligible[q] = reached < until
    return scores, eligible


def is_blocked(query: str) -> bool:
    """True when the query holds a phrase of :data:`BLOCKLIST`."""
    if not isinstance(query, str):
        raise TypeError(f"query must be a str, got {type(query).__name__}")
    return any(term in query for term in BLOCKLIST)


_UNSAFE_CACHE: dict = {}


def unsafe_score(query: str) -> float:
    """The stand-in for a safety classifier: a probability that the suggestion is unsafe.

    It is a table, not a model: :data:`SAFETY_SCORES` gives the world's unsafe queries 0.62-0.92,
    benign queries with a risky word ("kill process linux") 0.34-0.61, so some fall over the cut
    (the filter's false positives), and the new phrasing "fake vaccine pass" a low 0.35, as a
    model that never saw it would. Every other query gets 0.02-0.10 from a hash of its text.
    A real classifier is a text model trained on reviewed queries.
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be a str, got {type(query).__name__}")
    score = _UNSAFE_CACHE.get(query)
    if score is None:
        if len(_UNSAFE_CACHE) > 50_000:
            _UNSAFE_CACHE.clear()
        score = SAFETY_SCORES.get(query)
        if score is None:
            score = 0.02 + 0.08 * random.Random(f"unsafe:{query}").random()
        _UNSAFE_CACHE[query] = score
    return score


_FLAGGED: dict = {}


def is_unsafe(query: str, threshold: float = UNSAFE_THRESHOLD) -> bool:
    """The filter: blocklisted, or scored at or above ``threshold`` by the classifier stand-in."""
    if threshold == UNSAFE_THRESHOLD:
        flagged = _FLAGGED.get(query)
        if flagged is None:
            if len(_FLAGGED) > 50_000:
                _FLAGGED.clear()
            flagged = _FLAGGED[query] = is_blocked(query) or unsafe_score(query) >= threshold
        return flagged
    return is_blocked(query) or unsafe_score(query) >= threshold


@memoized(maxsize=10)        # one test window's rebuilds plus two: bounded memory in the browser
def index(until: float, scoring: str = "popularity", k: int = K, safe: bool = True,
          min_users: int = MIN_USERS, extra_block: tuple = ()) -> TopKTrie:
    """The trie built from the log before ``until`` with ``scoring`` "popularity" or "recency".

    Queries issued by fewer than ``min_users`` distinct users are not indexed (privacy and spam);
    ``safe`` drops the queries :func:`is_unsafe` flags and any holding a phrase of ``extra_block``.
    """
    if scoring not in ("popularity", "recency"):
        raise ValueError(f"scoring must be 'popularity' or 'recency', got {scoring!r}")
    if min_users != MIN_USERS:
        raise ValueError(f"min_users must be MIN_USERS ({MIN_USERS}) in this world, got {min_users!r}")
    scores, eligible = counts(until, HALF_LIFE_DAYS if scoring == "recency" else None)
    keep = {q: s for q, s in scores.items() if eligible[q]
            and not (safe and (is_unsafe(q) or any(t in q for t in extra_block)))}
    return TopKTrie(keep, k)


def _rebuild_time(day: float) -> float:
    step = REBUILD_HOURS / 24
    return math.floor(day / step) * step


# ---------------------------------------------------------------- the n-gram model

class NGram:
    """A word trigram model with stupid backoff (Brants et al., 2007), for unseen prefixes.

    ``S(w | u v) = c(u v w) / c(u v)`` when ``c(u v w) > 0``, else ``0.4 * S(w | v)``, down to
    ``0.4^2 * c(w) / N``. It completes the partial last word of a prefix from the words before it.
    """

    BACKOFF = 0.4

    def __init__(self, queries):
        self.uni, self.bi, self.tri, self.follow = {}, {}, {}, {}
        self.total = 0
        for q in queries:
            words = ["<s>", "<s>"] + q.split()
            for i in range(2, len(words)):
                u, v, w = words[i - 2], words[i - 1], words[i]
                self.uni[w] = self.uni.get(w, 0) + 1
                self.bi[(v, w)] = self.bi.get((v, w), 0) + 1
                self.tri[(u, v, w)] = self.tri.get((u, v, w), 0) + 1
                self.follow.setdefault(v, set()).add(w)
                self.total += 1
        self.ctx1 = {}
        self.ctx2 = {}
        for (v, w), c in self.bi.items():
            self.ctx1[v] = self.ctx1.get(v, 0) + c
        for (u, v, w), c in self.tri.items():
            self.ctx2[(u, v)] = self.ctx2.get((u, v), 0) + c
        self.words = sorted(self.uni)

    def score(self, u: str, v: str, w: str) -> float:
        c = self.tri.get((u, v, w))
        if c:
            return c / self.ctx2[(u, v)]
        c = self.bi.get((v, w))
        if c:
            return self.BACKOFF * c / self.ctx1[v]
        return self.BACKOFF ** 2 * self.uni.get(w, 0) / self.total

    def complete(self, prefix: str, k: int = K) -> tuple[list[str], int]:
        """Up to ``k`` completions of ``prefix``'s last word, and how many words were scored."""
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        words = prefix.split(" ")
        partial, context = words[-1], ["<s>", "<s>"] + [w for w in words[:-1] if w]
        if len(context) == 2:
            return [], 0                        # a first word: the trie's job, not the model's
        u, v = context[-2], context[-1]
        if partial:
            lo = bisect.bisect_left(self.words, partial)
            hi = bisect.bisect_left(self.words, partial + "\uffff")
            cands = [w for w in self.words[lo:hi] if (v, w) in self.bi] or self.words[lo:hi]
        else:
            cands = self.follow.get(v, ())
        scored = sorted(((self.score(u, v, w), w) for w in cands if w != partial),
                        key=lambda t: (-t[0], t[1]))
        head = " ".join(context[2:])
        return [f"{head} {w}" for _, w in scored[:k]], len(cands)


@memoized(maxsize=1)
def ngram() -> NGram:
    """The n-gram model over the history window's queries (not filtered: see :func:`suggest`)."""
    history, _ = split()
    return NGram(q for _, _, q in history)


# ---------------------------------------------------------------- suggestions

SYSTEMS = {
    "popularity": dict(scoring="popularity", personal=False, use_ngram=False),
    "recency": dict(scoring="recency", personal=False, use_ngram=False),
    "recency + personal": dict(scoring="recency", personal=True, use_ngram=False),
    "recency + personal + n-gram": dict(scoring="recency", personal=True, use_ngram=True),
}


def system_index(name: str, day: float, safe: bool = True) -> TopKTrie:
    """The index system ``name`` serves from on ``day`` (its last rebuild before ``day``)."""
    if name not in SYSTEMS:
        raise ValueError(f"name must be one of {sorted(SYSTEMS)}, got {name!r}")
    return index(_rebuild_time(day), SYSTEMS[name]["scoring"], K, safe)


def suggest(trie: TopKTrie, prefix: str, history: dict | None = None, model: NGram | None = None,
            safe: bool = True, work: dict | None = None) -> list[str]:
    """The ``K`` suggestions for ``prefix``: trie top-k, blended with ``history``, filled by ``model``.

    ``history`` maps the user's own past queries to their counts. A history query that starts
    with the prefix gets ``W_PERSONAL * c / (c + 1)`` on top of its share of the prefix's best
    global score. ``model`` fills the empty slots when fewer than ``K`` indexed queries match.
    ``work`` (a dict) receives the counted work of each stage.
    """
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
    node, steps = trie.node(prefix)
    top = node[1] if node is not None else []
    out = [trie.queries[i] for i in top]
    if work is not None:
        work["trie nodes"] = steps
        work["history scanned"] = 0
        work["n-gram words scored"] = 0
    if history:
        base = trie.scores[top[0]] if top else 1.0
        blended = {q: trie.scores[i] / base for q, i in zip(out, top)}
        for q, c in history.items():
            if q.startswith(prefix) and not (safe and q not in blended and is_unsafe(q)):
                blended[q] = blended.get(q, 0.0) + W_PERSONAL * c / (c + 1)
        if work is not None:
            work["history scanned"] = len(history)
        out = sorted(blended, key=lambda q: (-blended[q], q))[:K]
    if model is not None and len(out) < K:
        extra, scored = model.complete(prefix, K)
        if work is not None:
            work["n-gram words scored"] = scored
        for q in extra:
            if q not in out and not (safe and is_unsafe(q)):
                out.append(q)
                if len(out) == K:
                    break
    return out


def keystrokes_saved(query: str, lists) -> int:
    """Characters the user need not type: ``len(query) - p`` for the first prefix length ``p``
    whose list holds the query (0 if none does). ``lists[p - 1]`` is the list after p characters."""
    for p, lst in enumerate(lists, start=1):
        if query in lst:
            return len(query) - p
    return 0


@memoized(maxsize=8)
def evaluate(name: str, safe: bool = True, every: int = 4) -> tuple[dict, ...]:
    """Replay every ``every``-th test session under system ``name``, keystroke by keystroke.

    For each session: ``rr`` (reciprocal rank of the typed query after each of its first
    characters, 0 when absent), ``saved`` (keystrokes saved), ``ranks`` (0-based rank after each
    keystroke, None when absent), ``indexed`` (the query was in the index), ``unsafe_lists`` (how
    many of its lists showed a suggestion :func:`is_unsafe` flags), ``trend_lists`` (how many
    showed :data:`HARMFUL_TREND`), and the session's day, user and query.
    """
    if name not in SYSTEMS:
        raise ValueError(f"name must be one of {sorted(SYSTEMS)}, got {name!r}")
    spec = SYSTEMS[name]
    history_log, test = split()
    own: list[dict] = [{} for _ in range(WORLD["n_users"])]
    for _, user, q in history_log:
        own[user][q] = own[user].get(q, 0) + 1
    model = ngram() if spec["use_ngram"] else None
    out = []
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a positive int, got {every!r}")
    for n, (day, user, q) in enumerate(test):
        if n % every:
            own[user][q] = own[user].get(q, 0) + 1   # the history grows as the user searches
            continue
        trie = index(_rebuild_time(day), spec["scoring"], K, safe)
        hist = own[user] if spec["personal"] else None
        ranks, unsafe_lists, trend_lists = [], 0, 0
        for p in range(1, len(q)):
            if hist:
                hist = {h: c for h, c in hist.items() if h.startswith(q[:p])}   # narrows per key
            lst = suggest(trie, q[:p], hist, model, safe)
            ranks.append(lst.index(q) if q in lst else None)
            unsafe_lists += any(map(is_unsafe, lst))
            trend_lists += HARMFUL_TREND in lst
        own[user][q] = own[user].get(q, 0) + 1
        rr = [0.0 if r is None else 1.0 / (r + 1) for r in ranks]
        first = next((p for p, r in enumerate(ranks, start=1) if r is not None), None)
        out.append(dict(day=day, user=user, query=q, rr=rr, ranks=ranks,
                        saved=len(q) - first if first else 0, indexed=_indexed(trie, q),
                        unsafe_lists=unsafe_lists, trend_lists=trend_lists))
    return tuple(out)


@memoized(maxsize=2)
def impressions(name: str = "recency + personal + n-gram", every: int = 4,
                extra_block: tuple = ()) -> dict:
    """``{hour of the test window: {query: lists that showed it}}`` for system ``name``, replaying
    every ``every``-th test session; ``extra_block`` phrases are removed at request time."""
    if name not in SYSTEMS:
        raise ValueError(f"name must be one of {sorted(SYSTEMS)}, got {name!r}")
    spec = SYSTEMS[name]
    history_log, test = split()
    own: list[dict] = [{} for _ in range(WORLD["n_users"])]
    for _, user, q in history_log:
        own[user][q] = own[user].get(q, 0) + 1
    model = ngram() if spec["use_ngram"] else None
    out: dict = {}
    for n, (day, user, q) in enumerate(test):
        if n % every == 0:
            trie = index(_rebuild_time(day), spec["scoring"], K, True)
            hist = own[user] if spec["personal"] else None
            shown = out.setdefault(int((day - SPLIT_DAY) * 24), {})
            for p in range(1, len(q)):
                if hist:
                    hist = {h: c for h, c in hist.items() if h.startswith(q[:p])}
                for s in suggest(trie, q[:p], hist, model):
                    if not any(t in s for t in extra_block):
                        shown[s] = shown.get(s, 0) + 1
        own[user][q] = own[user].get(q, 0) + 1
    return out


def _indexed(trie: TopKTrie, query: str) -> bool:
    node, _ = trie.node(query)
    return node is not None and any(trie.queries[i] == query for i in node[1])


# ---------------------------------------------------------------- serving

SERVE_STAGES = ("normalize", "trie lookup", "personal blend", "n-gram fill", "safety filter")


def serve(prefix: str, user: int = 0, day: float = WORLD["days"] - 0.01,
          history: dict | None = None) -> dict:
    """One keystroke end to end, timed per stage, with the counted work of each stage.

    Returns ``suggestions``, ``ms`` (stage -> milliseconds) and ``work`` (stage -> count).
    """
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
    if isinstance(user, bool) or not isinstance(user, int) or not 0 <= user < WORLD["n_users"]:
        raise ValueError(f"user must be an int in [0, {WORLD['n_users']}), got {user!r}")
    ms, work = {}, {}
    t = time.perf_counter()
    text = " ".join(prefix.lower().split()) + (" " if prefix.endswith(" ") and prefix.strip() else "")
    ms["normalize"] = (time.perf_counter() - t) * 1e3
    trie = system_index("recency + personal + n-gram", day)
    t = time.perf_counter()
    node, steps = trie.node(text)
    top = node[1] if node is not None else []
    out = [trie.queries[i] for i in top]
    ms["trie lookup"] = (time.perf_counter() - t) * 1e3
    work["trie nodes"], work["ids read"] = steps, len(top)
    t = time.perf_counter()
    history = history or {}
    base = trie.scores[top[0]] if top else 1.0
    blended = {q: trie.scores[i] / base for q, i in zip(out, top)}
    for q, c in history.items():
        if q.startswith(text):
            blended[q] = blended.get(q, 0.0) + W_PERSONAL * c / (c + 1)
    out = sorted(blended, key=lambda q: (-blended[q], q))[:K]
    ms["personal blend"] = (time.perf_counter() - t) * 1e3
    work["history scanned"] = len(history)
    model = ngram()            # built once and kept in memory, as a server would: not timed
    t = time.perf_counter()
    extra, scored = model.complete(text, K) if len(out) < K else ([], 0)
    ms["n-gram fill"] = (time.perf_counter() - t) * 1e3
    work["n-gram words scored"] = scored
    t = time.perf_counter()
    safe = [q for q in out if not is_unsafe(q)]
    for q in extra:
        if len(safe) < K and q not in safe and not is_unsafe(q):
            safe.append(q)
    ms["safety filter"] = (time.perf_counter() - t) * 1e3
    work["safety checks"] = len(out) + len(extra)
    return {"suggestions": safe, "ms": ms, "work": work}
