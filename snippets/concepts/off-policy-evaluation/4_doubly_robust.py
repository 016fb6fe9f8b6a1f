# Doubly robust needs only one of its two halves right. At noon the team sharpened the
# production softmax (temperature 1.0 -> 0.5). The log kept the propensity of every decision;
# a later job that recomputes them from today's configuration gets the morning wrong.
import math
import random

from mlsd import off_policy as op
from mlsd import show

SEED = 0
N, LOGS = 4000, 20                       # impressions per log (half before noon), logs to check the limits
world = op.make_world(seed=SEED)
px, ctr = world["context_probs"], world["expected_reward"]
halves = [op.softmax_policy(world["old_scores"], temperature=t) for t in (1.0, 0.5)]   # morning, afternoon
target = op.softmax_policy(world["new_scores"], temperature=0.5)
truth = op.policy_value(px, ctr, target)

rng = random.Random(SEED + 100)
earlier = op.simulate_log(px, ctr, halves[0], 20000, rng)
args = (earlier["contexts"], earlier["actions"], earlier["rewards"], 20, 8)
models = {"good": op.fit_reward_table(*args), "misspecified": op.fit_reward_table(*args, use_context=False)}
LOGGED, RECOMPUTED = "logged at decision time", "recomputed afterwards"


def propensity(h, x, a, which):           # what the evaluation job divides by
    return halves[h][x][a] if which == LOGGED else halves[1][x][a]


def limit(estimator, model, which):
    """What the estimator converges to on an endless log: every per-event term is linear in the
    click, so its expectation is the term with the click rate q(x, a) in place of the click."""
    total = 0.0
    for h in (0, 1):
        for x, p in enumerate(px):
            for a, m in enumerate(halves[h][x]):
                w = target[x][a] / propensity(h, x, a, which)
                if estimator == "IPS":
                    term = w * ctr[x][a]
                else:                     # the DR correction; the model's own term is added below
                    term = w * (ctr[x][a] - model[x][a]) if estimator == "doubly robust" else 0.0
                total += 0.5 * p * m * term
    if estimator != "IPS":
        total += math.fsum(p * math.fsum(t * v for t, v in zip(target[x], model[x])) for x, p in enumerate(px))
    return total


CASES = [("IPS", None, LOGGED), ("IPS", None, RECOMPUTED),
         ("direct method", "good", None), ("direct method", "misspecified", None),
         ("doubly robust", "good", LOGGED), ("doubly robust", "misspecified", LOGGED),
         ("doubly robust", "good", RECOMPUTED), ("doubly robust", "misspecified", RECOMPUTED)]
rows = [{"estimator": e, "reward model": m or "", "propensities": w or "",
         "bias (exact)": round(limit(e, models.get(m), w) - truth, 4)} for e, m, w in CASES]

# Check the exact limits against simulated logs: each mean must sit within 4 standard errors.
sims = [[] for _ in CASES]
observed = {LOGGED: [], RECOMPUTED: []}   # per log: (mean importance weight, its standard error)
for _ in range(LOGS):
    logs = [op.simulate_log(px, ctr, halves[h], N // 2, rng) for h in (0, 1)]
    half = [0] * (N // 2) + [1] * (N // 2)
    x, a = logs[0]["contexts"] + logs[1]["contexts"], logs[0]["actions"] + logs[1]["actions"]
    r, pi = logs[0]["rewards"] + logs[1]["rewards"], [target[c] for c in x]
    for i, (e, m, which) in enumerate(CASES):
        q = [models[m][c] for c in x] if m else None
        if e == "direct method":
            sims[i].append(op.direct_method(pi, q))
            continue
        w = op.importance_weights(pi, a, [propensity(h, c, b, which) for h, c, b in zip(half, x, a)])
        if e == "IPS":
            mw = math.fsum(w) / N
            observed[which].append((mw, math.sqrt(math.fsum((v - mw) ** 2 for v in w) / (N - 1) / N)))
        sims[i].append(op.ips(r, w) if e == "IPS" else op.doubly_robust(r, a, w, pi, q))
for row, values in zip(rows, sims):
    mean = math.fsum(values) / LOGS
    se = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (LOGS - 1) / LOGS)
    row[f"bias, mean of {LOGS} logs"] = round(mean - truth, 4)
    row["± (2 standard errors)"] = round(2 * se, 4)
    assert abs(mean - truth - row["bias (exact)"]) < 4 * se + 1e-4, f"simulation agrees with the exact limit: {row}"
show.table(rows, title=f"What each estimator converges to, minus the true CTR {truth:.4f}")
bias = {(r["estimator"], r["reward model"], r["propensities"]): abs(r["bias (exact)"]) for r in rows}
print(f"IPS: bias {bias[('IPS', '', LOGGED)]:.4f} with logged propensities, "
      f"{bias[('IPS', '', RECOMPUTED)]:.4f} with recomputed ones")
# A check you can run on a real log: the mean importance weight must be close to 1.
mean_weight = {which: math.fsum(0.5 * p * m * target[x][a] / propensity(h, x, a, which) for h in (0, 1)
                                for x, p in enumerate(px) for a, m in enumerate(halves[h][x]))
               for which in (LOGGED, RECOMPUTED)}
print(f"mean importance weight (exact): {mean_weight[LOGGED]:.3f} with logged propensities, "
      f"{mean_weight[RECOMPUTED]:.3f} with recomputed ones")
# On a real log you see the mean weight of that log, with noise: flag it when it sits more than
# 3 standard errors from 1.
flagged = {k: sum(abs(m - 1) > 3 * se for m, se in v) for k, v in observed.items()}
m0, se0 = observed[LOGGED][0]
m1, se1 = observed[RECOMPUTED][0]
print(f"mean importance weight on the first log of {N:,}: {m0:.3f} ± {2 * se0:.3f} with logged propensities, "
      f"{m1:.3f} ± {2 * se1:.3f} with recomputed ones")
print(f"logs flagged (mean weight more than 3 standard errors from 1): {flagged[LOGGED]} of {LOGS} with logged "
      f"propensities, {flagged[RECOMPUTED]} of {LOGS} with recomputed ones")
# The claims on the page (exact limits, so no noise).
assert abs(mean_weight[LOGGED] - 1) < 1e-9 and abs(mean_weight[RECOMPUTED] - 1) > 0.05, \
    "the mean weight is 1 with the right propensities, and flags the wrong ones (1.495)"
assert flagged[LOGGED] <= 1 and flagged[RECOMPUTED] == LOGS, \
    "the mean-weight check flags every log with recomputed propensities and (almost) none with logged ones"
assert max(bias[("IPS", "", LOGGED)], bias[("doubly robust", "good", LOGGED)],
           bias[("doubly robust", "misspecified", LOGGED)]) < 1e-9, \
    "with the logged propensities IPS and DR are unbiased, even with a misspecified model"
assert bias[("IPS", "", RECOMPUTED)] > 0.002, "recomputed propensities bias IPS"
assert bias[("direct method", "misspecified", "")] > 0.002, "the misspecified direct method is biased"
assert bias[("doubly robust", "good", RECOMPUTED)] < bias[("IPS", "", RECOMPUTED)] / 2, \
    "a good model shrinks the damage of wrong propensities"
assert bias[("doubly robust", "misspecified", RECOMPUTED)] > 0.001, "with both halves wrong, DR has no guarantee"
