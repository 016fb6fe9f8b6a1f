# Click-through rate when users are randomized: a ratio metric, not a proportion.
# Each user sees many impressions and has their own taste for clicking, so the clicks of one
# user move together. A/A tests (A and B identical) show which standard error tells the truth.
import random

from mlsd import experiments, show, stats

POOL = 20_000            # simulated users the arms are drawn from
USERS_PER_ARM = 1_000
TESTS = 200              # A/A tests
MEAN_IMPRESSIONS = 20    # per user over the test; heavy users see far more
CTR = 0.05               # mean click probability of an impression
CONCENTRATION = 10       # users' own CTRs ~ Beta(CTR * c, (1 - CTR) * c): smaller c, more spread
SEED = 0

rng = random.Random(SEED)
stay = 1 - 1 / MEAN_IMPRESSIONS           # impressions per user: 1 + geometric
users = []
for _ in range(POOL):
    impressions = 1
    while rng.random() < stay:
        impressions += 1
    own_ctr = rng.betavariate(CTR * CONCENTRATION, (1 - CTR) * CONCENTRATION)
    users.append((stats.binomial(rng, impressions, own_ctr), impressions))

diffs, naive_se, delta_se, naive_hits, delta_hits = [], [], [], 0, 0
for _ in range(TESTS):
    arm_a = rng.choices(users, k=USERS_PER_ARM)
    arm_b = rng.choices(users, k=USERS_PER_ARM)
    clicks_a, imps_a = [c for c, _ in arm_a], [i for _, i in arm_a]
    clicks_b, imps_b = [c for c, _ in arm_b], [i for _, i in arm_b]
    # Naive: every impression an independent trial, as if impressions had been randomized.
    naive = experiments.proportion_test(sum(clicks_a), sum(imps_a), sum(clicks_b), sum(imps_b))
    # Right: users were randomized, so CTR = sum(clicks) / sum(impressions) over users (delta method).
    delta = experiments.ratio_test(clicks_a, imps_a, clicks_b, imps_b)
    diffs.append(delta["diff"])
    naive_se.append((naive["ci_high"] - naive["ci_low"]) / (2 * stats.norm_ppf(0.975)))
    delta_se.append(delta["se"])
    naive_hits += naive["significant"]
    delta_hits += delta["significant"]

true_spread = stats.variance(diffs) ** 0.5     # how much the difference really moves between A/A tests
rows = [{"standard error of the CTR difference": "observed spread over the A/A tests (the truth)",
         "mean SE (CTR points)": round(100 * true_spread, 3), "A/A tests significant at 5%": "—"},
        {"standard error of the CTR difference": "per impression (two-proportion z-test)",
         "mean SE (CTR points)": round(100 * stats.mean(naive_se), 3), "A/A tests significant at 5%": f"{naive_hits / TESTS:.1%}"},
        {"standard error of the CTR difference": "per user, delta method (ratio_test)",
         "mean SE (CTR points)": round(100 * stats.mean(delta_se), 3), "A/A tests significant at 5%": f"{delta_hits / TESTS:.1%}"}]
show.table(rows, title=f"{TESTS} A/A tests, {USERS_PER_ARM:,} users per arm, CTR {CTR:.0%}")
understate = true_spread / stats.mean(naive_se)
print(f"the per-impression test understates the standard error {understate:.1f}-fold")
print(f"false positives: per impression {naive_hits / TESTS:.1%}, delta method {delta_hits / TESTS:.1%}")

# The claims on the page, for the settings above.
if (POOL, USERS_PER_ARM, TESTS, MEAN_IMPRESSIONS, CTR, CONCENTRATION, SEED) == (
        20_000, 1_000, 200, 20, 0.05, 10, 0):
    assert understate > 1.8                                     # about twice too small
    assert abs(stats.mean(delta_se) / true_spread - 1) < 0.15   # the delta method matches the truth
    assert naive_hits / TESTS > 0.25 and delta_hits / TESTS < 0.09
