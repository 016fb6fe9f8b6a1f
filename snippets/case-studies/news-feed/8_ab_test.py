# A simulated A/B test from day 12, for 28 days. Control: the incumbent ranker
# (separate click and like models, no position feature, value = click + 2 like).
# Treatment: the new ranker (six shared heads, position feature, the full value
# model). Both arms use the same candidates and the same re-ranking rules.
# Users are split at random; a user comes back more after satisfying sessions.
import math
import random
import statistics

from mlsd import experiments, show
from casestudies import news_feed as nf

data = nf.world()
users = range(nf.WORLD["n_users"])
rng = random.Random(7)
treated = {u: rng.random() < 0.5 for u in users}
control = nf.feeds(nf.incumbent_ranker(), [u for u in users if not treated[u]], nf.INCUMBENT_WEIGHTS)
treatment = nf.feeds(nf.ranker(), [u for u in users if treated[u]])
res = nf.simulate_ab(control, treatment, days=28, seed=1)
A, B = sorted(res["A"]), sorted(res["B"])


def col(arm, ids, key):
    return [float(res[arm][u][key]) for u in ids]


# Long-term metrics per user. Sessions before the test predict sessions during
# it (some people simply use the app more): CUPED subtracts that part.
ys = col("A", A, "sessions") + col("B", B, "sessions")
adj = nf.cuped(ys, [float(data.sessions[u]) for u in A + B])
raw = experiments.mean_test(ys[:len(A)], ys[len(A):])
cup = experiments.mean_test(adj[:len(A)], adj[len(A):])
ret = experiments.mean_test(col("A", A, "active_last_week"), col("B", B, "active_last_week"))
rows = [{"metric": "sessions per user (primary), raw", "control": round(raw["mean_a"], 3),
         "treatment": round(raw["mean_b"], 3), "lift": f"{raw['lift']:+.1%}", "p": f"{raw['p_value']:.3f}"},
        {"metric": "sessions per user (primary), CUPED", "control": round(cup["mean_a"], 3),
         "treatment": round(cup["mean_b"], 3), "lift": f"{cup['lift']:+.1%}", "p": f"{cup['p_value']:.3f}"},
        {"metric": "active in the last week (retention)", "control": round(ret["mean_a"], 3),
         "treatment": round(ret["mean_b"], 3), "lift": f"{ret['lift']:+.1%}", "p": f"{ret['p_value']:.3f}"}]
# Per-session metrics: ratios of sums over users (delta method: users are the unit).
per = {}
for name, key in (("clicks per session", "clicks"), ("interactions per session", "interactions"),
                  ("hides per session (guardrail)", "hides")):
    per[key] = t = experiments.ratio_test(col("A", A, key), col("A", A, "sessions"),
                                          col("B", B, key), col("B", B, "sessions"))
    rows.append({"metric": name, "control": round(t["ratio_a"], 4), "treatment": round(t["ratio_b"], 4),
                 "lift": f"{t['lift']:+.1%}", "p": f"{t['p_value']:.3f}"})
border = {arm: sum(col(arm, ids, "borderline")) for arm, ids in (("A", A), ("B", B))}
rows.append({"metric": "borderline posts seen, total (guardrail)", "control": border["A"],
             "treatment": border["B"], "lift": "-", "p": "-"})
show.table(rows, title=f"{len(A)} control vs {len(B)} treatment users, 28 days")

srm_z = (len(B) - len(users) / 2) / math.sqrt(len(users) / 4)
print(f"split {len(A)} / {len(B)}: z = {srm_z:.2f}")
mean_s = statistics.mean(ys)
need = experiments.sample_size_means(statistics.stdev(adj), 0.01 * mean_s)
pre = {arm: statistics.mean(data.sessions[u] for u in ids) for arm, ids in (("A", A), ("B", B))}
print(f"sessions before the test: control {pre['A']:.2f}, treatment {pre['B']:.2f} per user")
# The answer the test is after, which only a simulator knows: 400 users under
# each ranker in turn, with the same random draws (a user's draws do not depend
# on their feed), so the difference is the rankers' alone.
both = sorted(random.Random(8).sample(range(len(users)), 400))
only_b, only_a = [u for u in both if not treated[u]], [u for u in both if treated[u]]
all_a = {**{u: control[u] for u in only_b}, **nf.feeds(nf.incumbent_ranker(), only_a, nf.INCUMBENT_WEIGHTS)}
all_b = {**{u: treatment[u] for u in only_a}, **nf.feeds(nf.ranker(), only_b)}
truth = {arm: statistics.mean(r["sessions"] for r in nf.simulate_ab(f, {}, days=28, seed=1)["A"].values())
         for arm, f in (("A", all_a), ("B", all_b))}
true_lift = truth["B"] / truth["A"] - 1
print(f"true effect on sessions ({len(both)} users under both rankers): {true_lift:+.1%}")
print(f"CUPED cuts the standard error of sessions by {1 - cup['se'] / raw['se']:.0%}")
print(f"users per arm to detect a 1% change in sessions, even with CUPED: {need:,}")

assert abs(srm_z) < 3                                            # no sample-ratio mismatch
assert raw["significant"] and raw["lift"] < 0                    # a false alarm from chance...
assert pre["A"] > 1.05 * pre["B"]                                # ...the control got heavier users
assert 0 < true_lift < 0.02                                      # the real effect: small, positive
assert per["interactions"]["lift"] > 0 and per["clicks"]["lift"] > 0   # the direction we hoped
assert per["hides"]["lift"] < 0                                  # guardrail: no more hides
assert per["clicks"]["p_value"] < 0.05                           # only clicks are significant;
assert min(per["interactions"]["p_value"], per["hides"]["p_value"]) > 0.05   # the rest is noise
assert border["B"] == border["A"] == 0                           # guardrail: none in either arm
assert cup["se"] < 0.8 * raw["se"]                               # CUPED: a much tighter test
assert not cup["significant"] and not ret["significant"]         # ...that CUPED takes back
assert need > max(10_000, 10 * len(A))                           # tens of thousands per arm
