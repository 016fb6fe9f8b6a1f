# Queueing: why a server at 90 % utilisation blows the tail. Requests arrive at random
# (a Poisson process) at one server that handles one at a time; service times are
# exponential with a mean of SERVICE_MS (the M/M/1 queue). Each request's wait follows
# Lindley's recursion: wait = max(0, previous wait + previous service - gap between arrivals).
# For M/M/1 the time in the system is exponential with mean SERVICE_MS / (1 - utilisation),
# so its p99 is ln(100) x SERVICE_MS / (1 - utilisation): the simulation should agree.
import math
import random
from mlsd import serving, show

SERVICE_MS = 5.0                  # mean time to serve one request (e.g. one ranking call)
UTILISATIONS = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95]
REQUESTS = 40_000

rows = []
for rho in UTILISATIONS:
    rng = random.Random(0)
    rate = rho / SERVICE_MS                           # arrivals per ms
    wait, service, latencies = 0.0, 0.0, []
    for _ in range(REQUESTS):
        gap = rng.expovariate(rate)
        wait = max(0.0, wait + service - gap)         # Lindley's recursion
        service = rng.expovariate(1 / SERVICE_MS)
        latencies.append(wait + service)
    s = serving.latency_summary(latencies)
    rows.append({"utilisation": rho, "p50 ms": round(s["p50"], 1), "p99 ms": round(s["p99"], 1),
                 "p99 ms, M/M/1 formula": round(math.log(100) * SERVICE_MS / (1 - rho), 1)})
show.line_chart(UTILISATIONS, {"p99, simulated": [r["p99 ms"] for r in rows],
                               "p99, M/M/1 formula": [r["p99 ms, M/M/1 formula"] for r in rows],
                               "p50, simulated": [r["p50 ms"] for r in rows]},
                x_title="utilisation (arrival rate / service rate)", y_title="latency (ms)",
                title=f"One server, {SERVICE_MS:g} ms per request: the tail explodes as utilisation nears 1")
show.table(rows)
by = {r["utilisation"]: r for r in rows}
formula = [r["p99 ms, M/M/1 formula"] for r in rows]
print("M/M/1 p99: " + ", ".join(f"{r['p99 ms, M/M/1 formula']} ms at {r['utilisation']:.0%}" for r in rows))
print(f"simulated p99 at 90 %: {by[0.9]['p99 ms']} ms and at 95 %: {by[0.95]['p99 ms']} ms, below the formula: "
      f"near saturation {REQUESTS:,} requests are too few to reach the steady state")
# The claims on the page.
for r in rows[:3]:                                   # the simulation agrees with the formula up to 70 %
    assert abs(r["p99 ms"] - r["p99 ms, M/M/1 formula"]) < 0.15 * r["p99 ms, M/M/1 formula"]
p99 = [r["p99 ms"] for r in rows]
assert all(a < b for a, b in zip(p99, p99[1:]))       # busier servers, longer tails
assert by[0.9]["p99 ms, M/M/1 formula"] > 1.9 * by[0.8]["p99 ms, M/M/1 formula"]    # halve the headroom,
assert by[0.95]["p99 ms, M/M/1 formula"] > 1.9 * by[0.9]["p99 ms, M/M/1 formula"]   # double the tail
assert by[0.95]["p99 ms"] < by[0.95]["p99 ms, M/M/1 formula"]                        # a short run understates
