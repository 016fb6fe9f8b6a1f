"""Tests for mlsd.windows: exact and bucketed sliding-window counters."""

import doctest
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import windows
from mlsd.windows import BucketedWindow, SlidingWindow


def brute(events, now, window):
    inside = [(t, a, i) for t, a, i in events if now - window < t <= now]
    return len(inside), sum(a for _, a, _ in inside), len({i for *_, i in inside if i is not None})


def test_doctests():
    assert doctest.testmod(windows).failed == 0


def test_exact_window_matches_brute_force_on_a_random_stream():
    rng = random.Random(3)
    w = SlidingWindow(window=2.0)
    events = {k: [] for k in "abc"}
    t = 0.0
    for _ in range(600):
        t += rng.expovariate(5.0)
        key = rng.choice("abc")
        item = rng.randrange(4)
        amount = round(rng.uniform(1, 100), 2)
        w.add(key, t, amount, item=item)
        events[key].append((t, amount, item))
        if rng.random() < 0.3:
            q = rng.choice("abc")
            got = w.query(q, t)
            count, total, distinct = brute(events[q], t, 2.0)
            assert got["count"] == count and got["distinct"] == distinct
            assert got["total"] == pytest.approx(total, abs=1e-6)
            probe = rng.randrange(4)
            assert w.item_count(q, probe, t) == sum(
                1 for s, _, i in events[q] if t - 2.0 < s <= t and i == probe)


def test_exact_window_memory_is_the_events_inside_it():
    w = SlidingWindow(window=1.0)
    for i in range(100):
        w.add("hot", i * 0.1)          # 10 events per unit of time
    w.add("quiet", 9.9)
    assert w.query("hot", 9.9)["count"] == 10   # (8.9, 9.9]: 9.0 .. 9.9
    assert w.entries() == 11 and len(w) == 2


def test_unknown_key_is_empty():
    assert SlidingWindow(1.0).query("nobody", 5.0) == {"count": 0, "total": 0.0, "distinct": 0}
    assert BucketedWindow(1.0, 4).query("nobody", 5.0) == {"count": 0, "total": 0.0}


@settings(max_examples=60, deadline=None)
@given(gaps=st.lists(st.floats(0.0, 0.7), min_size=1, max_size=60),
       n_buckets=st.integers(1, 12), lag=st.floats(0.0, 3.0))
def test_bucketed_never_undercounts_and_overcounts_by_at_most_one_bucket(gaps, n_buckets, lag):
    window = 1.0
    b = BucketedWindow(window, n_buckets)
    times, t = [], 0.0
    for g in gaps:
        t += g
        b.add("k", t)
        times.append(t)
    now = t + lag
    got = b.query("k", now)["count"]
    exact = sum(now - window < x <= now for x in times)
    wide = sum(now - window - b.width < x <= now for x in times)
    assert exact <= got <= wide


def test_bucketed_memory_does_not_grow_with_the_rate():
    b = BucketedWindow(window=1.0, n_buckets=10)
    for i in range(10_000):
        b.add("hot", i * 0.001)
    assert b.entries() == 11
    assert b.query("hot", 9.999)["count"] >= 1000


def test_out_of_order_events_are_refused_with_the_key():
    w = SlidingWindow(1.0)
    w.add("card", 5.0)
    with pytest.raises(ValueError, match="t must not decrease.*'card'"):
        w.add("card", 4.0)
    w.add("other", 1.0)                 # another key has its own clock
    b = BucketedWindow(1.0, 4)
    b.add("card", 5.0)
    with pytest.raises(ValueError, match="t must not decrease.*'card'"):
        b.add("card", 3.0)
    with pytest.raises(ValueError, match="now must not be before"):
        b.query("card", 3.0)


@pytest.mark.parametrize("make, error, match", [
    (lambda: SlidingWindow(0), ValueError, "window"),
    (lambda: SlidingWindow("1"), TypeError, "window"),
    (lambda: BucketedWindow(1.0, 0), ValueError, "n_buckets"),
    (lambda: BucketedWindow(1.0, 2.5), TypeError, "n_buckets"),
    (lambda: SlidingWindow(1.0).add("k", float("nan")), ValueError, "t must be finite"),
    (lambda: SlidingWindow(1.0).add("k", 1.0, amount="3"), TypeError, "amount"),
    (lambda: SlidingWindow(1.0).add(["k"], 1.0), TypeError, "key must be hashable"),
    (lambda: SlidingWindow(1.0).add("k", 1.0, item=[1]), TypeError, "item must be hashable"),
    (lambda: BucketedWindow(1.0, 3).add("k", True), TypeError, "t must be a number"),
])
def test_bad_input_is_named(make, error, match):
    with pytest.raises(error, match=match):
        make()
