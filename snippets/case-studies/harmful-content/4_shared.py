# One multi-label model with a shared low-rank trunk against one independent model per class,
# on the same early-fusion inputs, days 0-14 -> 14-21.
from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
test = hc.window(hc.TRAIN_END, hc.TEST_END)
wt = [w.weight[i] for i in test]
shared, separate = hc.detector("early"), hc.detector("separate")
ps, pp = shared.proba(test), separate.proba(test)
rows = []
for k, c in enumerate(hc.CLASSES):
    y = [int(w.label[i] == k) for i in test]
    a, b = hc.weighted_ap(y, ps[c], wt), hc.weighted_ap(y, pp[c], wt)
    rows.append({"class": c, "train positives": sum(w.label[i] == k for i in hc.window(0.0, hc.TRAIN_END)),
                 "PR-AUC shared": round(a, 3), "PR-AUC separate": round(b, 3),
                 "difference": round(a - b, 3)})
show.table(rows, title="Shared trunk against one model per class")
width = len(hc.features(0))
m = shared.model
print(f"inputs: {width}; shared trunk: rank {m.rank} ({m.rank * width} weights) read by "
      f"{len(hc.CLASSES)} heads")

signs = {r["difference"] > 0 for r in rows}
assert signs == {True, False}, "neither design should win every class"
assert all(abs(r["difference"]) < 0.2 for r in rows), "gaps beyond 0.2 would be more than seed noise"
