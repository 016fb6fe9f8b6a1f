"""casestudies.memo: memoized builders that one call releases together."""

from __future__ import annotations

import pytest

from casestudies import memo


def test_memoized_builds_once_and_release_frees_it():
    calls = []

    @memo.memoized(maxsize=2)
    def build(n):
        calls.append(n)
        return [n] * n

    before = memo.cached_entries()
    assert build(3) is build(3) and calls == [3]
    assert memo.cached_entries() == before + 1
    assert memo.release() >= 1
    assert memo.cached_entries() == 0
    build(3)
    assert calls == [3, 3]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, None])
def test_maxsize_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match="maxsize must be a positive int"):
        memo.memoized(maxsize=bad)
