# What to show a user we know nothing about? Four answers, scored with the click
# probability the simulator really used (its hidden taste vectors), top 10 items each.
import math
import random
from mlsd import show
from mlsd.data.recsys import make_recsys

K = 10
USERS = 100               # users treated as brand new: only their age bucket is known
SEED = 0

world = make_recsys(n_users=600, n_items=500, n_events=8000, drift_day=28.0, seed=SEED)
clicks = [e for e in world.events if e.clicked]


def p_click(user, item):
    return 1 / (1 + math.exp(-world.true_score(user, item)))


def top(counts, k=K):
    return sorted(counts, key=lambda i: (-counts[i], i))[:k]


overall, by_age = {}, {}
for e in clicks:
    overall[e.item] = overall.get(e.item, 0) + 1
    seg = by_age.setdefault(world.users[e.user].age_bucket, {})
    seg[e.item] = seg.get(e.item, 0) + 1
popular = top(overall)

rng = random.Random(SEED)
users = rng.sample(range(len(world.users)), USERS)
lists = {"random items": lambda u: rng.sample(range(len(world.items)), K),
         "most clicked overall": lambda u: popular,
         "most clicked in the user's age bucket": lambda u: top(by_age[world.users[u].age_bucket]),
         "best possible (knows the user's taste)": lambda u: sorted(range(len(world.items)),
                                                                    key=lambda i: -p_click(u, i))[:K]}
rows = []
for name, make in lists.items():
    ctr = math.fsum(p_click(u, i) for u in users for i in make(u)) / (USERS * K)
    rows.append({"what a new user sees": name, "expected CTR of the top 10": round(ctr, 4)})
show.bar_chart(["random", "popular", "popular in age bucket", "knows the taste"], [r["expected CTR of the top 10"] for r in rows],
               y_title="expected click-through rate", title="Fallbacks for a brand-new user")
show.table(rows)
rand, pop, seg, best = (r["expected CTR of the top 10"] for r in rows)
print(f"popularity lifts CTR {pop / rand:.1f}x over random; the age bucket adds another "
      f"{seg / pop - 1:.0%}; knowing the taste would give {best / seg:.1f}x more")
# The claims on the page, for the settings above.
if (K, USERS, SEED) == (10, 100, 0):
    assert rand < pop < seg < best
    assert pop > 1.5 * rand and seg > 1.05 * pop and best > 1.5 * seg
