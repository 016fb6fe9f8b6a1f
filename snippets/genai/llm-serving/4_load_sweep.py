# p99 latency against load for each batching policy, in simulated time (the step cost model of
# the earlier cells; no real model runs). Change MAX_BATCH, or BIG_BATCH, the larger batch the
# last lines try for continuous batching: more throughput, but every token is slower.
from mlsd import show
from mlsd.llm_serving import StepCost, make_requests, simulate

MAX_BATCH, MAX_WAIT_MS, N, SEED = 16, 200.0, 300, 0
BIG_BATCH = 64
RATES = [0.5, 1, 2, 3, 4, 5, 6, 7, 8]                     # requests per second
SLO_P99_S = 10.0                                          # end-to-end p99 target (an assumption)
POLICIES = ("sequential", "static", "continuous")
cost = StepCost(fixed_ms=7.5, prefill_ms_per_token=0.1, context_ms_per_token=0.000262)

p99 = {p: [] for p in POLICIES}
ttft99 = {p: [] for p in POLICIES}
tput = {p: [] for p in POLICIES}
in_system, big_p99, big_tput = [], [], []
for rate in RATES:
    requests = make_requests(N, rate, seed=SEED, prompt_range=(100, 1000), mean_output=150, max_output=512)
    for p in POLICIES:
        s = simulate(requests, p, cost, max_batch=MAX_BATCH, max_wait_ms=MAX_WAIT_MS).summary()
        p99[p].append(s["latency p99 (s)"])
        ttft99[p].append(s["TTFT p99 (s)"])
        tput[p].append(s["output tokens/s"])
    cont = simulate(requests, "continuous", cost, max_batch=MAX_BATCH)
    in_system.append(round(rate * sum(cont.latency_ms) / N / 1000, 1))   # Little's law: L = rate x W
    big = simulate(requests, "continuous", cost, max_batch=BIG_BATCH).summary()
    big_p99.append(big["latency p99 (s)"])
    big_tput.append(big["output tokens/s"])
values = [{"requests per second": r, "p99 latency (s)": p99[p][k], "policy": p}
          for p in POLICIES for k, r in enumerate(RATES)]
show.chart({"data": {"values": values}, "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "requests per second", "type": "quantitative"},
                         "y": {"field": "p99 latency (s)", "type": "quantitative", "scale": {"type": "log"},
                               "title": "p99 end-to-end latency (s, log scale)"},
                         "color": {"field": "policy", "type": "nominal", "title": None}},
            "width": "container", "height": 260},
           title=f"p99 latency against load, batches of up to {MAX_BATCH}")
show.table([{"requests/s": r, **{f"{p} p99 (s)": p99[p][k] for p in POLICIES},
             **{f"{p} tokens/s": tput[p][k] for p in POLICIES},
             "continuous: requests in system": in_system[k]} for k, r in enumerate(RATES)])


def max_rate_within_slo(series):
    ok = [r for k, r in enumerate(RATES) if series[k] <= SLO_P99_S]
    return max(ok) if ok else 0


best = {p: max_rate_within_slo(p99[p]) for p in POLICIES}
peak = {p: max(tput[p]) for p in POLICIES}
for p in POLICIES:
    print(f"{p:>10}: highest load with p99 <= {SLO_P99_S:g} s: {best[p]} requests/s; "
          f"peak throughput {peak[p]:.0f} output tokens/s")
big_best = max_rate_within_slo(big_p99)
print(f"continuous with {BIG_BATCH} slots: peak throughput {max(big_tput):.0f} output tokens/s, "
      f"highest load with p99 <= {SLO_P99_S:g} s: {big_best} requests/s")
# The claims on the page (defaults: MAX_BATCH 16, BIG_BATCH 64).
assert all(c <= s for c, s in zip(p99["continuous"], p99["static"])), "continuous p99 <= static at every load"
assert best["continuous"] >= 2 * best["static"], "continuous holds the target at over twice the load"
assert best["sequential"] < 1 <= best["static"], "one at a time misses the target from 1 request/s"
assert peak["continuous"] > 1.5 * peak["static"], "continuous: over 1.5x the peak throughput of static"
assert peak["static"] > 3 * peak["sequential"], "static: over 3x the peak throughput of one at a time"
assert max(big_tput) > max(tput["continuous"]), "a bigger batch raises peak throughput"
assert big_best <= best["continuous"], "...but not the load that meets the p99 target: each token is slower"
