# Same logs, two labels: "clicked" vs "watched at least 30 s". Which top-100 do you get?
# Each video has a catchy thumbnail (bait) and a real quality. Bait draws clicks;
# only quality keeps people watching. The simulated world is known, so we can
# score each ranked list on the true rates, not on noisy counts.
# The "model" here is the simplest one there is: each video's observed rate of the label
# over its logged impressions (one number per video). A real ranker predicts the same
# rates from features, so it also covers new videos; the label's pull is the same.
import math
import random
from mlsd import show, stats

SEED = 7
rng = random.Random(SEED)
sigmoid = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731

videos = []
for _ in range(2000):
    bait, quality = rng.random(), rng.random()
    p_click = sigmoid(-4.8 + 2.5 * bait + 0.8 * quality)            # a few per cent, as in a feed
    p_long_given_click = sigmoid(-1.5 + 4.0 * quality - 2.0 * bait)  # bait disappoints
    videos.append({"p_click": p_click, "p_long": p_click * p_long_given_click})

# Log 2,000 random impressions per video, then count each label per video.
IMPRESSIONS = 2000
for v in videos:
    clicks = stats.binomial(rng, IMPRESSIONS, v["p_click"])
    longs = stats.binomial(rng, clicks, v["p_long"] / v["p_click"])
    v["click_rate"], v["long_rate"] = clicks / IMPRESSIONS, longs / IMPRESSIONS

def summary(name, key, k=100):
    top = sorted(videos, key=lambda v: v[key], reverse=True)[:k]
    ctr = sum(v["p_click"] for v in top) / k
    long_rate = sum(v["p_long"] for v in top) / k
    return {"ranked by": name, "CTR of top-100": round(ctr, 4),
            "long watches per impression": round(long_rate, 4),
            "clicks that end in a long watch": round(long_rate / ctr, 3)}

catalogue_ctr = sum(v["p_click"] for v in videos) / len(videos)
print(f"CTR of the average video: {catalogue_ctr:.1%}")
rows = [summary("observed click rate", "click_rate"), summary("observed rate of watches >= 30 s", "long_rate")]
show.table(rows, title="Top-100 videos chosen by each label, scored on the true rates")

by_click, by_long = rows
ctr_gain = by_click["CTR of top-100"] / by_long["CTR of top-100"] - 1
long_gain = by_long["long watches per impression"] / by_click["long watches per impression"] - 1
print(f"the click label wins CTR by {ctr_gain:.0%}; the long-watch label wins long watches by {long_gain:.0%}")
print(f"satisfied clicks: {by_click['clicks that end in a long watch']:.0%} (click label) vs "
      f"{by_long['clicks that end in a long watch']:.0%} (long-watch label)")

assert 0.01 < catalogue_ctr < 0.06                        # a feed-like base rate
assert by_click["CTR of top-100"] > by_long["CTR of top-100"]   # the click label buys some CTR...
assert long_gain > ctr_gain                               # ...the long-watch label buys more long watches
assert by_click["clicks that end in a long watch"] < 0.5 < by_long["clicks that end in a long watch"]
