# Product quantization: how many bytes per vector, and what it costs in recall.
# Each 32-dimensional float32 vector (128 bytes) becomes m one-byte codes. We use 16 centroids
# per sub-space because there are only 1,000 vectors; production PQ uses 256 (a full byte).
# ``rerank`` re-scores the best r candidates with the exact vectors.
from mlsd import show
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex, PQIndex, evaluate_index, memory_per_vector

N, QUERIES, K = 1000, 20, 10
SUBSPACES = [4, 8]              # m: bytes per vector
RERANK = [0, 20, 50, 100]

data = make_ann_dataset(n=N, n_queries=QUERIES, d=32, n_clusters=32, spread=1.0, seed=0)
exact = ExactIndex().build(data.vectors)
truth = [exact.search(q, K) for q in data.queries]
recall = {}
for m in SUBSPACES:
    index = PQIndex(m=m, n_centroids=16, n_iter=3).build(data.vectors)
    recall[m] = []
    for r in RERANK:
        index.rerank = r
        recall[m].append(round(evaluate_index(index, data.queries, K, exact=truth)["recall"], 3))
show.line_chart(RERANK, {f"m={m} ({m} bytes)": recall[m] for m in SUBSPACES},
                x_title="candidates re-scored exactly (rerank)", y_title="recall@10",
                title="More bytes per vector, or a re-scoring pass, buys back recall")
show.table([{"m (bytes per vector)": m, "compression vs float32": f"{128 // m}x",
             "recall@10, no rerank": recall[m][0], "recall@10, rerank 100": recall[m][RERANK.index(100)]}
            for m in SUBSPACES], title="Codes only vs codes + exact re-scoring")

# What this means at production scale: 100 million vectors of 128 dimensions.
ITEMS, D = 100_000_000, 128
rows = []
for name, kind, kw in [("exact (float32)", "exact", {}), ("IVF", "ivf", {}), ("HNSW, M=16", "hnsw", {"M": 16}),
                       ("PQ, m=16", "pq", {"m": 16}), ("PQ, m=64", "pq", {"m": 64})]:
    per = memory_per_vector(kind, D, **kw)
    rows.append({"index": name, "bytes per vector": round(per, 1), "total for 100M (GB)": round(per * ITEMS / 1e9, 1)})
show.table(rows, title=f"Memory for {ITEMS:,} vectors of dimension {D}")
gb = {r["index"]: r["total for 100M (GB)"] for r in rows}
print(f"float32: {gb['exact (float32)']} GB, HNSW: {gb['HNSW, M=16']} GB, PQ m=16: {gb['PQ, m=16']} GB")
# The claims on the page, for the settings above.
if (N, SUBSPACES, RERANK) == (1000, [4, 8], [0, 20, 50, 100]):
    assert recall[4][0] < recall[8][0] < 0.6                     # codes alone lose neighbours
    assert recall[8][RERANK.index(100)] >= 0.95                   # re-scoring 100 of 1,000 recovers them
    assert recall[4][RERANK.index(100)] > 0.9
    assert gb["exact (float32)"] == 51.2 and gb["PQ, m=16"] == 1.6 and gb["HNSW, M=16"] > 60
