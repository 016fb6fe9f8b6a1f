# Maximal marginal relevance (MMR): build the list one item at a time, each time taking
#   argmax  LAMBDA * relevance(i) - (1 - LAMBDA) * max similarity(i, items already chosen)
# LAMBDA = 1 is the ranker's own order; smaller values trade relevance for variety.
# Relevance = the true click probability (the simulator knows it); similarity = cosine of
# the items' latent vectors, so two videos of one topic are near-duplicates.
import math
import random
from mlsd import show
from mlsd.data.recsys import make_recsys

K, CANDIDATES, USERS = 10, 40, 20
LAMBDAS = [1.0, 0.8, 0.7, 0.6, 0.5, 0.3]

world = make_recsys(n_users=600, n_items=500, n_events=8000, drift_day=28.0, seed=0)
items = world.items


def cosine(a, b):
    return math.fsum(x * y for x, y in zip(items[a].vector, items[b].vector))


def mmr(relevance, sim, lam, k=K):
    chosen, pool = [], sorted(relevance, key=lambda i: -relevance[i])
    while pool and len(chosen) < k:
        best = max(pool, key=lambda i: lam * relevance[i] - (1 - lam) * max((sim[i, j] for j in chosen), default=0.0))
        chosen.append(best)
        pool.remove(best)
    return chosen


rng = random.Random(0)
requests = []                                   # per user: the ranker's top candidates and their similarities
for u in rng.sample(range(len(world.users)), USERS):
    p = {i: 1 / (1 + math.exp(-world.true_score(u, i))) for i in range(len(items))}
    top = sorted(p, key=lambda i: -p[i])[:CANDIDATES]       # what the ranker hands over
    sim = {}
    for n, a in enumerate(top):
        for b in top[n:]:
            sim[a, b] = sim[b, a] = cosine(a, b)
    requests.append(({i: p[i] for i in top}, sim))

rows = []
for lam in LAMBDAS:
    ctr, topics, spread = 0.0, 0, 0.0
    for relevance, sim in requests:
        chosen = mmr(relevance, sim, lam)
        ctr += math.fsum(relevance[i] for i in chosen) / K
        topics += len({items[i].category for i in chosen})
        pairs = [(a, b) for n, a in enumerate(chosen) for b in chosen[n + 1:]]
        spread += 1 - math.fsum(sim[a, b] for a, b in pairs) / len(pairs)
    rows.append({"lambda": lam, "expected CTR of the list": round(ctr / USERS, 4),
                 "topics in the top 10": round(topics / USERS, 2), "intra-list diversity": round(spread / USERS, 3)})
show.line_chart([r["topics in the top 10"] for r in rows], {"expected CTR": [r["expected CTR of the list"] for r in rows]},
                x_title="distinct topics in the top 10 (averaged over users)", y_title="expected CTR of the list",
                title="MMR trades a little relevance for a lot of variety", y_zero=False)
show.table(rows, title=f"{USERS} users, the ranker's top {CANDIDATES} re-ranked into {K} slots")
by = {r["lambda"]: r for r in rows}
base, mid = by[1.0], by[0.7]
print(f"lambda 1.0 (ranker order): {base['topics in the top 10']} topics, expected CTR {base['expected CTR of the list']}")
print(f"lambda 0.7: {mid['topics in the top 10']} topics ({mid['topics in the top 10'] / base['topics in the top 10']:.1f}x), "
      f"CTR {mid['expected CTR of the list']} ({mid['expected CTR of the list'] / base['expected CTR of the list'] - 1:+.1%})")
# The claims on the page, for the settings above.
if (K, CANDIDATES, USERS, LAMBDAS) == (10, 40, 20, [1.0, 0.8, 0.7, 0.6, 0.5, 0.3]):
    ctrs = [r["expected CTR of the list"] for r in rows]
    diversity = [r["intra-list diversity"] for r in rows]
    assert all(a >= b for a, b in zip(ctrs, ctrs[1:]))            # less lambda, less relevance...
    assert all(a <= b for a, b in zip(diversity, diversity[1:]))  # ...and more diversity
    assert mid["topics in the top 10"] > 1.5 * base["topics in the top 10"]
    assert mid["expected CTR of the list"] > 0.9 * base["expected CTR of the list"]
