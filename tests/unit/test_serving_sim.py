"""Tests for mlsd.serving_sim: batch cost, dynamic batching, slow dependencies, overload."""

import math

import pytest

from mlsd import serving_sim as S


# ------------------------------------------------------------------ cost model
def test_batch_cost_hand_computed():
    c = S.BatchCost(fixed_ms=8.0, per_item_ms=0.5, dollars_per_hour=3.6)
    assert c.batch_ms(1) == 8.5
    assert c.batch_ms(4) == 10.0
    assert c.throughput(4) == pytest.approx(400.0)            # 4 predictions per 10 ms
    # $3.6 an hour is $0.001 a second; 400 per second -> $2.5e-6 each -> $2.5 per million
    assert c.cost_per_million(4) == pytest.approx(2.5)


def test_batch_cost_bad_input():
    with pytest.raises(ValueError, match="fixed_ms"):
        S.BatchCost(fixed_ms=-1, per_item_ms=1)
    with pytest.raises(ValueError, match="both be 0"):
        S.BatchCost(fixed_ms=0, per_item_ms=0)
    with pytest.raises(ValueError, match="dollars_per_hour"):
        S.BatchCost(1, 1, dollars_per_hour=0)
    with pytest.raises(TypeError, match="size"):
        S.BatchCost(1, 1).batch_ms(2.5)
    with pytest.raises(ValueError, match="size"):
        S.BatchCost(1, 1).throughput(0)


def test_poisson_arrivals():
    xs = S.poisson_arrivals(20000, 1000, seed=3)
    assert xs == sorted(xs) and xs[0] > 0
    assert xs == S.poisson_arrivals(20000, 1000, seed=3)
    assert 20000 / xs[-1] * 1000 == pytest.approx(1000, rel=0.03)   # the rate comes back
    with pytest.raises(ValueError, match="rate_per_s"):
        S.poisson_arrivals(10, 0)
    with pytest.raises(TypeError, match="n"):
        S.poisson_arrivals(1.5, 10)


# ------------------------------------------------------------ dynamic batching
def test_batching_waits_for_a_full_batch_or_the_deadline():
    cost = S.BatchCost(fixed_ms=10.0, per_item_ms=1.0)
    # three requests close together, the batch is full at 3: starts at t=2, ends 2 + 13 = 15
    r = S.simulate_batching([0.0, 1.0, 2.0], cost, max_batch=3, max_wait_ms=100)
    assert r["batches"] == 1 and r["latencies"] == [15.0, 14.0, 13.0]
    # max_batch 2: first batch starts at t=1 (full), ends 13; the third waits until then
    # (its own deadline, 2 + 5 = 7, has passed) and runs alone: 13 + 11 = 24
    r = S.simulate_batching([0.0, 1.0, 2.0], cost, max_batch=2, max_wait_ms=5)
    assert r["latencies"] == [13.0, 12.0, 22.0] and r["batches"] == 2
    # a lone request waits max_wait_ms, then runs alone
    r = S.simulate_batching([0.0, 50.0], cost, max_batch=4, max_wait_ms=5)
    assert r["latencies"] == [16.0, 16.0] and r["mean_batch"] == 1
    assert r["busy_ms"] == 22.0 and r["utilisation"] == pytest.approx(22.0 / 66.0)


def test_batching_without_wait_starts_at_once_and_instances_run_in_parallel():
    cost = S.BatchCost(fixed_ms=10.0, per_item_ms=0.0)
    r = S.simulate_batching([0.0, 1.0], cost, max_batch=8, max_wait_ms=0)
    assert r["latencies"] == [10.0, 19.0]                 # the second waits for the first batch
    r = S.simulate_batching([0.0, 1.0], cost, max_batch=8, max_wait_ms=0, instances=2)
    assert r["latencies"] == [10.0, 10.0]                 # a second instance takes it at once


def test_batching_capacity_is_set_by_max_batch():
    cost = S.BatchCost(fixed_ms=8.0, per_item_ms=0.02)
    arrivals = S.poisson_arrivals(3000, 2000, seed=0)     # 2,000 per second
    small = S.simulate_batching(arrivals, cost, max_batch=8, max_wait_ms=0)
    big = S.simulate_batching(arrivals, cost, max_batch=64, max_wait_ms=0)
    assert small["throughput_per_s"] < 1.02 * cost.throughput(8) < 2000   # overloaded
    assert big["throughput_per_s"] == pytest.approx(2000, rel=0.05)
    assert big["p99_ms"] < 30 < small["p99_ms"]
    assert len(big["latencies"]) == 3000 and min(big["latencies"]) >= cost.batch_ms(1)


def test_batching_bad_input():
    cost = S.BatchCost(1, 1)
    with pytest.raises(ValueError, match="sorted"):
        S.simulate_batching([2.0, 1.0], cost, max_batch=2, max_wait_ms=1)
    with pytest.raises(ValueError, match="arrivals_ms"):
        S.simulate_batching([], cost, max_batch=2, max_wait_ms=1)
    with pytest.raises(TypeError, match="cost"):
        S.simulate_batching([1.0], (1, 1), max_batch=2, max_wait_ms=1)
    with pytest.raises(ValueError, match="max_batch"):
        S.simulate_batching([1.0], cost, max_batch=0, max_wait_ms=1)
    with pytest.raises(ValueError, match="max_wait_ms"):
        S.simulate_batching([1.0], cost, max_batch=2, max_wait_ms=-1)
    with pytest.raises(ValueError, match="instances"):
        S.simulate_batching([1.0], cost, max_batch=2, max_wait_ms=1, instances=0)


# ------------------------------------------------------------ slow dependency
def test_dependency_timeout_caps_latency_and_counts_fallbacks():
    # every call is slow (50 ms) and the timeout is 20 ms: every answer is a fallback
    r = S.simulate_dependency(100, model_ms=5, fast_ms=(1, 1), slow_share=1.0, slow_ms=(50, 50),
                              timeout_ms=20, fallback_ms=1)
    assert r["degraded_share"] == 1.0 and r["p99_ms"] == 26.0 and r["calls_per_request"] == 1.0
    # one retry doubles the calls and the time spent waiting
    r = S.simulate_dependency(100, model_ms=5, fast_ms=(1, 1), slow_share=1.0, slow_ms=(50, 50),
                              timeout_ms=20, retries=1, fallback_ms=1)
    assert r["calls_per_request"] == 2.0 and r["p99_ms"] == 46.0
    # no timeout: every request waits for the slow call, none is degraded
    r = S.simulate_dependency(100, model_ms=5, fast_ms=(1, 1), slow_share=1.0, slow_ms=(50, 50))
    assert r["degraded_share"] == 0.0 and r["p50_ms"] == 55.0


def test_dependency_retry_rescues_independent_slow_calls():
    kw = dict(model_ms=10, slow_share=0.05, slow_ms=(60, 300), seed=1)
    once = S.simulate_dependency(5000, timeout_ms=20, **kw)
    retry = S.simulate_dependency(5000, timeout_ms=20, retries=1, **kw)
    assert retry["degraded_share"] < once["degraded_share"] / 5
    assert 1.0 < retry["calls_per_request"] < 1.1


def test_breaker_stops_calls_to_a_dead_dependency():
    kw = dict(model_ms=5, timeout_ms=30, rate_per_s=100, outage_ms=(1000, 9000))
    plain = S.simulate_dependency(1000, **kw)
    broken = S.simulate_dependency(1000, breaker=(3, 2000), **kw)
    assert plain["calls_in_outage"] == 800                  # every request in the outage calls
    assert broken["calls_in_outage"] <= 3 + 4               # 3 to trip, then one trial per 2 s
    assert broken["p99_ms"] < plain["p99_ms"]


def test_dependency_bad_input():
    with pytest.raises(ValueError, match="retries need a timeout_ms"):
        S.simulate_dependency(10, model_ms=1, retries=1)
    with pytest.raises(ValueError, match="slow_share"):
        S.simulate_dependency(10, model_ms=1, slow_share=1.5)
    with pytest.raises(TypeError, match="fast_ms"):
        S.simulate_dependency(10, model_ms=1, fast_ms=3)
    with pytest.raises(ValueError, match="slow_ms"):
        S.simulate_dependency(10, model_ms=1, slow_ms=(5, 1))
    with pytest.raises(ValueError, match="outage_ms needs"):
        S.simulate_dependency(10, model_ms=1, outage_ms=(0, 1))
    with pytest.raises(TypeError, match="breaker"):
        S.simulate_dependency(10, model_ms=1, timeout_ms=5, breaker=3)
    with pytest.raises(ValueError, match="timeout_ms"):
        S.simulate_dependency(10, model_ms=1, timeout_ms=0)


# ------------------------------------------------------------------- overload
def test_overload_hand_computed():
    # service 10 ms, timeout 15 ms; three requests at t = 0: the first ends at 10 (ok), the
    # second at 20 (late: its client left at 15), the third at 30 (late)
    r = S.simulate_overload([0.0, 0.0, 0.0], service_ms=10, timeout_ms=15)
    assert r["succeeded"] == [True, False, False]
    assert r["wasted_share"] == pytest.approx(2 / 3) and r["attempts_per_request"] == 1.0
    # dropping attempts that cannot finish in time: the third is dropped, no work wasted on it
    r = S.simulate_overload([0.0, 0.0, 0.0], service_ms=10, timeout_ms=15, drop_expired=True)
    assert r["succeeded"] == [True, False, False] and r["dropped"] == 2 and r["wasted_share"] == 0
    # one retry: the two late ones are sent again at t = 15, start at 30 and 40
    r = S.simulate_overload([0.0, 0.0, 0.0], service_ms=10, timeout_ms=15, retries=1)
    assert r["attempts_per_request"] == pytest.approx(5 / 3)
    assert r["succeeded"] == [True, False, False]


def test_retries_amplify_an_overload():
    arrivals = S.poisson_arrivals(4000, 600, seed=2)        # 600/s against a capacity of 500/s
    plain = S.simulate_overload(arrivals, service_ms=2, timeout_ms=100)
    retried = S.simulate_overload(arrivals, service_ms=2, timeout_ms=100, retries=3)
    budget = S.simulate_overload(arrivals, service_ms=2, timeout_ms=100, retries=3, retry_budget=0.1)
    assert retried["attempts_per_request"] > 2 and retried["success_share"] <= plain["success_share"]
    assert budget["attempts_per_request"] <= 1.1 + 1e-9
    shed = S.simulate_overload(arrivals, service_ms=2, timeout_ms=100, retries=3, drop_expired=True)
    assert shed["success_share"] > 0.8 > plain["success_share"]


def test_overload_bad_input():
    with pytest.raises(ValueError, match="service_ms"):
        S.simulate_overload([0.0], service_ms=0, timeout_ms=1)
    with pytest.raises(ValueError, match="retry_budget"):
        S.simulate_overload([0.0], service_ms=1, timeout_ms=1, retry_budget=2)
    with pytest.raises(TypeError, match="drop_expired"):
        S.simulate_overload([0.0], service_ms=1, timeout_ms=1, drop_expired="yes")
    with pytest.raises(TypeError, match="arrivals_ms"):
        S.simulate_overload([0.0, "x"], service_ms=1, timeout_ms=1)
    assert math.isfinite(S.simulate_overload([0.0], service_ms=1, timeout_ms=1)["success_share"])


def test_summary_matches_the_library_percentile():
    from mlsd.serving import percentile
    r = S.simulate_batching(S.poisson_arrivals(500, 3000, seed=4), S.BatchCost(8.0, 0.02), max_batch=16,
                            max_wait_ms=1)
    assert r["p50_ms"] == percentile(r["latencies"], 50) and r["p99_ms"] == percentile(r["latencies"], 99)
