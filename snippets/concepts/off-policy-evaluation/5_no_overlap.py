# No exploration, no evaluation. The production policy is epsilon-greedy on its model: with
# EPSILON = 0 it always shows its top item, so the log holds no click on anything else.
# Exploration costs production CTR and buys the log the overlap the estimators need.
import math
import random

from mlsd import off_policy as op
from mlsd import show

SEED = 0
EPSILONS = [0.0, 0.02, 0.05, 0.1, 0.2, 0.4]   # share of traffic shown a uniformly random item
N = 100_000                                    # a day of impressions in the slot
world = op.make_world(seed=SEED)
px, ctr = world["context_probs"], world["expected_reward"]
target = op.softmax_policy(world["new_scores"], temperature=0.5)
truth = op.policy_value(px, ctr, target)
rng = random.Random(SEED + 100)


def moments(logging, model):
    """Exact mean and variance of one event's IPS and DR terms (clicks are 0/1, so E[r^2] = q)."""
    ips, dr = [0.0, 0.0], [0.0, 0.0]
    for x, p in enumerate(px):
        dm = math.fsum(t * v for t, v in zip(target[x], model[x]))
        for a, m in enumerate(logging[x]):
            if m == 0:
                continue                                 # never logged: contributes nothing
            w, q, qh = target[x][a] / m, ctr[x][a], model[x][a]
            ips[0] += p * m * w * q
            ips[1] += p * m * w * w * q
            dr[0] += p * m * (dm + w * (q - qh))
            dr[1] += p * m * (q * (dm + w * (1 - qh)) ** 2 + (1 - q) * (dm - w * qh) ** 2)
    return [(mean, second - mean * mean) for mean, second in (ips, dr)]


rows = []
for eps in EPSILONS:
    logging = op.epsilon_greedy_policy(world["old_scores"], eps)
    earlier = op.simulate_log(px, ctr, logging, 20000, rng)       # the reward model learns from the same policy
    model = op.fit_reward_table(earlier["contexts"], earlier["actions"], earlier["rewards"], 20, 8)
    unsupported = math.fsum(p * t for p, trow, mrow in zip(px, target, logging)
                            for t, m in zip(trow, mrow) if m == 0)
    (ips_mean, ips_var), (dr_mean, dr_var) = moments(logging, model)
    dm = op.policy_value(px, model, target)
    rows.append({"epsilon": eps, "production CTR": round(op.policy_value(px, ctr, logging), 4),
                 "target traffic never logged": round(unsupported, 3),
                 "bias IPS": round(ips_mean - truth, 4), "bias DM": round(dm - truth, 4),
                 "bias DR": round(dr_mean - truth, 4),
                 "RMSE IPS": round(math.sqrt((ips_mean - truth) ** 2 + ips_var / N), 4),
                 "RMSE DR": round(math.sqrt((dr_mean - truth) ** 2 + dr_var / N), 4)})
show.table(rows, title=f"Exploration against evaluability; exact figures for a log of {N:,} impressions "
                       f"(true CTR of the new policy {truth:.4f})")
show.line_chart(EPSILONS, {"RMSE of IPS": [r["RMSE IPS"] for r in rows], "RMSE of DR": [r["RMSE DR"] for r in rows],
                           "CTR given up by exploring": [round(rows[0]["production CTR"] - r["production CTR"], 4)
                                                         for r in rows]},
                x_title="epsilon of the production policy", y_title="CTR points",
                title="Exploration buys an unbiased evaluation and costs CTR")
greedy, some = rows[0], rows[EPSILONS.index(0.1)]
print(f"epsilon 0: {greedy['target traffic never logged']:.0%} of the new policy's traffic goes to pairs never "
      f"logged; IPS is off by {greedy['bias IPS']:+.4f}, DR by {greedy['bias DR']:+.4f}")
print(f"epsilon 0.1: production CTR {greedy['production CTR']} -> {some['production CTR']}, "
      f"RMSE of DR {greedy['RMSE DR']} -> {some['RMSE DR']}")
# The claims on the page.
assert greedy["target traffic never logged"] > 0.3, "a deterministic log misses much of the new policy"
assert greedy["bias IPS"] < -0.02, "with no overlap IPS misses the traffic it never saw"
assert abs(greedy["bias DM"]) > 0.005 and abs(greedy["bias DR"]) > 0.005, "DM and DR extrapolate, here wrongly"
assert all(abs(r["bias IPS"]) < 1e-9 and abs(r["bias DR"]) < 1e-9 for r in rows[1:]), "any exploration makes IPS and DR unbiased"
ctrs = [r["production CTR"] for r in rows]
assert ctrs == sorted(ctrs, reverse=True), "exploration costs production CTR"
assert some["RMSE IPS"] < greedy["RMSE IPS"] / 5, "a little exploration cuts the IPS error several-fold"
assert rows[1]["RMSE IPS"] > some["RMSE IPS"], "too little exploration leaves the weights huge: more error"
