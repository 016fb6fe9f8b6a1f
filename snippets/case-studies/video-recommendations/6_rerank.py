# Re-ranking for variety: maximal marginal relevance (MMR) builds the feed slot
# by slot, taking the candidate with the best
#   LAMBDA * relevance - (1 - LAMBDA) * (max similarity to the videos above it)
# relevance = the ranker's click probability over the best one's; similarity =
# cosine of the item tower's embeddings. LAMBDA = 1 is the ranker's own top 10.
# Expected clicks per visit use the world's true click probabilities.
import math

from mlsd import show
from casestudies import video_recommendations as video

data = video.world()
users = video.test_users()[:40]
ranked = {u: video.rank_candidates(u, video.candidates(u)) for u in users}

rows = []
for lam in (1.0, 0.85, video.MMR_LAMBDA, 0.5):
    clicks = topics = similarity = 0.0
    for u in users:
        feed = [i for i, _ in video.mmr(ranked[u], video.FEED_SIZE, lam)]
        clicks += video.visit_outcome(u, feed)[0]
        topics += len({data.items[i].category for i in feed})
        vecs = [video.item_vectors()[i] for i in feed]
        pairs = [(a, b) for n, a in enumerate(vecs) for b in vecs[n + 1:]]
        similarity += math.fsum(math.fsum(x * y for x, y in zip(a, b)) for a, b in pairs) / len(pairs)
    n = len(users)
    rows.append({"lambda": lam, "expected clicks per visit": round(clicks / n, 4),
                 "topics per feed": round(topics / n, 2),
                 "mean similarity in the feed": round(similarity / n, 3)})
show.table(rows, title=f"MMR over the ranker's {video.MMR_POOL} candidates, {len(users)} viewers")

by = {r["lambda"]: r for r in rows}
top, used = by[1.0], by[video.MMR_LAMBDA]
print(f"lambda {video.MMR_LAMBDA} (the system's setting): {used['topics per feed'] / top['topics per feed'] - 1:+.0%} "
      f"topics per feed, {used['expected clicks per visit'] / top['expected clicks per visit'] - 1:+.1%} expected clicks")

sims = [r["mean similarity in the feed"] for r in rows]
assert sims == sorted(sims, reverse=True)                       # lower lambda, more varied feeds
assert used["topics per feed"] >= 1.4 * top["topics per feed"]  # the setting adds about half as many topics again...
assert used["expected clicks per visit"] > 1.01 * top["expected clicks per visit"]   # ...and a few % more clicks here
assert by[0.5]["expected clicks per visit"] < top["expected clicks per visit"]       # too far costs clicks
