# Chunking: how to cut documents for retrieval. Every strategy gets the same budget of about 512
# words in the prompt (k = 512 / size chunks) and the same first stage (hybrid BM25 + dense,
# no re-ranker yet). Tuned on dev questions (days 0-60), never on the test window.
from casestudies import rag_assistant as rag
from mlsd import show

BUDGET = 512
dev = [q for q in rag.queries() if q.day < rag.DEV_END and q.fact is not None][::2]
facts = rag.corpus().facts
rows = {}
for strategy, size, overlap in (("fixed", 64, 0), ("fixed", 64, 16), ("fixed", 128, 0),
                                ("fixed", 128, 32), ("sentences", 64, 0), ("sentences", 128, 0)):
    idx = rag.index(size, overlap, strategy)
    whole = {sid for ch in idx.chunks for sid in ch.whole}
    cut = sum(1 for f in facts
              if not any(sid[0] == f.doc and rag.corpus().sentences[f.doc][sid[1]].fact == f.id
                         for sid in whole)) / len(facts)
    k = BUDGET // size
    m = rag.retrieval_metrics(idx, dev, "hybrid", k=k)
    rows[(strategy, size, overlap)] = {
        "strategy": strategy, "size": size, "overlap": overlap, "chunks": len(idx.chunks),
        "answers cut by a boundary": round(cut, 3), "k": k,
        "answer recall@k": round(m["recall"], 3), "words sent": round(m["words"])}
show.table(list(rows.values()), title=f"Chunking at a budget of {BUDGET} words "
                                      f"({len(dev)} dev questions)")

fixed64, overlap64 = rows[("fixed", 64, 0)], rows[("fixed", 64, 16)]
fixed128, overlap128 = rows[("fixed", 128, 0)], rows[("fixed", 128, 32)]
sent64, sent128 = rows[("sentences", 64, 0)], rows[("sentences", 128, 0)]
print(f"fixed 64-word windows cut {fixed64['answers cut by a boundary']:.0%} of the answers; "
      f"sentence packing cuts none")
print(f"at the same budget, 64-word sentence chunks find {sent64['answer recall@k']:.0%} "
      f"of answers, 128-word ones {sent128['answer recall@k']:.0%}")

# Fixed windows cut answers in two; overlap or sentence boundaries repair it.
assert fixed64["answers cut by a boundary"] > 0.1 and fixed128["answers cut by a boundary"] > 0.05
assert overlap64["answers cut by a boundary"] == 0 == sent64["answers cut by a boundary"]
assert overlap64["answer recall@k"] > fixed64["answer recall@k"] + 0.05
assert overlap128["answer recall@k"] > fixed128["answer recall@k"], "overlap repairs 128-word cuts"
# Overlap costs index size; sentence packing gets the same recall without it.
assert overlap64["chunks"] > sent64["chunks"]
assert abs(sent64["answer recall@k"] - overlap64["answer recall@k"]) < 0.05
# At a fixed budget, more smaller chunks beat fewer larger ones.
assert sent64["answer recall@k"] > sent128["answer recall@k"] + 0.04
