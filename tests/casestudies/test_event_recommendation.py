"""Tests for casestudies.event_recommendation: the city, the split, the geo index, the rankers,
the serving path and the simulator behave as the module and the page describe."""

import math
import random

import pytest

from mlsd import metrics
from casestudies import event_recommendation as E


@pytest.fixture(scope="module")
def data():
    return E.world()


def test_world_is_seeded_memoized_and_realistic(data):
    assert E.world() is data
    assert len(data.users) == E.WORLD["n_users"]
    assert {h.partner for h in data.hosts} == {True, False}
    rate = sum(i.registered for i in data.impressions) / len(data.impressions)
    assert 0.005 < rate < 0.04                                   # a few per cent at most
    for e in data.events:
        assert 2.0 <= e.start_at - e.listed_at <= 21.0            # events live days to weeks
        assert 0 <= e.x < E.CITY_KM and 0 <= e.y < E.CITY_KM
        assert not e.partner or e.listed_at >= E.SHIFT_DAY         # the partner feed starts late
    times = [i.t for i in data.impressions]
    assert times == sorted(times)


def test_impressions_show_live_events_and_log_features_as_described(data):
    for imp in data.impressions[::97]:
        e = data.events[imp.event]
        assert e.listed_at <= imp.t < e.start_at                   # only live events are shown
        assert 0 <= imp.position < E.SLATE
        if imp.t >= E.TRAIN_END:
            assert imp.features is not None and len(imp.features) == len(E.FEATURES)
    kept = [i for i in data.impressions if i.t < E.TRAIN_END and i.features is not None]
    assert all(data.events[i.event].start_at < E.TRAIN_END for i in kept)
    assert all(i.features is not None for i in data.impressions
               if i.registered and data.events[i.event].start_at < E.TRAIN_END)


def test_logged_features_equal_the_serving_snapshot(data):
    """No training-serving skew: the logged row is the row the daily snapshot serves."""
    for imp in E.impression_rows(E.TRAIN_END, E.TRAIN_END + 2)[::53]:
        assert E.feature_row(imp.user, imp.event, imp.t) == imp.features


def test_split_by_event_start_has_no_shared_events(data):
    rows, labels, n = E.training_set()
    assert len(rows) == len(labels) < n
    train_events = {i.event for i in data.impressions
                    if i.t < E.TRAIN_END and data.events[i.event].start_at < E.TRAIN_END}
    test_events = {i.event for i in E.impression_rows(E.TRAIN_END, E.TEST_END)}
    assert train_events and test_events and not train_events & test_events
    kept_negatives = sum(1 for y in labels if not y)
    all_negatives = n - sum(labels)
    assert abs(kept_negatives / all_negatives - E.NEG_KEEP) < 0.02


def test_unbias_undoes_negative_downsampling():
    # a model trained with negatives kept at rate r predicts odds inflated by 1 / r
    p = 0.02
    inflated = math.log(p / (1 - p) / E.NEG_KEEP)
    assert E.unbias([inflated])[0] == pytest.approx(p)


def test_geo_index_query_equals_the_scan_and_looks_at_fewer_events():
    index = E.geo_index(30)
    rng = random.Random(3)
    for _ in range(20):
        x, y, t = rng.uniform(0, E.CITY_KM), rng.uniform(0, E.CITY_KM), 30.0 + rng.random()
        for cats in (None, {0, 3}):
            ring = index.query(x, y, t, 25, categories=cats)
            assert index.examined <= index.size
            scan = index.scan(x, y, t, 25, categories=cats)
            assert [e.id for _, e in ring] == [e.id for _, e in scan]
            for d, e in ring:
                assert e.listed_at <= t < e.start_at <= t + E.WINDOW_DAYS
                assert d <= E.MAX_RADIUS_KM and (cats is None or e.category in cats)


def test_grid_work_grows_slower_than_the_catalogue(data):
    users = data.users[:30]
    cost = []
    for factor in (1, 8):
        index = E.scaled_catalog(35, factor)
        total = 0
        for u in users:
            index.query(u.x, u.y, 35.5, 40)
            total += index.examined
        cost.append(total)
    assert cost[1] < 4 * cost[0]


def test_candidates_sources_and_feed(data):
    user, t = E.test_visits()[0][1:]
    near = E.candidates(user, t, ("nearby",))
    both = E.candidates(user, t)
    assert E.candidates(user, t, ("nearby",), n_nearby=10) == near[:10]   # nearest first
    assert len(near) == len(set(near)) <= E.N_NEARBY
    assert set(near) <= set(both) and len(both) == len(set(both))
    feed = E.recommend(user, t)
    assert 0 < len(feed) <= E.FEED_SIZE and set(feed) <= set(both)
    hosts = [data.events[e].host for e in feed]
    assert len(hosts) == len(set(hosts))                         # one event per host
    arms = E.feeds(user, t)
    assert arms["gbdt"] == feed
    assert arms["incumbent"] == E.recommend(user, t, "incumbent")


def test_rankers_beat_baselines_and_history_is_blind_to_new_events():
    s = E.score_window(E.TRAIN_END, E.TEST_END)
    y = s["labels"]
    auc = {k: metrics.roc_auc(y, s[k]) for k in ("nearest", "history", "incumbent", "gbdt")}
    assert auc["gbdt"] > auc["history"] + 0.1 and auc["incumbent"] > auc["nearest"] + 0.1
    fresh = [k for k, r in enumerate(s["rows"]) if E.history_slice(r) == "no impressions yet"]
    assert fresh and len({s["history"][k] for k in fresh}) == 1  # every new event scores the same


def test_serve_times_every_stage():
    user, t = E.test_visits()[1][1:]
    ticks = iter(range(100))
    feed, timing = E.serve(user, t, clock=lambda: float(next(ticks)))
    assert feed == E.recommend(user, t)
    for stage in E.STAGES:
        assert timing[stage] == 1000.0                           # one tick per stage
    assert timing["total"] == 1000.0 * len(E.STAGES)
    assert timing["n_candidates"] == len(E.candidates(user, t))
    rows = E.latency_table([timing, timing])
    assert [r["stage"] for r in rows] == list(E.STAGES) + ["total"]
    assert math.fsum(r["share"] for r in rows[:-1]) == pytest.approx(1.0)


def test_simulate_visit_expectation_matches_draws():
    user, t = E.test_visits()[2][1:]
    feed = E.recommend(user, t)
    rng = random.Random(0)
    runs = [E.simulate_visit(user, t, feed, rng) for _ in range(3000)]
    expected = runs[0][1]
    assert all(r[1] == expected for r in runs)
    assert math.fsum(r[0] for r in runs) / len(runs) == pytest.approx(expected, abs=0.05)
    assert E.examine(0) == 1.0 and E.examine(3) == pytest.approx(E.EXAMINE_DECAY ** 3)


@pytest.mark.parametrize("call, error, words", [
    (lambda: E.snapshot(-1), ValueError, "day"),
    (lambda: E.snapshot(2.5), TypeError, "day"),
    (lambda: E.feature_row(10**6, 0, 30.0), ValueError, "user"),
    (lambda: E.feature_row(0, 0, float("nan")), ValueError, "t"),
    (lambda: E.impression_rows(30.0, 30.0), ValueError, "start"),
    (lambda: E.candidates(0, 30.0, ("nearby", "popular")), ValueError, "sources"),
    (lambda: E.candidates(0, 30.0, "nearby"), ValueError, "sources"),
    (lambda: E.candidates(0, 30.0, n_nearby=0), ValueError, "n_nearby"),
    (lambda: E.candidates(0, 30.0, n_interest=2.5), TypeError, "n_interest"),
    (lambda: E.rank(0, [1, 2], 30.0, model="dnn"), ValueError, "model"),
    (lambda: E.rank(0, "12", 30.0), TypeError, "events"),
    (lambda: E.rerank([], k=0), ValueError, "k"),
    (lambda: E.serve(0, 30.0, clock="now"), TypeError, "clock"),
    (lambda: E.latency_table([]), ValueError, "timings"),
    (lambda: E.latency_table([{"total": 1.0}]), ValueError, "timings"),
    (lambda: E.simulate_visit(0, 30.0, [1], rng=1), TypeError, "rng"),
    (lambda: E.examine(-1), ValueError, "position"),
    (lambda: E.history_slice([0.0]), ValueError, "row"),
    (lambda: E.ndcg_by_visit([1], [0.5, 0.2], [0]), ValueError, "same length"),
    (lambda: E.scaled_catalog(35, 0), ValueError, "factor"),
    (lambda: E.geo_index(30).query(1.0, 1.0, 30.0, n=0), ValueError, "n"),
    (lambda: E.geo_index(30).query(1.0, 1.0, 30.0, max_km=-1), ValueError, "max_km"),
    (lambda: E.GeoIndex([1, 2]), TypeError, "events"),
    (lambda: E.GeoIndex([], cell_km=0), ValueError, "cell_km"),
    (lambda: E.incumbent("yes"), TypeError, "new_features"),
])
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
