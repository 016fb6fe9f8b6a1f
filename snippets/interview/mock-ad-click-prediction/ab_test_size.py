# Phase 4: how many ad requests per arm to detect a 1 % relative lift in CTR, and how long that
# takes at 1 % of the traffic. Inputs are the candidate's assumptions.
from mlsd import experiments

CTR = 0.01                       # clicks per ad request (phase 1)
LIFT = 0.01                      # smallest relative lift worth detecting (+1 %)
REQUESTS_PER_DAY = 500e6 * 20    # phase 1
ARM_SHARE = 0.01                 # 1 % of traffic in each arm

n = experiments.sample_size_proportions(CTR, LIFT, alpha=0.05, power=0.8)
per_arm_per_hour = REQUESTS_PER_DAY * ARM_SHARE / 24
print(f"ad requests per arm: {n:,}")
print(f"at 1% of traffic per arm: {per_arm_per_hour:,.0f} requests an hour, so {n / per_arm_per_hour:.1f} hours")

assert 15_000_000 < n < 17_000_000, "the transcript says about 16 million requests per arm"
assert 3.5 < n / per_arm_per_hour < 4.5, "the transcript says about four hours at 1 % of traffic"
