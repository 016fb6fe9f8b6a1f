# p99 latency against load for each batching policy, in simulated time (the step cost model of
# the earlier cells; no real model runs). A load at or above a server's capacity never meets a
# latency target: its queue grows for as long as the run lasts, so a finite run only hides it.
# The cell measures each capacity (requests/s with the server always busy) and counts only loads
# below it. Change MAX_BATCH, BIG_BATCH (the larger batch tried for continuous batching) or SEED.
from mlsd import show
from mlsd.llm_serving import StepCost, make_requests, simulate

MAX_BATCH, BIG_BATCH, MAX_WAIT_MS, N, SEED = 16, 64, 200.0, 700, 0
RATES = [0.5, 1, 2, 3, 4, 5, 6, 7, 8]                     # requests per second
SLO_P99_S = 10.0                                          # end-to-end p99 target (an assumption)
SERVERS = {"one at a time": ("sequential", 1), f"static, {MAX_BATCH}": ("static", MAX_BATCH),
           f"continuous, {MAX_BATCH}": ("continuous", MAX_BATCH),
           f"continuous, {BIG_BATCH}": ("continuous", BIG_BATCH)}
cost = StepCost(fixed_ms=7.5, prefill_ms_per_token=0.1, context_ms_per_token=0.000262)


def run(rate, name):
    policy, batch = SERVERS[name]
    return simulate(make_requests(N, rate, seed=SEED), policy, cost, max_batch=batch, max_wait_ms=MAX_WAIT_MS)


# Capacity: the same requests arriving far faster than any server can take them.
capacity = {name: N / (run(50.0, name).makespan_ms / 1000) for name in SERVERS}
res = {(name, rate): run(rate, name) for name in SERVERS for rate in RATES}
p99 = {k: r.summary()["latency p99 (s)"] for k, r in res.items()}
values = [{"requests per second": rate, "p99 latency (s)": p99[name, rate], "server": name}
          for name in SERVERS for rate in RATES]
show.chart({"data": {"values": values}, "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "requests per second", "type": "quantitative"},
                         "y": {"field": "p99 latency (s)", "type": "quantitative", "scale": {"type": "log"},
                               "title": "p99 end-to-end latency (s, log scale)"},
                         "color": {"field": "server", "type": "nominal", "title": None}},
            "width": "container", "height": 260},
           title=f"p99 latency against load ({N} requests per point)")
cont, big, static, seq = (f"continuous, {MAX_BATCH}", f"continuous, {BIG_BATCH}", f"static, {MAX_BATCH}",
                          "one at a time")
little = {rate: rate * sum(res[cont, rate].latency_ms) / N / 1000 for rate in RATES}   # L = rate x W
show.table([{"requests/s": rate, **{f"{name} p99 (s)": p99[name, rate] for name in SERVERS},
             f"{cont}: requests in system": round(little[rate], 1)} for rate in RATES])


def best_rate(name):
    ok = [rate for rate in RATES if p99[name, rate] <= SLO_P99_S and rate < capacity[name]]
    return max(ok) if ok else 0


best = {name: best_rate(name) for name in SERVERS}
for name in SERVERS:
    print(f"{name:>15}: capacity {capacity[name]:.2f} requests/s; highest load with p99 <= {SLO_P99_S:g} s: "
          f"{best[name]} requests/s")
for rate in (6, 7):
    print(f"at {rate} requests/s, {cont}: {little[rate]:.1f} requests in the system "
          f"({rate / capacity[cont]:.0%} of capacity)")
reqs = make_requests(N, 7, seed=SEED)
longest = max(q.output_tokens for q in reqs)
tpot = [(lat - first) / (q.output_tokens - 1) for q, first, lat in
        zip(reqs, res[big, 7].ttft_ms, res[big, 7].latency_ms) if q.output_tokens == longest]
alone_ms = cost.step_ms(context_tokens=1000)                  # one sequence, 1,000 tokens of context
ttft99 = {name: res[name, 7].summary()["TTFT p99 (s)"] for name in (cont, big)}
print(f"at 7 requests/s: TTFT p99 {ttft99[cont]} s with {MAX_BATCH} slots, {ttft99[big]} s with {BIG_BATCH}; "
      f"with {BIG_BATCH} slots the {longest}-token answers get a token every {sum(tpot) / len(tpot):.1f} ms "
      f"({alone_ms:.2f} ms alone), {longest * sum(tpot) / len(tpot) / 1000:.1f} s in all")
# The claims on the page (they hold on other seeds; the slot counts are the defaults).
assert all(p99[cont, r] <= p99[static, r] for r in RATES), "continuous p99 <= static at every load"
assert capacity[seq] < 1, "one at a time cannot serve even 1 request/s"
if (MAX_BATCH, BIG_BATCH) == (16, 64):
    assert best[cont] >= 2 * best[static], "continuous holds the target at twice the load of static or more"
    assert capacity[cont] > 1.5 * capacity[static] > 1.5 * 3 * capacity[seq], "capacity: continuous > static > one"
    assert little[7] > MAX_BATCH, "Little's law: at 7 requests/s more requests are in the system than slots"
    assert capacity[big] > 1.3 * capacity[cont], f"{BIG_BATCH} slots: over 1.3x the capacity"
    assert best[big] <= best[cont] + 1, "...but at most 1 request/s more load within the p99 target"
    assert ttft99[big] * 5 < ttft99[cont], f"at 7 requests/s {BIG_BATCH} slots remove the queue"
    assert sum(tpot) / len(tpot) > 2 * alone_ms, "...and the longest answers decode over 2x slower than alone"
