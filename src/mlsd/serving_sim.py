"""A model server in simulated time: dynamic batching, slow dependencies, retries under overload.

A model server is a process that holds a model in memory and answers requests over RPC or HTTP.
Real servers (TensorFlow Serving, Triton, TorchServe) cannot run in a page, so this module
simulates the parts of their behaviour that decide latency and cost, with a stated cost model.
Every function replays requests in simulated milliseconds; nothing sleeps.

**Cost of a batch.** A device (a CPU replica, an accelerator) runs a batch of ``b`` requests in

    batch_ms(b) = fixed_ms + per_item_ms * b

``fixed_ms`` is what every batch pays whatever its size (launching kernels, copying inputs,
reading the weights once); ``per_item_ms`` is the arithmetic for one more request. Running full
batches back to back gives ``throughput(b) = 1000 b / batch_ms(b)`` predictions per second, and
at ``dollars_per_hour`` a million predictions cost ``dollars_per_hour / 3600 / throughput * 1e6``.
An accelerator has a large fixed cost and a tiny per-item cost, a CPU the opposite, so which is
cheaper per prediction depends on how full the batches are. The numbers are stand-ins stated by
the caller, not measurements of any hardware.

**Dynamic batching** (:func:`simulate_batching`). Requests wait in one queue; ``instances``
copies of the model take batches from it. When an instance is free and a request is waiting, the
batch starts as soon as ``max_batch`` requests are queued or the oldest has waited
``max_wait_ms``, whichever comes first, and takes up to ``max_batch`` requests. ``max_wait_ms =
0`` starts at once with whatever is queued. A request's latency is the end of its batch minus
its arrival. Utilisation is the share of instance-time spent running batches.

**A slow dependency** (:func:`simulate_dependency`). Each request calls a dependency (a feature
store, an embedding service) and then runs the model for ``model_ms``. A call takes a uniform
time in ``fast_ms``, or, with probability ``slow_share``, in ``slow_ms``. With ``timeout_ms`` the
request gives up on a call after that long; it may retry up to ``retries`` times (each retry an
independent call), and when every attempt timed out it answers with a fallback (default
features, a cached score, a popularity list) that costs ``fallback_ms`` and counts as degraded.
During ``outage_ms = (start, end)`` no call answers. A circuit breaker
``breaker = (failures, open_ms)`` opens after that many consecutive timeouts: for ``open_ms``
requests skip the call and use the fallback at once; then one trial call decides whether it
closes again. Requests arrive evenly, one every ``1000 / rate_per_s`` ms (only the outage and
the breaker depend on time), and are processed in arrival order, so the breaker sees outcomes in
order (a real breaker sees them when calls end).

**Overload and retries** (:func:`simulate_overload`). One worker serves attempts first come,
first served, each in ``service_ms``. A client gives up on an attempt after ``timeout_ms`` and
may send it again at that moment; the worker still runs an attempt whose client has gone
(wasted work) unless ``drop_expired`` is set, in which case an attempt that can no longer finish
before its deadline is dropped at no cost when it reaches the front of the queue.
``retry_budget`` caps retries at that share of the requests sent so far (a per-client budget).
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections import deque
from dataclasses import dataclass

from mlsd.validate import (check_non_empty, check_non_negative, check_non_negative_int, check_number,
                           check_positive, check_positive_int, check_probability)

__all__ = ["BatchCost", "poisson_arrivals", "simulate_batching", "simulate_dependency",
           "simulate_overload"]


@dataclass(frozen=True)
class BatchCost:
    """``batch_ms(b) = fixed_ms + per_item_ms * b`` on a device that costs ``dollars_per_hour``."""

    fixed_ms: float
    per_item_ms: float
    dollars_per_hour: float = 1.0

    def __post_init__(self):
        check_non_negative("fixed_ms", self.fixed_ms)
        check_non_negative("per_item_ms", self.per_item_ms)
        if self.fixed_ms + self.per_item_ms <= 0:
            raise ValueError("fixed_ms and per_item_ms must not both be 0: a batch takes some time")
        check_positive("dollars_per_hour", self.dollars_per_hour)

    def batch_ms(self, size: int) -> float:
        """Milliseconds to run one batch of ``size`` requests."""
        return self.fixed_ms + self.per_item_ms * check_positive_int("size", size)

    def throughput(self, size: int) -> float:
        """Predictions per second with full batches of ``size`` run back to back."""
        return 1000.0 * size / self.batch_ms(size)

    def cost_per_million(self, size: int) -> float:
        """Dollars per million predictions with full batches of ``size``."""
        return self.dollars_per_hour / 3600.0 / self.throughput(size) * 1e6


def poisson_arrivals(n: int, rate_per_s: float, *, seed: int = 0) -> list[float]:
    """``n`` arrival times in ms of a Poisson process with ``rate_per_s`` requests per second."""
    check_positive_int("n", n)
    rate = check_positive("rate_per_s", rate_per_s) / 1000.0
    rng, t, out = random.Random(seed), 0.0, []
    for _ in range(n):
        t += rng.expovariate(rate)
        out.append(t)
    return out


def _check_arrivals(arrivals_ms) -> list[float]:
    xs = check_non_empty("arrivals_ms", arrivals_ms)
    for i, x in enumerate(xs):
        if type(x) is not float or not math.isfinite(x):     # fast path for plain floats
            check_number(f"arrivals_ms[{i}]", x)
    if any(b < a for a, b in zip(xs, xs[1:])):
        raise ValueError("arrivals_ms must be sorted in increasing time order")
    return [float(x) for x in xs]


def _nearest_rank(sorted_xs: list[float], p: float) -> float:
    """The p-th percentile by nearest rank, as :func:`mlsd.serving.percentile`, of sorted values."""
    return sorted_xs[max(1, math.ceil(p / 100.0 * len(sorted_xs))) - 1]


def _summary(latencies: list[float]) -> dict:
    xs = sorted(latencies)                       # computed here, so finite: no need to re-check
    return {"p50_ms": _nearest_rank(xs, 50), "p99_ms": _nearest_rank(xs, 99),
            "mean_ms": math.fsum(xs) / len(xs)}


def simulate_batching(arrivals_ms, cost: BatchCost, *, max_batch: int, max_wait_ms: float,
                      instances: int = 1) -> dict:
    """Replay ``arrivals_ms`` through a dynamic batcher (see the module docstring).

    Returns ``p50_ms``, ``p99_ms``, ``mean_ms``, ``throughput_per_s`` (served / time from the first
    arrival to the last completion), ``utilisation``, ``mean_batch``, ``batches``, ``busy_ms`` and
    ``latencies``.
    """
    xs = _check_arrivals(arrivals_ms)
    if not isinstance(cost, BatchCost):
        raise TypeError(f"cost must be a BatchCost, got {type(cost).__name__}")
    size_cap = check_positive_int("max_batch", max_batch)
    wait = check_non_negative("max_wait_ms", max_wait_ms)
    check_positive_int("instances", instances)
    free = [xs[0]] * instances                    # when each instance is next free (a heap)
    fixed, per_item = cost.fixed_ms, cost.per_item_ms
    latencies, batches, busy = [], 0, 0.0
    head, n = 0, len(xs)                          # xs[head] is the oldest request not yet served
    while head < n:
        first = xs[head]
        ready = free[0] if free[0] > first else first     # an instance is free, a request waits
        start = first + wait
        if head + size_cap - 1 < n and xs[head + size_cap - 1] < start:
            start = xs[head + size_cap - 1]               # the batch fills before the wait ends
        if start < ready:
            start = ready
        size = min(size_cap, bisect.bisect_right(xs, start, head) - head)
        end = start + fixed + per_item * size
        heapq.heapreplace(free, end)
        if size == 1:
            latencies.append(end - first)
        else:
            latencies.extend([end - a for a in xs[head:head + size]])
        batches += 1
        busy += end - start
        head += size
    span = max(free) - xs[0]
    return {**_summary(latencies), "throughput_per_s": 1000.0 * n / span if span > 0 else math.inf,
            "utilisation": busy / (span * instances) if span > 0 else 1.0,
            "mean_batch": n / batches, "batches": batches, "busy_ms": busy, "latencies": latencies}


def _check_range(name, value) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a (low, high) pair, got {value!r}")
    lo, hi = check_non_negative(f"{name}[0]", value[0]), check_non_negative(f"{name}[1]", value[1])
    if hi < lo:
        raise ValueError(f"{name} must have low <= high, got {value!r}")
    return lo, hi


def simulate_dependency(n: int, *, model_ms: float, fast_ms=(2.0, 8.0), slow_share: float = 0.0,
                        slow_ms=(100.0, 400.0), timeout_ms: float | None = None, retries: int = 0,
                        fallback_ms: float = 0.5, rate_per_s: float = 1000.0, outage_ms=None,
                        breaker=None, seed: int = 0) -> dict:
    """``n`` requests that each call a dependency, then the model (see the module docstring).

    Returns ``p50_ms``, ``p99_ms``, ``mean_ms``, ``degraded_share`` (answered by the fallback),
    ``calls_per_request`` (dependency calls sent, retries included), ``calls_in_outage`` and
    ``latencies``.
    """
    check_positive_int("n", n)
    model = check_non_negative("model_ms", model_ms)
    fast, slow = _check_range("fast_ms", fast_ms), _check_range("slow_ms", slow_ms)
    p_slow = check_probability("slow_share", slow_share)
    if timeout_ms is not None:
        check_positive("timeout_ms", timeout_ms)
    check_non_negative_int("retries", retries)
    if retries and timeout_ms is None:
        raise ValueError("retries need a timeout_ms: without a timeout no call is ever retried")
    fallback = check_non_negative("fallback_ms", fallback_ms)
    gap = 1000.0 / check_positive("rate_per_s", rate_per_s)
    outage = _check_range("outage_ms", outage_ms) if outage_ms is not None else None
    if outage is not None and timeout_ms is None:
        raise ValueError("outage_ms needs a timeout_ms: without one, a request waits forever")
    if breaker is not None:
        if not isinstance(breaker, (tuple, list)) or len(breaker) != 2:
            raise TypeError(f"breaker must be a (failures, open_ms) pair, got {breaker!r}")
        trip, open_ms = check_positive_int("breaker[0]", breaker[0]), check_positive("breaker[1]", breaker[1])
        if timeout_ms is None:
            raise ValueError("breaker needs a timeout_ms: it counts timed-out calls")
    rng = random.Random(seed)
    latencies, degraded, calls, calls_down = [], 0, 0, 0
    failures_in_row, open_until = 0, -math.inf
    for i in range(n):
        now = i * gap
        if breaker is not None and now < open_until:      # open: skip the call
            latencies.append(model + fallback)
            degraded += 1
            continue
        spent, answered = 0.0, False
        for _ in range(retries + 1):
            down = outage is not None and outage[0] <= now + spent < outage[1]
            lo, hi = slow if rng.random() < p_slow else fast
            took = math.inf if down else rng.uniform(lo, hi)
            calls += 1
            calls_down += down
            if timeout_ms is None or took <= timeout_ms:
                spent += took
                answered = True
                break
            spent += timeout_ms
        if answered:
            failures_in_row = 0
            latencies.append(spent + model)
        else:
            degraded += 1
            latencies.append(spent + model + fallback)
            failures_in_row += 1
            if breaker is not None and failures_in_row >= trip:
                open_until, failures_in_row = now + open_ms, trip - 1   # half-open: one failure re-opens
    return {**_summary(latencies), "degraded_share": degraded / n, "calls_per_request": calls / n,
            "calls_in_outage": calls_down, "latencies": latencies}


def simulate_overload(arrivals_ms, *, service_ms: float, timeout_ms: float, retries: int = 0,
                      retry_budget: float | None = None, drop_expired: bool = False) -> dict:
    """One first-come-first-served worker with client timeouts and retries (see the module docstring).

    Returns ``success_share`` (requests answered within their timeout on some attempt),
    ``attempts_per_request`` (load amplification), ``wasted_share`` (worker time spent on
    attempts whose client had gone), ``dropped`` (attempts dropped by ``drop_expired``) and
    ``succeeded`` (per request, True or False, in arrival order).
    """
    xs = _check_arrivals(arrivals_ms)
    service = check_positive("service_ms", service_ms)
    timeout = check_positive("timeout_ms", timeout_ms)
    check_non_negative_int("retries", retries)
    if retry_budget is not None:
        check_probability("retry_budget", retry_budget)
    if not isinstance(drop_expired, bool):
        raise TypeError(f"drop_expired must be True or False, got {drop_expired!r}")
    queue = [(t, i, 0) for i, t in enumerate(xs)]      # (sent at, request, attempt number)
    heapq.heapify(queue)
    ok = [False] * len(xs)
    free, busy, wasted, attempts, retries_sent, dropped = xs[0], 0.0, 0.0, 0, 0, 0
    first_sent = 0                                     # requests sent so far (for the budget)
    while queue:
        sent, req, attempt = heapq.heappop(queue)
        attempts += 1
        if attempt == 0:
            first_sent += 1
        start = max(free, sent)
        deadline = sent + timeout
        if drop_expired and start + service > deadline:
            dropped += 1
            done_in_time = False
        else:
            free = start + service
            busy += service
            done_in_time = free <= deadline
            if done_in_time:
                ok[req] = True
            else:
                wasted += service
        if not done_in_time and attempt < retries and (
                retry_budget is None or retries_sent < retry_budget * first_sent):
            retries_sent += 1
            heapq.heappush(queue, (deadline, req, attempt + 1))
    return {"success_share": sum(ok) / len(xs), "attempts_per_request": attempts / len(xs),
            "wasted_share": wasted / busy if busy else 0.0, "dropped": dropped, "succeeded": ok}
