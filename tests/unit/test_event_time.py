"""Tests for mlsd.event_time: window assignment, sessions, watermarks and allowed lateness."""

import doctest
import math
import random

import pytest

from mlsd import event_time
from mlsd.event_time import EventTimeWindows, hopping_windows, session_windows, tumbling_window


def test_doctests():
    assert doctest.testmod(event_time).failed == 0


def test_tumbling_window_start():
    assert tumbling_window(0, 5) == 0.0
    assert tumbling_window(4.999, 5) == 0.0
    assert tumbling_window(5, 5) == 5.0          # windows are [start, start + size)
    assert tumbling_window(-0.5, 5) == -5.0


def test_hopping_windows_hold_the_time_and_number_size_over_slide():
    assert hopping_windows(12, size=10, slide=5) == [5.0, 10.0]
    assert hopping_windows(10, size=10, slide=5) == [5.0, 10.0]   # 0 + 10 excludes 10
    assert hopping_windows(3, size=60, slide=15) == [-45.0, -30.0, -15.0, 0.0]
    rng = random.Random(1)
    for _ in range(200):
        t = rng.uniform(-100, 100)
        starts = hopping_windows(t, size=60, slide=15)
        assert len(starts) == 4 and all(s <= t < s + 60 for s in starts)
    assert hopping_windows(6, size=2, slide=5) == [5.0]
    assert hopping_windows(8, size=2, slide=5) == []             # a gap between windows


def test_session_windows_by_hand():
    assert session_windows([], gap=1) == []
    got = session_windows([0, 4, 5, 11, 12.5], gap=5)
    assert [(s["start"], s["end"], s["count"]) for s in got] == [(0, 5, 3), (11, 12.5, 2)]
    # a gap of exactly `gap` stays in the session; a longer one splits it
    assert len(session_windows([0, 5], gap=5)) == 1 and len(session_windows([0, 5.01], gap=5)) == 2


def test_in_order_stream_loses_nothing_and_matches_exact_counts():
    rng = random.Random(4)
    events = sorted((rng.uniform(0, 100), rng.choice("xyz")) for _ in range(300))
    w = EventTimeWindows(size=10, slide=5)
    for t, key in events:
        assert w.add(key, t, t) == "on time"
    w.flush(at=100)
    for (key, start), count in w.results.items():
        assert count == sum(1 for t, k in events if k == key and start <= t < start + 10)
    assert sum(w.results.values()) == 2 * len(events)             # size / slide = 2 windows each
    assert w.stats["window updates"] == 2 * len(events) and w.stats["dropped"] == 0


def test_watermark_delay_and_lateness_by_hand():
    w = EventTimeWindows(size=10, delay=2, lateness=5)
    assert w.add("a", 1, 1) == "on time"
    assert w.add("a", 9, 9) == "on time"
    assert w.add("a", 11, 11) == "on time" and w.watermark == 9    # [0, 10) not yet fired
    assert w.emissions == []
    assert w.add("a", 13, 14) == "on time"                         # watermark 11: fires
    assert [(e["count"], e["emitted_at"], e["kind"]) for e in w.emissions] == [(2, 14.0, "on time")]
    assert w.add("a", 5, 15) == "late"                             # 11 < 10 + 5: updated
    assert w.emissions[-1]["count"] == 3 and w.emissions[-1]["kind"] == "late update"
    assert w.results[("a", 0.0)] == 3 and w.value("a") == 3


def test_late_events_are_dropped_after_allowed_lateness():
    w = EventTimeWindows(size=10, delay=2, lateness=5)
    for e, a in [(1, 1), (9, 9), (13, 14)]:
        w.add("a", e, a)
    assert w.add("a", 5, 15) == "late"                             # watermark 11 < 10 + 5
    assert w.add("a", 20, 20) == "on time"                         # watermark 18 >= 15: freed
    assert w.add("a", 6, 22) == "dropped"
    assert w.results[("a", 0.0)] == 3                              # the dropped one is not counted
    assert w.stats == {"on time": 4, "late": 1, "dropped": 1, "window updates": 6,
                       "late updates": 1, "peak windows held": 3}


def test_late_event_for_a_window_that_never_had_an_event():
    w = EventTimeWindows(size=10, lateness=10)
    w.add("a", 25, 25)                                             # watermark 25
    assert w.add("b", 15, 26) == "late"                            # [10, 20): fired nothing, kept
    assert w.results[("b", 10.0)] == 1 and w.value("b") == 1
    assert w.value("a") == 0                                       # "a" had nothing in [10, 20)


def test_larger_delay_drops_fewer_events_and_waits_longer():
    rng = random.Random(7)
    events = []
    for i in range(2000):
        e = i * 0.5
        late = rng.expovariate(1 / 3.0)
        events.append((e + late, e))
    events.sort()
    dropped, waits = [], []
    for delay in (0, 5, 20):
        w = EventTimeWindows(size=10, delay=delay)
        for a, e in events:
            w.add("k", e, a)
        first = {}
        for row in w.emissions:
            first.setdefault(row["start"], row["emitted_at"] - row["end"])
        dropped.append(w.stats["dropped"])
        waits.append(sum(first.values()) / len(first))
    assert dropped[0] > dropped[1] > dropped[2] == 0
    assert waits[0] < waits[1] < waits[2] and waits[2] >= 20


def test_value_uses_the_latest_complete_window():
    w = EventTimeWindows(size=60, slide=15)
    for t in (1, 2, 50, 70):
        w.add("k", t, t)
    # watermark 70: the latest complete window ends at 60, i.e. [0, 60) with 3 events
    assert w.value("k") == 3 and w.value("other") == 0
    assert EventTimeWindows(size=5).value("k") == 0                # nothing seen yet
    w.flush(at=80)
    with pytest.raises(ValueError, match="flushed"):
        w.value("k")


@pytest.mark.parametrize("kwargs, err, match", [
    ({"size": 0}, ValueError, "size"),
    ({"size": 5, "slide": -1}, ValueError, "slide"),
    ({"size": 5, "delay": -1}, ValueError, "delay"),
    ({"size": 5, "lateness": math.inf}, ValueError, "lateness"),
    ({"size": "5"}, TypeError, "size"),
])
def test_bad_constructor_arguments(kwargs, err, match):
    with pytest.raises(err, match=match):
        EventTimeWindows(**kwargs)


def test_bad_add_arguments():
    w = EventTimeWindows(size=5)
    w.add("k", 1, 10)
    with pytest.raises(ValueError, match="arrival_time must not decrease"):
        w.add("k", 2, 9)
    with pytest.raises(TypeError, match="key must be hashable"):
        w.add(["k"], 2, 11)
    with pytest.raises(TypeError, match="event_time"):
        w.add("k", None, 11)
    with pytest.raises(ValueError, match="arrival_time"):
        w.add("k", 1, math.nan)


def test_bad_window_function_arguments():
    with pytest.raises(ValueError, match="size"):
        tumbling_window(1, 0)
    with pytest.raises(ValueError, match="slide"):
        hopping_windows(1, size=5, slide=0)
    with pytest.raises(ValueError, match="gap"):
        session_windows([1, 2], gap=0)
    with pytest.raises(TypeError, match="times"):
        session_windows("12", gap=1)
    with pytest.raises(TypeError, match="times"):
        session_windows([1, "2"], gap=1)
