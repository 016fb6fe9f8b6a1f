# The setting: a recommender fills one slot for 20 user segments from 8 items. The production
# policy samples an item from a softmax over its model's scores and logs
# (segment, item, propensity, click). Can we tell what a new policy would earn from this log alone?
import math
import random

from mlsd import off_policy as op
from mlsd import show

SEED = 0
N = 4000                                   # logged impressions
world = op.make_world(seed=SEED)
px, ctr = world["context_probs"], world["expected_reward"]
logging = op.softmax_policy(world["old_scores"], temperature=1.0)     # production: explores
target = op.softmax_policy(world["new_scores"], temperature=0.5)      # candidate: better model, greedier

rng = random.Random(SEED + 100)
earlier = op.simulate_log(px, ctr, logging, 20000, rng)               # last week's log, for the reward model
model = op.fit_reward_table(earlier["contexts"], earlier["actions"], earlier["rewards"], 20, 8)
log = op.simulate_log(px, ctr, logging, N, rng)                       # this week's log, to evaluate on
show.table([{"segment": log["contexts"][i], "item shown": log["actions"][i],
             "propensity": round(log["propensities"][i], 4), "click": log["rewards"][i]} for i in range(6)],
           title="The first logged impressions")

true_old, true_new = op.policy_value(px, ctr, logging), op.policy_value(px, ctr, target)
naive = sum(log["rewards"]) / N
est = op.estimate_all(log["rewards"], log["actions"], log["propensities"],
                      [target[x] for x in log["contexts"]], [model[x] for x in log["contexts"]])
rows = [{"estimate of the new policy's CTR": "log's own click rate (naive)", "value": round(naive, 4),
         "error": round(naive - true_new, 4)}]
rows += [{"estimate of the new policy's CTR": k, "value": round(est[k], 4), "error": round(est[k] - true_new, 4)}
         for k in op.ESTIMATORS]
show.table(rows, title=f"One log of {N:,} impressions; true CTR of the new policy {true_new:.4f}")
print(f"true CTR: production policy {true_old:.4f}, new policy {true_new:.4f} "
      f"(lift {true_new / true_old - 1:+.1%})")
print(f"effective sample size {est['effective sample size']:.0f} of {N} events; largest weight {est['max weight']:.1f}")
# An interval: IPS is a mean of independent per-event terms w * r, so mean ± 2 standard errors.
terms = [t * r for t, r in zip(op.importance_weights([target[x] for x in log["contexts"]], log["actions"],
                                                     log["propensities"]), log["rewards"])]
se = math.sqrt(math.fsum((t - est["IPS"]) ** 2 for t in terms) / (N - 1) / N)
print(f"IPS {est['IPS']:.4f} ± {2 * se:.4f} (2 standard errors), "
      f"from {est['IPS'] - 2 * se:.4f} to {est['IPS'] + 2 * se:.4f}")
# What the exploration costs, and where the lift comes from.
top_old = op.policy_value(px, ctr, op.epsilon_greedy_policy(world["old_scores"], 0.0))
sharp_old = op.policy_value(px, ctr, op.softmax_policy(world["old_scores"], temperature=0.5))
print(f"production's top item every time would earn {top_old:.4f}: its softmax gives up {1 - true_old / top_old:.0%} "
      f"of CTR to explore; the sharper softmax alone (old model) earns {sharp_old:.4f}, the better model adds "
      f"{true_new - sharp_old:.4f}")
# The claims on the page.
assert abs(naive - true_old) < abs(naive - true_new), "the log's click rate measures the old policy"
assert all(abs(est[k] - true_new) < abs(naive - true_new) for k in ("IPS", "SNIPS", "doubly robust")), \
    "the weighted estimators land closer to the new policy's CTR than the naive average"
assert abs(est["IPS"] - true_new) < 0.004 and abs(est["doubly robust"] - true_new) < 0.004, \
    "IPS and DR land within 0.004 of the truth on this log"
assert est["effective sample size"] < 0.7 * N, "weighting costs events: the effective sample is smaller (1,844)"
assert est["IPS"] - 2 * se < true_new < est["IPS"] + 2 * se and est["IPS"] - 2 * se < true_old, \
    "IPS's interval covers the truth, but is too wide to rule out production's CTR on 4,000 events"
assert top_old - true_old > 0.01, "the production softmax gives up a large share of CTR to explore (20 %)"
assert true_new - sharp_old < sharp_old - true_old, "most of the lift comes from the sharper softmax, not the model"
