# The launch plan: how many users per arm to see a 0.5% relative lift in the daily return rate?
from mlsd import experiments

BASELINE_RETURN_RATE = 0.60   # share of today's users who come back tomorrow (assumed)
LIFT = 0.005                  # smallest relative lift worth detecting (+0.5%)
ARM_USERS_PER_DAY = 0.01 * 200_000_000  # 1% of daily users in each arm

n = experiments.sample_size_proportions(BASELINE_RETURN_RATE, LIFT, alpha=0.05, power=0.8)
print(f"users per arm: {n:,}")
print(f"users available per arm per day at 1% traffic: {ARM_USERS_PER_DAY:,.0f}")

assert 400_000 < n < 450_000, "the transcript quotes this figure; an assumption above was changed"
assert n < ARM_USERS_PER_DAY, "the transcript quotes this figure; an assumption above was changed"  # sample size is not the constraint; weekly cycles and novelty are
