# Compressing embeddings: fewer bytes per vector, at some cost in recall@10 against exact
# float32 search. float16 halves the bytes; int8 (one scale per vector) quarters them;
# product quantization (PQ) keeps m one-byte codes per vector and can re-score its best
# candidates with the exact vectors. Same 1,000 vectors of 32 dimensions, 20 queries.
import struct
from mlsd import estimates, show
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex, PQIndex, evaluate_index

N, QUERIES, D, K = 1000, 20, 32, 10
PQ_CODES = 8                         # m: bytes per vector for PQ (must divide D)
RERANK = [20, 100]                   # candidates re-scored exactly after the PQ search

data = make_ann_dataset(n=N, n_queries=QUERIES, d=D, n_clusters=32, spread=1.0, seed=0)
exact = ExactIndex().build(data.vectors)
truth = [exact.search(q, K) for q in data.queries]


def float16(v):
    return list(struct.unpack(f"<{len(v)}e", struct.pack(f"<{len(v)}e", *v)))


def int8(v):
    scale = max(abs(x) for x in v) / 127
    return [scale * round(x / scale) for x in v]


def recall_of(index):
    return round(evaluate_index(index, data.queries, K, exact=truth)["recall"], 3)


rows = [{"storage": "float32", "bytes per vector": 4 * D, "recall@10": 1.0},
        {"storage": "float16", "bytes per vector": 2 * D,
         "recall@10": recall_of(ExactIndex().build([float16(v) for v in data.vectors]))},
        {"storage": "int8 + scale", "bytes per vector": D + 4,
         "recall@10": recall_of(ExactIndex().build([int8(v) for v in data.vectors]))}]
pq = PQIndex(m=PQ_CODES, n_centroids=16, n_iter=3).build(data.vectors)
rows.append({"storage": f"PQ{PQ_CODES}", "bytes per vector": PQ_CODES, "recall@10": recall_of(pq)})
for r in RERANK:
    pq.rerank = r
    rows.append({"storage": f"PQ{PQ_CODES} + rescore {r}", "bytes per vector": PQ_CODES + 4 * D,
                 "recall@10": recall_of(pq)})
show.scatter_chart(rows, x="bytes per vector", y="recall@10", color="storage", log_x=True,
                   title="Bytes per vector against recall@10")
show.table(rows, title=f"{N} vectors, {D} dimensions (re-scoring keeps the float32 vectors, e.g. on SSD)")

ITEMS, DIM = 100_000_000, 128
memory = [("float32", 4, 0), ("float16", 2, 0), ("int8 + scale", 1, 4),
          ("PQ, 32 codes", 32 / DIM, 0), ("PQ, 16 codes", 16 / DIM, 0)]
show.table([{"storage": name, "bytes per vector": round(DIM * bpv + extra),
             "100M vectors of 128 dimensions": estimates.embedding_memory(ITEMS, DIM, bpv, extra)["size"]}
            for name, bpv, extra in memory], title="The same choices at production scale")
rec = {r["storage"]: r["recall@10"] for r in rows}
pq_name = f"PQ{PQ_CODES}"
print(f"float16: recall {rec['float16']}; int8: {rec['int8 + scale']}; {pq_name}: {rec[pq_name]}, "
      + ", ".join(f"{rec[f'{pq_name} + rescore {r}']} after re-scoring {r}" for r in RERANK))
# The claims on the page, for the settings above.
if (N, QUERIES, D, K, PQ_CODES, RERANK) == (1000, 20, 32, 10, 8, [20, 100]):
    assert rec["float16"] == 1.0 and rec["int8 + scale"] >= 0.95
    assert rec[pq_name] < 0.6
    assert rec[f"{pq_name} + rescore 20"] < rec[f"{pq_name} + rescore 100"]
    assert rec[f"{pq_name} + rescore 100"] >= 0.95
