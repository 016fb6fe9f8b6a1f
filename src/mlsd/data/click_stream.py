"""A stream of impressions and clicks whose click rate changes within minutes, with arrival delays.

:func:`make_click_stream` simulates ``n_items`` items (stories, products, videos) for ``days``
days. Each item has its own base click rate ``c_i = base_ctr * exp(N(0, 0.3^2))`` and switches
between two states:

- *cold*, for an exponential time with mean ``1 / bursts_per_day`` days;
- *hot* (it trends), for an exponential time with mean ``burst_minutes``: impressions come
  ``burst_traffic`` times as fast and the click rate is ``burst_lift * c_i``.

Impressions of an item are a Poisson process of rate ``impressions_per_hour`` (times
``burst_traffic`` when hot); each is clicked with the item's current click rate, which is stored
with the event (``p``), so a model can be scored against the truth without label noise.

Each event also gets an **arrival time**: the event time plus a network delay (exponential, mean
``network_delay_seconds``) and, for a share ``offline_share`` of the events (a phone that was
offline, a batch upload from an app), an extra exponential delay with mean
``offline_delay_minutes``. Times are in seconds from the start.

:meth:`ClickStream.counts` answers ``COUNT(*)`` and ``SUM(clicked)`` over event time for one item,
from the complete log: the batch path, which sees every event however late it came.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from typing import NamedTuple

from mlsd.validate import (check_int, check_non_negative, check_number, check_open_probability,
                           check_positive, check_positive_int, check_probability)

__all__ = ["Event", "ClickStream", "make_click_stream", "DAY", "HOUR", "MINUTE"]

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0


class Event(NamedTuple):
    event_time: float       # when the impression happened (seconds)
    arrival_time: float     # when the stream processor reads it
    item: int
    clicked: int            # 1 if the impression was clicked
    p: float                # the true click probability at that moment


@dataclass
class ClickStream:
    """The events in event-time order, with per-item indexes for counting."""

    events: list
    n_items: int
    days: int
    _times: dict = field(default_factory=dict, repr=False)
    _clicks: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._times = {i: [] for i in range(self.n_items)}
        self._clicks = {i: [] for i in range(self.n_items)}
        for e in self.events:
            self._times[e.item].append(e.event_time)
            if e.clicked:
                self._clicks[e.item].append(e.event_time)

    def counts(self, item: int, start: float, end: float, closed: str = "right") -> tuple[int, int]:
        """``(clicks, impressions)`` of ``item`` with event time in ``(start, end]``
        (``closed="right"``) or ``[start, end)`` (``closed="left"``)."""
        if item not in self._times:
            raise ValueError(f"item must be in 0..{self.n_items - 1}, got {item!r}")
        start, end = check_number("start", start), check_number("end", end)
        side = {"right": bisect.bisect_right, "left": bisect.bisect_left}.get(closed)
        if side is None:
            raise ValueError(f"closed must be 'right' or 'left', got {closed!r}")
        times, clicks = self._times[item], self._clicks[item]
        return (side(clicks, end) - side(clicks, start), side(times, end) - side(times, start))

    def by_arrival(self) -> list:
        """The events in arrival order: what a stream processor reads."""
        return sorted(self.events, key=lambda e: (e.arrival_time, e.event_time))


def make_click_stream(*, n_items: int = 16, days: int = 3, impressions_per_hour: float = 75.0,
                      base_ctr: float = 0.03, bursts_per_day: float = 8.0,
                      burst_minutes: float = 20.0, burst_traffic: float = 2.0,
                      burst_lift: float = 4.0, network_delay_seconds: float = 2.0,
                      offline_share: float = 0.03, offline_delay_minutes: float = 10.0,
                      seed: int = 0) -> ClickStream:
    """Simulate the stream described in the module docstring (about 30,000 events a day)."""
    n_items = check_positive_int("n_items", n_items)
    days = check_positive_int("days", days)
    rate = check_positive("impressions_per_hour", impressions_per_hour) / HOUR
    base_ctr = check_open_probability("base_ctr", base_ctr)
    cold_rate = check_positive("bursts_per_day", bursts_per_day) / DAY
    hot_mean = check_positive("burst_minutes", burst_minutes) * MINUTE
    traffic = check_positive("burst_traffic", burst_traffic)
    lift = check_positive("burst_lift", burst_lift)
    net = check_non_negative("network_delay_seconds", network_delay_seconds)
    offline = check_probability("offline_share", offline_share)
    offline_mean = check_positive("offline_delay_minutes", offline_delay_minutes) * MINUTE
    rng = random.Random(check_int("seed", seed))
    end = days * DAY
    events = []
    for item in range(n_items):
        ctr = min(0.5, base_ctr * math.exp(rng.gauss(0.0, 0.3)))
        start, hot = 0.0, False
        while start < end:
            stop = min(end, start + rng.expovariate(1.0 / hot_mean if hot else cold_rate))
            r, p = (rate * traffic, min(0.95, ctr * lift)) if hot else (rate, ctr)
            t = start + rng.expovariate(r)
            while t < stop:
                delay = rng.expovariate(1.0 / net) if net > 0 else 0.0
                if rng.random() < offline:
                    delay += rng.expovariate(1.0 / offline_mean)
                events.append(Event(t, t + delay, item, 1 if rng.random() < p else 0, p))
                t += rng.expovariate(r)
            start, hot = stop, not hot
    events.sort()
    return ClickStream(events=events, n_items=n_items, days=days)
