# Serving: 60 requests through the six stages, each stage timed. The budget
# per stage is the one in the latency diagram above (50 ms in total).
# Timer: CPU time of this program (time.process_time), so that other programs
# on a busy machine inflate the figures less; a server would use wall time.
# A toy that serves in a few ms cannot fail a 50 ms budget, so the cell checks
# what carries over to production: which stages dominate the request; a table
# then shows how the index search grows with the catalog.
import math
import time

from mlsd import show
from casestudies import video_recommendations as video

BUDGET_MS = {"user tower": 3, "ANN search": 15, "merge and filter": 3, "features": 8,
             "rank": 12, "re-rank": 2, "total": 50}
stages_ms = sum(v for k, v in BUDGET_MS.items() if k != "total")
headroom = BUDGET_MS["total"] - stages_ms
print(f"stage budgets add up to {stages_ms} ms, leaving {headroom} ms of headroom")
assert headroom == 7

users = video.test_users()[:60]
for u in users[:5]:                              # warm-up: load models, index, feature snapshot
    video.serve(u)
index = video.ann_index()                        # the toy's index: 16 lists, one probed
index.reset_counter()                            # counts the vectors each search scores
timings = []
for u in users:
    feed, ms = video.serve(u, clock=time.process_time)
    assert len(feed) == video.FEED_SIZE
    timings.append(ms)

rows = video.latency_table(timings, BUDGET_MS)
# Shares from the median of each stage, so one slow request (a pause of the
# interpreter, another program on the machine) does not move them.
p50_sum = sum(r["p50_ms"] for r in rows if r["stage"] != "total")
for r in rows:
    last = r["stage"] == "total"
    r["share of the budget"] = 1.0 if last else round(r["budget_ms"] / stages_ms, 2)
    r["share in the toy"] = 1.0 if last else round(r["p50_ms"] / p50_sum, 2)
show.table([{k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
           title=f"Latency per stage over {len(timings)} requests (ms of CPU; shares of the stages' medians)",
           varies=True)
total = rows[-1]
share = {r["stage"]: r["share in the toy"] for r in rows}
print(f"{show.VARIES} p50 {total['p50_ms']:.1f} ms, p99 {total['p99_ms']:.1f} ms "
      f"of a {BUDGET_MS['total']} ms budget")
heavy = share["features"] + share["rank"] + share["re-rank"]
print(f"{show.VARIES} the candidates' stages (features, rank, re-rank) take {heavy:.0%} of the toy's request")

# How the search grows with the catalog (arithmetic, not a measurement): an
# exact scan scores every vector; IVF with sqrt(n) balanced lists and one probed
# list scores the sqrt(n) centroids plus one list of sqrt(n) vectors.
growth = [{"catalog": f"{n:.0e}", "exact scan": f"{n:.0e}", "IVF, sqrt(n) lists": f"{2 * math.sqrt(n):,.0f}",
           "exact / IVF": f"{n / (2 * math.sqrt(n)):,.0f}"} for n in (1e4, 1e6, 1e8, 5e8)]
show.table(growth, title="Vectors scored per query as the catalog grows")
toy_scored = index.distance_computations / len(users)   # one search per request above
N = 500e6                                        # the catalog of the estimate above
print(f"the toy's index scores {toy_scored:,.0f} vectors per query; IVF over {N:.0e} videos scores "
      f"{2 * math.sqrt(N):,.0f}: {2 * math.sqrt(N) / toy_scored:.0f}x the work for "
      f"{N / len(video.item_vectors()):,.0f}x the catalog")

# Checks that can fail: which stages dominate, and the growth rule. (No check
# against the budget in ms: a toy that serves in a few ms proves nothing there.)
assert share["ANN search"] + heavy > 0.6         # the index and per-candidate work dominate
assert share["user tower"] < 0.1                 # one small forward pass per request
assert share["re-rank"] > share["rank"]          # the toy's ranker is cheap; its MMR loop is not
assert round(2 * math.sqrt(N)) == 44_721
assert 50 < 2 * math.sqrt(N) / toy_scored < 75   # some 60 times the work, not 50,000 times
