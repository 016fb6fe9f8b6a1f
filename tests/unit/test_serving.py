"""Tests for mlsd.serving: percentiles, pipeline timing, budgets, LRU cache."""

import math
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import serving as S


def test_percentile_nearest_rank():
    xs = [15, 20, 35, 40, 50]
    assert S.percentile(xs, 5) == 15
    assert S.percentile(xs, 30) == 20
    assert S.percentile(xs, 40) == 20
    assert S.percentile(xs, 50) == 35
    assert S.percentile(xs, 100) == 50
    assert S.percentile(xs, 0) == 15
    assert S.p50(list(range(1, 101))) == 50
    assert S.p99(list(range(1, 101))) == 99
    assert S.p99([3.0]) == 3.0


@settings(max_examples=60, deadline=None)
@given(xs=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=50),
       p=st.floats(0, 100), q=st.floats(0, 100))
def test_percentile_is_monotone_and_observed(xs, p, q):
    lo, hi = sorted((p, q))
    assert S.percentile(xs, lo) <= S.percentile(xs, hi)
    assert S.percentile(xs, p) in xs
    # at least p% of the values are <= the p-th percentile
    v = S.percentile(xs, p)
    assert sum(x <= v for x in xs) >= p / 100 * len(xs) - 1e-9


def test_percentile_validation():
    with pytest.raises(ValueError, match="^values must not be empty"):
        S.percentile([], 50)
    with pytest.raises(ValueError, match="^p must be between 0 and 100"):
        S.percentile([1], 101)
    with pytest.raises(ValueError, match=r"^values\[1\] must be finite"):
        S.percentile([1, math.nan], 50)
    with pytest.raises(TypeError, match=r"^values\[0\] must be a number"):
        S.percentile(["1"], 50)


def test_latency_summary():
    s = S.latency_summary([1.0, 2.0, 3.0, 10.0])
    assert s == {"n": 4, "mean": 4.0, "p50": 2.0, "p90": 10.0, "p99": 10.0, "max": 10.0}


def make_pipeline(**kw):
    items = list(range(50))

    def retrieve(user):
        return [(i, 1.0 / (1 + abs(i - user))) for i in items[:30]]

    def features(user, cands):
        return [[score, float(item % 3)] for item, score in cands]

    def rank(rows):
        return [r[0] + 0.01 * r[1] for r in rows]

    return S.Pipeline(retrieve, features, rank, **kw)


def test_pipeline_runs_stages_and_logs_latency():
    pipe = make_pipeline(k=5)
    resp = pipe(7)
    assert [i for i, _ in resp.items] == [7, 8, 6, 5, 9]      # 8 % 3 = 2 beats 6 % 3 = 0
    assert resp.candidates == {"retrieve": 30, "rank": 30, "rerank": 30}
    assert set(resp.latency_ms) == set(S.Pipeline.STAGES)
    assert all(v >= 0 for v in resp.latency_ms.values())
    parts = sum(resp.latency_ms[s] for s in ("retrieve", "features", "rank", "rerank"))
    assert math.isclose(resp.latency_ms["total"], parts, rel_tol=1e-6, abs_tol=1e-6)
    for u in range(20):
        pipe(u)
    rows = pipe.summary()
    assert [r["stage"] for r in rows] == list(S.Pipeline.STAGES)
    assert all(r["p50_ms"] <= r["p99_ms"] for r in rows)
    assert len(pipe.log) == 21
    pipe.reset()
    with pytest.raises(ValueError, match="no requests logged"):
        pipe.summary()


def test_pipeline_rerank_filters():
    pipe = make_pipeline(k=3, rerank=lambda user, ranked: [(i, s) for i, s in ranked if i % 2 == 0])
    resp = pipe(7)
    assert [i for i, _ in resp.items] == [8, 6, 4]
    assert resp.candidates["rerank"] == 15


def test_pipeline_validation():
    with pytest.raises(TypeError, match="^rank must be callable"):
        S.Pipeline(lambda r: [], lambda r, c: [], 3)
    with pytest.raises(ValueError, match="^k must be a positive integer"):
        S.Pipeline(len, len, len, k=0)
    bad_rows = S.Pipeline(lambda r: [(1, 0.5)], lambda r, c: [], lambda rows: [])
    with pytest.raises(ValueError, match="features must return one row per candidate"):
        bad_rows(0)
    bad_scores = S.Pipeline(lambda r: [(1, 0.5)], lambda r, c: [[1.0]], lambda rows: [])
    with pytest.raises(ValueError, match="rank must return one score per row"):
        bad_scores(0)
    bad_cands = S.Pipeline(lambda r: [1, 2], lambda r, c: [[1.0]] * 2, lambda rows: [0, 0])
    with pytest.raises(ValueError, match=r"retrieve must return \(item, score\) pairs"):
        bad_cands(0)


def test_serving_does_not_import_heavy_modules():
    """The pipeline takes any ranker; importing mlsd.serving must not pull in
    mlsd.ranking (or anything outside the standard library)."""
    code = ("import sys, mlsd.serving; "
            "bad = [m for m in sys.modules if m.startswith(('mlsd.ranking', 'numpy'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_budgets():
    assert S.sequential_latency([5, 10, 2.5]) == 17.5
    assert S.parallel_latency([5, 10, 2.5]) == 10
    rows = S.latency_budget([("retrieve", 10), ("features", [4, 7, 5]), ("rank", 20)], 30)
    assert [r["ms"] for r in rows] == [10, 7, 20]
    assert [r["cumulative_ms"] for r in rows] == [10, 17, 37]
    assert rows[-1]["remaining_ms"] == -7
    with pytest.raises(ValueError, match=r"^stages\[0\] must be a \(name, ms\) pair"):
        S.latency_budget([5], 10)
    with pytest.raises(ValueError, match=r"^stages\[0\] ms\[0\] must be >= 0 ms"):
        S.latency_budget([("a", -1)], 10)
    with pytest.raises(ValueError, match="^budget_ms must be > 0"):
        S.latency_budget([("a", 1)], 0)
    with pytest.raises(ValueError, match="^stage_ms must not be empty"):
        S.sequential_latency([])


def test_tail_amplification():
    assert S.prob_all_under(0.99, 1) == 0.99
    assert math.isclose(S.prob_all_under(0.99, 100), 0.99 ** 100)
    assert 0.36 < S.prob_all_under(0.99, 100) < 0.37
    with pytest.raises(ValueError, match="^p must be a probability"):
        S.prob_all_under(1.5, 3)
    with pytest.raises(ValueError, match="^n_shards must be a positive integer"):
        S.prob_all_under(0.5, 0)


def test_fanout_percentile_matches_simulation():
    rng = random.Random(0)
    shard = [rng.expovariate(1.0) for _ in range(20000)]
    n = 10
    predicted = S.fanout_percentile(shard, n, 99)
    simulated = S.percentile([max(rng.choice(shard) for _ in range(n)) for _ in range(20000)], 99)
    assert abs(predicted - simulated) / simulated < 0.1
    assert S.fanout_percentile(shard, 1, 99) == S.p99(shard)
    assert S.fanout_percentile(shard, 50, 99) > S.p99(shard)


def test_lru_cache_basics():
    c = S.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1            # a is now most recent
    c.put("c", 3)                     # evicts b
    assert "b" not in c and "a" in c and "c" in c
    assert c.get("b") is None
    assert c.stats() == {"capacity": 2, "size": 2, "hits": 1, "misses": 1, "evictions": 1,
                         "hit_rate": 0.5}
    calls = []
    assert c.get_or_compute("d", lambda k: calls.append(k) or k * 2) == "dd"
    assert c.get_or_compute("d", lambda k: calls.append(k) or k * 2) == "dd"
    assert calls == ["d"]
    with pytest.raises(ValueError, match="^capacity must be a positive integer"):
        S.LRUCache(0)
    assert S.LRUCache(3).hit_rate == 0.0


@settings(max_examples=50, deadline=None)
@given(capacity=st.integers(1, 10), keys=st.lists(st.integers(0, 20), max_size=200))
def test_lru_never_exceeds_capacity_and_matches_a_model(capacity, keys):
    c = S.LRUCache(capacity)
    model = []                        # most recent last
    for k in keys:
        hit = c.get_or_compute(k, lambda key: key * 10) == k * 10
        assert hit
        if k in model:
            model.remove(k)
        model.append(k)
        model = model[-capacity:]
        assert len(c) <= capacity
        assert sorted(c._data) == sorted(model)
    assert c.hits + c.misses == len(keys)


def test_stage_table_by_hand():
    times = {"fetch": [1.0, 3.0, 2.0, 10.0], "score": [1.0, 1.0, 2.0, 0.0]}
    rows = S.stage_table(times, digits=2)
    assert [r["stage"] for r in rows] == ["fetch", "score", "total"]
    fetch, score, total = rows
    assert (fetch["p50 (ms)"], fetch["p99 (ms)"]) == (2.0, 10.0)        # nearest rank
    assert (score["p50 (ms)"], score["p99 (ms)"]) == (1.0, 2.0)
    assert (total["p50 (ms)"], total["p99 (ms)"]) == (4.0, 10.0)        # per-request sums 2, 4, 4, 10
    assert total["p99 (ms)"] < fetch["p99 (ms)"] + score["p99 (ms)"]   # p99s do not add
    assert (fetch["share of the time"], score["share of the time"]) == (0.8, 0.2)   # 16 / 20, 4 / 20


def test_stage_table_bad_input():
    with pytest.raises(TypeError, match="stage_ms must be a dict"):
        S.stage_table([[1.0]])
    with pytest.raises(ValueError, match="at least one stage"):
        S.stage_table({})
    with pytest.raises(ValueError, match="one latency per request; got lengths \\[1, 2\\]"):
        S.stage_table({"a": [1.0, 2.0], "b": [1.0]})
    with pytest.raises(ValueError, match=r"stage_ms\['a'\]\[1\] must be >= 0 ms"):
        S.stage_table({"a": [1.0, -2.0]})
