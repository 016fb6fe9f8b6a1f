# Phase 3, the third curveball: half the reviewers are gone next quarter. The case study's queue
# (days 14-21, what automatic removal left) at its 0.1 % capacity, 15 reviews a day of the
# slice, and at a little under half of it, 7 a day. Harm prevented = severity x views of the
# harmful posts the reviewers confirm. Three orderings: the largest class probability, probability x
# severity (the case study's stronger incumbent) and expected harm (x predicted reach). One seed of the case study's world; the case study reports
# how the gain varies across seeds.
from mlsd import show
from casestudies import harmful_content as hc

FULL, HALF = 15, 7
w = hc.world()
det = hc.detector("early")
th = hc.thresholds()
days = []
for day in range(int(hc.TRAIN_END), int(hc.TEST_END)):
    idx = hc.window(day, day + 1)
    p = det.proba(idx)
    left = [j for j in range(len(idx)) if not any(p[c][j] >= th[c].get("remove", 2.0) for c in hc.CLASSES)]
    days.append(([idx[j] for j in left], {c: [p[c][j] for j in left] for c in hc.CLASSES}))

result, rows = {}, []
for capacity in (FULL, HALF):
    for rank_by in ("probability", "severity", "harm"):
        found = [i for idx, p in days for i in hc.review_queue(idx, p, capacity, rank_by) if w.label[i] >= 0]
        harm = sum(w.views[i] * hc.SEVERITY[hc.CLASSES[w.label[i]]] for i in found)
        by_class = {c: sum(w.label[i] == k for i in found) for k, c in enumerate(hc.CLASSES)}
        result[capacity, rank_by] = (harm, by_class)
        rows.append({"reviews a day": capacity, "queue ordered by": rank_by, "harmful found": len(found),
                     **by_class, "harm prevented": round(harm)})
show.table(rows, title="Review queue over days 14-21, full and half capacity")

kept = result[HALF, "harm"][0] / result[FULL, "harm"][0]
against_old = result[HALF, "harm"][0] / result[FULL, "probability"][0]
print(f"half the reviewers, queue by expected harm: {kept:.0%} of the harm prevented at full capacity")
print(f"half the reviewers by expected harm against all of them by probability: {against_old:.2f}x")
# The stronger incumbent (the case study's): a queue ordered by probability x severity, no reach.
against_sev = result[HALF, "harm"][0] / result[FULL, "severity"][0]
print(f"half the reviewers by expected harm against all of them by severity: {against_sev:.2f}x")
lost = {c: result[FULL, "harm"][1][c] - result[HALF, "harm"][1][c] for c in hc.CLASSES}
print("confirmed posts given up, by class: " + ", ".join(f"{c} {n}" for c, n in lost.items()))

assert round(result[FULL, "harm"][0]) == 62_605, "the transcript quotes the case study's 62,605 at 15 reviews a day"
assert 0.75 < kept < 0.82, "the transcript says half the reviewers keep about four fifths of the harm prevented"
assert round(against_old, 1) == 1.6, "the transcript says the half-staffed queue by harm prevents 1.6x the full queue by probability"
assert 0.9 < against_sev < 1.0, \
    "the critique says against a full queue ordered by severity the half-staffed queue falls a little short"
assert sum(lost.values()) == 16 and lost["nudity"] == 8 == max(lost.values()), \
    "the transcript says nudity is 8 of the 16 confirmed posts given up, the largest share"
