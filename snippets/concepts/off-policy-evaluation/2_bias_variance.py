# Bias and variance: evaluate the same new policy on many independent logs of each size and
# compare every estimate with the true value. Two reward models: one fitted per segment and
# item on last week's log (good), one that ignores the segment (misspecified).
import math
import random

from mlsd import off_policy as op
from mlsd import show

SEED = 0
SIZES = [500, 1000, 2000, 4000]           # impressions per log
LOGS = 25                                 # independent logs per size (each a prefix of a 4,000-event log)
world = op.make_world(seed=SEED)
px, ctr = world["context_probs"], world["expected_reward"]
logging = op.softmax_policy(world["old_scores"], temperature=1.0)
target = op.softmax_policy(world["new_scores"], temperature=0.5)
truth = op.policy_value(px, ctr, target)

rng = random.Random(SEED + 100)
earlier = op.simulate_log(px, ctr, logging, 20000, rng)
args = (earlier["contexts"], earlier["actions"], earlier["rewards"], 20, 8)
good, wrong = op.fit_reward_table(*args), op.fit_reward_table(*args, use_context=False)

NAMES = ["direct method, good model", "direct method, misspecified", "IPS", "SNIPS",
         "doubly robust, good model", "doubly robust, misspecified"]
runs = {n: {k: [] for k in NAMES} for n in SIZES}
for _ in range(LOGS):
    log = op.simulate_log(px, ctr, logging, SIZES[-1], rng)
    x, a, r = log["contexts"], log["actions"], log["rewards"]
    pi = [target[c] for c in x]
    w = op.importance_weights(pi, a, log["propensities"])
    fine, bad = [good[c] for c in x], [wrong[c] for c in x]
    for n in SIZES:                       # each size is a prefix of the log
        for name, value in zip(NAMES, (op.direct_method(pi[:n], fine[:n]), op.direct_method(pi[:n], bad[:n]),
                                       op.ips(r[:n], w[:n]), op.snips(r[:n], w[:n]),
                                       op.doubly_robust(r[:n], a[:n], w[:n], pi[:n], fine[:n]),
                                       op.doubly_robust(r[:n], a[:n], w[:n], pi[:n], bad[:n]))):
            runs[n][name].append(value)


def summary(values):
    mean = math.fsum(values) / len(values)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))
    rmse = math.sqrt(math.fsum((v - truth) ** 2 for v in values) / len(values))
    return {"bias": mean - truth, "standard error of bias": sd / math.sqrt(len(values)), "sd": sd, "rmse": rmse}


stats = {n: {k: summary(v) for k, v in runs[n].items()} for n in SIZES}
show.line_chart(SIZES, {k: [round(stats[n][k]["rmse"], 5) for n in SIZES] for k in NAMES},
                x_title="impressions in the log", y_title="RMSE of the CTR estimate",
                title=f"Error against log size, {LOGS} logs per size (true CTR {truth:.4f})")
big = stats[SIZES[-1]]
show.table([{"estimator": k, "bias": round(s["bias"], 4), "± (2 standard errors)": round(2 * s["standard error of bias"], 4),
             "spread (sd)": round(s["sd"], 4), "RMSE": round(s["rmse"], 4)} for k, s in big.items()],
           title=f"At {SIZES[-1]:,} impressions")
small = stats[SIZES[0]]
print(f"IPS RMSE falls from {small['IPS']['rmse']:.4f} to {big['IPS']['rmse']:.4f} "
      f"({SIZES[-1] // SIZES[0]}x the data); the misspecified direct method stays at "
      f"{small['direct method, misspecified']['rmse']:.4f} -> {big['direct method, misspecified']['rmse']:.4f}")
# The claims on the page.
unbiased = ("IPS", "SNIPS", "doubly robust, good model", "doubly robust, misspecified")
assert all(abs(big[k]["bias"]) < 4 * big[k]["standard error of bias"] for k in unbiased), \
    "IPS, SNIPS and DR (even with the misspecified model) are unbiased within noise"
assert abs(big["direct method, misspecified"]["bias"]) > 5 * big["direct method, misspecified"]["standard error of bias"], \
    "the misspecified direct method is biased"
assert big["IPS"]["rmse"] < 0.6 * small["IPS"]["rmse"], "IPS error shrinks with more data"
dm_wrong = (small["direct method, misspecified"], big["direct method, misspecified"])
assert dm_wrong[1]["rmse"] > 0.7 * dm_wrong[0]["rmse"] and dm_wrong[1]["rmse"] < 1.2 * abs(dm_wrong[1]["bias"]), \
    "a biased model's error barely shrinks with more data: it is almost all bias"
assert all(abs(big[k]["sd"] - big["IPS"]["sd"]) < 0.15 * big["IPS"]["sd"]
           for k in ("doubly robust, good model", "doubly robust, misspecified")), \
    "with rare clicks, DR spreads about as much as IPS, even on top of the good model"
assert all(big[k]["sd"] < big["IPS"]["sd"] / 2 for k in ("direct method, good model", "direct method, misspecified")), \
    "the direct method spreads less than half as much as IPS"
