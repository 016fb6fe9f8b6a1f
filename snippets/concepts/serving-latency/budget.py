# A 50 ms latency budget, request by request. Each stage's latency is drawn from a
# log-normal distribution (most requests fast, a long tail), and two stages fan out and
# wait for the slowest branch. Change the knobs and see which stage eats the p99.
import math
import random
from mlsd import serving, show

BUDGET_MS = 50
REQUESTS = 5_000
FEATURE_STORES = 3            # parallel feature lookups (user, item, context)
ANN_SHARDS = 16               # the index is split over shards; the request waits for all
CANDIDATES = 1000             # items sent to the ranker
US_PER_CANDIDATE = 20         # ranker cost per candidate (one core, microseconds)

rng = random.Random(0)


def lognormal(median_ms, sigma):
    return median_ms * math.exp(sigma * rng.gauss(0, 1))


stages = {"network and gateway": [], "feature fetch": [], "ANN retrieval": [], "ranker": [],
          "re-rank and filter": []}
single_shard = []
for _ in range(REQUESTS):
    stages["network and gateway"].append(lognormal(3.0, 0.3))
    stages["feature fetch"].append(max(lognormal(2.0, 0.5) for _ in range(FEATURE_STORES)))
    shards = [lognormal(3.0, 0.5) for _ in range(ANN_SHARDS)]
    single_shard.append(shards[0])
    stages["ANN retrieval"].append(max(shards))
    stages["ranker"].append(CANDIDATES * US_PER_CANDIDATE / 1000 * lognormal(1.0, 0.15))
    stages["re-rank and filter"].append(lognormal(1.0, 0.3))
total = [math.fsum(parts) for parts in zip(*stages.values())]

rows = []
for name, xs in list(stages.items()) + [("end to end", total)]:
    s = serving.latency_summary(xs)
    rows.append({"stage": name, "p50 ms": round(s["p50"], 1), "p99 ms": round(s["p99"], 1)})
show.table(rows, title=f"{REQUESTS:,} simulated requests against a {BUDGET_MS} ms budget")
show.bar_chart([r["stage"] for r in rows[:-1]], [r["p99 ms"] for r in rows[:-1]], y_title="p99 latency (ms)",
               title="Where the slow requests spend their time")
end = rows[-1]
sum_p99 = math.fsum(r["p99 ms"] for r in rows[:-1])
over = sum(t > BUDGET_MS for t in total) / REQUESTS
print(f"end to end: p50 {end['p50 ms']} ms, p99 {end['p99 ms']} ms; {over:.2%} of requests miss {BUDGET_MS} ms")
print(f"the stage p99s add up to {sum_p99:.1f} ms: percentiles do not add, "
      f"a request is rarely slow in every stage at once")
shard_p99, ann_p99 = serving.p99(single_shard), rows[2]["p99 ms"]
print(f"one ANN shard: p99 {shard_p99:.1f} ms; waiting for {ANN_SHARDS} shards: p99 {ann_p99} ms")
# The claims on the page, for the settings above.
if (BUDGET_MS, FEATURE_STORES, ANN_SHARDS, CANDIDATES, US_PER_CANDIDATE) == (50, 3, 16, 1000, 20):
    assert end["p99 ms"] < BUDGET_MS and over < 0.01
    assert sum_p99 > BUDGET_MS > end["p99 ms"]
    assert ann_p99 > 1.4 * shard_p99
    assert max(rows[:-1], key=lambda r: r["p99 ms"])["stage"] == "ranker"
