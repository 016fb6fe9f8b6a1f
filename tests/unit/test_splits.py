"""Tests for mlsd.splits: random, time and user splits; point-in-time features and leakage."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd import splits
from mlsd.data.clicks import make_clicks


@given(st.integers(2, 500), st.floats(0.05, 0.95), st.integers(0, 100))
def test_random_split_partitions(n, frac, seed):
    train, test = splits.random_split(n, frac, seed)
    assert sorted(train + test) == list(range(n))
    assert train and test and len(test) == min(max(1, round(n * frac)), n - 1)
    assert splits.random_split(n, frac, seed) == (train, test)


@given(st.lists(st.integers(0, 50), min_size=2, max_size=200), st.floats(0.1, 0.9))
def test_time_split_never_trains_on_the_future(ts, frac):
    if len(set(ts)) < 2:
        return
    try:
        train, test = splits.time_split(ts, frac)
    except ValueError as err:          # every row at the cutoff's instant: nothing before it
        assert "side empty" in str(err)
        return
    assert sorted(train + test) == list(range(len(ts)))
    assert max(ts[i] for i in train) < min(ts[i] for i in test)


def test_time_split_ties_and_cutoff():
    ts = [1, 2, 3, 3, 3, 4]
    train, test = splits.time_split(ts, test_fraction=0.5)
    assert train == [0, 1] and test == [2, 3, 4, 5]      # the three 3s stay together
    assert splits.time_split(ts, cutoff=4) == ([0, 1, 2, 3, 4], [5])
    # unsorted input is fine unless the caller promised it was sorted
    assert splits.time_split([5, 1, 3], cutoff=3) == ([1], [2, 0])
    with pytest.raises(ValueError, match=r"timestamps\[1\] = 1 comes after 5"):
        splits.time_split([5, 1, 3], assume_sorted=True)


def test_user_split_keeps_users_whole():
    log = make_clicks(n=3000, seed=0)
    train, test = splits.user_split(log.user_ids, 0.25, seed=1)
    train_users = {log.user_ids[i] for i in train}
    test_users = {log.user_ids[i] for i in test}
    assert not train_users & test_users
    assert len(test_users) == round(len(train_users | test_users) * 0.25)
    assert sorted(train + test) == list(range(3000))


def test_point_in_time_rate_uses_only_the_past():
    keys = ["a", "a", "b", "a", "a"]
    ts = [1, 2, 2, 3, 3]
    y = [1, 0, 1, 1, 0]
    pit = splits.point_in_time_rate(keys, ts, y, prior_weight=1.0, prior=0.5)
    # a@1: nothing yet -> prior; a@2: one click in one -> (1 + .5)/(1 + 1);
    # both a@3 rows see the same past (two impressions, one click) -> (1 + .5)/(2 + 1)
    assert pit == pytest.approx([0.5, 0.75, 0.5, 0.5, 0.5])
    ahead = splits.lookahead_rate(keys, y, prior_weight=1.0, prior=0.5)
    assert ahead == pytest.approx([2.5 / 5, 2.5 / 5, 1.5 / 2, 2.5 / 5, 2.5 / 5])


def test_leakage_demo_exposes_the_look_ahead_feature():
    log = make_clicks(n=5000, seed=0)
    result = splits.leakage_demo(log.user_ids, log.timestamps, log.labels)
    assert result["auc_lookahead"] > result["auc_point_in_time"] + 0.2
    assert abs(result["auc_point_in_time"] - result["auc_frozen_at_cutoff"]) < 0.05
    assert result["train_rows"] + result["test_rows"] == 5000
    assert splits.take(["x", "y", "z"], [2, 0]) == ["z", "x"]


@pytest.mark.parametrize("call, exc, words", [
    (lambda: splits.random_split(0), ValueError, "n must be a positive"),
    (lambda: splits.random_split(1), ValueError, "n must be >= 2"),
    (lambda: splits.random_split(10, 1.0), ValueError, "test_fraction"),
    (lambda: splits.random_split(10, seed="a"), TypeError, "seed"),
    (lambda: splits.time_split([]), ValueError, "timestamps must not be empty"),
    (lambda: splits.time_split([1, float("nan")]), ValueError, "timestamps[1] must be finite"),
    (lambda: splits.time_split([1, "2"]), TypeError, "timestamps[1] must be a number"),
    (lambda: splits.time_split([1, 2], cutoff=5), ValueError, "test side empty"),
    (lambda: splits.time_split([1, 2], cutoff="x"), TypeError, "cutoff"),
    (lambda: splits.time_split([1, 2], assume_sorted="yes"), TypeError, "assume_sorted"),
    (lambda: splits.user_split([1, 1, 1]), ValueError, "at least 2 distinct users"),
    (lambda: splits.user_split([[1], [2]]), TypeError, "hashable"),
    (lambda: splits.lookahead_rate(["a"], [1, 0]), ValueError, "same length"),
    (lambda: splits.lookahead_rate(["a"], [2]), ValueError, "only 0 and 1"),
    (lambda: splits.lookahead_rate(["a"], [1], prior_weight=-1), ValueError, "prior_weight"),
    (lambda: splits.point_in_time_rate(["a", "b"], [1], [1, 0]), ValueError, "same length"),
    (lambda: splits.leakage_demo(["a", "b", "c"], [1, 2, 3], [0, 0, 0]), ValueError, "both clicks"),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value)
