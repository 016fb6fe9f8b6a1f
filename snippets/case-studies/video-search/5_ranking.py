# Learning to rank on the 50 candidates of the full first stage (hybrid retrieval with query
# understanding). Training labels: judges' grades (0-3) on 160 queries of days 0-60. Test: the
# 160 judged queries of days 60-80. Four orders of the same candidates, by nDCG@10:
#   first stage  - the RRF order;  incumbent - RRF plus a hand-tuned popularity prior;
#   pointwise    - logistic regression on "grade >= 2", each candidate on its own;
#   pairwise     - linear RankNet on pairs of one query's candidates with different grades.
from casestudies import video_search as vs
from mlsd import show

test = vs.judged_queries("test")
models = vs.trained_rankers()
orders = {"first stage (RRF)": lambda q: vs.candidates(q),
          "incumbent (RRF + popularity)": lambda q: vs.incumbent_rank(q),
          "pointwise (logistic)": lambda q: vs.rank_with(models["pointwise"], q),
          "pairwise (RankNet)": lambda q: vs.rank_with(models["pairwise"], q)}
ndcg = {}
rows = []
for name, order in orders.items():
    per_kind = {}
    for q in test:
        per_kind.setdefault(q.kind, []).append(vs.ndcg10(order(q), q))
    every = [x for xs in per_kind.values() for x in xs]
    ndcg[name] = sum(every) / len(every)
    rows.append({"ranker": name, **{k: round(sum(v) / len(v), 3) for k, v in sorted(per_kind.items())},
                 "all": round(ndcg[name], 3)})
show.table(rows, title="nDCG@10 on the test window, same 50 candidates")
show.table([{"feature": f, "pairwise weight (standardised)": round(w, 2)}
            for f, w in zip(vs.FEATURE_NAMES, models["pairwise"].weights)],
           title="What the pairwise ranker learned")

strongest = max(ndcg["first stage (RRF)"], ndcg["incumbent (RRF + popularity)"])
pair, point = ndcg["pairwise (RankNet)"], ndcg["pointwise (logistic)"]
print(f"pairwise over the strongest first-stage order: +{pair - strongest:.3f} nDCG@10; "
      f"over pointwise: +{pair - point:.3f}")
assert pair - strongest > 0.03                # learning to rank beats the incumbent's order
assert pair - point > 0.03                    # the binary label throws away grade 3 against 2
assert abs(ndcg["incumbent (RRF + popularity)"] - ndcg["first stage (RRF)"]) < 0.03  # prior: noise
assert rows[1]["name"] < rows[0]["name"] - 0.05   # the prior lifts popular videos of other games
w = dict(zip(vs.FEATURE_NAMES, models["pairwise"].weights))
assert w["dense"] == max(w.values()) and w["like_rate"] > 0    # meaning first; quality counts
