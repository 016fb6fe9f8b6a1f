# A simulated A/B test on day 18. Control: the popularity feed (the baseline).
# Treatment: the two-stage system. Viewers are split at random; each visits
# once, looks at position p with probability 0.85**p and clicks with the
# world's true click probability. The unit of analysis is the viewer.
import math
import random

from mlsd import experiments, show
from casestudies import video_recommendations as video

users = video.test_users()
rng = random.Random(2024)
arm = {u: "treatment" if rng.random() < 0.5 else "control" for u in users}
popular = video.popular_items()
data = video.world()


def feed(user):
    if arm[user] == "treatment":
        return video.recommend(user)                      # retrieve -> rank -> re-rank
    seen = video.watched(user)
    return [i for i in popular if i not in seen][:video.FEED_SIZE]


fresh = set(video.fresh_videos())
clicks = {"control": [], "treatment": []}
topics = {"control": [], "treatment": []}
with_fresh = {"control": [], "treatment": []}
for u in users:
    f = feed(u)
    clicks[arm[u]].append(video.simulate_session(u, f, rng))
    topics[arm[u]].append(len({data.items[i].category for i in f}))
    with_fresh[arm[u]].append(any(i in fresh for i in f))

n_a, n_b = len(clicks["control"]), len(clicks["treatment"])
z_split = (n_b - (n_a + n_b) / 2) / math.sqrt((n_a + n_b) / 4)   # sample-ratio check
result = experiments.mean_test(clicks["control"], clicks["treatment"])
show.table([
    {"arm": a, "viewers": len(clicks[a]), "clicks per viewer": round(sum(clicks[a]) / len(clicks[a]), 3),
     "feeds with a fresh upload": round(sum(with_fresh[a]) / len(with_fresh[a]), 3),
     "topics per feed": round(sum(topics[a]) / len(topics[a]), 2)}
    for a in ("control", "treatment")], title="Simulated A/B test")
print(f"lift {result['lift']:+.0%}, 95% CI of the difference [{result['ci_low']:.2f}, "
      f"{result['ci_high']:.2f}] clicks per viewer, p = {result['p_value']:.1e}; split z = {z_split:.2f}")

assert abs(z_split) < 3                        # no sample-ratio mismatch
assert result["significant"] and result["ci_low"] > 0
assert result["lift"] > 0.3
assert all(with_fresh["treatment"])           # the exploration slot reaches every feed
mean_topics = {a: sum(t) / len(t) for a, t in topics.items()}
assert mean_topics["treatment"] < mean_topics["control"]  # narrower feeds: a guardrail to watch
