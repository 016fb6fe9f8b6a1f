"""Tests for mlsd.data.recsys: determinism, the generative story, validation."""

import math
import random
from bisect import bisect_right
from itertools import accumulate

import pytest

from mlsd.data import recsys as R

SMALL = dict(n_users=200, n_items=300, n_events=3000, d=8, n_clusters=6, seed=3)


def test_same_seed_same_data_and_memoized():
    a = R.make_recsys(**SMALL)
    assert R.make_recsys(**SMALL) is a                     # memoized
    R.make_recsys.cache_clear()
    b = R.make_recsys(**SMALL)
    assert b is not a
    assert a.events == b.events and a.users == b.users and a.items == b.items


def test_different_seed_different_data():
    a = R.make_recsys(**SMALL)
    b = R.make_recsys(**{**SMALL, "seed": 4})
    assert a.events != b.events


def test_shapes_and_time_order():
    data = R.make_recsys(**SMALL)
    assert len(data.users) == 200 and len(data.items) == 300 and len(data.events) == 3000
    ts = [e.t for e in data.events]
    assert ts == sorted(ts) and 0 <= ts[0] and ts[-1] <= data.days
    for v in (data.items[0].vector, data.users[0].taste, data.users[0].drifted_taste):
        assert len(v) == 8 and math.isclose(math.fsum(x * x for x in v), 1.0, rel_tol=1e-12)
    assert math.isclose(math.fsum(it.popularity for it in data.items), 1.0, rel_tol=1e-12)


def test_no_event_before_a_user_or_item_exists():
    data = R.make_recsys(**SMALL)
    for e in data.events:
        assert data.users[e.user].joined_at <= e.t
        assert data.items[e.item].created_at <= e.t
    assert any(u.joined_at > 0 for u in data.users)        # cold-start users exist
    assert any(it.created_at > 0 for it in data.items)     # and new items


def test_popularity_is_skewed():
    data = R.make_recsys(**SMALL)
    counts = [0] * len(data.items)
    for e in data.events:
        counts[e.item] += 1
    counts.sort(reverse=True)
    top_share = sum(counts[:30]) / len(data.events)        # top 10% of items
    assert top_share > 0.3


def test_clicks_follow_affinity():
    data = R.make_recsys(**SMALL)
    early = [e for e in data.events if e.t < data.drift_day]
    hi = [e.clicked for e in early if data.true_score(e.user, e.item, e.t) > 0]
    lo = [e.clicked for e in early if data.true_score(e.user, e.item, e.t) < -2]
    assert sum(hi) / len(hi) > 0.5 > 0.2 > sum(lo) / len(lo)


def test_drift_changes_what_gets_clicked():
    data = R.make_recsys(**SMALL)
    before, after = data.split_by_time(data.drift_day)
    assert before and after and before[-1].t < data.drift_day <= after[0].t

    def trending_share(events):
        clicks = [e for e in events if e.clicked]
        return sum(data.items[e.item].category == data.trending_topic for e in clicks) / len(clicks)

    assert trending_share(after) > 2 * trending_share(before)


def test_interactions_are_the_clicks():
    data = R.make_recsys(**SMALL)
    pos = data.interactions()
    assert pos and all(e.clicked == 1 for e in pos)
    assert len(pos) == sum(e.clicked for e in data.events)


def test_pair_features_use_only_the_past():
    data = R.make_recsys(**SMALL)
    row = R.pair_features(data, 5, 7, 10.0, retrieval_score=0.25)
    assert len(row) == len(R.FEATURE_NAMES) == 20
    assert row[0] == 0.25 and all(math.isfinite(x) for x in row)
    # Features at t=0 see no history at all.
    zero = R.pair_features(data, 5, 7, 0.0)
    assert zero[R.FEATURE_NAMES.index("item_log_impressions")] == 0.0
    assert zero[R.FEATURE_NAMES.index("user_ctr")] == 0.25          # prior (0+1)/(0+4)


def test_candidate_features_match_pair_features():
    data = R.make_recsys(**SMALL)
    rows = R.candidate_features(data, 4, [1, 2, 3], 12.5, [0.1, 0.2, 0.3])
    assert rows == [R.pair_features(data, 4, i, 12.5, s) for i, s in zip([1, 2, 3], [0.1, 0.2, 0.3])]
    # history comes from the daily snapshot: same day, same counts
    a = R.candidate_features(data, 4, [1], 12.1)[0]
    b = R.candidate_features(data, 4, [1], 12.9)[0]
    assert a[1:3] == b[1:3] and a[18] != b[18]
    with pytest.raises(ValueError, match=r"^items\[1\] must be an item id"):
        R.candidate_features(data, 4, [1, 10_000], 1.0)
    with pytest.raises(ValueError, match="^scores and items must have the same length"):
        R.candidate_features(data, 4, [1, 2], 1.0, [0.5])


def test_ann_dataset_queries_share_the_base_distribution():
    a = R.make_ann_dataset(n=500, n_queries=20, d=8, n_clusters=5, seed=1)
    assert len(a.vectors) == 500 and len(a.queries) == 20 and len(a.labels) == 500
    assert set(a.labels) == set(range(5))
    # The base vectors do not depend on how many queries were drawn.
    assert R.make_ann_dataset(n=500, n_queries=0, d=8, n_clusters=5, seed=1).vectors == a.vectors
    assert R.clustered_vectors(n=500, d=8, n_clusters=5, seed=1) == a.vectors


def test_clustered_vectors_are_clustered():
    a = R.make_ann_dataset(n=400, n_queries=0, d=16, n_clusters=4, spread=0.3, seed=2)
    dot = lambda u, v: sum(x * y for x, y in zip(u, v))  # noqa: E731
    same = [dot(a.vectors[i], a.vectors[j]) for i in range(40) for j in range(40)
            if i < j and a.labels[i] == a.labels[j]]
    diff = [dot(a.vectors[i], a.vectors[j]) for i in range(40) for j in range(40)
            if i < j and a.labels[i] != a.labels[j]]
    assert sum(same) / len(same) > sum(diff) / len(diff) + 0.5


def test_zipf_weights():
    w = R.zipf_weights(4, 1.0)
    assert math.isclose(sum(w), 1.0)
    assert w == sorted(w, reverse=True)
    assert math.isclose(w[0] / w[1], 2.0)
    assert R.zipf_weights(3, 0.0) == [1 / 3] * 3


@pytest.mark.parametrize("kwargs, exc, msg", [
    ({"n_users": 0}, ValueError, "n_users"),
    ({"n_items": -5}, ValueError, "n_items"),
    ({"n_events": 2.5}, TypeError, "n_events"),
    ({"d": 0}, ValueError, "^d must"),
    ({"drift_day": 99.0}, ValueError, "drift_day"),
    ({"new_fraction": 1.0}, ValueError, "new_fraction"),
    ({"new_fraction": -0.1}, ValueError, "new_fraction"),
    ({"zipf_s": -1.0}, ValueError, "zipf_s"),
    ({"personal_share": float("nan")}, ValueError, "personal_share"),
    ({"seed": "x"}, TypeError, "seed"),
])
def test_make_recsys_validates(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        R.make_recsys(**{**SMALL, **kwargs})


def test_other_validation():
    data = R.make_recsys(**SMALL)
    with pytest.raises(ValueError, match="^user must be in"):
        R.pair_features(data, 10_000, 0, 1.0)
    with pytest.raises(ValueError, match="^t must be finite"):
        R.pair_features(data, 0, 0, float("nan"))
    with pytest.raises(TypeError, match="^data must be a RecsysData"):
        R.pair_features({}, 0, 0, 1.0)
    with pytest.raises(ValueError, match="^n must be a positive integer"):
        R.make_ann_dataset(n=0)
    with pytest.raises(ValueError, match="^spread must be > 0"):
        R.clustered_vectors(n=10, spread=0.0)
    with pytest.raises(ValueError, match="^s must be >= 0"):
        R.zipf_weights(3, -1)
    with pytest.raises(ValueError, match="^t must be finite"):
        data.split_by_time(float("inf"))


def test_every_data_generator_takes_keyword_arguments_only():
    import inspect

    from mlsd.data import clicks, graph, search

    for make in (clicks.make_clicks, graph.make_social_graph, R.make_ann_dataset,
                 R.clustered_vectors, R.make_recsys, search.make_search_data):
        params = list(inspect.signature(make).parameters.values())
        assert all(p.kind is p.KEYWORD_ONLY for p in params), make.__name__
        assert params[-1].name == "seed", make.__name__
    with pytest.raises(TypeError):
        R.make_ann_dataset(100)


# ----------------------------------------------- fast paths equal the plain ones
def _plain_make_recsys(*, n_users=1000, n_items=2000, n_events=20_000, d=32, n_clusters=16,
                       days=28.0, drift_day=21.0, new_fraction=0.1, zipf_s=1.0, personal_share=0.5,
                       spread=0.5, user_spread=0.5, seed=0):
    """make_recsys written plainly (normalvariate, uniform, choice, _logit and _sigmoid called
    per draw): the generator's inlined loops must give exactly this world."""
    rng = random.Random(seed)
    gauss = lambda: [rng.normalvariate(0.0, 1.0) for _ in range(d)]   # noqa: E731
    centres = [gauss() for _ in range(n_clusters)]
    ranks = list(range(n_items))
    rng.shuffle(ranks)
    zipf = R.zipf_weights(n_items, zipf_s)
    items = []
    for i in range(n_items):
        k = rng.randrange(n_clusters)
        created = rng.uniform(0, days) if rng.random() < new_fraction and i else 0.0
        vec = R._normalize([c + spread * rng.normalvariate(0.0, 1.0) for c in centres[k]])
        items.append(R.Item(i, k, zipf[ranks[i]], created, vec))
    trending = rng.randrange(n_clusters)
    trend = R._normalize(centres[trending])
    users = []
    for u in range(n_users):
        age, country = rng.randrange(5), rng.randrange(8)
        if rng.random() < 0.6:
            fav = rng.randrange(age, n_clusters, 5) if age < n_clusters else rng.randrange(n_clusters)
        else:
            fav = rng.randrange(n_clusters)
        taste = R._normalize([c + user_spread * rng.normalvariate(0.0, 1.0) for c in centres[fav]])
        drifted = R._normalize([a + R._DRIFT_STRENGTH * b for a, b in zip(taste, trend)])
        joined = rng.uniform(0, days) if rng.random() < new_fraction and u else 0.0
        activity = 1.0 / math.sqrt(1.0 - rng.random())
        users.append(R.User(u, age, country, activity, joined, fav, taste, drifted))
    user_cum = list(accumulate(us.activity for us in users))
    item_cum = list(accumulate(it.popularity for it in items))
    by_topic = [[] for _ in range(n_clusters)]
    for it in items:
        by_topic[it.category].append(it.id)
    times = sorted(rng.uniform(0, days) for _ in range(n_events))
    events = []
    for t in times:
        while True:
            us = users[bisect_right(user_cum, rng.random() * user_cum[-1])]
            if us.joined_at <= t:
                break
        while True:
            if rng.random() < personal_share:
                topic = us.favourite
                if t >= drift_day and rng.random() < 0.5:
                    topic = trending
                i = rng.choice(by_topic[topic] or range(n_items))
            else:
                i = min(bisect_right(item_cum, rng.random() * item_cum[-1]), n_items - 1)
            it = items[i]
            if it.created_at <= t:
                break
        z = R._logit(us.drifted_taste if t >= drift_day else us.taste, it.vector,
                     math.log(n_items * it.popularity))
        events.append(R.Event(t, us.id, i, int(rng.random() < R._sigmoid(z))))
    return users, items, events, trending


@pytest.mark.parametrize("kwargs", [
    SMALL,
    dict(n_users=50, n_items=40, n_events=2000, n_clusters=7, personal_share=0.9,
         new_fraction=0.5, zipf_s=0.0, seed=5),
    dict(n_users=30, n_items=3, n_events=500, n_clusters=6, days=5.0, drift_day=0.0, seed=2),  # empty topics
])
def test_generator_equals_the_plain_loops(kwargs):
    data = R.make_recsys(**kwargs)
    users, items, events, trending = _plain_make_recsys(**kwargs)
    assert list(data.users) == users and list(data.items) == items
    assert list(data.events) == events and data.trending_topic == trending
    assert all(type(e) is R.Event and type(e.clicked) is int for e in data.events)


def test_true_scores_equal_true_score():
    data = R.make_recsys(**SMALL)
    events = data.events[::7]
    assert data.true_scores(events) == [data.true_score(e.user, e.item, e.t) for e in events]
    assert data.true_scores([]) == []


def test_daily_snapshots_equal_a_recount():
    data = R.make_recsys(**SMALL)
    # in time order (one pass), then back in time (a new pass), then past the end of the log
    for day in (3.0, 4.0, 10.0, 21.0, 2.0, 27.0, 40.0):
        st = R._history_stats(data, day)
        past = [e for e in data.events if e.t < day]
        item_imp, item_clk = [0] * len(data.items), [0] * len(data.items)
        user_topic, last = {}, {}
        for e in past:
            k = data.items[e.item].category
            item_imp[e.item] += 1
            item_clk[e.item] += e.clicked
            imps, clicks, _ = user_topic.get((e.user, k), (0, 0, None))
            user_topic[e.user, k] = (imps + 1, clicks + e.clicked, e.t)
            if e.clicked:
                last[e.user] = k
        assert list(st.item_imp) == item_imp and list(st.item_clk) == item_clk
        assert st.user_topic == user_topic and st.user_last_topic == last
        assert sum(st.user_imp) == sum(st.topic_imp) == len(past)
        assert sum(st.user_clk) == sum(st.topic_clk) == sum(e.clicked for e in past)
