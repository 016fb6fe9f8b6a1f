# Offline evaluation on the test window: where does the listing the guest finally booked rank
# among the similar listings of each listing the guest clicked? The incumbent is a content-only
# similarity (distance, price, room type, capacity) with weights tuned on the training window.
import math
import statistics

from casestudies import similar_listings as system
from mlsd import show

items = system.listings()
train, test = system.split()
vectors = system.embeddings()
popularity = {}
for s in train:
    for c in s.clicks:
        popularity[c] = popularity.get(c, 0) + 1
scorers = {
    "most clicked in the market": lambda q, cands: [popularity.get(c, 0) for c in cands],
    "content similarity (tuned)": system.content_scorer(),
    "listing vectors (skip-gram)": system.embedding_scorer(vectors),
}
rows, booked = [], {}
for name, scorer in scorers.items():
    ranks = system.booked_ranks(scorer)
    nxt = system.next_click_ranks(scorer, every=4)
    booked[name] = ranks
    rows.append({"similarity": name, "booked: hit rate@10": round(sum(r <= 10 for r in ranks) / len(ranks), 3),
                 "booked: mean rank": round(statistics.fmean(ranks), 1),
                 "booked: MRR": round(sum(1 / r for r in ranks) / len(ranks), 3),
                 "next click: hit rate@10": round(sum(r <= 10 for r in nxt) / len(nxt), 3)})
show.table(rows, title=f"{len(ranks)} (click, booked) queries; about 55 live listings per market")

# What the vectors know that the content does not: the hidden style of the top-10 neighbours.
def style_gap(scorer, k=10):
    gaps = []
    for q in sorted(system.trained_ids())[::4]:
        cands = [c for c in system.market_members()[items[q].market] if items[c].created < 0 and c != q]
        top = [c for _, c in sorted(zip(scorer(q, cands), cands), key=lambda t: -t[0])[:k]]
        gaps += [abs(math.remainder(items[q].style - items[c].style, 2 * math.pi)) for c in top]
    return statistics.fmean(gaps)


gap_content = style_gap(scorers["content similarity (tuned)"])
gap_vectors = style_gap(scorers["listing vectors (skip-gram)"])
gap_market = style_gap(lambda q, cands: [0.0] * len(cands), k=10 ** 6)   # every listing of the market
print(f"content weights (distance, price, type, capacity): {system.content_weights()}")
print(f"mean style gap to the top-10 neighbours: content {gap_content:.2f} rad, "
      f"vectors {gap_vectors:.2f} rad (any two listings of a market: {gap_market:.2f})")

pop, content, emb = rows
assert emb["booked: hit rate@10"] > content["booked: hit rate@10"] + 0.03, \
    "the page says the listing vectors beat the tuned content similarity on booked listings"
assert emb["next click: hit rate@10"] > content["next click: hit rate@10"] + 0.08, \
    "the page says the vectors win by over 0.08 on the next click"
assert content["booked: hit rate@10"] > pop["booked: hit rate@10"], \
    "the page says the content similarity beats the most-clicked listings"
assert emb["booked: mean rank"] < content["booked: mean rank"], "the page says the mean rank falls"
assert gap_vectors < gap_content - 0.3 and gap_content > gap_market - 0.3, \
    "the page says content neighbours are nearly as far in style as any two listings of a market, vectors' much closer"

