# The request path for one camera photo, timed stage by stage over the test window's photos,
# with the work each stage does counted (similarities computed), which does not vary by machine.
import math

from casestudies import visual_search as vs
from mlsd import serving, show

cat, q = vs.catalogue(), vs.queries()
model, stored, index = vs.projection(), vs.catalogue_vectors(), vs.catalogue_index()
times = {stage: [] for stage in vs.SERVE_STAGES}
work = {"ANN search": [], "dedup": []}
out_of_stock_dropped, repeats = 0, 0
for x in q.x:
    out = vs.serve(x, model, index, stored, k=10, candidates=40, nprobe=4, threshold=0.97,
                   in_stock=cat.in_stock)
    for stage, ms in out["ms"].items():
        times[stage].append(ms)
    for stage in work:
        work[stage].append(out["work"][stage])
    ids = [i for i, _ in out["results"]]
    repeats += len(ids) - len({cat.product[i] for i in ids})
    assert all(cat.in_stock[i] for i in ids)

total = [sum(ms) for ms in zip(*times.values())]
mean_total = math.fsum(total) / len(total)
rows = [{"stage": s, "p50 (ms)": round(serving.p50(v), 4), "p99 (ms)": round(serving.p99(v), 4),
         "share of the time": round(math.fsum(v) / len(v) / mean_total, 2)} for s, v in times.items()]
rows.append({"stage": "total", "p50 (ms)": round(serving.p50(total), 4),
             "p99 (ms)": round(serving.p99(total), 4), "share of the time": 1.0})
show.table(rows, title=f"⏱ {len(q)} camera photos, in-process", varies=True)

n = len(index)
ann = sum(work["ANN search"]) / len(q)
dd = sum(work["dedup"]) / len(q)
show.table([
    {"stage": "project (multiply-adds)", "work per photo": vs.PROJ_DIM * vs.DIM},
    {"stage": "ANN search (similarities)", "work per photo": round(ann)},
    {"stage": "dedup among 40 candidates (similarities)", "work per photo": round(dd)},
    {"stage": "exact search would compute", "work per photo": n},
], title="Counted work per photo")
# How IVF's work grows: nlist + n x nprobe / nlist similarities; with nlist ~ sqrt(n) and
# nprobe fixed, that is about (1 + nprobe) x sqrt(n): it grows like the square root of n.
grow = [{"listings": f"{m:,}", "exact": f"{m:,}",
         "IVF, nlist = sqrt(n), nprobe 4": f"{round(5 * math.sqrt(m)):,}"}
        for m in (n, 100_000, 10_000_000, 5_000_000_000)]
show.table(grow, title="Similarities per query as the index grows (formula)")
print(f"no product appears twice in any result list: {repeats == 0}")

assert repeats == 0
assert ann < 0.2 * n                                   # IVF scores under a fifth of the toy index
assert ann < dd < 40 * 39 / 2          # dedup at query time costs more than the search here
assert round(5 * math.sqrt(5e9), -3) == 354_000 and round(5e9 / (5 * math.sqrt(5e9)), -3) == 14_000
