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
share = {k: v / total for k, v in hits.items()}
fof = share["friends of friends"]
# of what a second source finds on its own, the share friends of friends had found already
overlap = {name: (share[name] - (share[f"friends of friends + {short}"] - fof)) / share[name]
           for name, short in (("profile match", "profile match"), ("embedding neighbours", "embedding"))}
show.table([{"candidate source (50 from each)": k, "new friendships found": round(v, 3),
             "... already found by friends of friends": round(overlap[k], 2) if k in overlap else None}
            for k, v in share.items()],
           title=f"{len(new_users)} users with at most 5 friends: {total} friendships after day 315")
print(f"the embedding search scanned {scanned:,} users; an index (HNSW, IVF) avoids the scan at scale")

# The page's claims: as a ranking feature the embedding is within noise ...
assert abs(gain) < half, f"page: the embedding feature is within noise, got {gain:+.3f} ± {half:.3f}"
# ... two hops miss a third or more of new users' next friends ...
assert fof < 0.67, f"page: friends of friends miss a third or more of new users' friends, found {fof:.3f}"
# ... on its own the embedding finds at least as many as the explicit rule ...
emb, rule = share["embedding neighbours"], share["profile match"]
assert emb >= rule, f"page: the embedding alone finds at least as many as the rule, got {emb:.3f} < {rule:.3f}"
# ... but more of its finds are friends of friends already (it looks at the user's friends) ...
assert overlap["embedding neighbours"] > overlap["profile match"], f"page: the embedding overlaps more, got {overlap}"
# ... so added to friends of friends, either second source adds over 10 points
for second in ("profile match", "embedding"):
    added = share[f"friends of friends + {second}"] - fof
    assert added > 0.1, f"page: {second} adds over 10 points to friends of friends, added {added:+.3f}"
