"""Tests for mlsd.sampling: allocation, stratified estimate, reservoirs and their merge."""

import math
import random
from collections import Counter

import pytest

from mlsd.sampling import (allocate, merge_reservoirs, reservoir_sample, stratified_estimate,
                           weighted_reservoir_sample)


def test_allocate_proportional_and_neyman_hand_computed():
    assert allocate([700, 200, 100], 100) == [70, 20, 10]
    # Neyman: N_h * S_h = 700*1, 200*2, 100*9 = 700, 400, 900 of 2000 -> 35, 20, 45.
    assert allocate([700, 200, 100], 100, sds=[1, 2, 9]) == [35, 20, 45]
    # Largest remainder keeps the total: 1/3 each of 10 -> 4, 3, 3.
    assert sum(allocate([5, 5, 5], 10)) == 10


def test_allocate_caps_a_stratum_at_its_size():
    # Neyman wants 90 of 100 in the last stratum, which holds only 20: it is taken whole.
    alloc = allocate([500, 500, 20], 100, sds=[1, 1, 500])
    assert alloc[2] == 20 and sum(alloc) == 100 and alloc[0] == alloc[1] == 40


def test_allocate_bad_input():
    with pytest.raises(ValueError, match="n must be <="):
        allocate([5, 5], 11)
    with pytest.raises(ValueError, match="sds must have one entry"):
        allocate([5, 5], 4, sds=[1])
    with pytest.raises(ValueError, match="sds"):
        allocate([5, 5], 4, sds=[0, 0])
    with pytest.raises(ValueError, match="sizes"):
        allocate([], 4)
    with pytest.raises((TypeError, ValueError), match="sizes\\[1\\]"):
        allocate([5, -1], 2)


def test_stratified_estimate_hand_computed():
    # Strata of 10 and 30 units; samples [1, 3] (mean 2, s^2 2) and [10, 10, 13] (mean 11, s^2 3).
    mean, se = stratified_estimate([[1, 3], [10, 10, 13]], [10, 30])
    assert mean == pytest.approx(0.25 * 2 + 0.75 * 11)
    var = 0.25 ** 2 * (1 - 2 / 10) * 2 / 2 + 0.75 ** 2 * (1 - 3 / 30) * 3 / 3
    assert se == pytest.approx(math.sqrt(var))
    # A stratum sampled whole contributes no variance.
    assert stratified_estimate([[1, 2], [5, 5, 5]], [2, 3])[1] == 0.0


def test_stratified_estimate_bad_input():
    with pytest.raises(ValueError, match="samples\\[0\\] needs at least 2"):
        stratified_estimate([[1], [1, 2]], [5, 5])
    with pytest.raises(ValueError, match="one list per stratum"):
        stratified_estimate([[1, 2]], [5, 5])
    with pytest.raises(ValueError, match="more than the stratum size"):
        stratified_estimate([[1, 2, 3]], [2])


def test_reservoir_keeps_everything_from_a_short_stream_and_k_from_a_long_one():
    assert reservoir_sample(range(3), 5, random.Random(0)) == [0, 1, 2]
    out = reservoir_sample(iter(range(1000)), 10, random.Random(0))
    assert len(out) == 10 and len(set(out)) == 10


def test_reservoir_is_uniform():
    # 4,000 runs of k=3 over 12 items: each item is expected 1,000 times (sd about 27).
    counts = Counter()
    rng = random.Random(1)
    for _ in range(4000):
        counts.update(reservoir_sample(range(12), 3, rng))
    assert all(abs(counts[i] - 1000) < 120 for i in range(12))


def test_reservoir_bad_input():
    with pytest.raises(ValueError, match="k"):
        reservoir_sample([1, 2], 0, random.Random(0))
    with pytest.raises(TypeError, match="rng"):
        reservoir_sample([1, 2], 1, 42)


def test_weighted_reservoir_k1_is_proportional_to_weight():
    rng = random.Random(2)
    stream = [("a", 1.0), ("b", 2.0), ("c", 7.0)]
    wins = Counter(weighted_reservoir_sample(stream, 1, rng)[0] for _ in range(10000))
    for item, w in stream:
        assert abs(wins[item] / 10000 - w / 10) < 0.02


def test_weighted_reservoir_returns_k_distinct_items_and_rejects_bad_weights():
    out = weighted_reservoir_sample([(i, 1 + i) for i in range(50)], 5, random.Random(0))
    assert len(set(out)) == 5
    with pytest.raises(ValueError, match="weight"):
        weighted_reservoir_sample([("a", 0.0)], 1, random.Random(0))
    with pytest.raises(TypeError, match="pair"):
        weighted_reservoir_sample([("a",)], 1, random.Random(0))


def test_merge_reservoirs_is_uniform_over_the_union():
    # Shard A saw 90 items, shard B 10; a merged sample of 10 should hold 9 of A's on average,
    # while pooling the two reservoirs naively would hold 5.
    rng = random.Random(3)
    from_a = 0
    for _ in range(2000):
        a = reservoir_sample((("A", i) for i in range(90)), 10, rng)
        b = reservoir_sample((("B", i) for i in range(10)), 10, rng)
        merged = merge_reservoirs([(a, 90), (b, 10)], 10, rng)
        assert len(merged) == 10 and len(set(merged)) == 10
        from_a += sum(1 for shard, _ in merged if shard == "A")
    assert abs(from_a / 2000 - 9) < 0.1


def test_merge_reservoirs_small_union_and_bad_input():
    assert sorted(merge_reservoirs([([1, 2], 2), ([3], 1)], 5, random.Random(0))) == [1, 2, 3]
    with pytest.raises(ValueError, match="min\\(k, items_seen\\)"):
        merge_reservoirs([([1, 2], 5)], 5, random.Random(0))
    with pytest.raises(TypeError, match="pair"):
        merge_reservoirs([[1, 2, 3]], 2, random.Random(0))
