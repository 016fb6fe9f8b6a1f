"""Tests for mlsd.data.click_stream: the bursty impression stream with arrival delays."""

import pytest

from mlsd.data.click_stream import DAY, HOUR, make_click_stream


def small(**kw):
    return make_click_stream(n_items=4, days=1, **kw)


def test_seeded_and_sorted_by_event_time():
    a, b = small(seed=3), small(seed=3)
    assert a.events == b.events and a.events != small(seed=4).events
    times = [e.event_time for e in a.events]
    assert times == sorted(times) and 0 <= times[0] and times[-1] < DAY
    assert all(e.arrival_time >= e.event_time for e in a.events)
    arrivals = [e.arrival_time for e in a.by_arrival()]
    assert arrivals == sorted(arrivals)


def test_rates_are_near_their_settings():
    s = make_click_stream(n_items=10, days=2, bursts_per_day=1e-9, offline_share=0.0, seed=1)
    n = len(s.events)
    assert abs(n - 10 * 2 * 24 * 75) < 4 * (10 * 2 * 24 * 75) ** 0.5       # Poisson, no bursts
    ctr = sum(e.clicked for e in s.events) / n
    assert 0.02 < ctr < 0.045
    assert max(e.arrival_time - e.event_time for e in s.events) < 60        # no offline phones


def test_bursts_raise_click_rate_and_traffic():
    s = make_click_stream(n_items=6, days=2, seed=2)
    hot = [e for e in s.events if e.p > 0.06]
    assert hot and sum(e.clicked for e in hot) / len(hot) > 2 * sum(e.clicked for e in s.events) / len(s.events) * 0.9


def test_offline_share_sets_the_share_of_long_delays():
    s = make_click_stream(n_items=8, days=1, offline_share=0.2, seed=5)
    late = sum(1 for e in s.events if e.arrival_time - e.event_time > 60) / len(s.events)
    assert 0.15 < late < 0.2


def test_counts_by_hand():
    s = small(seed=0)
    item = s.events[10].item
    mine = [e for e in s.events if e.item == item]
    lo, hi = mine[2].event_time, mine[7].event_time
    clicks, n = s.counts(item, lo, hi)                     # (lo, hi]: events 3..7
    assert n == 5 and clicks == sum(e.clicked for e in mine[3:8])
    clicks, n = s.counts(item, lo, hi, closed="left")      # [lo, hi): events 2..6
    assert n == 5 and clicks == sum(e.clicked for e in mine[2:7])
    assert s.counts(item, 0, DAY)[1] == len(mine)
    assert s.counts(item, HOUR, HOUR) == (0, 0)


@pytest.mark.parametrize("kw, err, match", [
    ({"n_items": 0}, ValueError, "n_items"),
    ({"base_ctr": 1.0}, ValueError, "base_ctr"),
    ({"offline_share": 1.5}, ValueError, "offline_share"),
    ({"burst_minutes": -1}, ValueError, "burst_minutes"),
    ({"seed": 1.5}, TypeError, "seed"),
])
def test_bad_arguments(kw, err, match):
    with pytest.raises(err, match=match):
        make_click_stream(**kw)


def test_bad_counts_arguments():
    s = small()
    with pytest.raises(ValueError, match="item"):
        s.counts(99, 0, 1)
    with pytest.raises(ValueError, match="closed"):
        s.counts(0, 0, 1, closed="both")
    with pytest.raises(TypeError, match="start"):
        s.counts(0, "0", 1)
