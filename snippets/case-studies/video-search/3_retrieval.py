# First stage on the judged test queries (days 60-80): BM25 over three weighted fields, the
# dense stand-in, and both fused with reciprocal rank fusion (RRF). Recall@50 counts the videos
# judged relevant (grade >= 2) among the 50 handed to the ranker; nDCG@10 scores the order.
# No query understanding yet (cell 4 adds it).
from casestudies import video_search as vs
from mlsd import show

test = vs.judged_queries("test")
m = {method: vs.retrieval_metrics(test, method) for method in vs.METHODS}
rows = []
for kind in vs.KINDS + ("all",):
    row = {"query kind": kind, "queries": m["bm25"][kind]["n"]}
    for method in vs.METHODS:
        row[f"{method} R@50"] = round(m[method][kind]["recall"], 3)
    for method in vs.METHODS:
        row[f"{method} nDCG@10"] = round(m[method][kind]["ndcg10"], 3)
    rows.append(row)
show.table(rows, title="First stage by query kind (test window)")
show.bar_chart([f"{kind} · {method}" for kind in ("name", "paraphrase") for method in vs.METHODS],
               [round(m[method][kind]["ndcg10"], 3) for kind in ("name", "paraphrase") for method in vs.METHODS],
               y_title="nDCG@10", title="Names need exact words; paraphrases need meaning")

cat = vs.catalog()
wrong = [q for q in test if q.kind == "name" and cat[vs.retrieve(q.text, "dense", q.day, k=1)[0]].name != q.name]
q = wrong[0]
top = cat[vs.retrieve(q.text, "dense", q.day, k=1)[0]]
print(f"{q.text!r}: the dense stand-in's first video is {top.title!r}, about {top.name!r}, "
      f"another name of the same topic")
print(f"name queries whose first dense result has another name: {len(wrong)} of {m['dense']['name']['n']}")

nd = {method: {kind: m[method][kind]["ndcg10"] for kind in m[method]} for method in vs.METHODS}
assert nd["bm25"]["name"] > nd["dense"]["name"] + 0.5          # names: exact words win
assert nd["dense"]["paraphrase"] > nd["bm25"]["paraphrase"] + 0.15   # paraphrases: meaning wins
assert m["hybrid"]["all"]["recall"] > max(m["bm25"]["all"]["recall"], m["dense"]["all"]["recall"])
assert nd["hybrid"]["all"] > max(nd["bm25"]["all"], nd["dense"]["all"])   # best overall, by a little
assert nd["hybrid"]["name"] < nd["bm25"]["name"] and nd["hybrid"]["paraphrase"] < nd["dense"]["paraphrase"]
assert nd["hybrid"]["all"] - nd["bm25"]["all"] < 0.05
for kind in vs.KINDS:                   # fusion is never the worst of the three, on either metric
    for key in ("recall", "ndcg10"):
        assert m["hybrid"][kind][key] > min(m[x][kind][key] for x in ("bm25", "dense")), \
            f"the page says fusion is never the worst; it is on {kind} {key}"
assert max(nd[x]["typo"] for x in vs.METHODS) < 0.5, "the page says typos defeat all three (nDCG@10 < 0.5)"
