# Reading one A/B test. B truly lifts conversion and revenue by LIFT.
# Conversion (did the user buy at least once?) is a proportion; revenue per user is a
# heavy-tailed mean; revenue per session is a ratio of two per-user sums.
import random

from mlsd import experiments, show, stats

USERS_PER_ARM = 10_000
LIFT = 0.05                  # the truth in this simulation: +5 % relative
SEED = 0                     # change it to rerun the same experiment on other users

arm_a = experiments.simulate_revenue(USERS_PER_ARM, lift=0.0, seed=2 * SEED)
arm_b = experiments.simulate_revenue(USERS_PER_ARM, lift=LIFT, seed=2 * SEED + 1)
bought_a = sum(r > 0 for r in arm_a["revenue"])
bought_b = sum(r > 0 for r in arm_b["revenue"])
conv = experiments.proportion_test(bought_a, USERS_PER_ARM, bought_b, USERS_PER_ARM)
rev = experiments.mean_test(arm_a["revenue"], arm_b["revenue"])
# Users are randomized, sessions are not independent: the delta method gives the right error.
per_session = experiments.ratio_test(arm_a["revenue"], arm_a["sessions"],
                                     arm_b["revenue"], arm_b["sessions"])

rows = []
for name, a, b, r in [("conversion rate", conv["rate_a"], conv["rate_b"], conv),
                      ("revenue per user", rev["mean_a"], rev["mean_b"], rev),
                      ("revenue per session", per_session["ratio_a"], per_session["ratio_b"], per_session)]:
    rows.append({"metric": name, "A": round(a, 4), "B": round(b, 4),
                 "measured lift": round(b / a - 1, 4),
                 "95% CI of lift": f"{r['ci_low'] / a:+.1%} to {r['ci_high'] / a:+.1%}",
                 "p-value": round(r["p_value"], 3)})
show.table(rows, title=f"{USERS_PER_ARM:,} users per arm; the true lift is {LIFT:+.0%} on every metric")

spread = stats.variance(arm_a["revenue"]) ** 0.5 / stats.mean(arm_a["revenue"])
zero = sum(r == 0 for r in arm_a["revenue"]) / USERS_PER_ARM
print(f"revenue per user: standard deviation {spread:.1f} x the mean; {zero:.0%} of users spend nothing")
widths = [(r["ci_high"] - r["ci_low"]) / 2 / a for r, a in
          [(conv, conv["rate_a"]), (rev, rev["mean_a"]), (per_session, per_session["ratio_a"])]]
print("CI half-widths relative to A: " + ", ".join(f"±{w:.1%}" for w in widths))

# The claims on the page, for the settings above.
if (USERS_PER_ARM, LIFT, SEED) == (10_000, 0.05, 0):
    assert all(w > 0.9 * LIFT for w in widths)  # the noise is as big as the effect
    assert widths[1] > 1.5 * widths[0]          # revenue is noisier than conversion
    assert not any(r["p-value"] < 0.05 for r in rows)
    assert 0.06 < widths[0] < 0.08 and 0.10 < widths[1] < 0.14
    assert spread > 4 and zero > 0.8
