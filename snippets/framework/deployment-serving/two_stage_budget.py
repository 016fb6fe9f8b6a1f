# The 50 ms two-stage pattern: a latency budget per stage, and why ranking must
# only see a few hundred candidates. Stage budgets are the video case study's.
import random
import time
from mlsd import estimates, serving, show

BUDGET_MS = 50
stages = {  # stage -> budget in ms; they run one after another, so they add up
    "user features and user tower": 5, "ANN search (candidate generation)": 10,
    "merge and filter candidates": 3, "ranking features": 8, "ranker": 15,
    "re-rank (diversity, rules)": 2,
}
plan = estimates.latency_budget(stages, BUDGET_MS)
show.table([{"stage": r["stage"], "ms": r["ms"], "share of budget": f"{r['share']:.0%}"}
            for r in plan["rows"]], title="Per-stage latency budget")
print(f"stages: {plan['total_ms']:.0f} ms of {BUDGET_MS} ms; "
      f"headroom for the network and bad days: {plan['slack_ms']:.0f} ms")
assert plan["fits"] and plan["total_ms"] == 43 and plan["slack_ms"] == 7

# How many items can the ranker score within its 15 ms?
RANKER_MS = stages["ranker"]
US_PER_ITEM = 30        # assumption: a mid-sized ranking model, per item, per core
catalogue = 10_000_000
max_candidates = RANKER_MS * 1000 // US_PER_ITEM
one_stage_s = catalogue * US_PER_ITEM / 1e6
print(f"ranker budget {RANKER_MS} ms at {US_PER_ITEM} us per item: "
      f"at most {max_candidates} candidates per request")
print(f"ranking all {catalogue:,} items instead: {one_stage_s:,.0f} s per request "
      f"({one_stage_s * 1000 / BUDGET_MS:,.0f}x the whole budget)")
assert max_candidates == 500 and one_stage_s == 300

# Tail amplification: a request that waits for 100 shards, each fast 99% of the time.
all_fast = serving.prob_all_under(0.99, 100)
print(f"fan-out to 100 shards: all of them answer within their p99 only {all_fast:.0%} of the time")
assert round(all_fast, 2) == 0.37

# Measure a toy ranker here: a tiny two-layer network over 16 features per item.
rng = random.Random(0)
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
assert len(ranked) == max_candidates
