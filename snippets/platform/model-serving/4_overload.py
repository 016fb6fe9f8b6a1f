# Retries under overload: a two-second spike, and what it leaves behind.
# Stand-in: one worker answers requests first come, first served, 4 ms each (capacity 250/s).
# Traffic runs at 200/s (80 % of capacity) with a spike to 375/s between 3 and 5 s. A client
# gives up after 100 ms and may send the request again at once. The worker still computes
# answers nobody waits for, unless the request carries its deadline and the worker drops what
# can no longer finish in time (deadline-aware load shedding). The retry budget counts retries
# against all requests sent since the start (a real client counts over a recent window).
import random

from mlsd import show
from mlsd.serving_sim import simulate_overload

SERVICE_MS, TIMEOUT_MS = 4.0, 100.0
BASE, SPIKE, SPIKE_FROM, SPIKE_TO, RUN_S = 200, 375, 3, 5, 14     # requests/s and seconds


def arrivals(seed=0):
    rng, t, out = random.Random(seed), 0.0, []
    while True:
        rate = SPIKE if SPIKE_FROM * 1000 <= t < SPIKE_TO * 1000 else BASE
        t += rng.expovariate(rate / 1000)
        if t >= RUN_S * 1000:
            return out
        out.append(t)


xs = arrivals()
policies = {"no retry": {}, "3 retries": {"retries": 3},
            "3 retries, 10 % budget": {"retries": 3, "retry_budget": 0.1},
            "3 retries, deadline dropping": {"retries": 3, "drop_expired": True}}
rows, per_second = [], {}
for name, kw in policies.items():
    r = simulate_overload(xs, service_ms=SERVICE_MS, timeout_ms=TIMEOUT_MS, **kw)
    ok, sent = [0] * RUN_S, [0] * RUN_S
    for t, good in zip(xs, r["succeeded"]):
        sent[int(t // 1000)] += 1
        ok[int(t // 1000)] += good
    per_second[name] = [round(o / s, 3) for o, s in zip(ok, sent)]
    failing = [s for s in range(RUN_S) if per_second[name][s] < 0.99]
    rows.append({"policy": name, "answered in time %": round(100 * r["success_share"], 1),
                 "attempts per request": round(r["attempts_per_request"], 2),
                 "worker time wasted %": round(100 * r["wasted_share"], 1),
                 "seconds with failures": len(failing),
                 "last failing second": failing[-1] if failing else None})
show.table(rows, title=f"{len(xs):,} requests over {RUN_S} s; spike to {SPIKE}/s from {SPIKE_FROM} to {SPIKE_TO} s")
show.line_chart(list(range(RUN_S)), per_second, x_title="second of the run",
                y_title="share answered in time", title="Retries keep an overload going after the spike ends")

plain, storm, budget, shed = rows
for row in rows:
    print(f"{row['policy']}: {row['answered in time %']} % answered in time, {row['attempts per request']} attempts "
          f"per request, failures in {row['seconds with failures']} seconds (last: {row['last failing second']})")
# The claims on the page.
spike_len = SPIKE_TO - SPIKE_FROM
assert plain["seconds with failures"] > 2 * spike_len, \
    f"the page says stale work outlasts the spike without retries (7 seconds with failures); got {plain['seconds with failures']}"
assert storm["last failing second"] == RUN_S - 1 and storm["attempts per request"] > 2, \
    "with 3 retries the server never recovers: a metastable overload"
assert budget["attempts per request"] <= 1.11, "a 10 % retry budget caps the amplification at 1.1"
assert budget["last failing second"] == RUN_S - 1, "...but alone does not end this overload within the run"
assert budget["answered in time %"] < plain["answered in time %"], \
    f"the page says the budget alone does worse than no retries ({budget['answered in time %']} vs {plain['answered in time %']} %)"
assert shed["seconds with failures"] <= spike_len + 1 and shed["answered in time %"] > 90, \
    f"the page says deadline dropping recovers with the spike and answers 93.1 %; got {shed['answered in time %']} %"
assert shed["worker time wasted %"] == 0 and plain["worker time wasted %"] > 10, \
    f"the page says dropping wastes 0 % and FIFO without retries 48.8 %; got {plain['worker time wasted %']} %"
