"""Tests for casestudies.image_privacy_blurring: the case study's system behaves as its page says."""

import pytest

from casestudies import image_privacy_blurring as system


def test_events_are_seeded_sorted_and_memoized():
    data = system.events()
    assert system.events() is data                                   # memoized
    assert len(data) == system.WORLD["n_events"]
    assert [e[0] for e in data] == sorted(e[0] for e in data)
    system.events.cache_clear()
    assert system.events() == data                                   # seeded: same data again


def test_split_is_by_time_and_keeps_every_event():
    train, test = system.split()
    assert len(train) + len(test) == system.WORLD["n_events"]
    assert max(e[0] for e in train) < system.SPLIT_DAY <= min(e[0] for e in test)


@pytest.mark.parametrize("day, error", [(0, ValueError), (system.WORLD["days"], ValueError),
                                        ("21", TypeError), (True, TypeError)])
def test_split_names_a_bad_day(day, error):
    with pytest.raises(error, match="day must be"):
        system.split(day)
