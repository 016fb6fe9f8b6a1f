# The serving path for one query, timed stage by stage over the test queries, with the work each
# stage did: spelling correction and synonyms, BM25 over the three fields, the dense stand-in,
# fusion, features for the 50 candidates, and the pairwise ranker.

from casestudies import video_search as vs
from mlsd import serving, show

model = vs.pairwise_ranker()
name = next(v.name for v in vs.catalog() if v.name and v.topic == "gaming")
for text in ("vegan psta", f"{name} boss", "noodles sweets"):
    out = vs.serve(text, day=70.0, model=model)
    titles = [vs.catalog()[d].title for d in out["results"][:2]]
    print(f"{text!r} -> {out['query']!r}: {titles}")

test = vs.judged_queries("test")
times = {stage: [] for stage in vs.SERVE_STAGES}
work = {"postings read": [], "vector entries read": [], "candidates scored": []}
for q in test:
    out = vs.serve(q.text, day=q.day, model=model)
    for stage, ms in out["ms"].items():
        times[stage].append(ms)
    for key in work:
        work[key].append(out["work"][key])
rows = serving.stage_table(times, digits=3)
show.table(rows, title=f"⏱ {len(test)} test queries, in-process", varies=True)

n = len(vs.catalog())
mean = {k: sum(v) / len(v) for k, v in work.items()}
show.table([
    {"quantity": "videos in the toy catalogue", "value": n},
    {"quantity": "BM25 postings read per query", "value": round(mean["postings read"])},
    {"quantity": "dense vector entries read per query", "value": round(mean["vector entries read"])},
    {"quantity": "candidates scored by the ranker", "value": round(mean["candidates scored"])},
], title="Work per query")

assert mean["postings read"] < n / 2, "the page says BM25 reads only its words' postings, not the catalogue"
assert mean["vector entries read"] < n / 2, "the sparse stand-in reads a fraction; real vectors need ANN"
assert all(c == 50 for c in work["candidates scored"]), "the page says the ranker scores exactly 50"
assert vs.serve("vegan psta", day=70.0, model=model)["query"] == "vegan pasta", "the typo should be corrected"
