# New listings arrive every day. Append them to the cells clustered on day 30, or re-cluster?
# Recall is measured against exact search over what the index holds that day.
import math

from casestudies import visual_search as vs
from mlsd import retrieval, show

cat, q = vs.catalogue(), vs.queries()
stored = [list(v) for v in vs.catalogue_vectors()]
qv = vs.projection().project(q.x)
first = {}
for i in range(len(cat)):
    first.setdefault(cat.product[i], cat.day[i])
old_cats = vs.WORLD["n_categories"] - vs.WORLD["new_categories"]

base = [i for i in range(len(cat)) if cat.day[i] < vs.REBUILD_DAY]
nlist0 = round(math.sqrt(len(base)))
live = retrieval.IVFIndex(nlist=nlist0, nprobe=4, n_iter=8, seed=0).build(
    [stored[i] for i in base], ids=base)


def exact_top10(queries, ids):
    sub = [stored[i] for i in ids]
    return [[(ids[j], s) for j, s in vs.rank(v, sub, 10)] for v in queries]


def measure(index, queries, exact, nprobe=4):
    index.reset_counter()
    found = [index.search(v, 10, nprobe=nprobe) for v in queries]
    return retrieval.ann_recall(found, exact, 10), index.distance_computations / len(queries)


rows = []
for day in (45, 60):
    new = [i for i in range(len(cat)) if vs.REBUILD_DAY <= cat.day[i] < day and i not in set(live.ids)]
    vs.append(live, [stored[i] for i in new], new)
    ids = list(live.ids)
    qs = [v for v, p in zip(qv, q.product) if first[p] < day]
    fresh = retrieval.IVFIndex(nlist=round(math.sqrt(len(ids))), nprobe=4, n_iter=8, seed=0).build(
        [stored[i] for i in ids], ids=ids)
    exact = exact_top10(qs, ids)
    for name, index in (("append to day-30 cells", live), ("re-cluster", fresh)):
        recall, work = measure(index, qs, exact)
        rows.append({"day": day, "listings": len(ids), "index": name, "cells": index.nlist,
                     "largest cell": max(index.list_sizes()), "recall@10 (nprobe 4)": round(recall, 3),
                     "similarities per query": round(work)})
show.table(rows, title=f"Index built on day {vs.REBUILD_DAY:g} with {len(base)} listings, then growing")

# At the same work per query as the re-clustered index, what recall does the live index get?
new_cat = [k for k, p in enumerate(q.product) if cat.category[p] >= old_cats]
new_cat_q, new_cat_exact = [qv[k] for k in new_cat], [exact[k] for k in new_cat]
rows2 = []
for name, index, nprobe in (("append, nprobe 4", live, 4), ("append, nprobe 3", live, 3),
                            ("re-cluster, nprobe 4", fresh, 4)):
    r_all, w_all = measure(index, qv, exact, nprobe)
    r_new, _ = measure(index, new_cat_q, new_cat_exact, nprobe)
    rows2.append({"index on day 60": name, "similarities per query": round(w_all),
                  "recall@10, all photos": round(r_all, 3),
                  "recall@10, new categories": round(r_new, 3)})
show.table(rows2, title=f"Day 60: {len(new_cat_q)} of {len(qv)} photos are of the three new categories")

last_append, last_fresh = rows[-2], rows[-1]
a4, a3, f4 = rows2
assert last_append["largest cell"] > last_fresh["largest cell"]             # cells grow unbalanced
assert last_append["similarities per query"] > 1.25 * last_fresh["similarities per query"]
assert abs(last_append["recall@10 (nprobe 4)"] - last_fresh["recall@10 (nprobe 4)"]) < 0.03
assert a3["similarities per query"] >= f4["similarities per query"]      # more work ...
assert a3["recall@10, all photos"] < f4["recall@10, all photos"] - 0.03      # ... and less recall
print(f"append: {last_append['similarities per query'] / last_fresh['similarities per query'] - 1:.0%} "
      f"more work per query on day 60 for the same recall")
