# A simulated online test on days 14-21. Posts are split by ID into two arms of equal size,
# each with half of the review capacity (75 posts a day). Control: the incumbent, late fusion
# with a queue by probability. Treatment: early fusion with a queue by expected harm.
# The metric: severity-weighted views of harmful posts the arm's reviewers removed, per day.
import math

from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
early, late = hc.detector("early"), hc.late_fusion()
rows, diffs = [], []
for day in range(int(hc.TRAIN_END), int(hc.TEST_END)):
    idx = hc.window(day, day + 1)
    arm = {"control": [i for i in idx if i % 2 == 0], "treatment": [i for i in idx if i % 2 == 1]}
    got = {}
    for name, posts in arm.items():
        p = late(posts) if name == "control" else early.proba(posts)
        q = hc.review_queue(posts, p, 75, "probability" if name == "control" else "harm")
        got[name] = sum(w.views[i] * hc.SEVERITY[hc.CLASSES[w.label[i]]] for i in q if w.label[i] >= 0)
    rows.append({"day": day, "control": round(got["control"]), "treatment": round(got["treatment"])})
    diffs.append(got["treatment"] - got["control"])
show.table(rows, title="Harm prevented per day and arm (severity x views removed)")
n = len(diffs)
mean = sum(diffs) / n
sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
half = 2.447 * sd / math.sqrt(n)                     # t quantile, 6 degrees of freedom
total = {k: sum(r[k] for r in rows) for k in ("control", "treatment")}
days_needed = math.ceil(((1.96 + 0.84) * sd / mean) ** 2)   # paired test, 80 % power
print(f"treatment - control per day: {mean:,.0f} (95 % CI {mean - half:,.0f} to {mean + half:,.0f}); "
      f"total {total['control']:,} -> {total['treatment']:,}")
print(f"days of this slice a paired test needs to detect this gap with 80 % power: {days_needed}")
platform = 3e9 / hc.WORLD["posts_per_day"]            # cell 1's 3 billion posts a day
print(f"the platform has {platform:,.0f} times this slice's posts a day")

assert total["treatment"] > 1.3 * total["control"], f"the treatment should lead by 30 % or more: {total}"
assert mean - half < 0 < mean, "the direction should favour the treatment with an interval that includes zero"
assert days_needed > n, f"a week of this slice should be too short, needed {days_needed} days"
