# A circuit breaker in front of a feature store that goes down for 4.6 seconds.
# Stand-in: 1,000 requests/s for 12 s; features take 2-8 ms; the store answers nothing from
# 3 s to 7.6 s. Every request has a 30 ms timeout and a fallback. The breaker opens after
# FAILURES timeouts in a row; while open, requests skip the store; after OPEN_MS one trial
# call decides whether it closes. Change OPEN_MS: shorter probes the dead store more often,
# longer keeps serving fallbacks after the store is back. Simplification: the simulator lets the
# breaker see each call's outcome before the next request starts; a real breaker learns of a
# timeout only when it ends, so the calls sent in the meantime also reach the dead store.
from mlsd import show
from mlsd.serving_sim import simulate_dependency

RATE, RUN_S, OUTAGE = 1000, 12, (3000, 7600)     # requests/s, seconds, outage in ms
FAILURES, OPEN_MS = 5, 1000
TIMEOUT_MS = 30
world = dict(model_ms=10, fast_ms=(2, 8), timeout_ms=TIMEOUT_MS, rate_per_s=RATE, outage_ms=OUTAGE, seed=0)
n = RATE * RUN_S
in_outage = (OUTAGE[1] - OUTAGE[0]) * RATE // 1000

rows = []
for name, breaker in [("timeout only", None), (f"breaker, open {OPEN_MS} ms", (FAILURES, OPEN_MS)),
                      ("breaker, open 100 ms", (FAILURES, 100)), ("breaker, open 3000 ms", (FAILURES, 3000))]:
    r = simulate_dependency(n, breaker=breaker, **world)
    rows.append({"policy": name, "p50 ms": round(r["p50_ms"], 1), "p99 ms": round(r["p99_ms"], 1),
                 "calls to the dead store": r["calls_in_outage"],
                 "fallbacks after it is back": round(r["degraded_share"] * n) - in_outage})
show.table(rows, title=f"{n:,} requests; the store is down for {in_outage:,} of them")
show.bar_chart([r["policy"] for r in rows], [r["calls to the dead store"] for r in rows],
               y_title="calls sent to the dead store (log scale)", log_y=True,
               title="The breaker stops hammering a dependency that is down")

plain, chosen, short, long_ = rows
print(f"timeout only: {plain['calls to the dead store']:,} calls to the dead store, p99 {plain['p99 ms']} ms")
print(f"breaker ({OPEN_MS} ms): {chosen['calls to the dead store']} calls, p99 {chosen['p99 ms']} ms, "
      f"{chosen['fallbacks after it is back']} extra fallbacks after recovery")
print(f"open 100 ms: {short['calls to the dead store']} calls; open 3000 ms: "
      f"{long_['fallbacks after it is back']} extra fallbacks")
in_flight = RATE * TIMEOUT_MS // 1000
print(f"a real breaker would also let through the ~{in_flight} calls sent while the first timeouts run, "
      f"each time it trips")
# The claims on the page.
assert plain["calls to the dead store"] == in_outage, "without a breaker every request calls the dead store"
assert chosen["calls to the dead store"] + in_flight < in_outage / 100, \
    f"the page says the breaker sends under 1 % of the {in_outage:,} calls, in-flight ones included"
assert chosen["p99 ms"] < plain["p99 ms"] / 2, \
    f"the page says p99 falls from 40.5 to 17.9 ms; got {plain['p99 ms']} and {chosen['p99 ms']} ms"
assert short["calls to the dead store"] > chosen["calls to the dead store"] > long_["calls to the dead store"], \
    "the page says a shorter open period probes the dead store more often (50, 9, 6 calls)"
assert short["fallbacks after it is back"] <= chosen["fallbacks after it is back"] <= long_["fallbacks after it is back"], \
    "a longer open period serves fallbacks longer after the store is back"
