# A simulated A/B test on day 18 against the incumbent, not a straw man.
# Control: the ranker in production (the same GBDT without the viewer x video
# features). Treatment: the new ranker. Everything else is shared: the same
# candidates, the same MMR re-ranking, the same exploration slot.
# Metric: the share of visits with at least one click (unit: the viewer).
# A viewer looks at position p with probability 0.85**p and clicks with the
# world's true click probability, so the toy knows each arm's true rate.
import math
import random

from mlsd import experiments, show
from casestudies import video_recommendations as video

data = video.world()
users = video.test_users()[:60]                          # the population visitors are drawn from
fresh = set(video.fresh_videos())
arms = {"control": "incumbent", "treatment": "new"}
p_click, topics, with_fresh = {}, {}, {}
for arm, model in arms.items():
    feeds = {u: video.recommend(u, model=model) for u in users}
    p_click[arm] = {u: video.visit_outcome(u, f)[1] for u, f in feeds.items()}
    topics[arm] = sum(len({data.items[i].category for i in f}) for f in feeds.values()) / len(feeds)
    with_fresh[arm] = sum(any(i in fresh for i in f) for f in feeds.values()) / len(feeds)
true_rate = {arm: math.fsum(p.values()) / len(p) for arm, p in p_click.items()}
true_lift = true_rate["treatment"] / true_rate["control"] - 1

# Plan before the test: the smallest lift worth shipping, and the sample size it needs.
MDE = 0.015                                               # +1.5% relative
n = experiments.sample_size_proportions(true_rate["control"], MDE, alpha=0.05, power=0.8)
print(f"control rate {true_rate['control']:.3f}; to detect {MDE:+.1%} at 80% power: {n:,} viewers per arm")

# Run it: 2n visitors, each one of the test viewers drawn at random, assigned by a coin flip.
rng = random.Random(2024)
n_b = rng.getrandbits(2 * n).bit_count()                   # 2n fair coin flips: treatment's share
n_a = 2 * n - n_b
count = {}
for arm, size in (("control", n_a), ("treatment", n_b)):
    visits = rng.choices([p_click[arm][u] for u in users], k=size)   # a random viewer per visit
    count[arm] = [size, sum(rng.random() < p for p in visits)]      # [viewers, visits with a click]
x_a, x_b = count["control"][1], count["treatment"][1]
result = experiments.proportion_test(x_a, n_a, x_b, n_b)
z_split = (n_b - (n_a + n_b) / 2) / ((n_a + n_b) / 4) ** 0.5  # sample-ratio check
show.table([{"arm": f"{arm} ({arms[arm]} ranker)", "viewers": count[arm][0],
             "visits with a click": round(count[arm][1] / count[arm][0], 4),
             "true rate": round(true_rate[arm], 4), "topics per feed": round(topics[arm], 2),
             "feeds with a fresh upload": round(with_fresh[arm], 2)} for arm in arms],
           title="Simulated A/B test: new ranker vs the incumbent")
print(f"true lift {true_lift:+.1%}; measured {result['lift']:+.1%}, 95% CI of the difference "
      f"[{result['ci_low']:+.4f}, {result['ci_high']:+.4f}], p = {result['p_value']:.1e}; split z = {z_split:.2f}")

assert 0.02 < true_lift < 0.1                     # several per cent, not +45% against a straw man
assert 100_000 < n < 200_000                      # far more viewers than any toy cell could show
assert abs(z_split) < 3                           # no sample-ratio mismatch
diff = true_rate["treatment"] - true_rate["control"]
assert result["ci_low"] < diff < result["ci_high"]   # the test's interval covers the truth
assert result["significant"] and result["ci_low"] > 0
assert all(f == 1 for f in with_fresh.values())   # the exploration slot reaches every feed
assert topics["treatment"] < topics["control"]    # slightly narrower feeds: a guardrail to watch
