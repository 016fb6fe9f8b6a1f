"""Serving a large language model: KV-cache memory, a step cost model and a batching simulator.

**Two phases.** A request to a language model is served in two phases. *Prefill* runs the whole
prompt through the model in one pass: every prompt token is processed in parallel, so the pass is
bound by arithmetic (about 2 x parameters floating-point operations per token). It ends with the
first output token, so it sets the *time to first token* (TTFT). *Decode* then produces one token
per step per request; each step reads every weight of the model from memory to do a little
arithmetic for each sequence in the batch, so a step is bound by memory bandwidth and costs almost
the same for 1 sequence as for 16. That is why batching decode steps multiplies throughput.

**KV cache.** To avoid recomputing the prompt at every step, each layer keeps the attention keys
and values of every token seen so far. Per token that is

    kv_bytes_per_token = 2 (a key and a value) x layers x kv_heads x head_dim x bytes_per_value

and a request holds ``(prompt + generated) x kv_bytes_per_token`` for as long as it runs.
Multi-query and grouped-query attention share one key/value head between several query heads,
which divides ``kv_heads`` and so the cache.

**Step cost model.** :class:`StepCost` charges one iteration of the model (one forward pass over
the current batch)

    step_ms = fixed_ms + prefill_ms_per_token x (prompt tokens prefilled in the step)
                       + context_ms_per_token x (tokens of KV cache read by the decoding sequences)

``fixed_ms`` stands for reading the weights once (memory-bound), the prefill term for the
arithmetic on new prompt tokens (compute-bound), the context term for reading each decoding
sequence's KV cache. The terms add up: a real accelerator overlaps memory reads with arithmetic,
so a step that mixes prefill and decode takes nearer the larger of the two, and the sum
overstates it by up to the read time. The numbers are a stated model, not a measurement of any
accelerator.

**Batching policies.** :func:`simulate` replays a stream of :class:`Request` in simulated time:

- ``"sequential"``: one request at a time, prefill then decode to its last token;
- ``"static"``: wait until ``max_batch`` requests are queued (or the oldest has waited
  ``max_wait_ms``, or no more will arrive), prefill them together, decode until the longest is
  done; a finished request's slot stays empty until the whole batch ends;
- ``"continuous"`` (iteration-level scheduling, Yu et al., OSDI 2022): before every step, admit
  queued requests into free slots; their prefill runs in the same step as the others' decode,
  and a finished request leaves at once.

A request's TTFT is the end of its prefill step minus its arrival; its latency is the end of the
step that produced its last token minus its arrival (answers stream, so an early finisher in a
static batch is not held back; only its slot is). ``kv_budget_tokens`` caps the cache: a request
is admitted only if ``prompt + output`` tokens fit beside those already reserved (the simulator
knows the output length, which a real server does not; see :func:`admit_count`). With
``prefix_cache=True`` the first ``prefix_tokens`` of every prompt are a shared prefix: the first
request admitted prefills it; requests admitted in the same step or later skip those tokens, and
the prefix is held in memory once.

**Paged memory.** :func:`admit_count` counts how many requests fit in a KV budget when each
reserves the maximum length up front versus when memory is handed out in fixed-size blocks as
the sequence grows (PagedAttention, Kwon et al., SOSP 2023): waste per request drops from
``max_len - length`` to under one block.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from mlsd.serving import percentile
from mlsd.validate import (check_choice, check_int, check_non_empty, check_non_negative,
                           check_non_negative_int, check_positive, check_positive_int)

__all__ = ["kv_bytes_per_token", "StepCost", "Request", "make_requests", "simulate", "SimResult",
           "admit_count"]

POLICIES = ("sequential", "static", "continuous")


def kv_bytes_per_token(layers: int, kv_heads: int, head_dim: int, bytes_per_value: int = 2) -> int:
    """Bytes of KV cache one token holds: 2 x layers x kv_heads x head_dim x bytes_per_value.

    >>> kv_bytes_per_token(32, 32, 128, 2)      # a 7B-class shape, 16-bit values
    524288
    >>> kv_bytes_per_token(32, 8, 128, 2)       # the same with 8 key/value heads (GQA)
    131072
    """
    for name, value in (("layers", layers), ("kv_heads", kv_heads), ("head_dim", head_dim),
                        ("bytes_per_value", bytes_per_value)):
        check_positive_int(name, value)
    return 2 * layers * kv_heads * head_dim * bytes_per_value


@dataclass(frozen=True)
class StepCost:
    """Time of one model iteration: fixed + prefill tokens + KV tokens read (milliseconds)."""

    fixed_ms: float
    prefill_ms_per_token: float
    context_ms_per_token: float

    def __post_init__(self):
        check_positive("fixed_ms", self.fixed_ms)
        check_non_negative("prefill_ms_per_token", self.prefill_ms_per_token)
        check_non_negative("context_ms_per_token", self.context_ms_per_token)

    @classmethod
    def from_hardware(cls, *, weight_bytes: float, flops_per_token: float,
                      kv_bytes_per_token: float, bandwidth_bytes_per_s: float,
                      flop_per_s: float, overhead_ms: float = 0.0) -> "StepCost":
        """Derive the three costs from an accelerator's bandwidth and usable arithmetic rate.

        fixed = weight_bytes / bandwidth + overhead; prefill = flops_per_token / flop_per_s;
        context = kv_bytes_per_token / bandwidth (all in milliseconds).

        >>> c = StepCost.from_hardware(weight_bytes=14e9, flops_per_token=14e9,
        ...     kv_bytes_per_token=524288, bandwidth_bytes_per_s=2e12, flop_per_s=140e12)
        >>> round(c.fixed_ms, 3), round(c.prefill_ms_per_token, 3)
        (7.0, 0.1)
        """
        for name, value in (("weight_bytes", weight_bytes), ("flops_per_token", flops_per_token),
                            ("kv_bytes_per_token", kv_bytes_per_token),
                            ("bandwidth_bytes_per_s", bandwidth_bytes_per_s), ("flop_per_s", flop_per_s)):
            check_positive(name, value)
        check_non_negative("overhead_ms", overhead_ms)
        return cls(fixed_ms=1000.0 * weight_bytes / bandwidth_bytes_per_s + overhead_ms,
                   prefill_ms_per_token=1000.0 * flops_per_token / flop_per_s,
                   context_ms_per_token=1000.0 * kv_bytes_per_token / bandwidth_bytes_per_s)

    def step_ms(self, prefill_tokens: int = 0, context_tokens: int = 0) -> float:
        """Duration of a step that prefills ``prefill_tokens`` and reads ``context_tokens``."""
        check_non_negative_int("prefill_tokens", prefill_tokens)
        check_non_negative_int("context_tokens", context_tokens)
        return (self.fixed_ms + self.prefill_ms_per_token * prefill_tokens
                + self.context_ms_per_token * context_tokens)


@dataclass(frozen=True)
class Request:
    """One request: arrival time (ms), prompt and output lengths (tokens), shared-prefix length."""

    arrival_ms: float
    prompt_tokens: int
    output_tokens: int
    prefix_tokens: int = 0

    def __post_init__(self):
        check_non_negative("arrival_ms", self.arrival_ms)
        check_positive_int("prompt_tokens", self.prompt_tokens)
        check_positive_int("output_tokens", self.output_tokens)
        check_non_negative_int("prefix_tokens", self.prefix_tokens)
        if self.prefix_tokens > self.prompt_tokens:
            raise ValueError(f"prefix_tokens must be <= prompt_tokens ({self.prompt_tokens}), "
                             f"got {self.prefix_tokens}")


def make_requests(n: int, rate_per_s: float, *, seed: int = 0, prompt_range=(100, 1000),
                  mean_output: float = 150, max_output: int = 512,
                  prefix_tokens: int = 0) -> list[Request]:
    """A seeded stream: Poisson arrivals, uniform prompt lengths, geometric output lengths.

    Inter-arrival gaps are exponential with mean ``1000 / rate_per_s`` ms. A prompt has a
    uniform length in ``prompt_range`` (plus ``prefix_tokens`` shared tokens in front). The
    output length is geometric with mean ``mean_output`` (most answers short, a long tail), cut
    at ``max_output`` (a request's cap on new tokens).
    """
    check_positive_int("n", n)
    check_positive("rate_per_s", rate_per_s)
    check_int("seed", seed)
    if (not isinstance(prompt_range, (tuple, list)) or len(prompt_range) != 2):
        raise TypeError(f"prompt_range must be a pair (low, high), got {prompt_range!r}")
    lo, hi = (check_positive_int("prompt_range[0]", prompt_range[0]),
              check_positive_int("prompt_range[1]", prompt_range[1]))
    if lo > hi:
        raise ValueError(f"prompt_range must have low <= high, got {prompt_range!r}")
    check_positive("mean_output", mean_output)
    if mean_output < 1:
        raise ValueError(f"mean_output must be >= 1, got {mean_output}")
    check_positive_int("max_output", max_output)
    check_non_negative_int("prefix_tokens", prefix_tokens)
    rng, t, out = random.Random(seed), 0.0, []
    q = 1.0 / mean_output                          # geometric: P(length = k) = (1-q)^(k-1) q
    for _ in range(n):
        t += rng.expovariate(rate_per_s) * 1000.0
        u = 1.0 - rng.random()                     # in (0, 1]
        length = 1 if q >= 1 else 1 + int(math.log(u) / math.log(1.0 - q))
        out.append(Request(round(t, 3), prefix_tokens + rng.randint(lo, hi),
                           min(length, max_output), prefix_tokens))
    return out


@dataclass
class SimResult:
    """What :func:`simulate` measured, in simulated time (milliseconds)."""

    policy: str
    ttft_ms: list
    latency_ms: list
    makespan_ms: float
    output_tokens: int
    prompt_tokens: int
    prefill_tokens_computed: int
    steps: int
    peak_kv_tokens: int

    @property
    def tokens_per_s(self) -> float:
        """Output tokens per simulated second, first arrival to last completion."""
        return self.output_tokens / (self.makespan_ms / 1000.0)

    def summary(self) -> dict:
        """A table row: throughput, TTFT p50/p99 and end-to-end latency p50/p99 (seconds)."""
        return {"policy": self.policy, "output tokens/s": round(self.tokens_per_s, 1),
                "TTFT p50 (s)": round(percentile(self.ttft_ms, 50) / 1000, 3),
                "TTFT p99 (s)": round(percentile(self.ttft_ms, 99) / 1000, 3),
                "latency p50 (s)": round(percentile(self.latency_ms, 50) / 1000, 3),
                "latency p99 (s)": round(percentile(self.latency_ms, 99) / 1000, 3),
                "steps": self.steps}


def simulate(requests, policy: str, cost: StepCost, *, max_batch: int = 16,
             max_wait_ms: float = 200.0, kv_budget_tokens: int | None = None,
             prefix_cache: bool = False) -> SimResult:
    """Replay ``requests`` under a batching ``policy`` with the step ``cost`` model (see module)."""
    reqs = check_non_empty("requests", requests)
    for i, r in enumerate(reqs):
        if not isinstance(r, Request):
            raise TypeError(f"requests[{i}] must be a Request, got {type(r).__name__}")
    check_choice("policy", policy, POLICIES)
    if not isinstance(cost, StepCost):
        raise TypeError(f"cost must be a StepCost, got {type(cost).__name__}")
    check_positive_int("max_batch", max_batch)
    check_non_negative("max_wait_ms", max_wait_ms)
    if kv_budget_tokens is not None:
        check_positive_int("kv_budget_tokens", kv_budget_tokens)
        worst = max(r.prompt_tokens + r.output_tokens for r in reqs)
        if worst > kv_budget_tokens:
            raise ValueError(f"kv_budget_tokens ({kv_budget_tokens}) is smaller than one request "
                             f"({worst} tokens): it could never be served")
    if not isinstance(prefix_cache, bool):
        raise TypeError(f"prefix_cache must be True or False, got {type(prefix_cache).__name__}")
    if policy == "sequential":
        max_batch, max_wait_ms = 1, 0.0
    order = sorted(range(len(reqs)), key=lambda i: reqs[i].arrival_ms)
    n = len(reqs)
    budget = kv_budget_tokens if kv_budget_tokens is not None else math.inf
    ttft, latency = [0.0] * n, [0.0] * n
    held = {}                    # request index -> KV tokens reserved for it
    shared = [0]                 # KV tokens of the cached prefix (held once, never released)
    counts = {"prefill": 0, "steps": 0, "peak": 0}

    def own_tokens(i):
        r = reqs[i]
        return r.prompt_tokens + r.output_tokens - (r.prefix_tokens if prefix_cache else 0)

    def admit(waiting, room):
        """Pop requests in arrival order while there is a slot and KV memory for them."""
        taken, tokens = [], 0
        while waiting and len(taken) < room:
            i, r = waiting[0], reqs[waiting[0]]
            extra = r.prefix_tokens if (prefix_cache and not shared[0]) else 0
            if sum(held.values()) + shared[0] + own_tokens(i) + extra > budget:
                break
            waiting.pop(0)
            held[i] = own_tokens(i)
            cached = shared[0] if prefix_cache else 0
            tokens += r.prompt_tokens - min(cached, r.prefix_tokens)
            if prefix_cache and r.prefix_tokens > shared[0]:
                shared[0] = r.prefix_tokens          # this prefill stores the shared prefix
            taken.append(i)
        counts["peak"] = max(counts["peak"], sum(held.values()) + shared[0])
        counts["prefill"] += tokens
        return taken, tokens

    def finish(i, when):
        latency[i] = when - reqs[i].arrival_ms
        if policy == "continuous":
            del held[i]                               # its memory goes back at once

    t, nxt, waiting, done = reqs[order[0]].arrival_ms, 0, [], 0
    running = {}                                      # request index -> tokens generated so far

    def advance(steps, now):
        """Every running request generates ``steps`` more tokens; those that reach their output
        length finish at ``now`` and leave the batch. Returns how many finished."""
        finished = 0
        for i in list(running):
            running[i] += steps
            if running[i] == reqs[i].output_tokens:
                finish(i, now)
                finished += 1
                del running[i]
        return finished

    while done < n:
        while nxt < n and reqs[order[nxt]].arrival_ms <= t:
            waiting.append(order[nxt])
            nxt += 1
        if not running and not waiting:
            t = reqs[order[nxt]].arrival_ms
            continue
        context = sum(reqs[i].prompt_tokens + g for i, g in running.items())
        if policy != "continuous" and running:
            # A static batch mid-decode: nobody joins until it ends, so jump to the next finish.
            # Step j (0-based) reads context + j x m tokens; k steps sum to the closed form below.
            k = min(reqs[i].output_tokens - g for i, g in running.items())
            m = len(running)
            t += k * cost.fixed_ms + cost.context_ms_per_token * (k * context + m * k * (k - 1) // 2)
            counts["steps"] += k
            done += advance(k, t)
            if not running:
                held.clear()                          # the batch ends: its memory is free
            continue
        if policy == "continuous":
            new, ptoks = admit(waiting, max_batch - len(running))
            if not new and running:
                # Nobody can join before a running request finishes (or, with an empty queue,
                # before the next arrival): run those plain decode steps in a tight loop. Each
                # step's time is computed as step_ms(0, context) would, so results are unchanged.
                k, m, j = min(reqs[i].output_tokens - g for i, g in running.items()), len(running), 0
                arrival = reqs[order[nxt]].arrival_ms if (nxt < n and not waiting) else math.inf
                while j < k:
                    t += cost.fixed_ms + cost.context_ms_per_token * context
                    context += m
                    j += 1
                    if t >= arrival:
                        break
                counts["steps"] += j
                done += advance(j, t)
                continue
        else:                                         # static / sequential: start a batch?
            full = len(waiting) >= max_batch
            wake = reqs[waiting[0]].arrival_ms + max_wait_ms    # the oldest has waited enough
            if not (full or t >= wake or nxt == n):
                t = min(wake, reqs[order[nxt]].arrival_ms) if nxt < n else wake
                continue
            new, ptoks = admit(waiting, max_batch)
        t += cost.step_ms(ptoks, context)
        counts["steps"] += 1
        done += advance(1, t)
        for i in new:                                 # prefill emits the first token
            ttft[i] = t - reqs[i].arrival_ms
            if reqs[i].output_tokens == 1:
                finish(i, t)
                done += 1
            else:
                running[i] = 1
        if policy != "continuous" and not running:
            held.clear()
    first = min(r.arrival_ms for r in reqs)
    return SimResult(policy=policy, ttft_ms=ttft, latency_ms=latency, makespan_ms=t - first,
                     output_tokens=sum(r.output_tokens for r in reqs),
                     prompt_tokens=sum(r.prompt_tokens for r in reqs),
                     prefill_tokens_computed=counts["prefill"], steps=counts["steps"],
                     peak_kv_tokens=counts["peak"])


def admit_count(lengths, budget_tokens: int, *, reserve_tokens: int | None = None,
                block_size: int = 16) -> dict:
    """How many sequences (in order) fit a KV budget, reserving the maximum or paging in blocks.

    With ``reserve_tokens`` each sequence takes that many tokens up front (the longest it may
    grow to); without it, a sequence of length L takes ``ceil(L / block_size)`` blocks of
    ``block_size`` tokens. Returns ``{"admitted", "used_tokens", "reserved_tokens", "waste"}``:
    tokens actually used by the admitted sequences, tokens set aside for them, and the share of
    the reservation that holds nothing.

    >>> admit_count([100, 300, 50], 1000, reserve_tokens=512)["admitted"]
    1
    >>> admit_count([100, 300, 50], 1000, block_size=16)["reserved_tokens"]
    480
    """
    xs = check_non_empty("lengths", lengths)
    for i, x in enumerate(xs):
        check_positive_int(f"lengths[{i}]", x)
    check_positive_int("budget_tokens", budget_tokens)
    check_positive_int("block_size", block_size)
    if reserve_tokens is not None:
        check_positive_int("reserve_tokens", reserve_tokens)
        too_long = [x for x in xs if x > reserve_tokens]
        if too_long:
            raise ValueError(f"lengths must be <= reserve_tokens ({reserve_tokens}), got {too_long[0]}")
    admitted = used = reserved = 0
    for x in xs:
        need = reserve_tokens if reserve_tokens is not None else -(-x // block_size) * block_size
        if reserved + need > budget_tokens:
            break
        admitted, used, reserved = admitted + 1, used + x, reserved + need
    return {"admitted": admitted, "used_tokens": used, "reserved_tokens": reserved,
            "waste": (reserved - used) / reserved if reserved else 0.0}
