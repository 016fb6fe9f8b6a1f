"""Tests for mlsd.llm_serving: KV-cache size, step cost, the batching simulator, paged admission."""

import doctest

import pytest

from mlsd import llm_serving as L
from mlsd.llm_serving import Request, StepCost


def test_doctests():
    assert doctest.testmod(L).failed == 0


def test_kv_bytes_per_token_by_hand():
    assert L.kv_bytes_per_token(2, 3, 4, 1) == 2 * 2 * 3 * 4
    assert L.kv_bytes_per_token(32, 32, 128) == 524288            # 0.5 MiB, 16-bit values
    assert L.kv_bytes_per_token(32, 1, 128) * 32 == L.kv_bytes_per_token(32, 32, 128)   # MQA


def test_step_cost_and_from_hardware():
    c = StepCost(10.0, 1.0, 0.5)
    assert c.step_ms() == 10.0
    assert c.step_ms(5, 4) == 10.0 + 5 + 2
    h = StepCost.from_hardware(weight_bytes=2e9, flops_per_token=4e9, kv_bytes_per_token=1e6,
                               bandwidth_bytes_per_s=1e12, flop_per_s=1e14, overhead_ms=1.0)
    assert h.fixed_ms == pytest.approx(3.0)
    assert h.prefill_ms_per_token == pytest.approx(0.04)
    assert h.context_ms_per_token == pytest.approx(0.001)


COST = StepCost(10.0, 1.0, 0.0)     # 10 ms a step, 1 ms per prompt token, no context cost


def two_requests():
    return [Request(0.0, 5, 3), Request(0.0, 5, 2)]


def test_sequential_by_hand():
    r = L.simulate(two_requests(), "sequential", COST)
    # A: prefill 10 + 5 = 15 (first token), 2 decode steps -> 35. B: prefill ends 50, decode -> 60.
    assert r.ttft_ms == [15.0, 50.0]
    assert r.latency_ms == [35.0, 60.0]
    assert r.steps == 5 and r.makespan_ms == 60.0
    assert r.tokens_per_s == pytest.approx(5 / 0.060)


def test_continuous_by_hand_a_late_request_joins_a_freed_slot():
    reqs = two_requests() + [Request(1.0, 5, 1)]
    cont = L.simulate(reqs, "continuous", COST, max_batch=2)
    # Step 1 (0-20): prefill A and B (10 tokens). Step 2 (20-30): B done. Step 3 (30-45): C
    # takes B's slot and is prefilled (5 tokens) while A decodes its last token.
    assert cont.ttft_ms == [20.0, 20.0, 44.0]
    assert cont.latency_ms == [45.0, 30.0, 44.0]
    static = L.simulate(reqs, "static", COST, max_batch=2)
    # Static: C waits for the whole batch (ends at 40), then its own prefill: 40 + 15 = 55.
    assert static.ttft_ms == [20.0, 20.0, 54.0]
    assert static.latency_ms == [40.0, 30.0, 54.0]


def test_static_waits_for_a_full_batch_or_the_timeout():
    reqs = [Request(0.0, 5, 1), Request(50.0, 5, 1), Request(500.0, 5, 1)]
    r = L.simulate(reqs, "static", COST, max_batch=2, max_wait_ms=100.0)
    # The first two fill a batch at 50 (step ends 50 + 10 + 10 = 70); the third is alone and
    # is the last arrival, so it starts at once.
    assert r.ttft_ms == [70.0, 20.0, 15.0]
    lone = L.simulate(reqs[:1] + [Request(400.0, 5, 1)], "static", COST, max_batch=2, max_wait_ms=100.0)
    assert lone.ttft_ms[0] == 115.0          # waited the full 100 ms for a partner, then ran


def test_static_fast_forward_matches_step_by_step_continuous():
    # All requests at t = 0 and room for all: nobody joins later, so static (closed-form jumps)
    # and continuous (one step at a time) must produce the same times, context cost included.
    cost = StepCost(7.0, 0.1, 0.003)
    reqs = [Request(0.0, 100 + 37 * i, 1 + (i * 53) % 90) for i in range(12)]
    a = L.simulate(reqs, "static", cost, max_batch=12)
    b = L.simulate(reqs, "continuous", cost, max_batch=12)
    assert a.latency_ms == pytest.approx(b.latency_ms)
    assert a.ttft_ms == pytest.approx(b.ttft_ms)
    assert a.steps == b.steps == max(r.output_tokens for r in reqs)


def test_prefix_cache_counts_prefill_and_memory_once():
    reqs = [Request(float(i), 110, 2, prefix_tokens=100) for i in range(4)]
    plain = L.simulate(reqs, "continuous", COST, max_batch=4)
    cached = L.simulate(reqs, "continuous", COST, max_batch=4, prefix_cache=True)
    assert plain.prefill_tokens_computed == 440
    assert cached.prefill_tokens_computed == 110 + 3 * 10
    assert cached.peak_kv_tokens < plain.peak_kv_tokens
    assert all(c <= p for c, p in zip(cached.ttft_ms, plain.ttft_ms))


def test_kv_budget_limits_concurrency_and_is_respected():
    reqs = L.make_requests(60, 20.0, seed=3)
    budget = 3000
    r = L.simulate(reqs, "continuous", StepCost(7.5, 0.1, 0.00026), max_batch=64, kv_budget_tokens=budget)
    assert 0 < r.peak_kv_tokens <= budget
    free = L.simulate(reqs, "continuous", StepCost(7.5, 0.1, 0.00026), max_batch=64)
    assert free.peak_kv_tokens > budget
    assert max(r.latency_ms) > max(free.latency_ms)


@pytest.mark.parametrize("policy", L.POLICIES)
def test_every_request_finishes_after_its_first_token(policy):
    reqs = L.make_requests(80, 4.0, seed=1)
    r = L.simulate(reqs, policy, StepCost(7.5, 0.1, 0.00026))
    assert all(0 < f <= e for f, e in zip(r.ttft_ms, r.latency_ms))
    assert r.output_tokens == sum(q.output_tokens for q in reqs)
    assert r.prefill_tokens_computed == r.prompt_tokens


def test_make_requests_is_seeded_and_in_range():
    a = L.make_requests(500, 2.0, seed=7, prompt_range=(10, 20), mean_output=50, max_output=200,
                        prefix_tokens=5)
    assert a == L.make_requests(500, 2.0, seed=7, prompt_range=(10, 20), mean_output=50,
                                max_output=200, prefix_tokens=5)
    assert all(15 <= r.prompt_tokens <= 25 and 1 <= r.output_tokens <= 200 for r in a)
    assert 40 < sum(r.output_tokens for r in a) / len(a) < 60
    gaps = [b.arrival_ms - x.arrival_ms for x, b in zip(a, a[1:])]
    assert 400 < sum(gaps) / len(gaps) < 600                      # 2 per second: 500 ms apart


def test_admit_count_reserve_vs_paged():
    lengths = [100, 300, 50, 700]
    full = L.admit_count(lengths, 2048, reserve_tokens=1024)
    assert full["admitted"] == 2 and full["reserved_tokens"] == 2048 and full["used_tokens"] == 400
    paged = L.admit_count(lengths, 2048, block_size=16)
    assert paged["admitted"] == 4 and paged["reserved_tokens"] == 112 + 304 + 64 + 704
    assert paged["waste"] < full["waste"]
    assert L.admit_count([10], 5)["admitted"] == 0


def test_bad_input():
    with pytest.raises(ValueError, match="^kv_heads must be a positive integer"):
        L.kv_bytes_per_token(32, 0, 128)
    with pytest.raises(ValueError, match="^fixed_ms must be > 0"):
        StepCost(0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="^prefix_tokens must be <= prompt_tokens"):
        Request(0.0, 5, 1, prefix_tokens=6)
    with pytest.raises(ValueError, match="^output_tokens must be a positive integer"):
        Request(0.0, 5, 0)
    with pytest.raises(ValueError, match="^policy must be one of"):
        L.simulate(two_requests(), "greedy", COST)
    with pytest.raises(TypeError, match=r"^requests\[1\] must be a Request"):
        L.simulate([Request(0.0, 5, 1), (0, 5, 1)], "static", COST)
    with pytest.raises(TypeError, match="^cost must be a StepCost"):
        L.simulate(two_requests(), "static", 10.0)
    with pytest.raises(ValueError, match="^kv_budget_tokens .* smaller than one request"):
        L.simulate(two_requests(), "continuous", COST, kv_budget_tokens=4)
    with pytest.raises(ValueError, match="^requests must not be empty"):
        L.simulate([], "continuous", COST)
    with pytest.raises(ValueError, match=r"^prompt_range must have low <= high"):
        L.make_requests(5, 1.0, prompt_range=(20, 10))
    with pytest.raises(ValueError, match="^rate_per_s must be > 0"):
        L.make_requests(5, 0.0)
    with pytest.raises(ValueError, match=r"^lengths must be <= reserve_tokens"):
        L.admit_count([10, 600], 4096, reserve_tokens=512)
    with pytest.raises(ValueError, match="^block_size must be a positive integer"):
        L.admit_count([10], 100, block_size=0)


def test_static_timeout_survives_float_rounding():
    # arrival + max_wait - arrival can round below max_wait; the batcher must still start.
    reqs = L.make_requests(300, 2.0, seed=3)
    r = L.simulate(reqs, "static", StepCost(7.5, 0.1, 0.00026), max_batch=16, max_wait_ms=200.0)
    assert len(r.latency_ms) == 300 and min(r.latency_ms) > 0


def _continuous_one_step_at_a_time(reqs, cost, max_batch):
    """Reference: continuous batching stepped one model iteration at a time (no memory cap)."""
    order = sorted(range(len(reqs)), key=lambda i: reqs[i].arrival_ms)
    t, nxt, waiting, running, done = reqs[order[0]].arrival_ms, 0, [], {}, 0
    ttft, latency = [0.0] * len(reqs), [0.0] * len(reqs)
    while done < len(reqs):
        while nxt < len(reqs) and reqs[order[nxt]].arrival_ms <= t:
            waiting.append(order[nxt])
            nxt += 1
        if not running and not waiting:
            t = reqs[order[nxt]].arrival_ms
            continue
        new = [waiting.pop(0) for _ in range(min(len(waiting), max_batch - len(running)))]
        context = sum(reqs[i].prompt_tokens + g for i, g in running.items())
        t += cost.step_ms(sum(reqs[i].prompt_tokens for i in new), context)
        for i in list(running):
            running[i] += 1
            if running[i] == reqs[i].output_tokens:
                latency[i] = t - reqs[i].arrival_ms
                done += 1
                del running[i]
        for i in new:
            ttft[i] = t - reqs[i].arrival_ms
            if reqs[i].output_tokens == 1:
                latency[i] = ttft[i]
                done += 1
            else:
                running[i] = 1
    return ttft, latency


@pytest.mark.parametrize("rate,max_batch", [(0.5, 16), (6.0, 16), (30.0, 4), (30.0, 64)])
def test_continuous_fast_forward_matches_one_step_at_a_time(rate, max_batch):
    # The simulator runs stretches of plain decode steps in a tight loop; it must give the same
    # times as stepping once per model iteration, at low load (idle gaps) and under overload.
    cost = StepCost(7.5, 0.1, 0.000262)
    reqs = L.make_requests(150, rate, seed=5)
    ttft, latency = _continuous_one_step_at_a_time(reqs, cost, max_batch)
    r = L.simulate(reqs, "continuous", cost, max_batch=max_batch)
    assert r.ttft_ms == pytest.approx(ttft, rel=1e-12)
    assert r.latency_ms == pytest.approx(latency, rel=1e-12)
