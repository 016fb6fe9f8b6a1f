# Serving: 100 requests through the six stages, each stage timed. The budget
# per stage is the one in the latency diagram above (50 ms in total).
# Timer: CPU time of this program (time.process_time), so that other programs
# on a busy machine inflate the figures less; a server would use wall time.
import time

from mlsd import show
from casestudies import video_recommendations as video

BUDGET_MS = {"user tower": 3, "ANN search": 15, "merge and filter": 3, "features": 8,
             "rank": 12, "re-rank": 2, "total": 50}
stages_ms = sum(v for k, v in BUDGET_MS.items() if k != "total")
headroom = BUDGET_MS["total"] - stages_ms
print(f"stage budgets add up to {stages_ms} ms, leaving {headroom} ms of headroom")
assert headroom == 7

users = video.test_users()[:100]
for u in users[:5]:                              # warm-up: load models, index, feature snapshot
    video.serve(u)
timings = []
for u in users:
    feed, ms = video.serve(u, clock=time.process_time)
    assert len(feed) == video.FEED_SIZE
    timings.append(ms)

rows = video.latency_table(timings, BUDGET_MS)
show.table([{k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
           title=f"Latency per stage over {len(timings)} requests (ms of CPU)", varies=True)
total = rows[-1]
print(f"{show.VARIES} p50 {total['p50_ms']:.1f} ms, p99 {total['p99_ms']:.1f} ms "
      f"of a {BUDGET_MS['total']} ms budget")

# Every stage's median is inside its budget. On an idle machine the p99 of the
# whole request is a fraction of the 50 ms too (see the table); the check below
# allows twice the budget, because a busy shared machine adds pauses that are
# not the system's own.
for r in rows:
    assert r["p50_ms"] <= r["budget_ms"], r
assert total["p50_ms"] <= BUDGET_MS["total"]
assert total["p99_ms"] <= 2 * BUDGET_MS["total"]
