# A taste of the handbook: why recommenders retrieve before they rank.
# Scoring every item is exact but does work proportional to the catalogue.
# An IVF index scores only the `nprobe` clusters nearest the query.
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex, IVFIndex, ann_recall
from mlsd import show

NPROBES = [1, 2, 4, 8]   # edit me: clusters scanned per query, out of 32

data = make_ann_dataset(n=2_000, n_queries=40, d=16, n_clusters=16, seed=7)
exact = ExactIndex().build(data.vectors)
truth = [exact.search(q, k=10) for q in data.queries]
exact_work = exact.distance_computations / len(data.queries)

rows = []
ivf = IVFIndex(nlist=32).build(data.vectors)   # clustered once; nprobe is chosen per search
for nprobe in NPROBES:
    counted = ivf.distance_computations
    found = [ivf.search(q, k=10, nprobe=nprobe) for q in data.queries]
    work = (ivf.distance_computations - counted) / len(data.queries)
    rows.append({"nprobe": nprobe, "dot products per query": round(work),
                 "share of exact work": f"{work / exact_work:.0%}",
                 "recall@10": round(ann_recall(found, truth, k=10), 2)})

print(f"exact search: {exact_work:,.0f} dot products per query, recall@10 = 1.00")
show.table(rows, title="IVF with 32 lists: scan more clusters, find more of the true top 10")

# The trade-off the page describes: more clusters scanned, more work and no lower recall.
for a, b in zip(rows, rows[1:]):
    if b["nprobe"] > a["nprobe"]:
        assert b["dot products per query"] >= a["dot products per query"]
        assert b["recall@10"] >= a["recall@10"]

# Diminishing returns: each doubling of nprobe gains less recall than the previous doubling.
gains = [b["recall@10"] - a["recall@10"] for a, b in zip(rows, rows[1:])
         if b["nprobe"] == 2 * a["nprobe"]]
assert all(later <= earlier for earlier, later in zip(gains, gains[1:]))
