# Serving: 100 requests through the four stages, each timed with the wall clock.
# Medians, not means: a busy machine pauses a request now and then, and one pause
# should not move the picture. Then: how the costly stages grow with the number
# of candidates.
import random
import statistics
import time

from mlsd import show
from mlsd.serving import percentile
from casestudies import news_feed as nf

# The production budget from the serving diagram (ms, p99), and what it leaves.
BUDGET_MS = {"candidates": 25, "features": 35, "rank": 60, "re-rank": 10, "total": 150}
stages_ms = sum(v for k, v in BUDGET_MS.items() if k != "total")
print(f"stage budgets add up to {stages_ms} ms, leaving {BUDGET_MS['total'] - stages_ms} ms of headroom")
assert BUDGET_MS["total"] - stages_ms == 20

model = nf.ranker()
users = sorted(random.Random(5).sample(range(nf.WORLD["n_users"]), 100))
for u in users[:5]:
    nf.serve(u, model)                               # warm-up: models, snapshot, sources
timings = [nf.serve(u, model)[1] for u in users]
median = {s: statistics.median(t[s] for t in timings) for s in nf.STAGES}
total = sum(median.values())
rows = [{"stage": s, "budget share": f"{BUDGET_MS[s] / stages_ms:.0%}", "p50 ms": round(percentile([t[s] for t in timings], 50), 3),
         "p99 ms": round(percentile([t[s] for t in timings], 99), 3),
         "share of time": f"{median[s] / total:.0%}"}
        for s in nf.STAGES]
show.table(rows, title=f"Per stage, {len(timings)} requests, "
                       f"{statistics.mean(t['n_candidates'] for t in timings):.0f} candidates on average",
           varies=True)
share = {s: median[s] / total for s in nf.STAGES}
print(f"{show.VARIES} p50 {percentile([t['total'] for t in timings], 50):.2f} ms, "
      f"p99 {percentile([t['total'] for t in timings], 99):.2f} ms per request")

# Features and ranking cost per candidate: time them for growing candidate lists
# (seven runs each; the fastest counts).
state = nf.snapshot()
live = [p.id for p in nf.world().posts if nf.NOW - nf.LIVE_DAYS <= p.created < nf.NOW]
sizes, cost = [50, 100, 200, 400], []
for n in sizes:
    runs = []
    for u in users[:7]:
        t0 = time.perf_counter()
        rows_n = [nf.feature_row(state, u, i, nf.NOW) for i in live[:n]]
        nf.value(model.predict_proba(rows_n))
        runs.append(1e3 * (time.perf_counter() - t0))
    cost.append(min(runs))                 # the fastest run: the least disturbed by other work
show.table([{"candidates": n, "features + rank (ms)": round(c, 2), "µs per candidate": round(1e3 * c / n, 1)}
            for n, c in zip(sizes, cost)], title="Cost grows with the candidate count", varies=True)
growth = cost[-1] / cost[0]
print(f"{show.VARIES} 8x the candidates cost {growth:.1f}x the time")

assert share["features"] + share["rank"] > 0.5                  # the per-candidate stages dominate
assert (BUDGET_MS["features"] + BUDGET_MS["rank"]) / stages_ms > 0.5   # as the budget assumes
assert 4 < growth < 16                                            # about linear in the candidates
