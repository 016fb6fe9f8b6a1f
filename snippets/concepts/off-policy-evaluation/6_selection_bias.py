# Selection and exposure bias. Only shown items get clicks, and the production policy shows
# each item to the segments it already believes like it. Part 1: a naive per-item click rate
# from the log against what the item would earn shown to everyone. Part 2: retrain on your
# own log, serve greedily, repeat - with and without a little exploration.
import math
import random
import statistics

from mlsd import off_policy as op
from mlsd import show

SEED = 0
EPSILON = 0.1                 # exploration of the second loop in part 2
ROUNDS, PER_ROUND = 6, 10000  # retraining rounds, impressions logged per round
world = op.make_world(seed=SEED)
px, ctr = world["context_probs"], world["expected_reward"]
K = len(ctr[0])
rng = random.Random(SEED + 100)

# Part 1: the log of the production softmax policy, summarised per item.
logging = op.softmax_policy(world["old_scores"], temperature=0.5)
log = op.simulate_log(px, ctr, logging, 20000, rng)
rows = []
for a in range(K):
    shown = [i for i, b in enumerate(log["actions"]) if b == a]
    w = [1 / p if b == a else 0.0 for b, p in zip(log["actions"], log["propensities"])]
    rows.append({"item": a, "share of impressions": round(len(shown) / len(log["actions"]), 3),
                 "naive CTR (clicks / impressions)": round(math.fsum(log["rewards"][i] for i in shown) / len(shown), 4),
                 "SNIPS: CTR if shown to everyone": round(op.snips(log["rewards"], w), 4),
                 "true CTR if shown to everyone": round(math.fsum(p * ctr[x][a] for x, p in enumerate(px)), 4)})
show.table(rows, title="What the log says about each item")
naive_gap = [r["naive CTR (clicks / impressions)"] - r["true CTR if shown to everyone"] for r in rows]
naive_err = statistics.median(abs(g) for g in naive_gap)
snips_err = statistics.median(abs(r["SNIPS: CTR if shown to everyone"] - r["true CTR if shown to everyone"]) for r in rows)
print(f"median error per item: naive {naive_err:.4f}, SNIPS {snips_err:.4f}")
print(f"the naive CTR overstates {sum(g > 0 for g in naive_gap)} of {K} items, on average by "
      f"{math.fsum(naive_gap) / K:+.4f} (true CTRs average {math.fsum(r['true CTR if shown to everyone'] for r in rows) / K:.4f})")


# Part 2: the loop. Round 1 is logged by the production model served greedily; each round fits a
# per-segment, per-item click model on all logs so far and serves its top item.
def loop(epsilon):
    policy = op.epsilon_greedy_policy(world["old_scores"], epsilon)
    data = {"contexts": [], "actions": [], "rewards": []}
    curve = []
    for _ in range(ROUNDS):
        new = op.simulate_log(px, ctr, policy, PER_ROUND, rng)
        for key in data:
            data[key] += new[key]                                    # train on every log so far
        model = op.fit_reward_table(data["contexts"], data["actions"], data["rewards"], len(px), K)
        policy = op.epsilon_greedy_policy(model, epsilon)
        greedy = op.epsilon_greedy_policy(model, 0.0)
        curve.append(op.policy_value(px, ctr, greedy))          # what the learned model would earn served greedily
    return curve, set(zip(data["contexts"], data["actions"])), model


def model_error(model, pairs):
    """Mean |qhat - q| over the given (segment, item) pairs."""
    return math.fsum(abs(model[x][a] - ctr[x][a]) for x, a in pairs) / len(pairs)


greedy_curve, greedy_seen, greedy_model = loop(0.0)
explore_curve, explore_seen, explore_model = loop(EPSILON)
everything = [(x, a) for x in range(len(px)) for a in range(K)]
unseen = [pair for pair in everything if pair not in greedy_seen]
errors = {"greedy, pairs it showed": model_error(greedy_model, sorted(greedy_seen)),
          "greedy, pairs it never showed": model_error(greedy_model, unseen),
          "greedy, all pairs": model_error(greedy_model, everything),
          f"epsilon {EPSILON}, all pairs": model_error(explore_model, everything)}
best = op.policy_value(px, ctr, op.epsilon_greedy_policy(ctr, 0.0))
start = op.policy_value(px, ctr, op.epsilon_greedy_policy(world["old_scores"], 0.0))
show.line_chart(list(range(1, ROUNDS + 1)), {"retrained on its own greedy log": [round(v, 4) for v in greedy_curve],
                                            f"retrained on a log with epsilon {EPSILON}": [round(v, 4) for v in explore_curve],
                                            "best possible": [round(best, 4)] * ROUNDS},
                x_title="retraining round", y_title="true CTR of the learned model, served greedily",
                title="Retraining on your own log: with and without exploration")
show.table([{"model after the last round": k, "mean |predicted - true CTR|": round(v, 4)} for k, v in errors.items()],
           title="How well each loop's model knows the world")
print(f"greedy loop: {len(greedy_seen)} of {len(everything)} (segment, item) pairs ever shown; "
      f"exploring loop: {len(explore_seen)}")
print(f"learned model's true CTR after {ROUNDS} rounds: greedy loop {greedy_curve[-1]:.4f}, "
      f"exploring loop {explore_curve[-1]:.4f} (start {start:.4f}, best possible {best:.4f})")
# The claims on the page.
assert sum(g > 0 for g in naive_gap) >= K - 2 and math.fsum(naive_gap) > 0, \
    "the naive click rate overstates what items earn when shown to everyone"
assert snips_err < naive_err, "reweighting by the propensities brings the typical item closer to the truth"
assert len(greedy_seen) < 0.6 * len(everything) and len(explore_seen) == len(everything), \
    "a greedy loop never shows most pairs; exploration shows them all"
assert errors["greedy, pairs it never showed"] > 2 * errors["greedy, pairs it showed"], \
    "the greedy model knows the pairs it showed, and guesses the rest"
assert errors[f"epsilon {EPSILON}, all pairs"] < errors["greedy, all pairs"], \
    "the exploring loop's model knows the world better overall"
