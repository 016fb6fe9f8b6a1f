"""Tests for casestudies.video_recommendations: the case study's system is built as described and behaves."""

import math
import random

import pytest

from mlsd import metrics
from casestudies import video_recommendations as V
from mlsd.data.recsys import FEATURE_NAMES


@pytest.fixture(scope="module")
def system():
    """Everything built once for the module (a few seconds)."""
    return V.world(), V.towers(), V.ann_index(), V.ranker()


def test_world_and_windows():
    data = V.world()
    assert len(data.items) == 10_000 and len(data.users) == 1_500
    assert 0 < V.TOWER_END < V.RANKER_END < V.TEST_END <= data.drift_day < data.days
    assert V.world() is data                                    # memoized


def test_tokens_follow_the_cold_start_rules():
    clicked_early = {u for u, _ in V.clicks_before(V.TOWER_END)}
    items_early = {i for _, i in V.clicks_before(V.TOWER_END)}
    for user in range(50):
        toks = V.user_tokens(user)
        assert (toks[0] == f"user={user}") == (user in clicked_early)
        history = [t for t in toks if t.startswith("watched_topic=")]
        assert len(history) == sum(1 for u, _ in V.clicks_before(V.NOW) if u == user)
    for item in range(200):
        toks = V.item_tokens(item)
        assert toks[-1] == f"topic={V.world().items[item].category}"
        assert (len(toks) == 2) == (item in items_early)


def test_towers_learn_and_vectors_are_unit(system):
    data, model, _, _ = system
    assert len(model.history) == 1 and math.isfinite(model.history[0])
    # viewers with a history land nearest their (hidden) favourite topic far above chance (1/20)
    topic_vec = {}
    for i, it in enumerate(data.items):
        if len(V.item_tokens(i)) == 1:
            topic_vec.setdefault(it.category, V.item_vectors()[i])
    users = [u for u in range(300) if len(V.user_tokens(u)) > 3]
    hits = sum(max(topic_vec, key=lambda k: sum(a * b for a, b in zip(V.user_vector(u), topic_vec[k])))
               == data.users[u].favourite for u in users)
    assert hits / len(users) > 0.6
    vecs = V.item_vectors()
    assert len(vecs) == 10_000
    for v in (vecs[0], vecs[9_999], V.user_vector(0)):
        assert math.isclose(math.fsum(x * x for x in v), 1.0, rel_tol=1e-9)


def test_retrieve_excludes_watched_and_is_sorted(system):
    for user in V.test_users()[:5]:
        seen = V.watched(user)
        for index in ("ann", "exact"):
            got = V.retrieve(user, k=50, index=index)
            assert len(got) == 50
            assert not seen & {i for i, _ in got}
            scores = [s for _, s in got]
            assert scores == sorted(scores, reverse=True)


def test_ann_index_finds_most_of_the_exact_neighbours(system):
    index, exact = V.ann_index(), V.exact_index()
    assert index.nprobe == 1 and index.nlist == 16
    queries = [V.user_vector(u) for u in V.test_users()[:20]]
    for nprobe, floor in ((1, 0.8), (2, 0.93)):
        hits = sum(len({i for i, _ in index.search(q, 100, nprobe=nprobe)}
                       & {i for i, _ in exact.search(q, 100)}) for q in queries)
        assert hits / (100 * len(queries)) > floor


def test_candidates_merge_ann_and_fresh_sources(system):
    fresh = set(V.fresh_videos())
    assert fresh and all(V.NOW - V.FRESH_DAYS <= V.world().items[i].created_at < V.NOW for i in fresh)
    for user in V.test_users()[:5]:
        cands = V.candidates(user)
        ids = [i for i, _ in cands]
        assert len(ids) == len(set(ids)) == V.N_CANDIDATES
        assert not V.watched(user) & set(ids)
        assert sum(i in fresh for i in ids[-V.N_FRESH:]) == V.N_FRESH


def test_rerank_reserves_an_exploration_slot():
    fresh = V.fresh_videos()[0]
    old = [i for i in range(10_000) if i not in set(V.fresh_videos())][:12]
    ranked = [(i, 1.0 - 0.01 * n) for n, i in enumerate(old)] + [(fresh, -5.0)]
    feed = V.rerank(ranked, k=10)
    assert len(feed) == 10
    assert feed[V.EXPLORE_SLOT][0] == fresh
    assert [i for i, _ in feed if i != fresh] == old[:9]
    # a feed that already has a fresh video is left alone
    ranked2 = [(fresh, 2.0)] + ranked[:-1]
    assert V.rerank(ranked2, k=10) == ranked2[:10]


def test_ranker_features_use_only_the_past(system):
    data = V.world()
    pop = FEATURE_NAMES.index("item_log_impressions")
    for e, f in V.impressions(V.TOWER_END, V.RANKER_END)[:40]:
        day = math.floor(e.t)
        shown_before = sum(1 for x in data.events if x.item == e.item and x.t < day)
        assert math.isclose(f[pop], math.log1p(shown_before))


def test_ranker_beats_the_retrieval_score_offline(system):
    s = V.score_impressions(V.RANKER_END, V.TEST_END)
    assert len(s["labels"]) == len(s["gbdt"]) == len(s["retrieval"]) == len(s["users"])
    assert metrics.roc_auc(s["labels"], s["gbdt"]) > metrics.roc_auc(s["labels"], s["retrieval"]) > 0.55


def test_serve_matches_recommend_and_times_every_stage(system):
    user = V.test_users()[0]
    feed, ms = V.serve(user)
    assert feed == V.recommend(user)
    assert len(feed) == V.FEED_SIZE and len(set(feed)) == V.FEED_SIZE
    assert set(ms) == set(V.STAGES) | {"total"}
    assert all(v >= 0 for v in ms.values())
    assert ms["total"] >= max(ms[s] for s in V.STAGES)
    table = V.latency_table([ms, ms], {s: 1 for s in V.STAGES + ("total",)})
    assert [r["stage"] for r in table] == list(V.STAGES) + ["total"]
    assert table[-1]["p50_ms"] == ms["total"]


def test_simulate_session_is_seeded():
    user = V.test_users()[0]
    feed = V.popular_items()[:10]
    a = V.simulate_session(user, feed, random.Random(3))
    b = V.simulate_session(user, feed, random.Random(3))
    assert a == b and 0 <= a <= 10
    assert V.simulate_session(user, [], random.Random(3)) == 0


def test_ndcg_by_user():
    # viewer 1: the click is ranked first (nDCG 1); viewer 2: last of two (1/log2(3)).
    labels, scores, users = [1, 0, 0, 1, 0], [0.9, 0.1, 0.8, 0.2, 0.5], [1, 1, 2, 2, 3]
    expected = (1.0 + 1.0 / math.log2(3)) / 2
    assert math.isclose(V.ndcg_by_user(labels, scores, users), expected)
    with pytest.raises(ValueError, match="no viewer"):
        V.ndcg_by_user([0, 0], [0.1, 0.2], [1, 1])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: V.user_tokens(1_500), ValueError, "user must be in"),
    (lambda: V.user_tokens("3"), TypeError, "user must be an integer"),
    (lambda: V.item_tokens(-1), ValueError, "item must be in"),
    (lambda: V.retrieve(0, k=0), ValueError, "k must be a positive integer"),
    (lambda: V.retrieve(0, index="hnsw"), ValueError, "index must be"),
    (lambda: V.impressions(18.0, 18.0), ValueError, "start must be before end"),
    (lambda: V.test_users(n=10**6), ValueError, "n must be at most"),
    (lambda: V.rerank([], k=0), ValueError, "k must be a positive integer"),
    (lambda: V.simulate_session(0, [1], rng=None), TypeError, "rng must be a random.Random"),
    (lambda: V.simulate_session(0, [1], random.Random(0), examine_decay=0), ValueError, "examine_decay"),
    (lambda: V.latency_table([{"total": 1.0}], {"total": 50}), ValueError, "no entry for stage"),
    (lambda: V.latency_table([], {}), ValueError, "timings must not be empty"),
    (lambda: V.serve(0, clock="now"), TypeError, "clock must be callable"),
    (lambda: V.ann_index(nlist=0), ValueError, "nlist must be a positive integer"),
])
def test_invalid_arguments_are_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("call, exc, match", [
    (lambda: V.watched(0, t="day 3"), TypeError, "t must be"),
    (lambda: V.popular_items(None), TypeError, "t must be"),
    (lambda: V.impressions("a", 3.0), TypeError, "start must be"),
    (lambda: V.rank_candidates(0, 5), TypeError, "cands must be"),
    (lambda: V.rank_candidates(0, [(1, 0.5, 2)]), ValueError, r"cands\[0\] must be"),
])
def test_more_invalid_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_rank_candidates_orders_by_ranker_score(system):
    user = V.test_users()[1]
    ranked = V.rank_candidates(user, V.candidates(user))
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert {i for i, _ in ranked} == {i for i, _ in V.candidates(user)}
    assert V.rank_candidates(user, []) == []
