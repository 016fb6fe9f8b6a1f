"""Serving a recommender: a staged pipeline, its latency, budgets and caching.

**The two-stage pipeline.** Scoring every item with a heavy model is too slow,
so a request goes through stages that each cut the candidate set:

    retrieve (ANN, ~100-1000 items) -> features -> rank (heavy model)
    -> re-rank / filter (business rules, diversity) -> top k

:class:`Pipeline` runs those stages for one request and records each stage's
wall-clock latency (``time.perf_counter``), so a page can show where the time
goes. Every stage is a plain callable, so any ranker fits (a GBDT's
``predict``, a logistic regression, a lambda).

**Percentiles (nearest-rank definition).** For latencies sorted ascending
``x_(1) <= ... <= x_(n)``, the p-th percentile (0 < p <= 100) is

    x_(ceil(p/100 * n))

the smallest observed value with at least p% of observations at or below it
(p = 0 gives the minimum). It is always an observed value, needs no
interpolation, and never decreases as p grows. p50 is the median request;
p99 is what the slowest 1 in 100 requests sees.

**Latency budgets.** Stages in sequence add up; parallel branches cost the
slowest branch. **Tail amplification:** if a request fans out to N shards and
waits for all, and each shard is under t with probability p, then all are
under t with probability ``p**N`` (independent shards). At p = 0.99 and
N = 100 that is only 0.37: most requests see some shard's p99. Equivalently,
the p99 of the fan-out is the single-shard percentile at ``100 * 0.99**(1/N)``.

**Caching.** :class:`LRUCache` keeps the most recently used results up to a
capacity and counts hits and misses; with Zipf-like (popular-heavy) traffic a
small cache absorbs a large share of requests.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from mlsd.validate import (check_callable, check_in_range, check_non_empty, check_number,
                           check_positive_int, check_probability)

__all__ = ["percentile", "p50", "p99", "latency_summary", "Pipeline", "Response",
           "sequential_latency", "parallel_latency", "latency_budget", "prob_all_under",
           "fanout_percentile", "stage_table", "LRUCache"]


# ------------------------------------------------------------------ percentiles
def percentile(values, p: float) -> float:
    """Nearest-rank p-th percentile of ``values`` (see the module docstring)."""
    xs = check_non_empty("values", values)
    for i, x in enumerate(xs):
        check_number(f"values[{i}]", x)
    p = check_in_range("p", p, 0, 100)
    xs = sorted(xs)
    rank = max(1, math.ceil(p / 100.0 * len(xs)))
    return xs[rank - 1]


def p50(values) -> float:
    """Median by nearest rank."""
    return percentile(values, 50)


def p99(values) -> float:
    """99th percentile by nearest rank."""
    return percentile(values, 99)


def latency_summary(samples) -> dict:
    """``{"n", "mean", "p50", "p90", "p99", "max"}`` of a list of latencies."""
    xs = check_non_empty("samples", samples)
    return {"n": len(xs), "mean": math.fsum(xs) / len(xs), "p50": percentile(xs, 50),
            "p90": percentile(xs, 90), "p99": percentile(xs, 99), "max": max(xs)}


# --------------------------------------------------------------------- pipeline
@dataclass
class Response:
    """What one request returned: the final ``(item, score)`` list, the number
    of candidates after each stage, and each stage's latency in ms."""
    items: list
    candidates: dict = field(default_factory=dict)
    latency_ms: dict = field(default_factory=dict)


class Pipeline:
    """retrieve -> features -> rank -> re-rank, with per-stage timing.

    - ``retrieve(request) -> [(item, retrieval_score), ...]``
    - ``features(request, candidates) -> [feature_row, ...]`` (one row per candidate)
    - ``rank(rows) -> [score, ...]`` (any model's batch predict)
    - ``rerank(request, [(item, score), ...]) -> [(item, score), ...]``
      (optional: filters, diversity, business rules; receives the list sorted
      by score, best first)

    ``k`` items are returned. Each call appends the stage latencies (ms) to
    ``self.log``; :meth:`summary` turns the log into p50/p99 per stage.
    """

    STAGES = ("retrieve", "features", "rank", "rerank", "total")

    def __init__(self, retrieve, features, rank, rerank=None, k: int = 10):
        self.retrieve = check_callable("retrieve", retrieve)
        self.features = check_callable("features", features)
        self.rank = check_callable("rank", rank)
        self.rerank = None if rerank is None else check_callable("rerank", rerank)
        self.k = check_positive_int("k", k)
        self.log: list[dict] = []

    def __call__(self, request) -> Response:
        clock = time.perf_counter
        lat, sizes = {}, {}
        t0 = clock()
        cands = list(self.retrieve(request))
        t1 = clock()
        sizes["retrieve"] = len(cands)
        for i, c in enumerate(cands):
            if not isinstance(c, (tuple, list)) or len(c) != 2:
                raise ValueError(f"retrieve must return (item, score) pairs; item {i} is {c!r}")
        rows = list(self.features(request, cands))
        t2 = clock()
        if len(rows) != len(cands):
            raise ValueError(f"features must return one row per candidate: "
                             f"{len(cands)} candidates, {len(rows)} rows")
        scores = list(self.rank(rows)) if rows else []
        t3 = clock()
        if len(scores) != len(rows):
            raise ValueError(f"rank must return one score per row: "
                             f"{len(rows)} rows, {len(scores)} scores")
        ranked = sorted(zip((c[0] for c in cands), scores), key=lambda t: -t[1])
        sizes["rank"] = len(ranked)
        if self.rerank is not None:
            ranked = list(self.rerank(request, ranked))
        t4 = clock()
        sizes["rerank"] = len(ranked)
        lat = {"retrieve": 1e3 * (t1 - t0), "features": 1e3 * (t2 - t1),
               "rank": 1e3 * (t3 - t2), "rerank": 1e3 * (t4 - t3), "total": 1e3 * (t4 - t0)}
        self.log.append(lat)
        return Response(ranked[:self.k], sizes, lat)

    def summary(self) -> list[dict]:
        """One row per stage: ``{"stage", "mean_ms", "p50_ms", "p99_ms"}``
        over every request logged so far (for ``show.table(..., varies=True)``)."""
        if not self.log:
            raise ValueError("no requests logged yet: call the pipeline first")
        rows = []
        for stage in self.STAGES:
            xs = [entry[stage] for entry in self.log]
            rows.append({"stage": stage, "mean_ms": math.fsum(xs) / len(xs),
                         "p50_ms": percentile(xs, 50), "p99_ms": percentile(xs, 99)})
        return rows

    def reset(self) -> None:
        """Forget the logged latencies."""
        self.log = []


# ------------------------------------------------------------------- budgets
def _check_ms(name, values):
    xs = check_non_empty(name, values)
    out = []
    for i, x in enumerate(xs):
        x = check_number(f"{name}[{i}]", x)
        if x < 0:
            raise ValueError(f"{name}[{i}] must be >= 0 ms, got {x}")
        out.append(x)
    return out


def stage_table(stage_ms, digits: int = 4) -> list[dict]:
    """Where a request's time goes: one row per stage, then the whole request.

    ``stage_ms`` maps each stage to its latency in every request (the same requests, in the
    same order, for every stage). A row gives the stage's p50 and p99 and its share of the mean
    total (``mean(stage) / mean(total)``; the shares add up to 1). The total's own percentiles
    come from the per-request sums: the p99 of the total is not the sum of the stages' p99s.
    """
    if not hasattr(stage_ms, "items"):
        raise TypeError(f"stage_ms must be a dict of stage -> latencies, got {type(stage_ms).__name__}")
    if not stage_ms:
        raise ValueError("stage_ms must have at least one stage")
    times = {s: _check_ms(f"stage_ms[{s!r}]", v) for s, v in stage_ms.items()}
    n = {len(v) for v in times.values()}
    if len(n) != 1:
        raise ValueError(f"every stage must have one latency per request; got lengths {sorted(n)}")
    total = [sum(ms) for ms in zip(*times.values())]
    mean_total = math.fsum(total) / len(total)
    rows = [{"stage": s, "p50 (ms)": round(p50(v), digits), "p99 (ms)": round(p99(v), digits),
             "share of the time": round(math.fsum(v) / len(v) / mean_total, 2) if mean_total else 0.0}
            for s, v in times.items()]
    rows.append({"stage": "total", "p50 (ms)": round(p50(total), digits),
                 "p99 (ms)": round(p99(total), digits), "share of the time": 1.0})
    return rows


def sequential_latency(stage_ms) -> float:
    """Stages one after another: latencies add."""
    return math.fsum(_check_ms("stage_ms", stage_ms))


def parallel_latency(branch_ms) -> float:
    """Branches run at the same time and we wait for all: the slowest wins."""
    return max(_check_ms("branch_ms", branch_ms))


def latency_budget(stages, budget_ms: float) -> list[dict]:
    """Walk a request through ``stages`` and show what is left of the budget.

    ``stages``: list of ``(name, ms)`` where ``ms`` is a number (sequential
    stage) or a list of numbers (parallel branches: their max counts).
    Returns rows ``{"stage", "ms", "cumulative_ms", "remaining_ms"}``;
    a negative ``remaining_ms`` means the budget is blown at that stage.
    """
    budget_ms = check_number("budget_ms", budget_ms)
    if budget_ms <= 0:
        raise ValueError(f"budget_ms must be > 0, got {budget_ms}")
    stages = check_non_empty("stages", stages)
    rows, total = [], 0.0
    for i, st in enumerate(stages):
        if not isinstance(st, (tuple, list)) or len(st) != 2:
            raise ValueError(f"stages[{i}] must be a (name, ms) pair, got {st!r}")
        name, ms = st
        if isinstance(ms, (list, tuple)):
            cost = parallel_latency(_check_ms(f"stages[{i}] ms", ms))
        else:
            cost = _check_ms(f"stages[{i}] ms", [ms])[0]
        total += cost
        rows.append({"stage": str(name), "ms": cost, "cumulative_ms": total,
                     "remaining_ms": budget_ms - total})
    return rows


def prob_all_under(p: float, n_shards: int) -> float:
    """Probability that all ``n_shards`` independent shards answer under a
    threshold each meets with probability ``p``: ``p ** n_shards``."""
    p = check_probability("p", p)
    check_positive_int("n_shards", n_shards)
    return p ** n_shards


def fanout_percentile(shard_samples, n_shards: int, p: float = 99.0) -> float:
    """The p-th percentile latency of a request that waits for ``n_shards``
    independent shards, from samples of *one* shard's latency. The max of N
    draws is under t with probability ``F(t)**N``, so its p-th percentile is
    the single-shard percentile at ``100 * (p/100) ** (1/N)``."""
    xs = _check_ms("shard_samples", shard_samples)
    check_positive_int("n_shards", n_shards)
    p = check_in_range("p", p, 0, 100)
    return percentile(xs, 100.0 * (p / 100.0) ** (1.0 / n_shards))


# --------------------------------------------------------------------- cache
class LRUCache:
    """Least-recently-used cache with hit/miss counters.

    ``get(key)`` returns the value (and marks it recently used) or ``None``;
    ``put(key, value)`` inserts and evicts the least recently used entry when
    over ``capacity``. ``get_or_compute(key, fn)`` does both. An
    ``OrderedDict`` keeps usage order: ``move_to_end`` on every hit, pop from
    the front on eviction, all O(1).
    """

    def __init__(self, capacity: int):
        self.capacity = check_positive_int("capacity", capacity)
        self._data: OrderedDict = OrderedDict()
        self.hits = self.misses = self.evictions = 0

    def get(self, key, default=None):
        if key in self._data:
            self._data.move_to_end(key)
            self.hits += 1
            return self._data[key]
        self.misses += 1
        return default

    def put(self, key, value) -> None:
        if key in self._data:
            self._data.move_to_end(key)
        self._data[key] = value
        if len(self._data) > self.capacity:
            self._data.popitem(last=False)
            self.evictions += 1

    def get_or_compute(self, key, compute):
        """Cached value of ``key``, computing (and storing) ``compute(key)`` on a miss."""
        check_callable("compute", compute)
        if key in self._data:
            self.hits += 1
            self._data.move_to_end(key)
            return self._data[key]
        self.misses += 1
        value = compute(key)
        self.put(key, value)
        return value

    def __contains__(self, key) -> bool:           # does not count as a lookup
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    @property
    def hit_rate(self) -> float:
        """hits / (hits + misses); 0.0 before any lookup."""
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def stats(self) -> dict:
        return {"capacity": self.capacity, "size": len(self._data), "hits": self.hits,
                "misses": self.misses, "evictions": self.evictions, "hit_rate": self.hit_rate}
