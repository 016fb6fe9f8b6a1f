# Compressing embeddings: fewer bytes per vector, at some cost in recall@10 against exact
# float32 search. float16 halves the bytes; int8 (one scale per vector) quarters them;
# product quantization (PQ) keeps m codes per vector (here 16 centroids per sub-space, so
# 4 bits per code) and can re-score its best candidates with the exact vectors.
# 3,000 vectors of 32 dimensions, 20 queries.
import math
import struct
from mlsd import estimates, show
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex, PQIndex, evaluate_index

N, QUERIES, D, K = 3000, 20, 32, 10
PQ_CODES, CENTROIDS = 8, 16          # m codes per vector (m divides D), centroids per sub-space
RERANK = [30, 90]                    # candidates re-scored exactly after the PQ search (1 % and 3 %)
PQ_BYTES = PQ_CODES * math.log2(CENTROIDS) / 8     # 8 codes of 4 bits: 4 bytes

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
pq = PQIndex(m=PQ_CODES, n_centroids=CENTROIDS, n_iter=3).build(data.vectors)
rows.append({"storage": f"PQ{PQ_CODES}", "bytes per vector": PQ_BYTES, "recall@10": recall_of(pq)})
for r in RERANK:
    pq.rerank = r
    rows.append({"storage": f"PQ{PQ_CODES} + rescore {r}", "bytes per vector": PQ_BYTES + 4 * D,
                 "recall@10": recall_of(pq)})
show.scatter_chart(rows, x="bytes per vector", y="recall@10", color="storage", log_x=True,
                   title="Bytes per vector against recall@10")
show.table(rows, title=f"{N} vectors, {D} dimensions (re-scoring keeps the float32 vectors, e.g. on SSD)")

ITEMS, DIM = 100_000_000, 128
memory = [("float32", 4, 0), ("float16", 2, 0), ("int8 + scale", 1, 4),
          ("PQ, 32 one-byte codes", 32 / DIM, 0), ("PQ, 16 one-byte codes", 16 / DIM, 0)]
show.table([{"storage": name, "bytes per vector": round(DIM * bpv + extra),
             "100M vectors of 128 dimensions": estimates.embedding_memory(ITEMS, DIM, bpv, extra)["size"]}
            for name, bpv, extra in memory],
           title="The same choices at production scale (PQ with 256 centroids: one byte per code)")
rec = {r["storage"]: r["recall@10"] for r in rows}
pq_name = f"PQ{PQ_CODES}"
print(f"{pq_name}: {PQ_CODES} codes of {math.log2(CENTROIDS):.0f} bits = {PQ_BYTES:g} bytes per vector")
print(f"float16: recall {rec['float16']}; int8: {rec['int8 + scale']}; {pq_name}: {rec[pq_name]}, "
      + ", ".join(f"{rec[f'{pq_name} + rescore {r}']} after re-scoring {r} ({r / N:.0%} of the vectors)"
                  for r in RERANK))
blind = RERANK[-1] / N            # re-scoring that many vectors picked at random finds this share
print(f"re-scoring {RERANK[-1]} vectors picked at random would find {blind:.0%} of the true neighbours")
# The claims on the page, for the settings above.
assert rec["float16"] >= 0.99 and rec["int8 + scale"] >= 0.95
assert rec[pq_name] < 0.6                                         # PQ alone misses many neighbours
rescored = [rec[f"{pq_name} + rescore {r}"] for r in RERANK]
assert rescored == sorted(rescored)                               # more re-scoring, more recall
assert rescored[-1] >= 0.9 and rescored[-1] > 10 * blind          # a few % of the vectors, re-scored, suffice
