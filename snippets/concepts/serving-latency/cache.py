# A cache in front of an expensive call (item features from a remote store, or a whole
# precomputed feed). Requests follow a Zipf popularity law with exponent s: s = 0 is
# uniform, s >= 1 is very skewed. A hit costs HIT_MS, a miss MISS_MS (with some jitter).
# A cache starts empty after a deploy or a restart: we replay WARMUP requests first (the
# cold start, reported apart), then measure the steady state on the next REQUESTS.
import math
import random
from itertools import accumulate
from mlsd import serving, show
from mlsd.data.recsys import zipf_weights

KEYS, WARMUP, REQUESTS = 10_000, 10_000, 10_000
CACHE_SHARES = [0.005, 0.02, 0.1, 0.3]     # cache capacity as a share of all keys
EXPONENTS = [0.8, 1.0, 1.2]
HIT_MS, MISS_MS = 0.5, 12.0

hit_rates, latency_rows = {}, []
for s in EXPONENTS:
    rng = random.Random(0)
    cum = list(accumulate(zipf_weights(KEYS, s)))
    requests = rng.choices(range(KEYS), cum_weights=cum, k=WARMUP + REQUESTS)
    hit_rates[f"Zipf s = {s}"] = []
    for share in CACHE_SHARES:
        cache = serving.LRUCache(max(1, int(share * KEYS)))
        hits, times = [], []
        for key in requests:
            hit = cache.get(key) is not None
            if not hit:
                cache.put(key, True)
            hits.append(hit)
            times.append((HIT_MS if hit else MISS_MS) * math.exp(0.2 * rng.gauss(0, 1)))
        cold, warm = sum(hits[:WARMUP]) / WARMUP, sum(hits[WARMUP:]) / REQUESTS
        hit_rates[f"Zipf s = {s}"].append(round(warm, 3))
        if s == 1.0:
            summary = serving.latency_summary(times[WARMUP:])
            latency_rows.append({"cache holds": f"{share:.1%} of keys", "hit rate, warm-up": round(cold, 3),
                                 "hit rate": round(warm, 3),
                                 "mean ms": round(summary["mean"], 2), "p50 ms": round(summary["p50"], 2),
                                 "p99 ms": round(summary["p99"], 2)})
show.line_chart([100 * s for s in CACHE_SHARES], hit_rates, x_title="cache size (% of keys)", y_title="hit rate",
                title="Skewed traffic makes small caches effective")
show.table(latency_rows, title=f"Latency with a warm cache, Zipf s = 1.0 (hit {HIT_MS} ms, miss {MISS_MS} ms); "
                               f"the warm-up column is the first {WARMUP:,} requests after a restart")
small, large = latency_rows[1], latency_rows[-1]
print(f"a cache of 2% of the keys: hit rate {small['hit rate']:.0%}, mean {small['mean ms']} ms, p99 {small['p99 ms']} ms")
print(f"a cache of 30%: hit rate {large['hit rate']:.0%}, mean {large['mean ms']} ms, but p99 still {large['p99 ms']} ms")
print(f"during the first {WARMUP:,} requests after a restart the 30% cache hits only {large['hit rate, warm-up']:.0%}")
# The claims on the page, for the settings above.
for curve in hit_rates.values():
    assert all(a < b for a, b in zip(curve, curve[1:]))           # a bigger cache hits more
lo, mid, hi = hit_rates.values()
assert lo[1] < mid[1] < hi[1]                                      # more skew, more hits
assert large["hit rate, warm-up"] < large["hit rate"]            # a cold cache understates a big one
assert large["mean ms"] < 0.5 * latency_rows[0]["mean ms"]         # the mean falls...
assert large["hit rate"] < 0.99 and large["p99 ms"] > 0.8 * MISS_MS   # ...the p99 is still a miss
