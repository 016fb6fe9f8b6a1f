"""Image privacy blurring end to end: the system of the case study, small enough for a browser.

The page ``docs/case-studies/image-privacy-blurring.md`` runs this system in its cells. Replace this scaffold with
the case study's own world and parts: each builder below is memoized with
:func:`casestudies.memo.memoized`, so the first cell that needs the data (or a trained model, an
index) builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`): seeded events ``(day, user, item, label)`` over
``WORLD["days"]`` days, about one event in thirty positive. **Time window**: everything before
:data:`SPLIT_DAY` trains, the rest tests, as in production where a model is judged on days it
never saw.
"""

from __future__ import annotations

import random

from casestudies.memo import memoized

__all__ = ["WORLD", "SPLIT_DAY", "Event", "events", "split"]

WORLD = dict(n_users=300, n_items=1_000, n_events=6_000, days=28, positive_rate=0.03, seed=0)
SPLIT_DAY = 21.0            # the first day of the test window

Event = tuple[float, int, int, int]   # (day, user, item, label)


@memoized(maxsize=1)
def events() -> tuple[Event, ...]:
    """Every event of the world, sorted by time; seeded, so every run sees the same data."""
    rng = random.Random(WORLD["seed"])
    out = []
    for _ in range(WORLD["n_events"]):
        day = rng.uniform(0.0, WORLD["days"])
        label = 1 if rng.random() < WORLD["positive_rate"] else 0
        out.append((day, rng.randrange(WORLD["n_users"]), rng.randrange(WORLD["n_items"]), label))
    return tuple(sorted(out))


def split(day: float = SPLIT_DAY) -> tuple[list[Event], list[Event]]:
    """The events before ``day`` (training) and from ``day`` on (test): a time-based split."""
    if isinstance(day, bool) or not isinstance(day, (int, float)):
        raise TypeError(f"day must be a number, got {type(day).__name__}")
    if not 0 < day < WORLD["days"]:
        raise ValueError(f"day must be inside the world's {WORLD['days']} days (0 < day < "
                         f"{WORLD['days']}), got {day!r}")
    data = events()
    train = [e for e in data if e[0] < day]
    return train, list(data[len(train):])
