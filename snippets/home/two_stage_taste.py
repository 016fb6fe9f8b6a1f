# A taste of the handbook: why recommenders retrieve before they rank.
# Scoring every item is exact but does work proportional to the catalogue.
# An IVF index scores only the few clusters nearest the query.
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex, IVFIndex, ann_recall

data = make_ann_dataset(n=2_000, n_queries=40, d=16, n_clusters=16, seed=7)
exact = ExactIndex().build(data.vectors)
ivf = IVFIndex(nlist=32, nprobe=4).build(data.vectors)

truth = [exact.search(q, k=10) for q in data.queries]
exact_work = exact.distance_computations / len(data.queries)
found = [ivf.search(q, k=10) for q in data.queries]
ivf_work = ivf.distance_computations / len(data.queries)

recall = ann_recall(found, truth, k=10)
print(f"exact search: {exact_work:,.0f} dot products per query, recall@10 = 1.00")
print(f"IVF (32 lists, probe 4): {ivf_work:,.0f} dot products per query, recall@10 = {recall:.2f}")
print(f"IVF does {exact_work / ivf_work:.1f}x less work and keeps {recall:.0%} of the true top 10")

assert recall >= 0.80 and exact_work / ivf_work >= 3
