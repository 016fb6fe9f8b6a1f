"""Sliding-window counters for real-time features: an exact event queue and a fixed-memory bucket ring.

A *velocity feature* counts what one key (a card, a device, an IP address) did in the last
``W`` seconds, hours or days: "transactions of this card in the last hour", "amount spent in the
last day", "distinct cards seen on this device today". The server must answer at request time,
from state it updates with every event. Two ways to keep that state:

**Exact: a queue of events per key** (:class:`SlidingWindow`). Keep every event ``(t, amount,
item)`` of the key that is younger than ``W``; on each update or query, drop events with
``t <= now - W`` from the front (events arrive in time order, so the oldest is first). With
running sums the count and the total are O(1) per query after eviction; each event is appended
once and dropped once, so the amortised cost per event is O(1). Memory is the number of events
in the window: for a key with ``r`` events per unit of time it is about ``r * W`` entries, so a
busy merchant or a shared IP address costs far more than a quiet card. ``distinct`` (how many
different items, e.g. cards per device) keeps a count per item.

**Approximate: a ring of buckets per key** (:class:`BucketedWindow`). Cut time into buckets of
width ``b = W / B`` and keep ``B + 1`` of them per key (the current, partly filled bucket and the
``B`` before it), each holding a count and a sum. A query adds the buckets whose start lies in
``(now - W - b, now]``, so it counts every event of the window plus, at most, the events of one
extra bucket's worth of time at the old end: the estimate ``c_hat`` satisfies::

    c(now - W, now] <= c_hat <= c(now - W - b, now]

— it never undercounts, and it overcounts by at most the events of one bucket width. Memory is
``B + 1`` buckets per key whatever the key's rate; more buckets cost memory and buy accuracy.
Production feature stores keep windowed aggregates in this tiled form because a hot key's exact
queue grows without bound.

Both classes take event times that never decrease *per key* (a stream read in order) and raise
``ValueError`` naming the key otherwise: out-of-order events would silently corrupt the window.
A query at time ``now`` counts events with ``now - W < t <= now``.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Hashable

from mlsd.validate import check_number, check_positive, check_positive_int

__all__ = ["SlidingWindow", "BucketedWindow"]


def _check_key(key: object, name: str = "key") -> Hashable:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"{name} must be hashable, got {type(key).__name__}") from None
    return key


class SlidingWindow:
    """Exact count, sum and distinct items per key over the last ``window`` time units.

    >>> w = SlidingWindow(window=1.0)
    >>> w.add("device-7", 0.2, amount=10.0, item="card-1")
    >>> w.add("device-7", 0.9, amount=5.0, item="card-2")
    >>> w.query("device-7", 1.1)
    {'count': 2, 'total': 15.0, 'distinct': 2}
    >>> w.query("device-7", 1.3)        # the event at 0.2 has left (0.3, 1.3]
    {'count': 1, 'total': 5.0, 'distinct': 1}
    >>> w.item_count("device-7", "card-2", 1.3)
    1
    """

    def __init__(self, window: float):
        self.window = check_positive("window", window)
        self._events: dict = {}     # key -> deque of (t, amount, item)
        self._state: dict = {}      # key -> [count, total, {item: n}, last_t]

    def _evict(self, key, now: float) -> None:
        events, state = self._events[key], self._state[key]
        edge = now - self.window
        while events and events[0][0] <= edge:
            _, amount, item = events.popleft()
            state[0] -= 1
            state[1] -= amount
            if item is not None:
                items = state[2]
                items[item] -= 1
                if not items[item]:
                    del items[item]
        if not events:
            state[1] = 0.0          # no rounding residue once the window is empty

    def _check_time(self, key, t) -> float:
        t = check_number("t", t)
        state = self._state.get(key)
        if state is not None and t < state[3]:
            raise ValueError(f"t must not decrease for a key: key {key!r} was last seen at "
                             f"{state[3]}, got {t}")
        return t

    def add(self, key, t: float, amount: float = 1.0, item: Hashable | None = None) -> None:
        """Record one event of ``key`` at time ``t`` (with an ``amount`` and an optional ``item``)."""
        key = _check_key(key)
        t = self._check_time(key, t)
        amount = check_number("amount", amount)
        if item is not None:
            _check_key(item, "item")
        if key not in self._events:
            self._events[key] = deque()
            self._state[key] = [0, 0.0, {}, t]
        self._evict(key, t)
        self._events[key].append((t, amount, item))
        state = self._state[key]
        state[0] += 1
        state[1] += amount
        state[3] = t
        if item is not None:
            state[2][item] = state[2].get(item, 0) + 1

    def query(self, key, now: float) -> dict:
        """``{"count", "total", "distinct"}`` of ``key``'s events with ``now - window < t <= now``."""
        key = _check_key(key)
        if key not in self._events:
            check_number("now", now)
            return {"count": 0, "total": 0.0, "distinct": 0}
        now = self._check_time(key, now)
        self._evict(key, now)
        count, total, items, _ = self._state[key]
        return {"count": count, "total": total, "distinct": len(items)}

    def item_count(self, key, item: Hashable, now: float) -> int:
        """How many of ``key``'s events in the window carry ``item`` (e.g. this card on this
        device), so a caller can count the *other* distinct items."""
        key, item = _check_key(key), _check_key(item, "item")
        if key not in self._events:
            check_number("now", now)
            return 0
        now = self._check_time(key, now)
        self._evict(key, now)
        return self._state[key][2].get(item, 0)

    def entries(self) -> int:
        """Events held in memory right now, over all keys (the memory this state costs)."""
        return sum(len(q) for q in self._events.values())

    def __len__(self) -> int:
        return len(self._events)

    def __repr__(self) -> str:
        return f"SlidingWindow(window={self.window:g}, keys={len(self)}, entries={self.entries()})"


class BucketedWindow:
    """Approximate count and sum per key over the last ``window``, in ``n_buckets`` + 1 buckets.

    Never undercounts; overcounts by at most one bucket width of events (see the module).

    >>> w = BucketedWindow(window=1.0, n_buckets=4)
    >>> w.add("card-1", 0.2, amount=10.0)
    >>> w.add("card-1", 0.9, amount=5.0)
    >>> w.query("card-1", 1.1)          # bucket [0, 0.25) still overlaps (0.1, 1.1]
    {'count': 2, 'total': 15.0}
    >>> w.query("card-1", 1.3)
    {'count': 1, 'total': 5.0}
    """

    def __init__(self, window: float, n_buckets: int):
        self.window = check_positive("window", window)
        self.n_buckets = check_positive_int("n_buckets", n_buckets)
        self.width = self.window / self.n_buckets
        self._rings: dict = {}      # key -> [last bucket index, [counts], [totals]]

    def _bucket(self, t: float) -> int:
        return math.floor(t / self.width)

    def _advance(self, ring, index: int) -> None:
        """Move the key's ring forward to bucket ``index``, clearing the buckets it skips."""
        size = self.n_buckets + 1
        last = ring[0]
        if index < last:
            raise ValueError(f"t must not decrease for a key: bucket {index} is before bucket {last}")
        for b in range(last + 1, min(index, last + size) + 1):
            ring[1][b % size] = 0
            ring[2][b % size] = 0.0
        ring[0] = index

    def add(self, key, t: float, amount: float = 1.0) -> None:
        """Record one event of ``key`` at time ``t`` with an ``amount``."""
        key = _check_key(key)
        t = check_number("t", t)
        amount = check_number("amount", amount)
        index = self._bucket(t)
        ring = self._rings.get(key)
        if ring is None:
            size = self.n_buckets + 1
            ring = self._rings[key] = [index, [0] * size, [0.0] * size]
        elif index < ring[0]:
            raise ValueError(f"t must not decrease for a key: key {key!r} is at bucket {ring[0]}, "
                             f"t={t} falls in bucket {index}")
        self._advance(ring, index)
        slot = index % (self.n_buckets + 1)
        ring[1][slot] += 1
        ring[2][slot] += amount

    def query(self, key, now: float) -> dict:
        """``{"count", "total"}``: the buckets that overlap ``(now - window, now]``."""
        key = _check_key(key)
        now = check_number("now", now)
        ring = self._rings.get(key)
        if ring is None:
            return {"count": 0, "total": 0.0}
        index = self._bucket(now)
        if index < ring[0]:
            raise ValueError(f"now must not be before the key's last event: key {key!r} is at "
                             f"bucket {ring[0]}, now={now} falls in bucket {index}")
        self._advance(ring, index)
        return {"count": sum(ring[1]), "total": math.fsum(ring[2])}

    def entries(self) -> int:
        """Buckets held in memory right now, over all keys: ``keys * (n_buckets + 1)``."""
        return len(self._rings) * (self.n_buckets + 1)

    def __len__(self) -> int:
        return len(self._rings)

    def __repr__(self) -> str:
        return (f"BucketedWindow(window={self.window:g}, n_buckets={self.n_buckets}, "
                f"keys={len(self)}, entries={self.entries()})")
