# Reservoir sampling over a stream: Algorithm R, then weighted A-Res.
# Run each over the same stream many times and count how often every item
# ends up in the sample: uniform for R, proportional to weight for A-Res (k = 1).
import math
import random

from mlsd import show
from mlsd.sampling import reservoir_sample, weighted_reservoir_sample

STREAM = 400            # events in the stream (the sampler never needs to know this)
K = 8                   # reservoir size: the only memory the sampler keeps
RUNS = 1000

rng = random.Random(11)
hits = [0] * STREAM
for _ in range(RUNS):
    for event in reservoir_sample(range(STREAM), K, rng):
        hits[event] += 1
expected = RUNS * K / STREAM
chi2 = math.fsum((h - expected) ** 2 / expected for h in hits)
dof = STREAM - 1
deciles = [sum(hits[d * STREAM // 10:(d + 1) * STREAM // 10]) / (RUNS * STREAM / 10) for d in range(10)]
# A tempting shortcut: "keep the first K" (what a job that stops reading early does).
first_k = [1.0 if i < K else 0.0 for i in range(STREAM)]
chi2_first = math.fsum((RUNS * f - expected) ** 2 / expected for f in first_k)     # its counts over RUNS runs
show.line_chart([10 * d + 5 for d in range(10)],
                {"Algorithm R": deciles,
                 "first K": [sum(first_k[d * STREAM // 10:(d + 1) * STREAM // 10]) / (STREAM / 10) for d in range(10)],
                 "target k / n": [K / STREAM] * 10},
                x_title="position of the event in the stream (%, middle of each tenth)", y_title="chance of being in the sample",
                title="Every part of the stream is equally likely to be kept")
print(f"Algorithm R, k = {K} of {STREAM} events, {RUNS} runs: each event kept {min(hits)}-{max(hits)} times "
      f"(expected {expected:.0f}); chi-square {chi2:.0f} on {dof} degrees of freedom (chance: {dof} +- "
      f"{math.sqrt(2 * dof):.0f}); 'first K' would score {chi2_first:.0f}")
print(f"memory: {K} slots whatever the stream length; decile inclusion rates {min(deciles):.4f}-{max(deciles):.4f} "
      f"around k / n = {K / STREAM:.4f}")

# Weighted: A-Res with k = 1 picks event i with probability w_i / sum(w).
weights = [1.0 + (i % 5) for i in range(50)]                 # weights 1, 2, 3, 4, 5 repeating
wins = [0] * 50
WRUNS = 4000
for _ in range(WRUNS):
    wins[weighted_reservoir_sample(((i, w) for i, w in enumerate(weights)), 1, rng)[0]] += 1
by_weight = {w: sum(wins[i] for i in range(50) if weights[i] == w) / WRUNS for w in sorted(set(weights))}
target = {w: sum(x for x in weights if x == w) / sum(weights) for w in by_weight}
show.table([{"weight": w, "share of picks": round(by_weight[w], 4), "w / sum(w)": round(target[w], 4)}
            for w in by_weight], title=f"A-Res, k = 1, {WRUNS} runs over 50 weighted events")
worst = max(abs(by_weight[w] - target[w]) for w in by_weight)
print(f"A-Res: largest gap between the share of picks and w / sum(w): {worst:.4f}")

# For k > 1 inclusion is not proportional to weight: weights [4, 1, 1, 1, 1], k = 2.
# k * w / sum(w) = 1 for the heavy event, but it is kept only if drawn first (4/8) or second (1/2 * 4/7).
heavy_kept = sum(0 in weighted_reservoir_sample(enumerate([4.0, 1.0, 1.0, 1.0, 1.0]), 2, rng)
                 for _ in range(WRUNS)) / WRUNS
exact = 4 / 8 + 4 / 8 * 4 / 7
print(f"A-Res, k = 2, weights 4,1,1,1,1: the heavy event is kept in {heavy_kept:.1%} of runs "
      f"(exact {exact:.1%}), not k * w / sum(w) = 100%")

assert abs(heavy_kept - exact) < 0.03, f"A-Res k = 2: heavy event kept {heavy_kept:.1%}, exact {exact:.1%}"
assert chi2_first > dof + 4 * math.sqrt(2 * dof), "the chi-square check rejects a biased sampler ('first K')"
assert abs(chi2 - dof) < 4 * math.sqrt(2 * dof), "inclusion counts are consistent with a uniform sample (chi-square)"
assert all(abs(d - K / STREAM) < 0.15 * K / STREAM for d in deciles), "every decile of the stream is kept at about k / n"
assert worst < 0.02, "A-Res picks each weight class in proportion to its weight"
