# Serving: 200 ad requests through the six stages, each stage timed, then the
# cost of the model stages as the number of candidates grows.
# Timer: wall-clock time (time.perf_counter), as a server measures it. Other
# programs on a busy machine inflate some requests, so the timings are printed,
# not asserted; what the cell asserts is the work each stage does, counted.
import time

from mlsd import show
from casestudies import ad_click_prediction as ad

# Candidates: targeting keeps the live ads that accept the user; pre-ranking (bid x the ad's
# smoothed CTR, no model) keeps the top k. How often does the ad that should win survive?
ks = [5, 10, 20, ad.N_CANDIDATES]
pre = ad.prerank_recall(ks)
show.table([{"pre-rank keeps": k, "best ad (true eCPM) kept": f"{r:.0%}"} for k, r in zip(ks, pre["recall"])],
           title=f"Pre-ranking, 300 requests, {pre['eligible']:.0f} eligible ads on average")
assert pre["recall"] == sorted(pre["recall"]) and pre["recall"][-1] > 0.95 and pre["recall"][0] < 0.7

# The production budget per stage (ms of the ~100 ms ad request), an assumption from the page.
BUDGET_MS = {"targeting": 10, "pre-rank": 5, "features": 15, "score": 30, "calibrate": 1, "auction": 5}
headroom = 100 - sum(BUDGET_MS.values())
print(f"stage budgets add up to {sum(BUDGET_MS.values())} ms of 100, leaving {headroom} ms of headroom")
assert headroom == 34

for u in range(5):                                   # warm-up: models, live ads, counters
    ad.serve(u)
timings, shown = [], 0
for u in range(200):
    (ad_id, price), ms = ad.serve(u, clock=time.perf_counter)
    shown += ad_id is not None
    timings.append(ms)
rows = ad.latency_table(timings)
show.table([{"stage": r["stage"], "production budget ms": BUDGET_MS[r["stage"]], "p50 ms": round(r["p50_ms"], 3), "p99 ms": round(r["p99_ms"], 3),
             "share of the time": f"{r['share']:.0%}"} for r in rows],
           title=f"Per stage, {len(timings)} requests, {ad.N_CANDIDATES} candidates each (ms)",
           varies=True)
model_share = sum(r["share"] for r in rows if r["stage"] in ("features", "score", "calibrate"))
print(f"{show.VARIES} features + score + calibrate: {model_share:.0%} of the time")
print(f"{shown} of {len(timings)} requests showed an ad (an ad below the reserve keeps the organic post)")

sizes = [10, 20, 40, 60]              # the toy has about 100 live ads
cost = ad.scoring_cost(sizes, repeats=7, clock=time.perf_counter)
show.line_chart(sizes, {"features + score": cost}, x_title="candidates per request",
                y_title="ms (fastest of 7)", title="Model cost grows with the candidates",
                varies=True)
per_candidate = cost[-1] / sizes[-1] * 1000
print(f"{show.VARIES} about {per_candidate:.0f} µs per candidate in Python here")

# The work, counted rather than timed: every candidate costs feature-store lookups
# (the ad's, the advertiser's and the user's counters, the user's ad load).
lookups = {"n": 0}
originals = ad.counters, ad.activity
def counted(fn):
    def wrapper(*args, **kwargs):
        lookups["n"] += 1
        return fn(*args, **kwargs)
    return wrapper
ad.counters, ad.activity = counted(ad.counters), counted(ad.activity)
per_request = []
for n in sizes:
    lookups["n"] = 0
    ad.serve(0, k=n)
    per_request.append(lookups["n"])
ad.counters, ad.activity = originals
print("counter lookups per request:", ", ".join(f"{n} candidates -> {c}" for n, c in zip(sizes, per_request)))

assert per_request == [4 * n for n in sizes]   # four lookups per candidate: linear in the candidates
assert shown > 0.9 * len(timings)
