# How far can the new policy be from the logging policy? The target mixes the production
# policy with a greedy policy on the new model: ALPHA = 0 is the production policy itself,
# ALPHA = 1 always shows the new model's top item. The same logs serve every target.
import math
import random

from mlsd import off_policy as op
from mlsd import show

SEED = 0
ALPHAS = [0.0, 0.25, 0.5, 0.75, 0.9, 1.0]  # share of traffic the greedy new model decides
CLIP = 5.0                                  # clipped IPS caps every weight at this value
LOGGING_TEMPERATURE = 1.0                   # lower: the production policy explores less
N, LOGS = 2000, 25
world = op.make_world(seed=SEED)
px, ctr = world["context_probs"], world["expected_reward"]
logging = op.softmax_policy(world["old_scores"], temperature=LOGGING_TEMPERATURE)
greedy = op.epsilon_greedy_policy(world["new_scores"], epsilon=0.0)

rng = random.Random(SEED + 100)
earlier = op.simulate_log(px, ctr, logging, 20000, rng)
model = op.fit_reward_table(earlier["contexts"], earlier["actions"], earlier["rewards"], 20, 8)
logs = [op.simulate_log(px, ctr, logging, N, rng) for _ in range(LOGS)]


def clipped_expectation(target):
    """What clipped IPS converges to: sum_x P(x) sum_a mu(a|x) min(pi/mu, CLIP) q(x, a), exactly."""
    return math.fsum(p * m * min(t / m, CLIP) * q for p, mrow, trow, qrow in zip(px, logging, target, ctr)
                     for m, t, q in zip(mrow, trow, qrow) if m > 0)


NAMES = ["IPS", "SNIPS", "clipped IPS", "doubly robust"]
rows = []
for alpha in ALPHAS:
    target = op.mix_policies(logging, greedy, alpha)
    truth = op.policy_value(px, ctr, target)
    est = [op.estimate_all(log["rewards"], log["actions"], log["propensities"],
                           [target[x] for x in log["contexts"]], [model[x] for x in log["contexts"]],
                           max_weight=CLIP) for log in logs]
    row = {"alpha": alpha, "true CTR": round(truth, 4),
           "effective sample, share": round(math.fsum(e["effective sample size"] for e in est) / LOGS / N, 3),
           "largest weight": round(max(e["max weight"] for e in est), 1)}
    spread = {}
    for k in NAMES:
        values = [e[k] for e in est]
        row[f"RMSE {k}"] = round(math.sqrt(math.fsum((v - truth) ** 2 for v in values) / LOGS), 4)
        mean = math.fsum(values) / LOGS
        spread[k] = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (LOGS - 1))
    row["clipped IPS: sd / IPS sd"] = round(spread["clipped IPS"] / spread["IPS"], 3)
    row["clipped IPS: limit - truth"] = round(clipped_expectation(target) - truth, 4)
    rows.append(row)
show.table(rows,
           title=f"Moving the target away from the logging policy ({LOGS} logs of {N:,} impressions)")
show.line_chart(ALPHAS, {k: [r[f"RMSE {k}"] for r in rows] for k in NAMES},
                x_title="alpha (0 = the logging policy, 1 = greedy on the new model)",
                y_title="RMSE of the CTR estimate", title="Error grows as the target moves away")
first, last = rows[0], rows[-1]
print(f"effective sample: {first['effective sample, share']:.0%} of the log at alpha 0, "
      f"{last['effective sample, share']:.0%} at alpha 1; IPS RMSE {first['RMSE IPS']} -> {last['RMSE IPS']}")
print(f"clipped IPS at alpha 1: {last['clipped IPS: sd / IPS sd']:.0%} of IPS's spread, but it converges to "
      f"{last['clipped IPS: limit - truth']:+.4f} from the truth however long the log; "
      f"RMSE {last['RMSE clipped IPS']} against {last['RMSE IPS']} for IPS")
# The claims on the page.
shares = [r["effective sample, share"] for r in rows]
assert shares[0] == 1 and shares == sorted(shares, reverse=True), "the effective sample shrinks as the target moves away"
assert all(abs(r[f"RMSE {k}"] - r["RMSE IPS"]) < 0.2 * r["RMSE IPS"] for r in rows for k in ("SNIPS", "doubly robust")), \
    "SNIPS and DR stay close to IPS"
assert last["effective sample, share"] < 0.3, "a greedy target keeps a small fraction of the log"
assert last["RMSE IPS"] > 1.5 * first["RMSE IPS"], "IPS error grows as the target moves away"
assert last["clipped IPS: sd / IPS sd"] < 0.97, "clipping cuts the spread of a far target's estimate"
assert last["clipped IPS: limit - truth"] < -0.001, "clipping biases the estimate downwards, for good"
