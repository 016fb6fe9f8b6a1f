# A simulated online test on days 60-90. Employees are split at random into two arms. Control
# runs the incumbent (BM25 + re-ranker + grounding check); treatment swaps in hybrid retrieval
# (BM25 + dense, fused by RRF), the rest unchanged. Each question's outcome comes from the real
# pipeline; whether the employee marks it resolved is drawn with ASSUMED rates per outcome.
import random

from casestudies import rag_assistant as rag
from mlsd import experiments, show

RESOLVED = {"correct answer": 0.75, "declined, no answer exists": 0.45,
            "declined, answer existed": 0.30, "wrong answer": 0.20}
QUESTIONS = 24_000               # two weeks of a pilot group's questions

test = [q for q in rag.queries() if q.day >= rag.DEV_END]


def label(q, out):
    if out == "wrong":
        return "wrong answer"
    if out == "abstained":
        return "declined, answer existed"
    return "correct answer" if q.fact is not None else "declined, no answer exists"


arms = {"control: bm25": "bm25", "treatment: hybrid": "hybrid"}
outcomes = {name: [label(q, rag.answer(q, method=m, check=True)["outcome"]) for q in test]
            for name, m in arms.items()}
rng = random.Random(3)
treated = [rng.random() < 0.5 for _ in range(rag.WORLD["employees"])]
tally = {name: {"questions": 0, "resolved": 0, "wrong": 0} for name in arms}
for _ in range(QUESTIONS):
    i = rng.randrange(len(test))                    # a question like those of the test window
    user = rng.randrange(rag.WORLD["employees"])
    name = "treatment: hybrid" if treated[user] else "control: bm25"
    out = outcomes[name][i]
    t = tally[name]
    t["questions"] += 1
    t["resolved"] += rng.random() < RESOLVED[out]
    t["wrong"] += out == "wrong answer"
rows = [{"arm": name, "questions": t["questions"], "resolved rate": round(t["resolved"] / t["questions"], 4),
         "wrong-answer rate": round(t["wrong"] / t["questions"], 4)} for name, t in tally.items()]
show.table(rows, title="Simulated online test, days 60-90")

c, t = tally["control: bm25"], tally["treatment: hybrid"]
result = experiments.proportion_test(c["resolved"], c["questions"], t["resolved"], t["questions"])
need = experiments.sample_size_proportions(c["resolved"] / c["questions"], mde=0.02, relative=False)
print(f"resolved rate {result['rate_a']:.3f} -> {result['rate_b']:.3f} "
      f"({result['lift']:+.1%}, p = {result['p_value']:.2g})")
print(f"questions per arm to detect a 2-point change at 80% power: {need:,}")
per_question = {name: sum(o == "correct answer" for o in outs) / len(outs) for name, outs in outcomes.items()}

assert result["significant"] and result["diff"] > 0, "hybrid retrieval should resolve more"
assert 0.02 < result["diff"] < 0.08, f"a few points, not a miracle: got {result['diff']:+.3f}"
assert per_question["treatment: hybrid"] > per_question["control: bm25"]
assert rows[1]["wrong-answer rate"] <= rows[0]["wrong-answer rate"], "the guardrail got worse"
assert need < QUESTIONS / 2, f"{need:,} questions per arm needed; the test has {QUESTIONS // 2:,}"
