"""Personalized news feed end to end: the system of the case study, small enough for a browser.

**The world** (:data:`WORLD`, seeded). 1,200 users, 250 authors, 12 topics, 250 posts a day
for 14 days. Each user has two favourite topics, an activity level (how often they open the
app) and follows 20 authors, mostly in their favourite topics. Each author writes mostly on
one topic and has a quality level; a few authors write clickbait, a few post borderline content
(close to the rules without breaking them). Every post carries the score of an integrity
classifier (:attr:`Post.integrity`), high for borderline posts but not perfectly so.

**The logs.** On each day a user opens the app with a probability set by their activity. The
*incumbent* system builds each session's feed: the followed authors' posts of the last two days
plus a few random recent posts, ordered by a hand-tuned score (follows, freshness, author
reputation) with noise. Every impression is logged with its position. Whether the user
*examines* a position falls with the position (:func:`examine_probability` — position bias);
an examined post draws six labels, each from its own true probability
(:func:`true_probabilities`): ``click``, ``like``, ``comment``, ``share``, ``hide`` and
``dwell`` (read for 30 seconds or more). Clickbait raises clicks and hides and lowers dwell and
likes; borderline posts draw hides; interest in a post decays with its age. From day
:data:`SURGE_DAY` a breaking story floods one topic (:data:`SURGE_TOPIC`), which the
monitoring cell has to notice: from that day, part of the posts are on that topic, and
:data:`SURGE_EXTRA` more posts on it arrive each day.

**Time windows** (days): features are daily snapshots of counters over all earlier days (a
point-in-time join); the rankers learn on ``[2, 10)``, are tested on ``[10, 12)``, and serve
and enter the A/B test at day :data:`NOW` = 12.

**The system.** Candidates (:func:`candidates`) are the followed authors' posts of the last two
days (in-network) plus the best recent posts of the user's strongest topic in the counters,
topped up from the second strongest when the first runs short (out-of-network). The ranker (:func:`ranker`) is a
:class:`mlsd.ranking.multitask.MultiTaskLogistic` with one head per task, trained on a
negative-downsampled log with position as a feature; at serving the position feature is fixed
to the top slot. A value model (:func:`value`) adds the heads with weights
(:data:`VALUE_WEIGHTS`). Re-ranking (:func:`rerank`) applies freshness decay, integrity
demotion and author and topic caps. :func:`serve` runs the request stage by stage and times
each stage.

**Long-term behaviour** (:func:`simulate_ab`). A user's chance to come back the next day rises
after satisfying sessions (likes, comments, shares, long reads) and falls after hides and
clickbait clicks (expected per session, from the generator). That link is an assumption of the simulator, stated so that the A/B test has a
long-term effect to find; on a real product it is what the test measures.
"""

from __future__ import annotations

import bisect
import gc
import math
import random
import time
from collections import Counter
from contextlib import contextmanager
from numbers import Real
from itertools import repeat
from operator import add, itemgetter, mul
from typing import NamedTuple

from casestudies.memo import memoized
from mlsd.ranking.multitask import MultiTaskLogistic

__all__ = ["WORLD", "TASKS", "TRAIN_START", "TRAIN_END", "TEST_END", "NOW", "SURGE_DAY",
           "SURGE_TOPIC", "LIVE_DAYS", "FEED_SIZE", "NEG_KEEP", "FEATURES", "VALUE_WEIGHTS",
           "INCUMBENT_WEIGHTS", "RERANK", "STAGES", "User", "Author", "Post", "Impression",
           "NewsWorld", "world", "examine_probability", "true_probabilities", "ideal_posts", "rates",
           "snapshot", "feature_row", "training_rows", "test_rows", "ranker", "incumbent_ranker",
           "predict", "value", "feeds", "mean_metrics", "test_truth", "candidates", "candidate_rows", "rank", "rerank", "feed_metrics",
           "serve", "simulate_ab", "expected_auc", "cuped", "topic_mix"]

WORLD = dict(n_users=1200, n_authors=250, n_topics=12, days=14, posts_per_day=250, follows=20,
             seed=11)
TASKS = ("click", "like", "comment", "share", "hide", "dwell")
TRAIN_START, TRAIN_END, TEST_END = 2.0, 10.0, 12.0
NOW = TEST_END              # serving and the A/B test start here
SURGE_DAY, SURGE_TOPIC, SURGE_SHARE, SURGE_EXTRA = 12.0, 3, 0.35, 200
LIVE_DAYS = 2.0             # a post is a candidate for two days
FEED_SIZE = 10
OUT_OF_NETWORK = 20         # candidates from the user's strongest topics
NEG_KEEP = 0.1              # share of all-negative impressions kept for training
FEATURES = ("topic_affinity", "follows", "author_affinity", "author_click_rate",
            "author_like_rate", "author_talk_rate", "author_hide_rate", "age_days",
            "integrity_score", "log_position") + tuple(f"topic={k}" for k in range(WORLD["n_topics"]))
POSITION = FEATURES.index("log_position")
# The value of one predicted event, in units of one click. Hides cost a lot: a hidden post is a
# user telling you the feed is wrong.
VALUE_WEIGHTS = {"click": 1.0, "like": 2.0, "comment": 8.0, "share": 8.0, "hide": -40.0, "dwell": 2.0}
INCUMBENT_WEIGHTS = {"click": 1.0, "like": 2.0}
RERANK = dict(half_life_days=2.0, demote=0.8, remove_above=0.95, author_cap=2, topic_cap=4)
STAGES = ("candidates", "features", "rank", "re-rank")


class User(NamedTuple):
    id: int
    favourites: tuple
    affinity: tuple           # true interest per topic (hidden from the models)
    activity: float           # logit of opening the app on a given day
    follows: frozenset


class Author(NamedTuple):
    id: int
    topic: int
    quality: float
    clickbait: bool
    risky: bool


class Post(NamedTuple):
    id: int
    author: int
    topic: int
    created: float
    quality: float
    clickbait: bool
    borderline: bool
    integrity: float          # the integrity classifier's score in [0, 1]


class Impression(NamedTuple):
    user: int
    post: int
    t: float
    position: int
    labels: tuple             # one 0/1 per task, in TASKS order


class NewsWorld(NamedTuple):
    users: tuple
    authors: tuple
    posts: tuple
    impressions: tuple
    sessions: tuple           # sessions[u] = number of sessions of user u in the logs before NOW
    created: tuple            # post creation times (posts are in time order)
    by_author: tuple          # by_author[a] = (creation times, post ids) of author a


# ------------------------------------------------------------------------------ checks
def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _vector(name: str, values) -> list:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list of numbers, got {type(values).__name__}")
    values = list(values)
    if not (set(map(type, values)) <= {float, int} and math.isfinite(sum(values))):
        for i, v in enumerate(values):
            _number(f"{name}[{i}]", v)
    return values


def _index(name: str, value, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if not 0 <= value < n:
        raise ValueError(f"{name} must be in 0..{n - 1}, got {value}")
    return value


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return value


def _weights(name: str, weights) -> dict:
    if not hasattr(weights, "items"):
        raise TypeError(f"{name} must be a dict of task -> weight, got {type(weights).__name__}")
    for task, w in weights.items():
        if task not in TASKS:
            raise ValueError(f"{name} has an unknown task {task!r}; tasks are {list(TASKS)}")
        _number(f"{name}[{task!r}]", w)
    return dict(weights)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building large acyclic data (the world, the
    feature rows, the models, the feeds): it would otherwise rescan the growing heap again and
    again for cycles there are none of. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ------------------------------------------------------------------------------ the world
def examine_probability(position: int) -> float:
    """Chance that a user looks at feed position ``position`` (0 = top): ``(1 + position) ** -0.7``."""
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ValueError(f"position must be a non-negative integer, got {position!r}")
    return (1.0 + position) ** -0.7


_EXAMINE = tuple(examine_probability(p) for p in range(FEED_SIZE))


def _true_logits(user: User, post: Post, t: float) -> tuple:
    age = t - post.created
    rel = user.affinity[post.topic] + (0.8 if post.author in user.follows else 0.0) + 0.5 * post.quality
    cb, bl, q = float(post.clickbait), float(post.borderline), post.quality
    return (-3.55 + 0.7 * rel + 1.3 * cb - 0.6 * age,                    # click
            -4.45 + 0.9 * rel + 0.3 * q - 0.8 * cb - 0.5 * age,          # like
            -6.25 + 0.9 * rel + 0.5 * q - 0.4 * age,                     # comment
            -6.6 + 0.8 * rel + 0.8 * q - 0.6 * cb - 0.5 * age,           # share
            -5.7 - 0.6 * rel + 1.6 * cb + 2.5 * bl,                      # hide
            -4.3 + 0.8 * rel + 0.7 * q - 1.6 * cb - 0.5 * age)           # dwell


def true_probabilities(user: int, post: int, t: float) -> dict:
    """The generator's probability of each task for ``user`` and ``post`` at day ``t``, if the
    user examines the post (position-free). No model sees these; the cells use them as truth."""
    data = world()
    u = data.users[_index("user", user, len(data.users))]
    p = data.posts[_index("post", post, len(data.posts))]
    t = _number("t", t)
    if t < p.created:
        raise ValueError(f"t must not be before the post was created (day {p.created:.2f}), got {t}")
    return dict(zip(TASKS, map(_sigmoid, _true_logits(u, p, t))))


@memoized(maxsize=1)
@_gc_paused()
def world() -> NewsWorld:
    """The seeded world and its logs (see the module docstring); built once, about 0.3 s."""
    n_users, n_authors, T = WORLD["n_users"], WORLD["n_authors"], WORLD["n_topics"]
    rng = random.Random(WORLD["seed"])
    authors = tuple(Author(a, a % T, rng.gauss(0.0, 0.6), rng.random() < 0.08, rng.random() < 0.05)
                    for a in range(n_authors))
    by_topic = [[a.id for a in authors if a.topic == k] for k in range(T)]
    users = []
    for u in range(n_users):
        favs = tuple(rng.sample(range(T), 2))
        aff = tuple([rng.gauss(-0.6, 0.4) + (1.5 if k in favs else 0.0) for k in range(T)])
        follows = set()
        while len(follows) < WORLD["follows"]:
            follows.add(rng.choice(by_topic[rng.choice(favs)]) if rng.random() < 0.7
                        else rng.randrange(n_authors))
        users.append(User(u, favs, aff, rng.gauss(-1.0, 1.0), frozenset(follows)))
    posts = []
    for d in range(WORLD["days"]):
        for n in range(WORLD["posts_per_day"]):
            if d >= SURGE_DAY and rng.random() < SURGE_SHARE:
                a = authors[rng.choice(by_topic[SURGE_TOPIC])]
            else:
                a = authors[rng.randrange(n_authors)]
            topic = a.topic if rng.random() < 0.8 else rng.randrange(T)
            cb = rng.random() < (0.6 if a.clickbait else 0.03)
            bl = rng.random() < (0.4 if a.risky else 0.01)
            integrity = _sigmoid(rng.gauss(-2.5, 1.0) + (3.5 if bl else 0.0))
            posts.append(Post(0, a.id, topic, d + rng.random(), a.quality + rng.gauss(0.0, 0.5),
                              cb, bl, integrity))
    # The breaking story: extra posts on one topic, from their own random stream, so that the
    # days before the story are the same with or without it.
    extra = random.Random(WORLD["seed"] + 1)
    for d in range(int(SURGE_DAY), WORLD["days"]):
        for n in range(SURGE_EXTRA):
            a = authors[extra.choice(by_topic[SURGE_TOPIC])]
            bl = extra.random() < (0.4 if a.risky else 0.01)
            posts.append(Post(0, a.id, SURGE_TOPIC, d + extra.random(), a.quality + extra.gauss(0.0, 0.5),
                              extra.random() < (0.6 if a.clickbait else 0.03), bl,
                              _sigmoid(extra.gauss(-2.5, 1.0) + (3.5 if bl else 0.0))))
    posts.sort(key=lambda p: p.created)
    posts = tuple(p._replace(id=i) for i, p in enumerate(posts))
    created = tuple(p.created for p in posts)
    by_author_lists: list = [([], []) for _ in range(n_authors)]
    for p in posts:
        by_author_lists[p.author][0].append(p.created)
        by_author_lists[p.author][1].append(p.id)
    by_author = tuple((tuple(ts), tuple(ids)) for ts, ids in by_author_lists)
    reputation = [a.quality + rng.gauss(0.0, 0.5) for a in authors]   # what the incumbent knows
    # The incumbent's score: 1 if followed, - 0.8 per day of age, + 0.4 * reputation, plus
    # uniform noise of width 2.4; the parts that do not depend on the session are precomputed.
    static = [0.8 * p.created + 0.4 * reputation[p.author] for p in posts]
    rand = rng.random
    impressions, sessions = [], [0] * n_users
    author_of, no_labels, sig, left = [p.author for p in posts], (0,) * len(TASKS), _sigmoid, bisect.bisect_left
    randrange = rng.randrange
    # This loop draws ~500,000 numbers and runs in the browser, so it avoids per-item generator
    # steps and function calls (list comprehensions, map()). The order of the random draws is
    # what fixes the world: every rewrite must keep it.
    open_probability = list(map(sig, [user.activity for user in users]))
    # A NamedTuple's __new__ is a Python function; tuple.__new__ builds the same Impression in C.
    new_tuple = tuple.__new__
    for d in range(WORLD["days"]):
        day = []
        for user, p_open in zip(users, open_probability):
            if rand() < p_open:
                day.append((d + rand(), user))
        day.sort(key=lambda s: s[0])
        for t, user in day:
            if t < NOW:
                sessions[user.id] += 1
            live = _live_in_network(by_author, user.follows, t)
            lo, hi = left(created, t - LIVE_DAYS), left(created, t)
            if hi > lo:
                live.extend([randrange(lo, hi) for _ in range(8)])
            follows, shown = user.follows, set(live)
            noisy = [static[i] + (author_of[i] in follows) + 2.4 * rand() for i in shown]
            scored = sorted(zip(noisy, shown), reverse=True)
            for pos, (_, i) in enumerate(scored[:FEED_SIZE]):
                if rand() < _EXAMINE[pos]:
                    labels = tuple([int(rand() < p) for p in map(sig, _true_logits(user, posts[i], t))])
                else:
                    labels = no_labels
                impressions.append(new_tuple(Impression, (user.id, i, t, pos, labels)))
    return NewsWorld(tuple(users), authors, posts, tuple(impressions), tuple(sessions), created,
                     by_author)


def _live_in_network(by_author, follows, t: float) -> list:
    out, left, start = [], bisect.bisect_left, t - LIVE_DAYS
    for a in follows:
        ts, ids = by_author[a]
        lo, hi = left(ts, start), left(ts, t)
        out.extend(ids[lo:hi])
    return out


def ideal_posts(user: int, k: int = 10, t: float = NOW) -> list:
    """The ``k`` live posts ``user`` is most likely to like at day ``t``, by the generator's
    true probability: what a perfect candidate generator would surely include."""
    data = world()
    u = data.users[_index("user", user, len(data.users))]
    k, t = _positive_int("k", k), _number("t", t)
    lo, hi = bisect.bisect_left(data.created, t - LIVE_DAYS), bisect.bisect_left(data.created, t)
    scored = sorted((-_true_logits(u, data.posts[i], t)[1], i) for i in range(lo, hi))
    return [i for _, i in scored[:k]]


def rates(start: float = 0.0, end: float = float(WORLD["days"])) -> dict:
    """Share of logged impressions in ``[start, end)`` with each label, per task."""
    start, end = _number("start", start), _number("end", end)
    imps = [e for e in world().impressions if start <= e.t < end]
    if not imps:
        raise ValueError(f"no impressions in [{start}, {end})")
    return {task: sum(e.labels[k] for e in imps) / len(imps) for k, task in enumerate(TASKS)}


def topic_mix(start: float, end: float) -> list:
    """The topic of every post shown in ``[start, end)`` (for drift monitoring)."""
    start, end = _number("start", start), _number("end", end)
    data = world()
    return [data.posts[e.post].topic for e in data.impressions if start <= e.t < end]


# ------------------------------------------------------------------------------ features
class _Counters:
    """Engagement counters over every impression before a day boundary."""

    def __init__(self):
        self.ut_imp, self.ut_eng, self.ua_eng = Counter(), Counter(), Counter()
        n = WORLD["n_authors"]
        self.a_imp = [0] * n
        self.a_task = [[0] * n for _ in TASKS]
        self.post_part: dict = {}          # per-post features, valid until the next add()

    def add(self, data: NewsWorld, e: Impression) -> None:
        if self.post_part:
            self.post_part = {}
        p = data.posts[e.post]
        key = e.user * WORLD["n_topics"] + p.topic
        self.ut_imp[key] += 1
        self.a_imp[p.author] += 1
        if e.labels[0] or e.labels[1] or e.labels[2] or e.labels[3]:
            self.ut_eng[key] += 1
            self.ua_eng[e.user, p.author] += 1
        for k, y in enumerate(e.labels):
            if y:
                self.a_task[k][p.author] += 1


def feature_row(state: _Counters, user: int, post: int, t: float, position: int = 0) -> list:
    """The ranker's input for one (user, post) pair at day ``t`` from the counters ``state``
    (a :func:`snapshot`), in :data:`FEATURES` order. ``position`` is the feed slot (0 = top);
    serving leaves it at 0."""
    return _feature_rows(state, user, (post,), t, position)[0]


def _feature_rows(state: _Counters, user: int, posts, t: float, position: int = 0) -> list:
    """:func:`feature_row` for many posts of one user: what depends on the user alone is looked
    up once (a request's candidates are featurized together)."""
    data, T = world(), WORLD["n_topics"]
    follows, log_position = data.users[user].follows, math.log1p(position)
    # get(key, 0), not [key]: a Counter's missing key calls Counter.__missing__, a Python method
    ut_eng, ut_imp, ua_eng = state.ut_eng.get, state.ut_imp.get, state.ua_eng.get
    post_part, all_posts, log1p = state.post_part, data.posts, math.log1p
    rows = []
    for post in posts:
        p = all_posts[post]
        key = user * T + p.topic
        a = p.author
        row = post_part.get(post)
        if row is None:                    # the post's own features: the same for every user
            n = state.a_imp[a] + 20.0
            click, like, comment, share, hide, _ = (c[a] for c in state.a_task)
            onehot = [0.0] * T
            onehot[p.topic] = 1.0
            row = post_part[post] = ([0.0, 0.0, 0.0, 10.0 * (click + 0.8) / n,
                                      10.0 * (like + 0.4) / n, 100.0 * (comment + share + 0.1) / n,
                                      100.0 * (hide + 0.04) / n, 0.0, p.integrity, 0.0] + onehot)
        row = row.copy()
        row[0] = 10.0 * (ut_eng(key, 0) + 0.5) / (ut_imp(key, 0) + 5.0)
        row[1] = 1.0 if a in follows else 0.0
        row[2] = log1p(ua_eng((user, a), 0))
        row[7] = t - p.created
        row[POSITION] = log_position
        rows.append(row)
    return rows


@memoized(maxsize=1)
@_gc_paused()
def _pass() -> tuple:
    """One pass over the logs in time order: features of the training sample and of the test
    window (counters from daily snapshots, post age at the impression's time, as at serving), and
    the counters at :data:`NOW`."""
    data = world()
    rng = random.Random(5)
    state = _Counters()
    train, test = [], []
    day, pending = 0, []
    for e in data.impressions:
        if e.t >= NOW:
            break
        d = int(e.t)
        if d != day:                       # a new day: yesterday's labels join the counters
            for old in pending:
                state.add(data, old)
            day, pending = d, []
        pending.append(e)
        if TRAIN_START <= e.t < TRAIN_END:
            positive = any(e.labels)
            if positive or rng.random() < NEG_KEEP:
                train.append((feature_row(state, e.user, e.post, e.t, e.position), e.labels,
                              1.0 if positive else 1.0 / NEG_KEEP))
        elif TRAIN_END <= e.t < TEST_END:
            test.append((feature_row(state, e.user, e.post, e.t, e.position), e.labels, e))
    for old in pending:
        state.add(data, old)
    return tuple(train), tuple(test), state


def snapshot() -> _Counters:
    """The counters over every logged impression before :data:`NOW` (what serving reads)."""
    return _pass()[2]


def training_rows() -> tuple:
    """``(X, Y, weights)`` of the training window: every impression with a positive label and
    :data:`NEG_KEEP` of the others, weighted ``1 / NEG_KEEP``."""
    train = _pass()[0]
    X = [r for r, _, _ in train]
    Y = {task: [labels[k] for _, labels, _ in train] for k, task in enumerate(TASKS)}
    return X, Y, [w for _, _, w in train]


def test_rows() -> tuple:
    """``(X, Y, impressions)`` of every logged impression in the test window ``[10, 12)``."""
    test = _pass()[1]
    return ([r for r, _, _ in test], {task: [labels[k] for _, labels, _ in test]
                                      for k, task in enumerate(TASKS)}, [e for _, _, e in test])


def _drop_position(X) -> list:
    return [row[:POSITION] + [0.0] + row[POSITION + 1:] for row in X]


@memoized(maxsize=4)
@_gc_paused()
def ranker(shared: bool = True, position: bool = True) -> MultiTaskLogistic:
    """The six-head ranker: ``shared`` heads (one model) or separate ones; ``position`` says
    whether the training rows keep the logged position (False trains without it)."""
    if not isinstance(shared, bool) or not isinstance(position, bool):
        raise TypeError("shared and position must be True or False")
    X, Y, w = training_rows()
    if not position:
        X = _drop_position(X)
    return MultiTaskLogistic(TASKS, shared=shared, rank=2, learning_rate=0.03, l2=1e-4,
                             task_l2=3e-3, epochs=2, seed=0).fit(X, Y, w)


@memoized(maxsize=1)
@_gc_paused()
def incumbent_ranker() -> MultiTaskLogistic:
    """The current production ranker (the A/B control): separate click and like models on the
    same features, trained without the position feature."""
    X, Y, w = training_rows()
    return MultiTaskLogistic(("click", "like"), shared=False, learning_rate=0.03, task_l2=3e-3,
                             epochs=2, seed=0).fit(_drop_position(X),
                                                   {t: Y[t] for t in ("click", "like")}, w)


def predict(model: MultiTaskLogistic, rows) -> dict:
    """``{task: [probability]}`` for serving rows: the position feature is set to the top slot."""
    if not isinstance(model, MultiTaskLogistic):
        raise TypeError(f"model must be a MultiTaskLogistic, got {type(model).__name__}")
    rows = list(rows)
    if any(map(itemgetter(POSITION), rows)):   # serving rows already hold the top slot
        rows = _drop_position(rows)
    return model.predict_proba(rows)


def value(probs: dict, weights: dict = VALUE_WEIGHTS) -> list:
    """The value model: ``sum_k weights[k] * p_k`` per row (tasks missing from ``weights`` count 0)."""
    weights = _weights("weights", weights)
    if not hasattr(probs, "items") or not probs:
        raise TypeError("probs must be a non-empty dict of task -> probabilities")
    n = len(next(iter(probs.values())))
    out = [0.0] * n
    for task, w in weights.items():
        if w and task not in probs:
            raise ValueError(f"weights has task {task!r} but probs has no {task!r} predictions")
        if w:              # out + w * p, with map() so that the loop runs in C (faster in Pyodide)
            out = list(map(add, out, map(mul, repeat(w), probs[task])))
    return out


# ------------------------------------------------------------------------------ serving
def candidates(user: int, t: float = NOW, out_of_network: int = OUT_OF_NETWORK) -> list:
    """Posts for ``user`` at day ``t``: followed authors' posts of the last :data:`LIVE_DAYS`
    days, then the ``out_of_network`` best recent posts (by author engagement) of the user's
    strongest topic in the counters, then of the second strongest (a second candidate source)."""
    data = world()
    user = _index("user", user, len(data.users))
    t = _number("t", t)
    if isinstance(out_of_network, bool) or not isinstance(out_of_network, int) or out_of_network < 0:
        raise ValueError(f"out_of_network must be a non-negative integer, got {out_of_network!r}")
    u = data.users[user]
    found = _live_in_network(data.by_author, u.follows, t)
    if out_of_network:
        found.extend(_topic_source(user, t, out_of_network, set(found)))
    return sorted(found)


def _topic_source(user: int, t: float, k: int, exclude: set) -> list:
    state, data, T = snapshot(), world(), WORLD["n_topics"]
    eng, imp = state.ut_eng.get, state.ut_imp.get      # get(key, 0): no Counter.__missing__ call
    aff = sorted(range(T), key=lambda k_: -(eng(user * T + k_, 0) + 0.5)
                 / (imp(user * T + k_, 0) + 5.0))[:2]
    best = _topic_best(t)
    picks = [i for k_ in aff for i in best[k_] if i not in exclude]
    return picks[:k]


@memoized(maxsize=4)
def _topic_best(t: float) -> tuple:
    """Live posts of each topic at ``t``, best author engagement rate first."""
    data, state = world(), snapshot()
    lo, hi = bisect.bisect_left(data.created, t - LIVE_DAYS), bisect.bisect_left(data.created, t)
    per = [[] for _ in range(WORLD["n_topics"])]
    for i in range(lo, hi):
        p = data.posts[i]
        rate = (sum(c[p.author] for c in state.a_task[1:4]) + 1.0) / (state.a_imp[p.author] + 20.0)
        per[p.topic].append((-rate, i))
    return tuple(tuple(i for _, i in sorted(x)) for x in per)


def candidate_rows(user: int, posts, t: float = NOW) -> list:
    """Serving feature rows for ``posts`` (position fixed at the top slot)."""
    state = snapshot()
    snap = float(math.floor(_number("t", t)))
    return _feature_rows(state, user, posts, snap)


def rank(user: int, posts, model: MultiTaskLogistic | None = None,
         weights: dict = VALUE_WEIGHTS, t: float = NOW) -> list:
    """``[(post, value)]`` best first: features, the model's heads, the value model."""
    posts = list(posts)
    if not posts:
        return []
    probs = predict(model or ranker(), candidate_rows(user, posts, t))
    vals = value(probs, weights)
    return sorted(zip(posts, vals), key=lambda pv: (-pv[1], pv[0]))


def rerank(ranked, t: float = NOW, k: int = FEED_SIZE, half_life_days: float | None = None,
           demote: float | None = None, remove_above: float | None = None,
           author_cap: int | None = None, topic_cap: int | None = None) -> list:
    """The feed: the top ``k`` of ``ranked`` ``[(post, value)]`` after the re-ranking rules.

    - *freshness decay*: a positive value is multiplied by ``0.5 ** (age / half_life_days)``;
    - *integrity*: posts whose classifier score is above ``remove_above`` are dropped; the
      others' positive value is multiplied by ``1 - demote * score`` (negative values are divided
      by it, so demotion never lifts a post);
    - *diversity*: at most ``author_cap`` posts per author and ``topic_cap`` per topic, filled
      greedily by adjusted value.

    A rule whose argument is None is off; :data:`RERANK` holds the production settings.
    Returns ``[(post, adjusted value)]``."""
    data = world()
    t = _number("t", t)
    k = _positive_int("k", k)
    if half_life_days is not None and _number("half_life_days", half_life_days) <= 0:
        raise ValueError(f"half_life_days must be positive, got {half_life_days}")
    if demote is not None and not 0 <= _number("demote", demote) < 1:
        raise ValueError(f"demote must be in [0, 1), got {demote}")
    if remove_above is not None:
        _number("remove_above", remove_above)
    for name, cap in (("author_cap", author_cap), ("topic_cap", topic_cap)):
        if cap is not None:
            _positive_int(name, cap)
    adjusted = []                          # (-adjusted value, post): sorts best first
    for post, v in ranked:
        p = data.posts[post]
        if remove_above is not None and p.integrity > remove_above:
            continue
        m = 1.0
        if half_life_days is not None:
            m *= 0.5 ** (max(t - p.created, 0.0) / half_life_days)
        if demote is not None:
            m *= 1.0 - demote * p.integrity
        adjusted.append((-(v * m if v > 0 else v / m), post))
    adjusted.sort()                        # plain tuples, no key function: faster in Pyodide
    feed, per_author, per_topic = [], {}, {}
    for neg_v, post in adjusted:
        v = -neg_v
        p = data.posts[post]
        if author_cap is not None and per_author.get(p.author, 0) >= author_cap:
            continue
        if topic_cap is not None and per_topic.get(p.topic, 0) >= topic_cap:
            continue
        feed.append((post, v))
        per_author[p.author] = per_author.get(p.author, 0) + 1
        per_topic[p.topic] = per_topic.get(p.topic, 0) + 1
        if len(feed) == k:
            break
    return feed


@memoized(maxsize=2048)
def _serving_rows(user: int) -> tuple:
    posts = candidates(user)
    return tuple(posts), tuple(candidate_rows(user, posts))


@_gc_paused()
def feeds(model: MultiTaskLogistic, users, weights: dict = VALUE_WEIGHTS,
          rules: dict | None = RERANK) -> dict:
    """``{user: feed}`` at day :data:`NOW`: candidates, ``model``'s heads, the value model with
    ``weights``, then :func:`rerank` with ``rules`` (None: the top :data:`FEED_SIZE` by value)."""
    if not isinstance(model, MultiTaskLogistic):
        raise TypeError(f"model must be a MultiTaskLogistic, got {type(model).__name__}")
    weights = _weights("weights", weights)
    if rules is not None and not hasattr(rules, "items"):
        raise TypeError(f"rules must be a dict of rerank() arguments or None, got {type(rules).__name__}")
    users = list(users)
    served = [_serving_rows(_index("user", user, WORLD["n_users"])) for user in users]
    # One predict() call for every user's rows: the same numbers row by row, without paying the
    # fixed cost of a call (checks, per-task loops, dicts) once per user.
    vals = value(predict(model, [row for _, rows in served for row in rows]), weights) if users else []
    out, start = {}, 0
    for user, (posts, rows) in zip(users, served):
        user_vals, start = vals[start:start + len(rows)], start + len(rows)
        if rules is None:
            ranked = sorted(zip(posts, user_vals), key=lambda pv: (-pv[1], pv[0]))
            out[user] = [i for i, _ in ranked[:FEED_SIZE]]
        else:              # rerank() sorts by the adjusted value: its input needs no sorting
            out[user] = [i for i, _ in rerank(zip(posts, user_vals), NOW, **rules)]
    return out


def mean_metrics(user_feeds: dict) -> dict:
    """:func:`feed_metrics` averaged over ``{user: feed}``: expected events per session."""
    if not hasattr(user_feeds, "items") or not user_feeds:
        raise ValueError("user_feeds must be a non-empty dict of user -> feed")
    total: dict = {}
    for user, feed in user_feeds.items():
        for key, v in feed_metrics(user, feed).items():
            total[key] = total.get(key, 0.0) + v
    return {key: v / len(user_feeds) for key, v in total.items()}


@memoized(maxsize=1)
def test_truth() -> dict:
    """``{task: [expected label]}`` for :func:`test_rows`: ``examine_probability(position) *
    true probability`` — the labels without their sampling noise."""
    data = world()
    out = {task: [] for task in TASKS}
    for e in test_rows()[2]:
        ex = _EXAMINE[e.position]
        for task, z in zip(TASKS, _true_logits(data.users[e.user], data.posts[e.post], e.t)):
            out[task].append(ex * _sigmoid(z))
    return out


def feed_metrics(user: int, feed, t: float = NOW) -> dict:
    """What a session on ``feed`` (a list of posts) yields in expectation under the generator:
    ``sum over positions of examine_probability(position) * p_task``, per task, plus
    ``borderline`` (examined borderline posts) and ``clickbait_clicks``."""
    data = world()
    u = data.users[_index("user", user, len(data.users))]
    out = dict.fromkeys(TASKS, 0.0)
    out["borderline"] = out["clickbait_clicks"] = 0.0
    for pos, post in enumerate(feed):
        p = data.posts[post]
        probs = list(map(_sigmoid, _true_logits(u, p, t)))
        ex = _EXAMINE[pos] if pos < FEED_SIZE else examine_probability(pos)
        for task, pr in zip(TASKS, probs):
            out[task] += ex * pr
        out["borderline"] += ex * p.borderline
        out["clickbait_clicks"] += ex * probs[0] * p.clickbait
    return out


def serve(user: int, model: MultiTaskLogistic | None = None, clock=time.perf_counter) -> tuple:
    """One request, timed: ``(feed, {stage: milliseconds, "total": ms, "n_candidates": n})``.

    Stages (:data:`STAGES`): candidate sources, feature rows, the ranker's heads plus the value
    model, re-ranking with :data:`RERANK`. The models and the counter snapshot are loaded once
    (as in a server); nothing inside the request is cached."""
    data = world()
    _index("user", user, len(data.users))
    if not callable(clock):
        raise TypeError(f"clock must be callable, got {type(clock).__name__}")
    model = model or ranker()
    state = snapshot()
    t0 = clock()
    u = data.users[user]
    posts = _live_in_network(data.by_author, u.follows, NOW)
    posts.extend(_topic_source(user, NOW, OUT_OF_NETWORK, set(posts)))
    t1 = clock()
    rows = _feature_rows(state, user, posts, NOW)
    t2 = clock()
    vals = value(model.predict_proba(rows))
    ranked = sorted(zip(posts, vals), key=lambda pv: (-pv[1], pv[0]))
    t3 = clock()
    feed = [i for i, _ in rerank(ranked, NOW, **RERANK)]
    t4 = clock()
    timing = dict(zip(STAGES, (1e3 * (b - a) for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4)))))
    timing["total"] = 1e3 * (t4 - t0)
    timing["n_candidates"] = len(posts)
    return feed, timing


# ------------------------------------------------------------------------------ online test
def simulate_ab(feeds_a: dict, feeds_b: dict, days: int = 28, seed: int = 0) -> dict:
    """Replay two arms' feeds for ``days`` days: ``{arm: {user: {...}}}`` for arms "A" and "B".

    Each user of ``feeds_a`` (control) or ``feeds_b`` (treatment) opens the app on a day with
    probability ``sigmoid(activity + 0.6 * mood)``. A session adds the expected events of the
    user's feed (:func:`feed_metrics`); only whether the user comes back is drawn. ``mood`` is an
    exponential average (0.7 old, 0.3 new) of a session's satisfaction, ``likes + comments +
    shares + long reads - 2 * hides - clickbait clicks`` (expected), minus 0.5. Per user:
    ``sessions``, ``active_last_week`` (0/1) and the expected ``clicks``, ``interactions``
    (likes, comments and shares), ``hides`` and ``borderline`` (borderline posts examined) summed
    over sessions. Feeds are ranked once, at day :data:`NOW`, and replayed in each session (a
    simplification: a real feed changes every day)."""
    days = _positive_int("days", days)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    for name, feeds in (("feeds_a", feeds_a), ("feeds_b", feeds_b)):
        if not hasattr(feeds, "items"):
            raise TypeError(f"{name} must be a dict of user -> feed, got {type(feeds).__name__}")
    if set(feeds_a) & set(feeds_b):
        raise ValueError("a user must be in one arm only")
    data = world()
    rng = random.Random(seed)
    out = {}
    for arm, feeds in (("A", feeds_a), ("B", feeds_b)):
        res = {}
        for user in sorted(feeds):
            m = feed_metrics(user, feeds[user])
            sat = (m["like"] + m["comment"] + m["share"] + m["dwell"] - 2 * m["hide"]
                   - m["clickbait_clicks"])
            activity = data.users[user].activity
            mood, sessions, last_week = 0.0, 0, 0
            p_open = _sigmoid(activity)            # changes only when the mood does
            for d in range(days):
                if rng.random() < p_open:
                    sessions += 1
                    last_week |= d >= days - 7
                    mood = 0.7 * mood + 0.3 * (sat - 0.5)
                    p_open = _sigmoid(activity + 0.6 * mood)
            res[user] = {"sessions": sessions, "active_last_week": last_week,
                         "clicks": sessions * m["click"],
                         "interactions": sessions * (m["like"] + m["comment"] + m["share"]),
                         "hides": sessions * m["hide"], "borderline": sessions * m["borderline"]}
        out[arm] = res
    return out


def expected_auc(scores, truth) -> float:
    """AUC against true probabilities: every row counts as a positive with weight ``truth[i]``
    and as a negative with weight ``1 - truth[i]`` (pairs of a row with itself excluded). It is
    the AUC you would get on average over the labels the world could draw, without their noise."""
    scores, truth = _vector("scores", scores), _vector("truth", truth)
    if len(scores) != len(truth) or len(scores) < 2:
        raise ValueError(f"scores and truth need the same length >= 2, got {len(scores)} and {len(truth)}")
    if min(truth) < 0 or max(truth) > 1:
        raise ValueError("truth must hold probabilities in [0, 1]")
    pairs = sorted(zip(scores, truth))
    n, i = len(pairs), 0
    neg_below = num = 0.0     # negative weight of rows with a strictly lower score; the sum
    while i < n:
        s, j = pairs[i][0], i
        pos_g = neg_g = self_pairs = 0.0
        while j < n and pairs[j][0] == s:
            q = pairs[j][1]
            pos_g += q
            neg_g += 1.0 - q
            self_pairs += q * (1.0 - q)
            j += 1
        num += pos_g * neg_below + 0.5 * (pos_g * neg_g - self_pairs)
        neg_below += neg_g
        i = j
    pos, neg = math.fsum(truth), math.fsum(1 - q for q in truth)
    den = pos * neg - math.fsum(q * (1 - q) for q in truth)
    if den <= 0:
        raise ValueError("truth needs both some positive and some negative weight")
    return num / den


def cuped(y, x) -> list:
    """CUPED: ``y - theta * (x - mean(x))`` with ``theta = cov(x, y) / var(x)``; ``x`` is a
    pre-experiment covariate of the same users (Deng et al., 2013)."""
    y, x = _vector("y", y), _vector("x", x)
    if len(y) != len(x) or len(y) < 2:
        raise ValueError(f"y and x need the same length >= 2, got {len(y)} and {len(x)}")
    my, mx = math.fsum(y) / len(y), math.fsum(x) / len(x)
    vx = math.fsum((a - mx) ** 2 for a in x)
    if vx == 0:
        raise ValueError("x is constant: it cannot reduce variance")
    theta = math.fsum((a - mx) * (b - my) for a, b in zip(x, y)) / vx
    return [b - theta * (a - mx) for a, b in zip(x, y)]
