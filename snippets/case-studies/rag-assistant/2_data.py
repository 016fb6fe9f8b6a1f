# The corpus and the questions. Documents are written from known facts, so every answer has a
# known sentence; some facts change value during the 90 days (a new version of the page).
# Questions of days 0-60 tune the system; days 60-90 test it.
from collections import Counter

from casestudies import rag_assistant as rag
from mlsd import show

c = rag.corpus()
rows = []
for family in ("travel", "leave", "runbook", "product", "notes"):
    docs = [d for d, f in enumerate(c.families) if f == family]
    facts = [f for f in c.facts if f.doc in docs]
    rows.append({"family": family, "documents": len(docs),
                 "words": sum(len(s.words) for d in docs for s in c.sentences[d]),
                 "facts": len(facts), "facts updated": sum(len(f.values) > 1 for f in facts)})
show.table(rows, title="The corpus")

qs = rag.queries()
dev = [q for q in qs if q.day < rag.DEV_END]
test = [q for q in qs if q.day >= rag.DEV_END]
table = []
for name, window in (("dev, days 0-60", dev), ("test, days 60-90", test)):
    kinds = Counter(q.kind for q in window)
    table.append({"window": name, "questions": len(window),
                  **{kind: kinds[kind] for kind in rag.KINDS}})
show.table(table, title="Questions by kind")
for q in test[:4]:
    print(f"day {q.day:5.2f}  {q.kind:<12}  {q.text}")

updated = [f for f in c.facts if len(f.values) > 1]
asked_after = sum(1 for q in test if q.fact is not None and len(c.facts[q.fact].values) > 1
                  and q.day >= c.facts[q.fact].values[1][0])
unanswerable = sum(q.fact is None for q in qs) / len(qs)
print(f"{c.n_words():,} words in {len(c.titles)} documents; {len(updated)} of {len(c.facts)} "
      f"facts change value; "
      f"{unanswerable:.0%} of questions have no answer in the corpus")
print(f"test questions asked after their fact changed: {asked_after}")

assert max(q.day for q in dev) < rag.DEV_END <= min(q.day for q in test)   # split by time
assert 0.12 < unanswerable < 0.18                     # about one question in seven
assert sum(r["facts"] for r in rows) == len(c.facts) and rows[-1]["facts"] == 0  # notes answer nothing
assert 0.08 < len(updated) / len(c.facts) < 0.2        # a minority of facts change in 90 days
assert asked_after > 10
