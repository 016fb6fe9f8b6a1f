# What to show a user we know nothing about? Four answers, scored with the click
# probability the simulator really used (its hidden taste vectors), top 10 items each.
import math
import random

from mlsd import show
from mlsd.data.recsys import make_recsys

K = 10
USERS = 100               # users treated as brand new: only their age bucket is known
SEED = 0
SEEDS = range(5)          # worlds on which the age-bucket lift is repeated


def fallbacks(seed, with_best=True):
    world = make_recsys(n_users=600, n_items=500, n_events=8000, drift_day=28.0, seed=seed)
    rng = random.Random(seed)
    users = rng.sample(range(len(world.users)), USERS)
    # Popularity is counted on the other users' clicks only: a new user has no clicks yet, and
    # counting theirs would let each one's own favourites into their segment's list (a leak).
    new = set(users)
    overall, by_age = {}, {}
    for e in world.events:
        if e.clicked and e.user not in new:
            overall[e.item] = overall.get(e.item, 0) + 1
            seg = by_age.setdefault(world.users[e.user].age_bucket, {})
            seg[e.item] = seg.get(e.item, 0) + 1

    def p_click(user, item):
        return 1 / (1 + math.exp(-world.true_score(user, item)))

    def top(counts):
        return sorted(counts, key=lambda i: (-counts[i], i))[:K]

    popular = top(overall)
    lists = {"random items": lambda u: rng.sample(range(len(world.items)), K),
             "most clicked overall": lambda u: popular,
             "most clicked in the user's age bucket": lambda u: top(by_age[world.users[u].age_bucket])}
    if with_best:
        lists["best possible (knows the user's taste)"] = lambda u: sorted(
            range(len(world.items)), key=lambda i: -p_click(u, i))[:K]
    return {name: math.fsum(p_click(u, i) for u in users for i in make(u)) / (USERS * K)
            for name, make in lists.items()}


ctr = fallbacks(SEED)
rows = [{"what a new user sees": name, "expected CTR of the top 10": round(v, 4)} for name, v in ctr.items()]
show.bar_chart(["random", "popular", "popular in age bucket", "knows the taste"],
               [r["expected CTR of the top 10"] for r in rows],
               y_title="expected click-through rate", title="Fallbacks for a brand-new user")
show.table(rows)
rand, pop, seg, best = ctr.values()
print(f"popularity lifts CTR {pop / rand:.1f}x over random; the age bucket adds another "
      f"{seg / pop - 1:.1%}; knowing the taste would give {best / seg:.1f}x more")
lifts = []
for s in SEEDS:
    c = ctr if s == SEED else fallbacks(s, with_best=False)
    lifts.append(c["most clicked in the user's age bucket"] / c["most clicked overall"] - 1)
print("age-bucket lift over overall popularity, per seed: " + ", ".join(f"{x:+.1%}" for x in lifts)
      + f"; mean {sum(lifts) / len(lifts):+.1%}")
# The claims on the page: popularity beats random and knowing the taste beats every fallback,
# on this seed; the age bucket's small lift is positive on average but not on every seed.
assert pop > 1.5 * rand and best > 2 * max(pop, seg)
assert 0 < sum(lifts) / len(lifts) < 0.1                  # a few per cent on average
