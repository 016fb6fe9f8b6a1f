"""Tests for mlsd.data.recsys: determinism, the generative story, validation."""

import math

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
