# Capacity planning from first principles, then checked in the simulator.
# Stand-in replica: 8 worker processes, each serving one request at a time in 5 ms (a CPU
# ranker). Little's law: requests in service = arrival rate x time each spends in service.
# Change PEAK_QPS, SERVICE_MS or TARGET_UTILISATION and see the replica count move.
import math

from mlsd import show
from mlsd.serving_sim import BatchCost, poisson_arrivals, simulate_batching

PEAK_QPS = 30_000           # requests/s at the daily peak
SERVICE_MS = 5.0            # per request on one worker
WORKERS = 8                 # concurrent requests per replica
SLO_P99_MS = 25.0           # the server's share of the latency budget
TARGET_UTILISATION = 0.7    # headroom for bursts and slow requests
ZONES = 3                   # replicas spread over zones; survive the loss of one
SEED = 0

in_service = PEAK_QPS * SERVICE_MS / 1000                   # Little's law: busy workers at peak
at_full = math.ceil(in_service / WORKERS)                     # replicas with zero headroom
planned = math.ceil(in_service / WORKERS / TARGET_UTILISATION)
with_zone = math.ceil(planned * ZONES / (ZONES - 1))          # still `planned` after losing a zone
print(f"{PEAK_QPS:,} QPS x {SERVICE_MS} ms = {in_service:g} requests in service at peak")
print(f"/ {WORKERS} workers per replica = {at_full} replicas at 100 % utilisation; at "
      f"{TARGET_UTILISATION:.0%}: {planned}; to survive losing 1 of {ZONES} zones: {with_zone}")

cost = BatchCost(fixed_ms=SERVICE_MS, per_item_ms=0.0)          # one request per worker: no batching
rows = []
for replicas in sorted({at_full, at_full + 1, at_full + 3, planned, with_zone}):
    per_replica = PEAK_QPS / replicas
    r = simulate_batching(poisson_arrivals(5000, per_replica, seed=SEED), cost, max_batch=1, max_wait_ms=0,
                          instances=WORKERS)
    rows.append({"replicas": replicas, "QPS per replica": round(per_replica),
                 "utilisation": round(r["utilisation"], 3), "p50 ms": round(r["p50_ms"], 1),
                 "p99 ms": round(r["p99_ms"], 1), "meets SLO": r["p99_ms"] <= SLO_P99_MS})
show.table(rows, title=f"One replica simulated at its share of {PEAK_QPS:,} QPS (p99 SLO {SLO_P99_MS:g} ms)")
show.line_chart([r["replicas"] for r in rows], {"p99 ms": [r["p99 ms"] for r in rows],
                                                "SLO": [SLO_P99_MS] * len(rows)},
                x_title="replicas", y_title="p99 latency (ms)", title="The tail falls off a cliff near 100 %")

smallest_ok = min(r["replicas"] for r in rows if r["meets SLO"])
print(f"smallest replica count meeting the SLO in the simulation: {smallest_ok}; planned: {planned}")
by_n = {r["replicas"]: r for r in rows}
# The claims on the page.
assert not by_n[at_full]["meets SLO"], "sizing at 100 % utilisation misses the SLO"
assert by_n[planned]["meets SLO"] and by_n[with_zone]["meets SLO"], "the planned counts meet it"
assert smallest_ok <= planned, "the 70 % rule is on the safe side of what the simulation needs"
assert by_n[at_full]["p99 ms"] > 3 * by_n[planned]["p99 ms"], "the last few percent of utilisation cost the tail"
