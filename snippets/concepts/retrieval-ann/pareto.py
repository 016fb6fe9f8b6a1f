# Recall@10 against work for three ANN families on the same 1,000 vectors (d = 32).
# Work = similarities computed per query: the cost that does not depend on the machine.
# Each family sweeps its search-time knob: more knob, more work, higher recall.
from mlsd import show
from mlsd.data.recsys import make_ann_dataset
from mlsd.retrieval import ExactIndex, HNSWIndex, IVFIndex, LSHIndex, evaluate_index

N, QUERIES, K = 1000, 20, 10
data = make_ann_dataset(n=N, n_queries=QUERIES, d=32, n_clusters=32, spread=1.0, seed=0)
exact = ExactIndex().build(data.vectors)
truth = [exact.search(q, K) for q in data.queries]

families = [   # (name, index, knob, values to try)
    ("IVF", IVFIndex(nlist=32, n_iter=4, train_size=500), "nprobe", [1, 2, 4, 8]),
    ("HNSW", HNSWIndex(M=6, ef_construction=12), "ef", [10, 20, 40]),
    ("LSH", LSHIndex(n_bits=8, n_tables=6), "probes", [0, 2, 4, 8]),
]
points, timings, builds = [], [], []
for name, index, knob, values in families:
    index.build(data.vectors)
    builds.append({"index": name, "build work (similarities)": index.build_distance_computations,
                   "bytes per vector": round(index.bytes_per_vector(), 1)})
    for value in values:
        setattr(index, knob, value)
        r = evaluate_index(index, data.queries, K, exact=truth)
        points.append({"index": name, "setting": f"{knob}={value}", "recall@10": round(r["recall"], 3),
                       "work per query": round(r["distances_per_query"])})
        timings.append({"index": name, "setting": f"{knob}={value}", "ms per query ⏱": round(r["ms_per_query"], 2)})
points.append({"index": "exact", "setting": "-", "recall@10": 1.0, "work per query": N})
builds.append({"index": "exact", "build work (similarities)": 0, "bytes per vector": exact.bytes_per_vector()})


def on_front(p):       # no other point has at least its recall for at most its work
    return not any(q is not p and q["recall@10"] >= p["recall@10"] and q["work per query"] <= p["work per query"]
                   and (q["recall@10"], q["work per query"]) != (p["recall@10"], p["work per query"])
                   for q in points)


for p in points:
    p["Pareto front"] = "yes" if on_front(p) else ""
show.chart({
    "data": {"values": [{k: p[k] for k in ("index", "setting", "recall@10", "work per query")} for p in points]},
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "work per query", "type": "quantitative", "scale": {"type": "log"},
              "title": "similarities computed per query (log scale)"},
        "y": {"field": "recall@10", "type": "quantitative", "scale": {"zero": False}, "title": "recall@10"},
        "color": {"field": "index", "type": "nominal", "title": None},
        "order": {"field": "work per query", "type": "quantitative"},
        "tooltip": [{"field": "index"}, {"field": "setting"}, {"field": "recall@10"}, {"field": "work per query"}],
    },
    "width": "container", "height": 260,
}, title=f"Recall against work, {N:,} vectors (up and to the left is better)")
show.table(points, title="Every setting; 'yes' marks the Pareto front")
show.table(builds, title="Build work and memory (float32 vectors, int32 ids and links)")
show.table(timings, title="Time per query in this interpreter", varies=True)

at = {(p["index"], p["setting"]): p for p in points}
ivf, hnsw = at["IVF", "nprobe=8"], at["HNSW", "ef=20"]
for name, p in (("IVF nprobe=8", ivf), ("HNSW ef=20", hnsw)):
    print(f"{name}: recall@10 {p['recall@10']} with {p['work per query']} similarities "
          f"({N / p['work per query']:.1f}x less work than exact)")
lsh = [p for p in points if p["index"] == "LSH"]
print(f"LSH: best recall@10 {max(p['recall@10'] for p in lsh)}, on the Pareto front: "
      f"{any(p['Pareto front'] for p in lsh)}")
# The claims on the page, for the settings above.
if (N, QUERIES, K) == (1000, 20, 10):
    assert ivf["recall@10"] >= 0.95 and N / ivf["work per query"] > 3
    assert hnsw["recall@10"] >= 0.95 and N / hnsw["work per query"] > 6
    assert not any(p["Pareto front"] for p in lsh)          # clustered data favours IVF and HNSW
    b = {r["index"]: r for r in builds}
    assert b["HNSW"]["build work (similarities)"] > b["IVF"]["build work (similarities)"]
    assert b["HNSW"]["bytes per vector"] > b["IVF"]["bytes per vector"] > b["exact"]["bytes per vector"]
