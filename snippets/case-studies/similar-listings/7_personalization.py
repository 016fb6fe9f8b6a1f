# Real-time session personalization: after each click, re-rank the market's search results by
# search score + 3 x (result's vector . mean vector of the listings clicked in this session).
# Offline replay on the test window: where does the guest's next click rank?
import statistics

from casestudies import similar_listings as system
from mlsd import show

ranks = system.personalization_ranks(every=3)
rows = [{"ranking": name, "next click: hit rate@10": round(sum(r <= 10 for r in rs) / len(rs), 3),
         "MRR": round(sum(1 / r for r in rs) / len(rs), 3), "mean rank": round(statistics.fmean(rs), 1)}
        for name, rs in ranks.items()]
show.table(rows, title=f"Search re-ranked by the session's clicks: {len(ranks['search']):,} clicks replayed")

# What it costs per search page, counted: vectors fetched, dot products, bytes. The mean of the
# clicked vectors is built first, so each result costs one dot product, whatever the clicks.
vectors = system.serving_vectors()
market = system.market_members()[0]
cost = []
for n_results in (50, 200, 1000):
    for n_clicks in (1, 5, 20):
        cands = [market[i % len(market)] for i in range(n_results)]
        clicked = [market[-1 - i % len(market)] for i in range(n_clicks)]
        _, work = system.rerank(cands, [0.0] * n_results, clicked, vectors)
        cost.append({"results": n_results, "clicks so far": n_clicks, **work,
                     "dot products, one per (result, click)": n_results * n_clicks})
show.table(cost, title=f"Work per search page ({system.DIM}-value float32 vectors)")

search, personal = rows
gain = personal["next click: hit rate@10"] - search["next click: hit rate@10"]
print(f"next click in the top 10: {search['next click: hit rate@10']:.3f} -> "
      f"{personal['next click: hit rate@10']:.3f} ({gain:+.3f})")
assert gain > 0.08 and personal["MRR"] > search["MRR"], \
    f"the page says re-ranking by the session lifts the next click's hit rate by over 0.08 ({gain:+.3f})"
big = [c for c in cost if c["results"] == 1000]
assert all(c["dots"] == 1000 for c in big), "the page says one dot product per result, whatever the clicks"
assert big[-1]["dot products, one per (result, click)"] == 20 * big[-1]["dots"], \
    "the page quotes 20,000 pair scores for 1,000 results and 20 clicks"
assert cost[0]["bytes"] == (50 + 1) * system.DIM * 4
assert all(9_000 < c["bytes"] < 11_000 for c in cost if c["results"] == 200), \
    "the page says about 10 kB per page of 200 results"
