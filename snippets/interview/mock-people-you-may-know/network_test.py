# Phase 4: the online test. First, how many friendships cross the arms when users are split at
# random, against a split by clusters of the graph (checked on the case study's toy world, where
# the clusters are its six cities). Then the price of clusters in sample size: the design effect
# 1 + (m - 1) x rho. Production inputs are the candidate's assumptions.
import random

from mlsd import experiments, show
from casestudies import people_you_may_know as pymk

w = pymk.world()
new = [(u, v) for (u, v), t in zip(w.edges, w.days) if pymk.TEST_CUT <= t < pymk.DAYS]
rng = random.Random(7)
by_user = {u: rng.random() < 0.5 for u in range(w.n_users)}
cities = sorted(set(w.city))
treated_cities = set(random.Random(8).sample(cities, len(cities) // 2))
by_city = {u: w.city[u] in treated_cities for u in range(w.n_users)}
rows = []
for name, arm in (("users at random", by_user), (f"{len(cities)} cities as clusters", by_city)):
    crossing = sum(arm[u] != arm[v] for u, v in new) / len(new)
    rows.append({"randomise": name, "units": w.n_users if arm is by_user else len(cities),
                 "new friendships crossing the arms": round(crossing, 3)})
show.table(rows, title=f"{len(new)} friendships made after day {pymk.TEST_CUT:g} in the toy world")

# Production: accepted friendships from suggestions per viewer per week (assumed mean 0.2, sd 0.6:
# most viewers make none in a week, a few make several), and the smallest lift worth detecting,
# 2 % relative. The mean must fit under the phase-1 rate of new friendships from all sources.
MEAN, SD, LIFT = 0.2, 0.6, 0.02
NEW_FRIENDS_PER_USER_MONTH = 1.5   # phase 1 (fanout.py)
all_sources_per_week = NEW_FRIENDS_PER_USER_MONTH * 7 / 30
users_needed = experiments.sample_size_means(SD, MEAN * LIFT)
CLUSTER_SIZE = 10_000     # users per graph cluster (balanced partition)
RHO = 0.001               # intra-cluster correlation of the metric: to be measured in an A/A test
design_effect = 1 + (CLUSTER_SIZE - 1) * RHO
clustered_users = users_needed * design_effect
clusters_per_arm = clustered_users / CLUSTER_SIZE
clusters_total = 500e6 / CLUSTER_SIZE
show.table([
    {"design": "users at random", "users per arm": f"{users_needed:,}", "clusters per arm": None},
    {"design": f"clusters of {CLUSTER_SIZE:,}, rho = {RHO}", "users per arm": f"{clustered_users:,.0f}",
     "clusters per arm": round(clusters_per_arm)},
], title=f"Sample size for a {LIFT:.0%} lift in accepted friendships per viewer per week")
print(f"design effect {design_effect:.1f}; two arms use {2 * clusters_per_arm / clusters_total:.1%} "
      f"of the {clusters_total:,.0f} clusters")

user_cross, city_cross = (r["new friendships crossing the arms"] for r in rows)
assert 0.4 < user_cross < 0.6, f"the transcript says about half the friendships cross arms in a user split, got {user_cross}"
assert city_cross < 0.2, f"the transcript says clusters keep most friendships inside one arm, got {city_cross}"
assert MEAN < all_sources_per_week, \
    f"the transcript says 0.2 a week fits under the {all_sources_per_week:.2f} new friendships a week of phase 1"
assert round(users_needed, -3) == 353_000, f"the transcript says about 353,000 users per arm, got {users_needed:,}"
assert round(design_effect) == 11 and round(clustered_users / 1e6, 1) == 3.9 and round(clusters_per_arm) == 388, \
    f"the transcript says a design effect of 11, 3.9 million users, 388 clusters per arm; got " \
    f"{design_effect:.1f}, {clustered_users:,.0f}, {clusters_per_arm:.0f}"
assert 2 * clusters_per_arm / clusters_total < 0.02, "the transcript says the test needs under 2 % of the clusters"
