# The next step: describe each user by their friends. Mean-aggregate the listed school, workplace
# and city of each user and their friends (one hop, GraphSAGE's aggregator without learned
# weights), and compare users by the cosine of those vectors. Two uses: a ninth feature for the
# ranker, and a candidate source for new users, whom two hops barely reach.
import math
import statistics

from mlsd import show
from casestudies import people_you_may_know as pymk

plain = pymk.recall_per_user("gbdt")
with_emb = pymk.recall_per_user("gbdt+embedding")
d = [b - a for a, b in zip(plain, with_emb)]
gain, half = statistics.fmean(d), 1.96 * statistics.stdev(d) / math.sqrt(len(d))
print(f"recall@10: GBDT {statistics.fmean(plain):.3f}, GBDT + embedding cosine "
      f"{statistics.fmean(with_emb):.3f} ({gain:+.3f} ± {half:.3f})")

# New users: at most 5 friends on day 315, and a new friend after it.
w = pymk.world()
adj, order = pymk.graph_at(pymk.TEST_CUT)
emb = pymk.embeddings(pymk.TEST_CUT)
future = pymk.new_friendships(pymk.TEST_CUT, pymk.DAYS)
new_users = [u for u in sorted(future) if len(adj[u]) <= 5]
hits = {"friends of friends": 0, "profile match": 0, "embedding neighbours": 0,
        "friends of friends + profile match": 0, "friends of friends + embedding": 0}
total, scanned = 0, 0
for u in new_users:
    fof = set(pymk.candidates(adj, order, u))
    others = [c for c in range(w.n_users) if c != u and c not in adj[u]]
    scanned += len(others)
    # the explicit rule: same listed school, then workplace, then city; busiest people first
    match = set(sorted(others, key=lambda c: (
        -(w.listed_school[c] == w.listed_school[u] >= 0) - (w.listed_work[c] == w.listed_work[u] >= 0)
        - 0.5 * (w.city[c] == w.city[u]), -len(adj[c]), c))[:pymk.KEEP])
    near = set(sorted(others, key=lambda c: (-pymk.dot(emb[u], emb[c]), c))[:pymk.KEEP])
    for v in future[u]:
        total += 1
        for name, found in (("friends of friends", fof), ("profile match", match),
                            ("embedding neighbours", near), ("friends of friends + profile match", fof | match),
                            ("friends of friends + embedding", fof | near)):
            hits[name] += v in found
show.table([{"candidate source (50 from each)": k, "new friendships found": round(v / total, 3)}
            for k, v in hits.items()],
           title=f"{len(new_users)} users with at most 5 friends: {total} friendships after day 315")
print(f"the embedding search scanned {scanned:,} users; an index (HNSW, IVF) avoids the scan at scale")

share = {k: v / total for k, v in hits.items()}
se = math.sqrt(0.25 / total)          # the largest standard error of a share over these friendships
# The page's claims: as a ranking feature the embedding is within noise ...
assert abs(gain) < half
# ... two hops alone find little more than half of new users' new friends ...
assert share["friends of friends"] < 0.6
# ... a second source adds over 10 points, whichever one ...
for second in ("profile match", "embedding"):
    assert share[f"friends of friends + {second}"] > share["friends of friends"] + 0.1
# ... and on their own the embedding and the explicit rule are within two standard errors
assert abs(share["embedding neighbours"] - share["profile match"]) < 2 * se
