"""Event-time windows over a stream: tumbling, hopping and session windows, watermarks, lateness.

A stream processor answers questions such as "how many clicks did this item get between 10:00
and 10:05?" while the events are still arriving. Each event carries two times: its **event
time** ``e`` (when it happened, stamped by the device) and its **arrival time** ``a`` (when the
processor reads it: the *processing time*). Networks, retries and offline phones make ``a - e``
vary, so events arrive out of order. Windows are defined on event time, so a result is the same
whatever the delays were, as long as the processor knows when a window is complete.

**Windows** (Akidau et al., "The Dataflow Model", VLDB 2015):

- *tumbling* windows of size ``s``: ``[k s, (k + 1) s)``; each event is in exactly one;
- *hopping* (sliding) windows of size ``s`` every ``h``: ``[k h, k h + s)``; each event is in
  about ``s / h`` of them, so each event costs ``s / h`` state updates;
- *session* windows of one key: events closer than ``gap`` belong together; a session ends when
  the key is silent for more than ``gap``, so its length depends on the data.

**Watermark.** The processor cannot wait forever for stragglers. A *watermark* ``W`` is its
claim that no event older than ``W`` will still come. The common heuristic, a bounded
out-of-orderness ``d``, sets ``W = max(event times seen so far) - d``. A window ``[b, b + s)``
fires (emits its count) as soon as ``W >= b + s``: a larger ``d`` makes every result wait about
``d`` longer, a smaller one fires before the stragglers are in.

**Allowed lateness** ``L``. An event whose window has already fired is *late*. While
``W < b + s + L`` the window's state is kept, the late event updates it and the window fires
again with the corrected count (a *late update*); once ``W >= b + s + L`` the state is freed and
the event is *dropped* for that window. ``L`` buys fewer drops with state kept longer and
results emitted more than once.

:class:`EventTimeWindows` implements these rules for counts per key, in the form of Apache
Flink's bounded-out-of-orderness watermarks and allowed lateness
(https://nightlies.apache.org/flink/flink-docs-stable/docs/dev/datastream/operators/windows/),
with one watermark for the whole stream.
"""

from __future__ import annotations

import heapq
import math
from typing import Hashable

from mlsd.validate import check_non_negative, check_number, check_positive

__all__ = ["tumbling_window", "hopping_windows", "session_windows", "EventTimeWindows"]


def tumbling_window(t: float, size: float) -> float:
    """Start of the tumbling window of width ``size`` that holds time ``t``: ``floor(t / size) * size``.

    >>> tumbling_window(7.5, 5)
    5.0
    """
    t, size = check_number("t", t), check_positive("size", size)
    return math.floor(t / size) * size


def hopping_windows(t: float, size: float, slide: float) -> list[float]:
    """Starts (ascending) of the hopping windows ``[k * slide, k * slide + size)`` that hold ``t``.

    >>> hopping_windows(7.5, size=10, slide=5)
    [0.0, 5.0]
    >>> hopping_windows(7.5, size=5, slide=5)      # slide == size: tumbling
    [5.0]
    """
    t = check_number("t", t)
    size, slide = check_positive("size", size), check_positive("slide", slide)
    k = math.floor(t / slide)
    starts = []
    while k * slide > t - size:
        starts.append(float(k * slide))
        k -= 1
    return starts[::-1]


def session_windows(times, gap: float) -> list[dict]:
    """Split one key's event times into sessions: a silence longer than ``gap`` starts a new one.

    Times may come in any order (event time); returns ``{"start", "end", "count"}`` per session,
    where ``start`` and ``end`` are the first and last event times.

    >>> session_windows([1, 2, 10, 3, 30], gap=5)
    [{'start': 1.0, 'end': 3.0, 'count': 3}, {'start': 10.0, 'end': 10.0, 'count': 1}, {'start': 30.0, 'end': 30.0, 'count': 1}]
    """
    gap = check_positive("gap", gap)
    if isinstance(times, (str, bytes)):
        raise TypeError("times must be a sequence of numbers, got a string")
    times = sorted(check_number("times", t) for t in times)
    sessions: list[dict] = []
    for t in times:
        if sessions and t - sessions[-1]["end"] <= gap:
            sessions[-1]["end"] = t
            sessions[-1]["count"] += 1
        else:
            sessions.append({"start": t, "end": t, "count": 1})
    return sessions


class EventTimeWindows:
    """Counts per key in event-time windows, fired by a watermark, with allowed lateness.

    :param size: window width (in the stream's time unit).
    :param slide: hop between window starts; ``None`` (default) means ``size``: tumbling windows.
    :param delay: the watermark's bounded out-of-orderness ``d``: ``W = max event time - d``.
    :param lateness: allowed lateness ``L``: how long a fired window still accepts late events.

    Feed events in arrival order with :meth:`add`; fired results are in :attr:`emissions`, the
    latest count of every window in :attr:`results`, and counters in :attr:`stats`.

    >>> w = EventTimeWindows(size=10, delay=2)
    >>> w.add("a", event_time=3, arrival_time=3)
    'on time'
    >>> w.add("a", event_time=12, arrival_time=12)     # watermark 10: window [0, 10) fires
    'on time'
    >>> fired = w.emissions[0]
    >>> fired["count"], fired["end"], fired["emitted_at"]
    (1, 10.0, 12.0)
    >>> w.add("a", event_time=8, arrival_time=13)      # too late: lateness is 0
    'dropped'
    >>> w.value("a")                                    # the latest complete window [0, 10)
    1
    """

    def __init__(self, size: float, slide: float | None = None, delay: float = 0.0,
                 lateness: float = 0.0):
        self.size = check_positive("size", size)
        self.slide = self.size if slide is None else check_positive("slide", slide)
        self.delay = check_non_negative("delay", delay)
        self.lateness = check_non_negative("lateness", lateness)
        self.watermark = -math.inf
        self.emissions: list[dict] = []     # one row per firing (on time or late update)
        self.results: dict = {}             # (key, start) -> latest count emitted
        self.stats = {"on time": 0, "late": 0, "dropped": 0, "window updates": 0,
                      "late updates": 0, "peak windows held": 0}
        self._open: dict = {}               # (key, start) -> count, not fired yet
        self._kept: dict = {}               # (key, start) -> count, fired, within lateness
        self._fire_heap: list = []          # (end, key, start) of open windows
        self._purge_heap: list = []         # (end + lateness, key, start) of kept windows
        self._max_event = -math.inf
        self._clock = -math.inf
        self._seq = 0

    def add(self, key: Hashable, event_time: float, arrival_time: float) -> str:
        """Take one event; returns ``"on time"``, ``"late"`` (updated a fired window) or
        ``"dropped"`` (at least one of its windows was already freed)."""
        try:
            hash(key)
        except TypeError:
            raise TypeError(f"key must be hashable, got {type(key).__name__}") from None
        e = check_number("event_time", event_time)
        a = check_number("arrival_time", arrival_time)
        if a < self._clock:
            raise ValueError(f"arrival_time must not decrease (events come in arrival order): "
                             f"got {a} after {self._clock}")
        self._clock = a
        status = "on time"
        for start in hopping_windows(e, self.size, self.slide):
            end = start + self.size
            slot = (key, start)
            self.stats["window updates"] += 1
            if end > self.watermark:                     # still open
                if slot not in self._open:
                    self._open[slot] = 0
                    self._push(self._fire_heap, end, key, start)
                self._open[slot] += 1
            elif end + self.lateness > self.watermark:   # fired, state still kept: late update
                if slot not in self._kept:               # a window that had no event yet
                    self._kept[slot] = 0
                    self._push(self._purge_heap, end + self.lateness, key, start)
                self._kept[slot] += 1
                self._emit(key, start, self._kept[slot], a, "late update")
                self.stats["late updates"] += 1
                status = "late" if status == "on time" else status
            else:
                status = "dropped"
        self.stats[status] += 1
        self._max_event = max(self._max_event, e)
        self._advance(self._max_event - self.delay, a)
        return status

    def flush(self, at: float) -> None:
        """End of the stream at arrival time ``at``: the watermark jumps to +inf, every window fires."""
        at = check_number("at", at)
        self._advance(math.inf, max(at, self._clock))

    def value(self, key: Hashable) -> int:
        """The count of ``key`` in the latest complete window (the largest end <= watermark): what
        an online feature store fed by this stream would serve now. 0 if the key had no event."""
        if self.watermark == -math.inf:
            return 0
        if self.watermark == math.inf:
            raise ValueError("value() needs a finite watermark: the stream was flushed")
        start = math.floor((self.watermark - self.size) / self.slide) * self.slide
        return self.results.get((key, float(start)), 0)

    def _push(self, heap: list, when: float, key, start: float) -> None:
        self._seq += 1                                   # ties break by insertion, never by key
        heapq.heappush(heap, (when, self._seq, key, start))

    def _emit(self, key, start: float, count: int, at: float, kind: str) -> None:
        self.results[(key, start)] = count
        self.emissions.append({"key": key, "start": start, "end": start + self.size,
                               "count": count, "emitted_at": at, "kind": kind})

    def _advance(self, watermark: float, at: float) -> None:
        self.stats["peak windows held"] = max(self.stats["peak windows held"],
                                              len(self._open) + len(self._kept))
        if watermark <= self.watermark:
            return
        self.watermark = watermark
        while self._fire_heap and self._fire_heap[0][0] <= watermark:
            end, _, key, start = heapq.heappop(self._fire_heap)
            count = self._open.pop((key, start))
            self._emit(key, start, count, at, "on time")
            if end + self.lateness > watermark:
                self._kept[(key, start)] = count
                self._push(self._purge_heap, end + self.lateness, key, start)
        while self._purge_heap and self._purge_heap[0][0] <= watermark:
            _, _, key, start = heapq.heappop(self._purge_heap)
            self._kept.pop((key, start), None)

    def __repr__(self) -> str:
        return (f"EventTimeWindows(size={self.size:g}, slide={self.slide:g}, delay={self.delay:g}, "
                f"lateness={self.lateness:g}, watermark={self.watermark:g})")
