# Serving: 100 requests through the four stages, each timed with the wall clock.
# The share per stage adds up each stage over the requests, leaving out the
# slowest tenth (a busy machine pauses a request now and then). Then: how the
# costly stages grow with the number of candidates.
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
cut = percentile([t["total"] for t in timings], 90)
kept = [t for t in timings if t["total"] <= cut]
spent = {s: sum(t[s] for t in kept) for s in nf.STAGES}
share = {s: spent[s] / sum(spent.values()) for s in nf.STAGES}
rows = [{"stage": s, "budget share": f"{BUDGET_MS[s] / stages_ms:.0%}",
         "p50 ms": round(percentile([t[s] for t in timings], 50), 3),
         "p99 ms": round(percentile([t[s] for t in timings], 99), 3),
         "share of time": f"{share[s]:.0%}"} for s in nf.STAGES]
show.table(rows, title=f"Per stage, {len(timings)} requests, "
                       f"{statistics.mean(t['n_candidates'] for t in timings):.0f} candidates on average",
           varies=True)
print(f"{show.VARIES} p50 {percentile([t['total'] for t in timings], 50):.2f} ms, "
      f"p99 {percentile([t['total'] for t in timings], 99):.2f} ms per request")

# Features and ranking per candidate: the same 1,600 (user, post) pairs, scored
# in requests of 50 to 400 candidates; three rounds, the fastest round counts.
# Long spans, so a coarse clock is fine, and the rounds take turns, so a busy
# spell on the machine slows every size alike.
state = nf.snapshot()
live = [p.id for p in nf.world().posts if nf.NOW - nf.LIVE_DAYS <= p.created < nf.NOW]
sizes, best = [50, 100, 200, 400], {}
for _ in range(3):
    for n in sizes:
        t0 = time.perf_counter()
        for r in range(1600 // n):
            u = users[r % len(users)]
            nf.value(model.predict_proba([nf.feature_row(state, u, i, nf.NOW) for i in live[:n]]))
        best[n] = min(best.get(n, float("inf")), time.perf_counter() - t0)
per_candidate = [1e6 * best[n] / 1600 for n in sizes]
show.table([{"candidates": n, "features + rank per request (ms)": round(n * c / 1e3, 2),
             "µs per candidate": round(c, 1)} for n, c in zip(sizes, per_candidate)],
           title="Cost grows with the candidate count", varies=True)
growth = per_candidate[-1] * sizes[-1] / (per_candidate[0] * sizes[0])
print(f"{show.VARIES} 8x the candidates cost {growth:.1f}x the time per request")

# Timings depend on the machine, so nothing above is asserted. The work does not:
# per candidate, one feature row and one dot product per head (the shared part
# folds into each head's weights at serving).
width = len(nf.FEATURES)
madds = sum(len(w) for w in model.effective_weights().values())
toy = statistics.mean(t["n_candidates"] for t in timings)
print(f"per candidate: {width} feature values and {madds} multiply-adds "
      f"({len(nf.TASKS)} heads x {width}); production ranks 1,500 candidates, "
      f"{1500 / toy:.0f}x the toy's {toy:.0f}")

assert (BUDGET_MS["features"] + BUDGET_MS["rank"]) / stages_ms > 0.5   # the budget's assumption
assert madds == len(nf.TASKS) * width == 132                    # six dot products of 22
assert 20 < 1500 / toy < 30                                     # about 25x more candidates
