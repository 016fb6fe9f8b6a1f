# The 50 ms two-stage pattern: a latency budget per stage, and why ranking must
# only see a few hundred candidates. Stage budgets are the video case study's.
import math
import random
import time
from mlsd import estimates, serving, show, stats

BUDGET_MS = 50
stages = {  # stage -> budget in ms; they run one after another, so they add up
    "user features and user tower": 3, "ANN search (candidate generation)": 15,
    "merge and filter candidates": 3, "ranking features": 8, "ranker": 12,
    "re-rank (diversity, rules)": 2,
}
plan = estimates.latency_budget(stages, BUDGET_MS)
show.table([{"stage": r["stage"], "ms": r["ms"], "share of budget": f"{r['share']:.0%}"}
            for r in plan["rows"]], title="Per-stage latency budget")
print(f"stages: {plan['total_ms']:.0f} ms of {BUDGET_MS} ms; "
      f"headroom for the network and bad days: {plan['slack_ms']:.0f} ms")
assert plan["fits"] and plan["slack_ms"] > 0          # the stages fit, with headroom left

# How many items can the ranker score within its budget?
RANKER_MS = stages["ranker"]
US_PER_ITEM = 20        # assumption: a mid-sized ranking model, per item, on one core
catalogue = 10_000_000
max_candidates = RANKER_MS * 1000 // US_PER_ITEM
one_stage_s = catalogue * US_PER_ITEM / 1e6
print(f"ranker budget {RANKER_MS} ms at {US_PER_ITEM} us per item: "
      f"at most {max_candidates} candidates per request on one core")
cores_for_1000 = math.ceil(1000 * US_PER_ITEM / (RANKER_MS * 1000))
print(f"a thousand candidates (the case study's figure) need the scoring split over {cores_for_1000} cores")
print(f"ranking all {catalogue:,} items instead: {one_stage_s:,.0f} s per request "
      f"({one_stage_s * 1000 / BUDGET_MS:,.0f}x the whole budget)")
assert max_candidates * US_PER_ITEM <= RANKER_MS * 1000 < (max_candidates + 1) * US_PER_ITEM
assert one_stage_s * 1000 > 100 * BUDGET_MS           # one stage over the catalogue: hopeless

# Percentiles do not add. Draw each stage's latency from a long-tailed distribution whose p99 is
# about 90% of the stage's budget, for 5,000 requests; compare the sum of the stage p99s with the
# p99 of the end-to-end time. Then give every request a shared slowdown (a busy machine, a GC pause).
rng = random.Random(0)
SIGMA, REQUESTS = 0.3, 5000
z99 = stats.norm_ppf(0.99)
def simulate(shared_sigma):
    per_stage = {s: [] for s in stages}
    totals = []
    for _ in range(REQUESTS):
        shared = math.exp(rng.gauss(0, shared_sigma))
        total = 0.0
        for s, budget in stages.items():
            ms = 0.9 * budget * math.exp(rng.gauss(0, SIGMA) - z99 * math.hypot(SIGMA, shared_sigma)) * shared
            per_stage[s].append(ms)
            total += ms
        totals.append(total)
    return (sum(stats.quantile(v, 0.99) for v in per_stage.values()), stats.quantile(totals, 0.99))
rows = []
for name, shared_sigma in (("independent stages", 0.0), ("stages share a slowdown", 0.3)):
    sum_p99, p99_sum = simulate(shared_sigma)
    rows.append({"stages": name, "sum of stage p99s (ms)": round(sum_p99, 1),
                 "p99 of the request (ms)": round(p99_sum, 1)})
show.table(rows, title=f"{REQUESTS:,} simulated requests")
independent, shared = rows
print(f"independent stages: the request's p99 is {independent['p99 of the request (ms)']} ms, "
      f"below the {independent['sum of stage p99s (ms)']} ms the stage p99s add up to; "
      f"with a shared slowdown the request p99 rises to {shared['p99 of the request (ms)']} ms, closer to the sum")
for r in rows:
    assert r["p99 of the request (ms)"] < r["sum of stage p99s (ms)"]    # p99s do not add
gap = lambda r: r["sum of stage p99s (ms)"] - r["p99 of the request (ms)"]  # noqa: E731
assert gap(shared) < gap(independent)                  # correlated stages spike together

# Tail amplification: a request that waits for 100 shards, each fast 99% of the time.
all_fast = serving.prob_all_under(0.99, 100)
print(f"fan-out to 100 shards: all of them answer within their p99 only {all_fast:.0%} of the time")
assert all_fast < 0.5                                  # the slow shard is the common case

# Measure a toy ranker here: a tiny two-layer network over 16 features per item.
W1 = [[rng.gauss(0, 0.3) for _ in range(16)] for _ in range(8)]
w2 = [rng.gauss(0, 0.3) for _ in range(8)]
items = [[rng.random() for _ in range(16)] for _ in range(max_candidates)]

def score(x):
    hidden = [max(0.0, sum(w * v for w, v in zip(row, x))) for row in W1]
    return sum(w * h for w, h in zip(w2, hidden))

start = time.perf_counter()
ranked = sorted(items, key=score, reverse=True)
elapsed_ms = (time.perf_counter() - start) * 1000
print(f"{show.VARIES} this interpreter ranked {len(ranked)} candidates with the toy model "
      f"in {elapsed_ms:.1f} ms ({elapsed_ms * 1000 / len(ranked):.0f} us per item)")
