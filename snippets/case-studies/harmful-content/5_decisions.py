# Thresholds per class on days 14-21, then a review queue with a fixed daily capacity.
# Spam and nudity: automatic removal where precision stays >= 90 % (mistakes are cheap to undo
# on appeal). Hate and violence (the most severe): send to review at the threshold that keeps
# recall >= 80 %, and report the precision that costs.
from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
det = hc.detector("early")
test = hc.window(hc.TRAIN_END, hc.TEST_END)
wt = [w.weight[i] for i in test]
proba = det.proba(test)
stream = sum(wt)
rows = []
for c, op in hc.thresholds().items():
    action = "remove" if "remove" in op else "review"
    flagged = sum(x for x, p in zip(wt, proba[c]) if p >= op[action])
    rows.append({"class": c, "rule": "remove at precision >= 90 %" if action == "remove"
                 else "review at recall >= 80 %", "threshold": round(op[action], 4),
                 "precision": round(op["precision"], 3), "recall": round(op["recall"], 3),
                 "flagged per million posts": round(1e6 * flagged / stream)})
show.table(rows, title="Operating points, days 14-21")

# The queue: a fixed number of the day's posts, ranked by probability or by expected harm
# (probability x severity x predicted reach). Harm prevented = severity x views of the harmful
# posts reviewed (and removed) that day. 15 posts is 0.1 % of the slice's day.
days = [hc.window(day, day + 1) for day in range(int(hc.TRAIN_END), int(hc.TEST_END))]
scored = [(idx, det.proba(idx)) for idx in days]
queue = []
for capacity in (15, 50, 150):
    row = {"reviews a day": capacity}
    for rank_by in ("probability", "harm"):
        n = harm = 0
        for idx, p in scored:
            bad = [i for i in hc.review_queue(idx, p, capacity, rank_by) if w.label[i] >= 0]
            n += len(bad)
            harm += sum(w.views[i] * hc.SEVERITY[hc.CLASSES[w.label[i]]] for i in bad)
        row[f"harmful reviewed, by {rank_by}"] = n
        row[f"harm prevented, by {rank_by}"] = round(harm)
    row["ratio"] = round(row["harm prevented, by harm"] / row["harm prevented, by probability"], 2)
    queue.append(row)
show.table(queue, title="Review queue over days 14-21: what each ordering prevents")
mix = {}
for rank_by in ("probability", "harm"):                 # what 15 reviews a day confirm, by class
    got = [w.label[i] for idx, p in scored for i in hc.review_queue(idx, p, 15, rank_by)]
    mix[rank_by] = {c: got.count(k) for k, c in enumerate(hc.CLASSES)}
    print(f"15 reviews a day, by {rank_by}: " + ", ".join(f"{c} {n}" for c, n in mix[rank_by].items()))

assert rows[0]["precision"] >= 0.9 and rows[1]["precision"] >= 0.9
assert all(r["recall"] >= 0.8 for r in rows[2:])
assert rows[3]["precision"] < 0.5           # high recall on a rare class costs precision
assert all(q["ratio"] > 1.1 for q in queue)                # expected harm always wins ...
assert queue[0]["ratio"] > 3 and queue[0]["ratio"] > queue[-1]["ratio"]   # ... most when scarce
assert all(q["harmful reviewed, by harm"] <= q["harmful reviewed, by probability"] for q in queue)
assert mix["probability"]["spam"] > mix["harm"]["spam"]                  # probability picks spam
assert mix["harm"]["hate"] + mix["harm"]["violence"] > mix["probability"]["hate"] + mix["probability"]["violence"]
