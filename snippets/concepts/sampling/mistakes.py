# When the sample is wrong: convenience samples, and per-shard reservoirs
# merged naively. Each is measured against a simple random sample of the same size.
import math
import random

from mlsd import show
from mlsd.sampling import merge_reservoirs, reservoir_sample

N_SAMPLE = 600
DRAWS = 200
rng = random.Random(17)

# One day of 24,000 sessions in time order. Logged-in users convert more; nights convert less.
sessions = []
for t in range(24000):
    hour = t * 24 // 24000
    logged_in = rng.random() < (0.25 if hour < 7 else 0.45)
    rate = (0.07 if logged_in else 0.025) * (0.6 if hour < 6 else 1.3 if 18 <= hour < 23 else 1.0)
    sessions.append((hour, logged_in, 1 if rng.random() < rate else 0))
truth = sum(s[2] for s in sessions) / len(sessions)
logged = [s for s in sessions if s[1]]
logged_rate = sum(s[2] for s in logged) / len(logged)
srs = [sum(s[2] for s in rng.sample(sessions, N_SAMPLE)) / N_SAMPLE for _ in range(DRAWS)]
srs_sd = math.sqrt(math.fsum((v - truth) ** 2 for v in srs) / DRAWS)
first_hour = sessions[:N_SAMPLE]                                   # "the first 600 sessions of the day"
only_logged = [sum(s[2] for s in rng.sample(logged, N_SAMPLE)) / N_SAMPLE for _ in range(DRAWS)]
rows = [{"sample of 600 sessions": "simple random", "mean estimate": round(math.fsum(srs) / DRAWS, 4),
         "bias": round(math.fsum(srs) / DRAWS - truth, 4)},
        {"sample of 600 sessions": "first 600 of the day (00:00-00:36)",
         "mean estimate": round(sum(s[2] for s in first_hour) / N_SAMPLE, 4),
         "bias": round(sum(s[2] for s in first_hour) / N_SAMPLE - truth, 4)},
        {"sample of 600 sessions": "logged-in users only", "mean estimate": round(math.fsum(only_logged) / DRAWS, 4),
         "bias": round(math.fsum(only_logged) / DRAWS - truth, 4)}]
for r in rows:
    r["bias / sd of simple random"] = round(r["bias"] / srs_sd, 1)
show.table(rows, title=f"Conversion rate of the day: {truth:.4f}; sd of a simple random sample {srs_sd:.4f}")
bias_logged, bias_first = rows[2]["bias"], rows[1]["bias"]
print(f"logged-in only: {rows[2]['mean estimate']} against {truth:.4f}, a bias of "
      f"{rows[2]['bias / sd of simple random']} standard deviations; it converges on the logged-in users' own rate "
      f"{logged_rate:.4f}, so a bigger sample does not shrink the bias")

# Four shards, each keeping its own reservoir of K events, then merged.
K, RUNS = 100, 20
SHARDS = {"us": (6000, 10.0), "eu": (2000, 20.0), "br": (300, 40.0), "in": (300, 40.0)}   # events, mean value
streams = {name: [rng.expovariate(1 / mean) for _ in range(n)] for name, (n, mean) in SHARDS.items()}
true_mean = math.fsum(v for s in streams.values() for v in s) / sum(n for n, _ in SHARDS.values())
naive, merged = [], []
for _ in range(RUNS):
    parts = [(reservoir_sample(s, K, rng), len(s)) for s in streams.values()]
    pooled = [v for sample, _ in parts for v in sample]
    naive.append(math.fsum(rng.sample(pooled, K)) / K)              # a random K of the pooled reservoirs
    merged.append(math.fsum(merge_reservoirs(parts, K, rng)) / K)   # weighted by events seen per shard
show.table([{"merge": "pool the reservoirs, take K", "mean of estimates": round(math.fsum(naive) / RUNS, 2)},
            {"merge": "draw shards by events seen", "mean of estimates": round(math.fsum(merged) / RUNS, 2)}],
           title=f"Mean event value {true_mean:.2f}; {len(SHARDS)} shard reservoirs of {K}, {RUNS} runs")
naive_bias, merged_bias = math.fsum(naive) / RUNS - true_mean, math.fsum(merged) / RUNS - true_mean
merged_se = math.sqrt(math.fsum((v - math.fsum(merged) / RUNS) ** 2 for v in merged) / (RUNS - 1) / RUNS)
print(f"naive merge: bias {naive_bias:+.2f} ({naive_bias / true_mean:+.0%}); correct merge: bias {merged_bias:+.2f} "
      f"(standard error {merged_se:.2f})")

assert abs(rows[0]["bias"]) < 3 * srs_sd / math.sqrt(DRAWS), "the simple random sample is unbiased"
assert bias_logged > 3 * srs_sd, "the logged-in-only sample overstates conversion by more than 3 sd"
assert abs(math.fsum(only_logged) / DRAWS - logged_rate) < 3 * srs_sd / math.sqrt(DRAWS), \
    "the logged-in sample estimates the logged-in rate, not the day's"
assert bias_first < -srs_sd, "the first sessions of the day understate it by more than 1 sd"
assert naive_bias > 0.3 * true_mean, "pooling shard reservoirs over-weights the small, high-value shards"
assert abs(merged_bias) < 3 * merged_se, "the weighted merge is unbiased"
