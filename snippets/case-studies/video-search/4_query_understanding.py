# Query understanding in front of the hybrid first stage: spelling correction against the
# query-log vocabulary of days 0-60, and synonym expansion (the other form of each concept word,
# at half weight, on the BM25 side). Each measured on the queries it targets and on all of them.
from casestudies import video_search as vs
from mlsd import show

test = vs.judged_queries("test")
variants = {"none": (False, False), "spelling": (True, False), "synonyms": (False, True),
            "both": (True, True)}
m = {name: vs.retrieval_metrics(test, "hybrid", spell, syn) for name, (spell, syn) in variants.items()}
show.table([{"query understanding": name, "typo R@50": round(r["typo"]["recall"], 3),
             "typo nDCG@10": round(r["typo"]["ndcg10"], 3),
             "paraphrase R@50": round(r["paraphrase"]["recall"], 3),
             "paraphrase nDCG@10": round(r["paraphrase"]["ndcg10"], 3),
             "name nDCG@10": round(r["name"]["ndcg10"], 3),
             "all R@50": round(r["all"]["recall"], 3), "all nDCG@10": round(r["all"]["ndcg10"], 3)}
            for name, r in m.items()], title="Hybrid first stage with query understanding (test window)")

vocab = vs.vocabulary()
for q in [q for q in test if q.kind == "typo"][:3]:
    print(f"{q.text!r} -> {vs.correct_spelling(q.text)!r}")
print(f"vocabulary: {len(vocab)} words seen at least 3 times in {sum(q.day < vs.SPLIT_DAY for q in vs.query_log()):,} searches")
print(f"expansion of 'vegan pasta': {vs.expand_synonyms('vegan pasta')}")

gain = lambda v, kind, key: m[v][kind][key] - m["none"][kind][key]
assert gain("spelling", "typo", "ndcg10") > 0.25 and gain("spelling", "typo", "recall") > 0.3, \
    "the page says spelling correction roughly doubles typo recall and nDCG@10"
assert gain("spelling", "all", "ndcg10") > 0.04, "the page says spelling is worth about +0.067 on all queries"
for kind in ("name", "keyword", "paraphrase"):
    assert m["spelling"][kind] == m["none"][kind], f"the page says correct words are left alone ({kind})"
assert gain("synonyms", "paraphrase", "recall") > 0.04, "the page says synonyms lift paraphrase recall@50"
assert 0.0 < gain("synonyms", "paraphrase", "ndcg10") < 0.05, "the page says synonyms move paraphrase nDCG@10 only a little"
assert abs(gain("synonyms", "all", "ndcg10")) < 0.02, "the page says synonyms are within noise on all queries"
assert abs(gain("synonyms", "name", "ndcg10")) < 0.03, "the page says synonyms move name queries only within noise"
assert m["both"]["all"]["recall"] > max(m["spelling"]["all"]["recall"], m["synonyms"]["all"]["recall"]), \
    "the page says both together give the best first-stage recall"
