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
    return [[(ids[j], s) for j, s in found] for found in vs.rank_many(queries, sub, 10)]


def search_all(index, queries, nprobe=4):
    """Every query's top 10 from ``index``, and the similarities it computed per query."""
    index.reset_counter()
    found = vs.search_many(index, queries, 10, nprobe=nprobe)      # index.search for each query
    return found, index.distance_computations / len(queries)


rows, day60 = [], {}               # each index's day-60 searches, which the second table reuses
for day in (60,):                  # everything listed since the day-30 clustering
    new = [i for i in range(len(cat)) if vs.REBUILD_DAY <= cat.day[i] < day and i not in set(live.ids)]
    vs.append(live, [stored[i] for i in new], new)
    ids = list(live.ids)
    qs = [v for v, p in zip(qv, q.product) if first[p] < day]
    fresh = retrieval.IVFIndex(nlist=round(math.sqrt(len(ids))), nprobe=4, n_iter=8, seed=0).build(
        [stored[i] for i in ids], ids=ids)
    exact = exact_top10(qs, ids)
    for name, index in (("append to day-30 cells", live), ("re-cluster", fresh)):
        found, work = search_all(index, qs)
        if day == 60:              # every photo's product is listed by then: qs is all of qv
            assert len(qs) == len(qv)
            day60[index] = found, work
        rows.append({"day": day, "listings": len(ids), "index": name, "cells": index.nlist,
                     "largest cell": max(index.list_sizes()),
                     "recall@10 (nprobe 4)": round(retrieval.ann_recall(found, exact, 10), 3),
                     "similarities per query": round(work)})
show.table(rows, title=f"Index built on day {vs.REBUILD_DAY:g} with {len(base)} listings, then growing")

# Two things changed since day 30: the centroids are stale, and the same number of cells now
# holds almost three times the listings. Re-cluster with the old cell count to separate them.
same_cells = retrieval.IVFIndex(nlist=live.nlist, nprobe=4, n_iter=8, seed=0).build(
    [stored[i] for i in ids], ids=ids)
new_cat = [k for k, p in enumerate(q.product) if cat.category[p] >= old_cats]
new_cat_q, new_cat_exact = [qv[k] for k in new_cat], [exact[k] for k in new_cat]
rows2 = []
for name, index in ((f"append ({live.nlist} cells from day 30)", live),
                    (f"re-cluster, same {same_cells.nlist} cells", same_cells),
                    (f"re-cluster, {fresh.nlist} cells (about sqrt n)", fresh)):
    # the appended and the re-sized index were searched for the first table already
    found, w_all = day60[index] if index in day60 else search_all(index, qv)
    r_all = retrieval.ann_recall(found, exact, 10)
    r_new = retrieval.ann_recall([found[k] for k in new_cat], new_cat_exact, 10)
    sizes = index.list_sizes()
    rows2.append({"index on day 60 (nprobe 4)": name, "similarities per query": round(w_all),
                  "size-weighted mean cell": round(sum(c * c for c in sizes) / sum(sizes)),
                  "recall@10, all photos": round(r_all, 3),
                  "recall@10, new categories": round(r_new, 3)})
show.table(rows2, title=f"Day 60: {len(new_cat_q)} of {len(qv)} photos are of the three new categories")

last_append, last_fresh = rows[-2], rows[-1]
app, same, resized = rows2
work, recall, cell = ("similarities per query", "recall@10, all photos", "size-weighted mean cell")
extra = last_append["similarities per query"] / last_fresh["similarities per query"] - 1
assert extra > 0.25, f"append should cost over 25% more work than a re-sized index, got {extra:.0%}"
assert abs(last_append["recall@10 (nprobe 4)"] - last_fresh["recall@10 (nprobe 4)"]) < 0.03, \
    "append and the re-sized index should find about the same share of the exact top 10"
# Same cells, same work: the stale centroids cost recall, not balance.
assert abs(app[work] - same[work]) < 0.05 * same[work], "same cell count should mean the same work"
assert app[cell] < 1.1 * same[cell], "appended cells should be no more unbalanced than fresh ones"
assert app[recall] < same[recall] - 0.02, \
    f"stale centroids should cost recall at equal work: {app[recall]} vs {same[recall]}"
# The categories launched after day 30 are found as well as the rest by the appended index.
assert app["recall@10, new categories"] >= app[recall] - 0.03, \
    f"new categories should not suffer in the appended index: {app['recall@10, new categories']}"
# More cells, less work: what grows with the index is the size of each cell.
assert resized[work] < 0.8 * app[work], "re-sizing nlist to about sqrt(n) should cut the work"
print(f"append: {extra:.0%} more work per query on day 60 than a re-clustered index of "
      f"{fresh.nlist} cells; at the same {live.nlist} cells, re-clustering lifts recall from "
      f"{app[recall]} to {same[recall]}")
