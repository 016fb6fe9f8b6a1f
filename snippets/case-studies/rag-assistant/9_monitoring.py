# Monitoring without labels. On day 75 a new plan ("nova") launches; its page sits in a space the
# indexer does not crawl. Employees ask about it at once. No one files a bug: the assistant just
# says "I don't know" more often. The daily decline rate needs no labels and catches it.
from casestudies import rag_assistant as rag
from mlsd import experiments, show

qs = [q for q in rag.launch_queries() if q.day >= 45.0]
results = [(q, rag.answer(q, check=True, threshold=0.0)) for q in qs]
days = list(range(45, rag.WORLD["days"]))
declined = []
for d in days:
    today = [r for q, r in results if int(q.day) == d]
    declined.append(round(sum(r["abstained"] for r in today) / len(today), 3))
show.line_chart(days, {"share of questions declined": declined}, x_title="day",
                y_title="share declined", title="Daily decline rate")

ref = [r for q, r in results if q.day < rag.DEV_END]                            # days 45-60
ref_declined = sum(r["abstained"] for r in ref)
weeks = [(60, 67), (67, 74), (74, 81), (81, 88)]
rows = []
for lo, hi in weeks:
    window = [(q, r) for q, r in results if lo <= q.day < hi]
    n_declined = sum(r["abstained"] for _, r in window)
    test = experiments.proportion_test(ref_declined, len(ref), n_declined, len(window))
    rows.append({"days": f"{lo}-{hi}", "questions": len(window),
                 "declined": round(n_declined / len(window), 3),
                 "p-value vs days 45-60": round(test["p_value"], 4),
                 "new plan questions": sum(q.kind == "launch" for q, _ in window)})
show.table(rows, title="Weekly monitoring against days 45-60")
before = [r["abstained"] for q, r in results if q.day < rag.LAUNCH_DAY]
print(f"declined on days 45-60: {ref_declined / len(ref):.0%}")
print(f"declined before the launch: {sum(before) / len(before):.0%}; "
      f"weeks after: {rows[-2]['declined']:.0%}, {rows[-1]['declined']:.0%}")
top = {}
for q, r in results:
    if q.day >= rag.LAUNCH_DAY and r["abstained"]:
        word = next((t for t in rag.tokenize(q.text) if t in rag.PLANS + (rag.LAUNCH_PLAN,)), None)
        if word:
            top[word] = top.get(word, 0) + 1
print("most declined plan in questions since the launch:", max(top, key=top.get))

# The alarm fires at p < 0.01, not 0.05: a weekly test on many topics at 0.05 raises false
# alarms. The decline rate is the sharp signal: no alarm before the launch, an alarm after it.
ALARM_P = 0.01
assert all(r["p-value vs days 45-60"] > ALARM_P for r in rows[:2]), "a false alarm before the launch"
assert all(r["p-value vs days 45-60"] < ALARM_P for r in rows[-2:]), "the launch gap was missed"
assert rows[-1]["declined"] > 1.5 * ref_declined / len(ref), "the last week should decline far more"
# Reading what was declined points at the cause: questions about a page the index lacks.
assert max(top, key=top.get) == rag.LAUNCH_PLAN
