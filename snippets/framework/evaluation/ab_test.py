# Plan an A/B test, run it (simulated), read it, and see why you must not peek.
import random
from mlsd import experiments, show, stats

BASE_CTR, LIFT, ALPHA, POWER = 0.03, 0.05, 0.05, 0.8     # detect +5% relative on a 3% CTR

# 1. Plan: how many users per arm?
n = experiments.sample_size_proportions(BASE_CTR, LIFT, alpha=ALPHA, power=POWER)
print(f"users per arm to detect a {LIFT:.0%} lift on a {BASE_CTR:.0%} CTR "
      f"with {POWER:.0%} power: {n:,}")

n_half = experiments.sample_size_proportions(BASE_CTR, LIFT / 2, alpha=ALPHA, power=POWER)
print(f"to detect half that lift ({LIFT / 2:.1%}): {n_half:,} per arm, {n_half / n:.1f}x as many")
print(f"with 20 metrics tested at alpha {ALPHA}, expect {20 * ALPHA:.0f} false 'win' by chance alone")

# 2. Run it: the new model truly lifts CTR by 5%. One experiment, read like a dashboard.
rng = random.Random(3)
clicks_a = stats.binomial(rng, n, BASE_CTR)
clicks_b = stats.binomial(rng, n, BASE_CTR * (1 + LIFT))
test = experiments.proportion_test(clicks_a, n, clicks_b, n, alpha=ALPHA)
show.table([{"arm": "A (control)", "users": n, "clicks": clicks_a, "CTR": round(test["rate_a"], 5)},
            {"arm": "B (new model)", "users": n, "clicks": clicks_b, "CTR": round(test["rate_b"], 5)}],
           title="One simulated A/B test")
print(f"lift {test['lift']:+.2%} (95% CI {test['lift_ci_low']:+.2%} to {test['lift_ci_high']:+.2%}), "
      f"p-value {test['p_value']:.4f}, significant: {test['significant']}")

# 3. How often does a test of this size catch the real lift? Repeat it 300 times.
hits = 0
for _ in range(300):
    a = stats.binomial(rng, n, BASE_CTR)
    b = stats.binomial(rng, n, BASE_CTR * (1 + LIFT))
    hits += experiments.proportion_test(a, n, b, n, alpha=ALPHA)["significant"]
print(f"detected in {hits / 300:.0%} of 300 repeats (planned power {POWER:.0%})")

# 4. Peeking: A/A tests (no real difference), checked every day for 14 days.
peek = experiments.simulate_peeking(n_experiments=400, days=14, users_per_day=500,
                                    base_rate=0.1, alpha=ALPHA, seed=0)
print(f"false positives: {peek['fpr_fixed']:.1%} when read once at the end, "
      f"{peek['fpr_peeking']:.1%} when stopped at the first daily p < {ALPHA}")

assert n == 207_938
assert 3.8 < n_half / n < 4.1                           # half the effect, ~4x the users
assert test["significant"] and test["lift_ci_low"] > 0
assert 0.72 <= hits / 300 <= 0.88                       # close to the planned 80%
assert peek["fpr_fixed"] < 0.07 and peek["fpr_peeking"] > 3.5 * ALPHA  # peeking: ~4x the false wins
