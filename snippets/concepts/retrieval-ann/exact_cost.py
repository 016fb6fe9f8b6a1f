# Exact k-NN costs one similarity per stored vector, for every query.
# Measure it here, then scale it to a real catalogue with the arithmetic below.
import time

from mlsd import show
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex

SIZES = [125, 250, 500, 1000]
data = make_ann_dataset(n=1000, n_queries=20, d=32, n_clusters=32, spread=1.0, seed=0)
rows = []
for n in SIZES:
    index = ExactIndex().build(data.vectors[:n])
    start = time.perf_counter()
    for q in data.queries:
        index.search(q, 10)
    ms = 1000 * (time.perf_counter() - start) / len(data.queries)
    rows.append({"vectors": n, "similarities per query": index.distance_computations // len(data.queries),
                 "ms per query ⏱": round(ms, 3)})
show.table(rows, title="Exact search: work and time grow with the corpus", varies=True)
assert all(r["similarities per query"] == r["vectors"] for r in rows)
us_per_similarity = 1000 * rows[-1]["ms per query ⏱"] / rows[-1]["vectors"]
print(f"{show.VARIES} here one similarity (d=32) costs {us_per_similarity:.2f} µs")

# Back of the envelope for a real catalogue (assumptions, change them):
ITEMS = 100_000_000      # items to retrieve from
D = 128                  # embedding size
QPS = 1_000              # retrieval requests per second
MADDS_PER_CORE = 10e9    # multiply-adds per second per core: an optimistic round number for SIMD code
per_query = ITEMS * D
print(f"exact: {per_query / 1e9:.1f} billion multiply-adds per query, "
      f"{per_query / MADDS_PER_CORE * 1000:.0f} ms on one core, "
      f"{per_query * QPS / MADDS_PER_CORE:,.0f} cores busy at {QPS:,} QPS")
# IVF work: nlist centroids + the vectors in nprobe cells, about nlist + n * nprobe / nlist.
NLIST, NPROBE = 65_536, 32
ivf = NLIST + ITEMS * NPROBE / NLIST
print(f"IVF (nlist={NLIST:,}, nprobe={NPROBE}): {ivf:,.0f} similarities per query, "
      f"{ITEMS / ivf:,.0f}x less than exact, {ivf * D / MADDS_PER_CORE * 1000:.1f} ms on one core")
assert per_query / MADDS_PER_CORE * 1000 == 1280 and 800 < ITEMS / ivf < 900
