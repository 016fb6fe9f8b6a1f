"""Tests for casestudies.video_recommendations: the case study's system is built as described and behaves."""

import math
import random

import pytest

from mlsd import metrics
from casestudies import video_recommendations as V
from mlsd.data.recsys import FEATURE_NAMES, RecsysData


@pytest.fixture(scope="module")
def system():
    """Everything built once for the module (a few seconds)."""
    return V.world(), V.towers(), V.ann_index(), V.ranker()


def test_world_and_windows():
    data = V.world()
    assert len(data.items) == 10_000 and len(data.users) == 1_500
    assert 0 < V.TOWER_END < V.RANKER_END < V.TEST_END <= data.drift_day < data.days
    assert V.world() is data                                    # memoized
    # a feed-like click rate: a few per cent of impressions
    ctr = sum(e.clicked for e in data.events) / len(data.events)
    assert 0.03 < ctr < 0.05
    # true_score is the generator's logit plus the shift, and the clicks follow it
    e = data.events[0]
    base = RecsysData.true_score(data, e.user, e.item, e.t)
    assert math.isclose(data.true_score(e.user, e.item, e.t), base + V.CLICK_SHIFT)
    expected = math.fsum(1 / (1 + math.exp(-data.true_score(x.user, x.item, x.t))) for x in data.events)
    assert abs(sum(x.clicked for x in data.events) - expected) < 4 * math.sqrt(expected)


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
        # the topic source: popular videos of the viewer's most watched topic are candidates
        watched = [int(t.split("=")[1]) for t in V.user_tokens(user) if t.startswith("watched_topic=")]
        if watched:
            top = min(set(watched), key=lambda k: (-watched.count(k), k))
            popular_there = [i for i in V.topic_popular()[top] if i not in V.watched(user)]
            assert set(popular_there[:5]) <= set(ids)


def test_rerank_reserves_an_exploration_slot():
    fresh = V.fresh_videos()[0]
    old = [i for i in range(10_000) if i not in set(V.fresh_videos())][:12]
    ranked = [(i, 1.0 - 0.01 * n) for n, i in enumerate(old)] + [(fresh, -5.0)]
    feed = V.rerank(ranked, k=10, lam=1.0)
    assert len(feed) == 10
    assert feed[V.EXPLORE_SLOT][0] == fresh
    assert [i for i, _ in feed if i != fresh] == old[:9]
    # a feed that already has a fresh video is left alone
    ranked2 = [(fresh, 2.0)] + ranked[:-1]
    assert V.rerank(ranked2, k=10, lam=1.0) == ranked2[:10]
    # with MMR the exploration slot still holds the fresh video
    assert V.rerank(ranked, k=10)[V.EXPLORE_SLOT][0] == fresh


def test_mmr_trades_relevance_for_variety(system):
    data, vecs = V.world(), V.item_vectors()
    by_topic = {}
    for i, it in enumerate(data.items):
        if len(V.item_tokens(i)) == 1:                       # topic-only embedding
            by_topic.setdefault(it.category, []).append(i)
    a, b = sorted(by_topic)[:2]
    # ten near-duplicates of topic a, slightly better than five videos of topic b
    ranked = [(i, 1.0) for i in by_topic[a][:10]] + [(i, 0.9) for i in by_topic[b][:5]]
    assert V.mmr(ranked, 10, lam=1.0) == ranked[:10]          # lambda 1: the ranker's order
    feed = V.mmr(ranked, 10, lam=0.5)
    assert len(feed) == 10 and len({i for i, _ in feed}) == 10
    assert feed[0] == ranked[0]                               # the best video still leads
    assert {data.items[i].category for i, _ in feed} == {a, b}
    assert math.isclose(sum(x * y for x, y in zip(vecs[ranked[0][0]], vecs[ranked[1][0]])), 1.0)


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


def test_click_probability_undoes_the_downsampling(system):
    X, y = V.ranker_examples()
    labels = [e.clicked for e, _ in V.impressions(V.TOWER_END, V.RANKER_END)]
    # every click is kept, about one non-click in ten
    assert sum(y) == sum(labels)
    kept = (len(y) - sum(y)) / (len(labels) - sum(labels))
    assert abs(kept - V.NEG_RATE) < 0.02
    # on the full test window the mean calibrated probability is close to the observed rate
    s = V.score_impressions(V.RANKER_END, V.TEST_END)
    mean_p = sum(V.click_probability(s["gbdt"])) / len(s["gbdt"])
    assert 0.8 < mean_p / (sum(s["labels"]) / len(s["labels"])) < 1.25


def test_incumbent_ranker_has_no_cross_features(system):
    names = [FEATURE_NAMES[j] for j in V._INCUMBENT_COLUMNS]
    assert not set(names) & set(V.CROSS_FEATURES)
    assert len(names) == len(FEATURE_NAMES) - len(V.CROSS_FEATURES)
    user = V.test_users()[2]
    new = V.rank_candidates(user, V.candidates(user))
    old = V.rank_candidates(user, V.candidates(user), model="incumbent")
    assert {i for i, _ in new} == {i for i, _ in old} and new != old


def test_visit_outcome_matches_simulated_sessions():
    user = V.test_users()[0]
    feed = V.recommend(user)
    expected, p_any = V.visit_outcome(user, feed)
    rng = random.Random(5)
    runs = [V.simulate_session(user, feed, rng) for _ in range(4000)]
    assert abs(sum(runs) / len(runs) - expected) < 0.05
    assert abs(sum(r > 0 for r in runs) / len(runs) - p_any) < 0.03


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
    (lambda: V.impressions(15.0, 18.0, neg_rate=0), ValueError, "neg_rate must be in"),
    (lambda: V.mmr([(1, 0.5)], lam=1.5), ValueError, "lam must be between 0 and 1"),
    (lambda: V.rank_candidates(0, [(1, 0.5)], model="v2"), ValueError, "model must be"),
    (lambda: V.visit_outcome(0, [1], examine_decay=2), ValueError, "examine_decay"),
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


def _plain_mmr(ranked, k, lam):
    """MMR as the docstring states it, every score recomputed every slot."""
    pool = list(ranked)[:max(k, V.MMR_POOL)]
    if lam == 1 or not pool:
        return pool[:k]
    vecs = [V.item_vectors()[i] for i, _ in pool]
    probs = V.click_probability([s for _, s in pool])
    rel = [p / max(probs) for p in probs]
    max_sim, left, chosen = [0.0] * len(pool), list(range(len(pool))), []
    while left and len(chosen) < k:
        j = max(left, key=lambda n: lam * rel[n] - (1 - lam) * max_sim[n])
        chosen.append(j)
        left.remove(j)
        for n in left:
            max_sim[n] = max(max_sim[n], math.fsum(x * y for x, y in zip(vecs[n], vecs[j])))
    return [pool[j] for j in chosen]


def test_mmr_equals_the_plain_loop(system):
    for user in V.test_users()[:8]:
        ranked = V.rank_candidates(user, V.candidates(user))
        for lam in (0.0, 0.3, V.MMR_LAMBDA, 0.85, 1.0):
            for k in (1, V.FEED_SIZE, 40):
                assert V.mmr(ranked, k, lam) == _plain_mmr(ranked, k, lam)
        assert V.mmr(ranked[:5], 10, 0.5) == _plain_mmr(ranked[:5], 10, 0.5)


def test_retrieval_and_candidates_share_one_search(system):
    user = V.test_users()[0]
    seen = V.watched(user)
    found = V.ann_index().search(V.user_vector(user), V.N_CANDIDATES + len(seen))
    assert V.retrieve(user) == [(i, s) for i, s in found if i not in seen][:V.N_CANDIDATES]
    assert V.candidates(user) == tuple(V._merge(V.user_vector(user), found, seen, V.user_tokens(user)))



def test_mmr_remembers_cosines_only_where_asked(system):
    user = V.test_users()[1]
    ranked = V.rank_candidates(user, V.candidates(user))
    V._similarities.cache_clear()
    mine = {}
    assert V.mmr(ranked, similarities=mine) == V.mmr(ranked, similarities={}) == _plain_mmr(
        ranked, V.FEED_SIZE, V.MMR_LAMBDA)
    assert mine and V._similarities() == {}          # nothing went to the shared cache
    # A served request computes its cosines afresh: its re-rank time is what a request costs.
    V.serve(user)
    assert V._similarities() == {}
    assert V.mmr(ranked) == V.mmr(ranked, similarities={}) and V._similarities()
    with pytest.raises(TypeError, match="similarities must be a dict"):
        V.mmr(ranked, similarities=[])


def test_retrieval_follows_the_index_nprobe(system):
    user, index = V.test_users()[2], V.ann_index()
    seen, before = V.watched(user), index.nprobe
    results = []
    try:
        for nprobe in (before, 8 * before, before):
            index.nprobe = nprobe
            found = index.search(V.user_vector(user), V.N_CANDIDATES + len(seen))
            results.append(V.retrieve(user))
            assert results[-1] == [(i, s) for i, s in found if i not in seen][:V.N_CANDIDATES]
    finally:
        index.nprobe = before
    assert results[0] != results[1] and results[0] == results[2]    # the search did change

def test_true_scores_of_the_feed_world():
    data = V.world()
    events = data.events[::997]
    assert data.true_scores(events) == [data.true_score(e.user, e.item, e.t) for e in events]


def test_item_vectors_embed_each_video_from_its_tokens(system):
    model, vecs = V.towers(), V.item_vectors()
    assert len(vecs) == V.WORLD["n_items"]
    for i in list(range(0, 10_000, 613)) + [i for i in range(10_000) if len(V.item_tokens(i)) == 2][:20]:
        assert vecs[i] == tuple(model.item_vector(tokens=V.item_tokens(i)))
