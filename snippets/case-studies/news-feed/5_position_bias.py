# Position bias. The ranker learns with the logged position as a feature and
# serves with it fixed at the top slot. Compare with the same model trained
# without the position: what it learns, and what its feeds are worth.
import math
import random

from mlsd import show
from casestudies import news_feed as nf

with_pos, without = nf.ranker(), nf.ranker(position=False)
w_pos, w_no = with_pos.effective_weights(), without.effective_weights()
P, AGE = nf.POSITION, nf.FEATURES.index("age_days")

# 1. The position effect the model learned, against the truth the generator used.
positions = list(range(nf.FEED_SIZE))
learned = [math.exp(w_pos["click"][P] * math.log1p(p)) for p in positions]
true = [nf.examine_probability(p) for p in positions]
show.line_chart(positions, {"true chance of being looked at": [round(x, 3) for x in true],
                            "learned click effect of the position": [round(x, 3) for x in learned]},
                x_title="feed position (0 = top)", y_title="relative to the top slot",
                title="What the position feature absorbs")

# 2. Without the feature, other features absorb the position effect. The true
# slope per day of age, from the generator: its logit one day later minus now.
def logit(p):
    return math.log(p / (1 - p))


true_age = {t: logit(nf.true_probabilities(0, 0, 2.0)[t]) - logit(nf.true_probabilities(0, 0, 1.0)[t])
            for t in ("click", "like", "dwell")}
show.table([{"weight on age_days": task, "with position": round(w_pos[task][AGE], 2),
             "without position": round(w_no[task][AGE], 2), "generator": round(true_age[task], 2)}
            for task in ("click", "like", "dwell")], title="The incumbent put fresh posts on top")

# 3. What the feeds are worth (150 users, the same value model and re-ranking).
users = sorted(random.Random(2).sample(range(nf.WORLD["n_users"]), 150))
models = {"six separate heads": nf.ranker(shared=False), "shared, no position feature": without,
          "shared, position feature": with_pos}
worth = {name: nf.mean_metrics(nf.feeds(m, users)) for name, m in models.items()}
show.table([{"ranker": n, **{t: round(worth[n][t], 4) for t in nf.TASKS}} for n in models],
           title="Expected events per session")
best, nopos, sep = (worth[n] for n in ("shared, position feature", "shared, no position feature",
                                      "six separate heads"))
print(f"position feature: clicks {best['click'] / nopos['click'] - 1:+.1%}, "
      f"likes {best['like'] / nopos['like'] - 1:+.1%}; shared vs separate: "
      f"likes {best['like'] / sep['like'] - 1:+.1%}, long reads {best['dwell'] / sep['dwell'] - 1:+.1%}")

assert abs(w_pos["click"][P] - (-0.7)) < 0.15           # close to the true exponent, -0.7
assert all(w_no[t][AGE] < 2 * w_pos[t][AGE] for t in ("click", "like", "dwell"))  # over twice as steep
assert all(w_no[t][AGE] < true_age[t] < w_pos[t][AGE] for t in true_age)  # the truth lies between
assert best["click"] > 1.02 * nopos["click"] and best["like"] > nopos["like"]
assert best["like"] > sep["like"] and best["dwell"] > sep["dwell"] and best["hide"] < sep["hide"]
