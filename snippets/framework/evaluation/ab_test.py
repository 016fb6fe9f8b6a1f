# Plan an A/B test for a realistic lift, with the right variance, and see why you must not peek.
# Users are randomized, but CTR is counted per impression: one user's impressions share that
# user's taste for clicking, so they are not independent trials. CTR is a ratio metric,
# sum(clicks) / sum(impressions) over users, and its variance comes from the delta method.
import random
from mlsd import experiments, show, stats

BASE_CTR, ALPHA, POWER = 0.03, 0.05, 0.8
LIFTS = (0.01, 0.02, 0.05)       # relative lifts; a mature ranker's wins are 1-2 %
MEAN_IMPRESSIONS = 20            # per user over the test (1 + geometric: heavy users see far more)
CONCENTRATION = 10               # users' own CTRs ~ Beta(CTR c, (1 - CTR) c): smaller c, more spread
PILOT_USERS = 20_000             # a pre-period sample of the same population, to measure variance

# 1. A pilot: each user's impressions and clicks before the test.
rng = random.Random(0)
stay = 1 - 1 / MEAN_IMPRESSIONS
clicks, imps = [], []
for _ in range(PILOT_USERS):
    n = 1
    while rng.random() < stay:
        n += 1
    own_ctr = rng.betavariate(BASE_CTR * CONCENTRATION, (1 - BASE_CTR) * CONCENTRATION)
    clicks.append(stats.binomial(rng, n, own_ctr))
    imps.append(n)
pilot = experiments.ratio_metric(clicks, imps)          # CTR and its delta-method standard error
ctr, per_user_sd = pilot["ratio"], pilot["se"] * pilot["n"] ** 0.5
imps_per_user = sum(imps) / len(imps)
print(f"pilot: CTR {ctr:.2%}, {imps_per_user:.1f} impressions per user")

# 2. Users per arm: as if impressions were independent trials, and with the delta method.
rows = []
for lift in LIFTS:
    naive_imps = experiments.sample_size_proportions(ctr, lift, alpha=ALPHA, power=POWER)
    naive_users = round(naive_imps / imps_per_user)
    delta_users = experiments.sample_size_means(per_user_sd, ctr * lift, alpha=ALPHA, power=POWER)
    rows.append({"relative lift": f"{lift:.0%}", "naive: impressions / impressions per user": naive_users,
                 "delta method (users randomized)": delta_users,
                 "ratio": round(delta_users / naive_users, 1)})
show.table(rows, title=f"Users per arm for {POWER:.0%} power at alpha {ALPHA}")
one, two, five = rows
print(f"a 1% lift needs {one['delta method (users randomized)']:,} users per arm, "
      f"{one['ratio']}x what the per-impression formula says; "
      f"2% needs {two['delta method (users randomized)']:,}; 5% only {five['delta method (users randomized)']:,}")
print(f"with 20 metrics tested at alpha {ALPHA}, expect {20 * ALPHA:.0f} false 'win' by chance alone")

# 3. Peeking: A/A tests (no real difference), checked every day for 14 days.
peek = experiments.simulate_peeking(n_experiments=400, days=14, users_per_day=500,
                                    base_rate=0.1, alpha=ALPHA, seed=0)
fixed, peeking = peek["fpr_fixed"], peek["fpr_peeking"]
print(f"false positives: {fixed:.1%} when read once at the end, "
      f"{peeking:.1%} when stopped at the first daily p < {ALPHA}: "
      f"{peeking / ALPHA:.1f}x the nominal {ALPHA:.0%}, {peeking / fixed:.1f}x reading once")

assert all(r["delta method (users randomized)"] > r["naive: impressions / impressions per user"]
           for r in rows)                                 # correlated impressions: more users needed
half = two["delta method (users randomized)"] / one["delta method (users randomized)"]
assert 0.23 < half < 0.27                                 # half the lift, about 4x the users
assert fixed < 0.07 and peeking > 3 * ALPHA               # peeking multiplies the false wins
