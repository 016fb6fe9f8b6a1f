# Why caching works for recommendations: popularity is skewed (Zipf), so a small
# cache of the most requested items' features serves most lookups.
import random
from itertools import accumulate
from mlsd import serving, show
from mlsd.data.recsys import zipf_weights

N_KEYS, N_REQUESTS = 10_000, 30_000

def hit_rate(cache_size, s, seed=0):
    """Replay requests through an LRU cache; s = Zipf exponent (0 = uniform popularity)."""
    rng = random.Random(seed)
    cum = list(accumulate(zipf_weights(N_KEYS, s)))
    requests = rng.choices(range(N_KEYS), cum_weights=cum, k=N_REQUESTS)
    cache = serving.LRUCache(cache_size)
    for key in requests:
        cache.get_or_compute(key, lambda k: True)   # a miss would fetch the item's features
    return cache.hit_rate

shares = (0.01, 0.05, 0.10, 0.20)
rows = [{"cache holds": f"{share:.0%} of items",
         "hit rate, Zipf popularity": round(hit_rate(int(share * N_KEYS), 1.0), 3),
         "hit rate, uniform popularity": round(hit_rate(int(share * N_KEYS), 0.0), 3)}
        for share in shares]
show.table(rows, title=f"LRU cache over {N_REQUESTS:,} requests for {N_KEYS:,} items")
small, *_, large = rows
print(f"a cache of 1% of the items serves {small['hit rate, Zipf popularity']:.0%} of requests "
      f"under Zipf popularity, {small['hit rate, uniform popularity']:.0%} under uniform popularity")

assert small["hit rate, Zipf popularity"] > 0.35           # skew makes a tiny cache useful
assert rows[1]["hit rate, Zipf popularity"] > 0.5          # 5% of items, over half the traffic
assert small["hit rate, uniform popularity"] < 0.02        # without skew, hit rate ~ cache share
assert large["hit rate, Zipf popularity"] > 0.7
assert small["hit rate, Zipf popularity"] == 0.39 and rows[2]["hit rate, Zipf popularity"] == 0.667
