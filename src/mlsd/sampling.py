"""Sampling designs: stratified allocation, reservoirs over a stream, merging reservoirs.

**Stratified sampling.** Split a population of ``N`` units into strata of sizes ``N_h`` (weights
``W_h = N_h / N``), draw ``n_h`` units at random inside each, and estimate the population mean as
``ybar_st = sum_h W_h * ybar_h``. Its variance is

    Var(ybar_st) = sum_h W_h^2 * (1 - n_h / N_h) * S_h^2 / n_h

where ``S_h`` is the standard deviation inside stratum ``h``. *Proportional* allocation takes
``n_h ∝ N_h``; *Neyman* (optimal) allocation takes ``n_h ∝ N_h * S_h``, which minimises that
variance for a fixed total ``n``: it spends the sample where the values vary most. Forgetting the
weights ``W_h`` (averaging all sampled units together) is biased whenever ``n_h`` is not
proportional to ``N_h``.

**Reservoir sampling (Algorithm R, Vitter 1985).** Keep the first ``k`` items of a stream; the
item number ``t`` (1-based, ``t > k``) replaces a random slot with probability ``k / t``. By
induction every item seen so far is in the reservoir with probability ``k / t``: one pass, ``O(k)``
memory, no need to know the stream's length.

**Weighted reservoir (A-Res, Efraimidis & Spirakis 2006).** Give item ``i`` with weight ``w_i > 0``
the key ``u_i ** (1 / w_i)`` with ``u_i`` uniform in (0, 1), and keep the ``k`` largest keys (a
heap). For ``k = 1`` item ``i`` wins with probability exactly ``w_i / sum w``; for larger ``k`` it
is weighted sampling without replacement. Keys are compared as ``log(u_i) / w_i`` (the same
order), which does not underflow for small weights.

**Merging reservoirs.** Shard ``j`` saw ``n_j`` items and kept a uniform sample of ``min(k, n_j)``.
A uniform sample of the union is *not* a random ``k`` of the pooled reservoirs (a small shard
would count as much as a big one). Draw ``k`` times instead: pick shard ``j`` with probability
proportional to the items it has *not yet contributed* ``n_j - taken_j``, and take one of its
kept items at random, without replacement. That reproduces drawing ``k`` of the ``sum n_j`` items
without replacement.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Iterable, Sequence

from mlsd.validate import check_non_empty, check_non_negative, check_positive_int

__all__ = ["allocate", "stratified_estimate", "reservoir_sample", "weighted_reservoir_sample",
           "merge_reservoirs"]


def _check_rng(rng: object) -> random.Random:
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    return rng


def _largest_remainder(shares: Sequence[float], n: int) -> list[int]:
    """Round non-negative ``shares`` summing to ``n`` into integers summing to ``n``."""
    floors = [math.floor(s) for s in shares]
    left = n - sum(floors)
    order = sorted(range(len(shares)), key=lambda h: (floors[h] - shares[h], h))
    for h in order[:left]:
        floors[h] += 1
    return floors


def allocate(sizes: Sequence[int], n: int, sds: Sequence[float] | None = None) -> list[int]:
    """Split a sample of ``n`` units over strata of ``sizes``.

    Proportional (``n_h ∝ N_h``) when ``sds`` is None, Neyman (``n_h ∝ N_h * S_h``) otherwise.
    A stratum never gets more than its size: the excess is re-split over the others.
    """
    sizes = [check_positive_int(f"sizes[{h}]", s) for h, s in enumerate(check_non_empty("sizes", sizes))]
    n = check_positive_int("n", n)
    if n > sum(sizes):
        raise ValueError(f"n must be <= the population size {sum(sizes)}, got {n}")
    if sds is None:
        score = [float(s) for s in sizes]
    else:
        sds = check_non_empty("sds", sds)
        if len(sds) != len(sizes):
            raise ValueError(f"sds must have one entry per stratum ({len(sizes)}), got {len(sds)}")
        score = [s * check_non_negative(f"sds[{h}]", sd) for h, (s, sd) in enumerate(zip(sizes, sds))]
        if sum(score) == 0:
            raise ValueError("sds must have at least one positive entry")
    alloc = [0] * len(sizes)
    full: set[int] = set()
    while True:
        open_ = [h for h in range(len(sizes)) if h not in full and score[h] > 0]
        budget = n - sum(sizes[h] for h in full)
        total = sum(score[h] for h in open_)
        shares = [budget * score[h] / total if h in open_ else 0.0 for h in range(len(sizes))]
        over = [h for h in open_ if shares[h] > sizes[h]]
        if not over:
            break
        full.update(over)
    rounded = _largest_remainder(shares, budget)
    for h in range(len(sizes)):
        alloc[h] = sizes[h] if h in full else rounded[h]
    return alloc


def stratified_estimate(samples: Sequence[Sequence[float]], sizes: Sequence[int]) -> tuple[float, float]:
    """``(sum_h W_h * mean_h, standard error)`` from one sample per stratum (each of size >= 2)."""
    samples = check_non_empty("samples", samples)
    sizes = [check_positive_int(f"sizes[{h}]", s) for h, s in enumerate(check_non_empty("sizes", sizes))]
    if len(samples) != len(sizes):
        raise ValueError(f"samples must have one list per stratum ({len(sizes)}), got {len(samples)}")
    total = sum(sizes)
    mean = var = 0.0
    for h, (ys, size) in enumerate(zip(samples, sizes)):
        ys = [float(y) for y in ys]
        if len(ys) < 2:
            raise ValueError(f"samples[{h}] needs at least 2 values for a standard error, got {len(ys)}")
        if len(ys) > size:
            raise ValueError(f"samples[{h}] has {len(ys)} values, more than the stratum size {size}")
        m = math.fsum(ys) / len(ys)
        s2 = math.fsum((y - m) ** 2 for y in ys) / (len(ys) - 1)
        w = size / total
        mean += w * m
        var += w * w * (1 - len(ys) / size) * s2 / len(ys)
    return mean, math.sqrt(var)


def reservoir_sample(stream: Iterable, k: int, rng: random.Random) -> list:
    """Algorithm R: a uniform sample of ``k`` items (all of them if fewer) in one pass."""
    k = check_positive_int("k", k)
    rng = _check_rng(rng)
    reservoir: list = []
    for t, item in enumerate(stream, start=1):
        if t <= k:
            reservoir.append(item)
        else:
            j = int(rng.random() * t)          # uniform in 0 .. t-1
            if j < k:                          # probability k / t
                reservoir[j] = item
    return reservoir


def weighted_reservoir_sample(stream: Iterable[tuple[object, float]], k: int, rng: random.Random) -> list:
    """A-Res: ``k`` items of a stream of ``(item, weight)`` pairs, weighted, without replacement."""
    k = check_positive_int("k", k)
    rng = _check_rng(rng)
    heap: list[tuple[float, int, object]] = []      # (key, arrival, item); smallest key on top
    for t, pair in enumerate(stream):
        try:
            item, weight = pair
        except (TypeError, ValueError):
            raise TypeError(f"stream[{t}] must be an (item, weight) pair, got {pair!r}") from None
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight > 0 \
                or not math.isfinite(weight):
            raise ValueError(f"stream[{t}] weight must be a finite number > 0, got {weight!r}")
        key = math.log(1.0 - rng.random()) / weight    # log(u) / w with u in (0, 1]
        if len(heap) < k:
            heapq.heappush(heap, (key, t, item))
        elif key > heap[0][0]:
            heapq.heapreplace(heap, (key, t, item))
    return [item for _, _, item in sorted(heap, reverse=True)]


def merge_reservoirs(parts: Sequence[tuple[Sequence, int]], k: int, rng: random.Random) -> list:
    """A uniform sample of ``k`` items of the union of shards, from ``(reservoir, items_seen)`` pairs.

    Each reservoir must be a uniform sample of ``min(k, items_seen)`` of its shard's items.
    """
    parts = check_non_empty("parts", parts)
    k = check_positive_int("k", k)
    rng = _check_rng(rng)
    pools, remaining = [], []
    for j, part in enumerate(parts):
        try:
            sample, seen = part
        except (TypeError, ValueError):
            raise TypeError(f"parts[{j}] must be a (reservoir, items_seen) pair") from None
        seen = check_positive_int(f"parts[{j}] items_seen", seen) if seen else 0
        if len(sample) != min(k, seen):
            raise ValueError(f"parts[{j}] reservoir must hold min(k, items_seen) = {min(k, seen)} items, "
                             f"got {len(sample)}")
        pools.append(list(sample))
        remaining.append(seen)
    out = []
    for _ in range(min(k, sum(remaining))):
        r = rng.random() * sum(remaining)
        j = 0
        while r >= remaining[j] or not pools[j]:
            r -= remaining[j]
            j += 1
            if j == len(pools):                 # only reachable through float rounding
                j = max(range(len(pools)), key=lambda h: remaining[h] if pools[h] else -1)
                break
        pool = pools[j]
        i = int(rng.random() * len(pool))
        pool[i], pool[-1] = pool[-1], pool[i]
        out.append(pool.pop())
        remaining[j] -= 1
    return out
