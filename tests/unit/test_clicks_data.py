"""Tests for mlsd.data.clicks: shape, determinism, base rate, signal, drift, bad input."""

import pytest

from mlsd import metrics
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, START_TIME, make_clicks


def test_shape_and_names():
    log = make_clicks(n=2000, seed=1)
    assert len(log) == 2000
    assert len(log.feature_names) == 20
    assert log.numeric_names == NUMERIC_FEATURES and log.categorical_names == CATEGORICAL_FEATURES
    assert all(len(r) == 12 for r in log.numeric) and all(len(r) == 8 for r in log.categorical)
    for col in (log.labels, log.timestamps, log.user_ids, log.ad_ids, log.true_ctr):
        assert len(col) == 2000
    rec = log.records()[0]
    assert set(rec) == set(log.feature_names)
    assert len(log.matrix()[0]) == 20 and all(isinstance(v, float) for v in log.matrix()[0])


def test_same_seed_same_log_and_memoized():
    a, b = make_clicks(n=1500, seed=3), make_clicks(n=1500, seed=3)
    assert a is b                                   # memoized: the second call is free
    c = make_clicks(n=1500, seed=4)
    assert a.labels != c.labels


def test_timestamps_sorted_and_consistent_with_hour_and_day():
    log = make_clicks(n=3000, seed=0, days=7)
    ts = log.timestamps
    assert all(a <= b for a, b in zip(ts, ts[1:]))
    assert START_TIME <= ts[0] and ts[-1] < START_TIME + 7 * 86400
    hour = log.numeric_names.index("hour")
    dow = log.categorical_names.index("day_of_week")
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for t, num, cat in zip(ts, log.numeric, log.categorical):
        assert num[hour] == (t - START_TIME) // 3600 % 24
        assert cat[dow] == days[(t - START_TIME) // 86400 % 7]


@pytest.mark.parametrize("base_ctr", [0.01, 0.03, 0.2])
def test_base_ctr_is_respected(base_ctr):
    log = make_clicks(n=8000, seed=2, base_ctr=base_ctr)
    assert sum(log.true_ctr) / len(log) == pytest.approx(base_ctr, rel=1e-3)
    observed = sum(log.labels) / len(log)
    assert abs(observed - base_ctr) < 4 * (base_ctr * (1 - base_ctr) / len(log)) ** 0.5


def test_labels_carry_signal():
    log = make_clicks(n=8000, seed=0, base_ctr=0.05)
    best = metrics.roc_auc(log.labels, log.true_ctr)   # the best any model could do
    assert 0.75 < best < 0.95
    # a single logged feature already ranks clicks above chance
    tm = log.numeric_names.index("text_match")
    assert metrics.roc_auc(log.labels, [r[tm] for r in log.numeric]) > 0.55


def test_interest_match_cross_raises_ctr():
    log = make_clicks(n=8000, seed=0, base_ctr=0.05)
    cat, interest = (log.categorical_names.index(c) for c in ("ad_category", "user_interest"))
    match = [y for y, c in zip(log.labels, log.categorical) if c[cat] == c[interest]]
    other = [y for y, c in zip(log.labels, log.categorical) if c[cat] != c[interest]]
    assert sum(match) / len(match) > 1.5 * sum(other) / len(other)


def test_drift_changes_travel_ctr_after_drift_time():
    log = make_clicks(n=8000, seed=0, base_ctr=0.05, drift=True)
    assert log.drift_time is not None
    cat = log.categorical_names.index("ad_category")

    def travel_ctr(after):
        p = [q for q, t, c in zip(log.true_ctr, log.timestamps, log.categorical)
             if c[cat] == "travel" and (t >= log.drift_time) == after]
        return sum(p) / len(p)

    assert travel_ctr(after=True) > 1.5 * travel_ctr(after=False)
    assert make_clicks(n=8000, seed=0, base_ctr=0.05).drift_time is None


def test_subset_and_users():
    log = make_clicks(n=2000, seed=0)
    sub = log.subset([5, 1, 7])
    assert len(sub) == 3 and sub.labels == (log.labels[5], log.labels[1], log.labels[7])
    assert len(set(log.user_ids)) <= 2000 // 8
    assert "ClickLog(rows=2000" in repr(log)
    with pytest.raises(ValueError, match="indices must be in"):
        log.subset([2000])
    with pytest.raises(TypeError, match="indices must hold integers"):
        log.subset([1.0])


@pytest.mark.parametrize("kwargs, exc, words", [
    ({"n": 0}, ValueError, "n must be a positive integer"),
    ({"n": 10.5}, TypeError, "n must be an integer"),
    ({"base_ctr": 0.0}, ValueError, "base_ctr"),
    ({"base_ctr": 1.2}, ValueError, "base_ctr"),
    ({"drift": "yes"}, TypeError, "drift"),
    ({"days": 0}, ValueError, "days"),
    ({"n_users": 0}, ValueError, "n_users"),
    ({"seed": "a"}, TypeError, "seed"),
])
def test_bad_input(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        make_clicks(**kwargs)


def test_dense_rows_are_numeric_columns_then_five_indicators():
    log = make_clicks(n=200, seed=3)
    dense, records = log.dense(), log.records()
    assert len(dense) == 200 and all(len(row) == 17 for row in dense)
    for row, r in zip(dense, records):
        assert row[:12] == [float(r[f]) for f in log.numeric_names]
        assert row[12:] == [float(r["device"] == "mobile"), float(r["placement"] == "feed"),
                            float(r["placement"] == "sidebar"), float(r["placement"] == "search"),
                            float(r["user_interest"] == r["ad_category"])]
    # every indicator is both 0 and 1 somewhere in 200 rows
    assert all({row[k] for row in dense} == {0.0, 1.0} for k in range(12, 17))
