# A simulated online test on the test week: panoramas alternate between the incumbent (two-stage
# v1 at its 98 % threshold) and the candidate (v2 at the threshold that blurs as many boxes per
# panorama as v1 did on the choosing window: the same over-blur, spent on recall). Misses are
# counted by an exhaustive human audit of each arm's panoramas; user reports are too rare to count.
import random

from casestudies import image_privacy_blurring as ipb
from mlsd import show
from mlsd.experiments import ab_test, power

choose, test = ipb.window(0, ipb.VALID_END), ipb.window(ipb.VALID_END, ipb.TEST_END)
t1 = ipb.recall_threshold("two-stage", choose, 0.98)


def boxes_per_pano(kind, panos, t):
    dets = ipb.detections(kind)
    return sum(b[2] >= t for p in panos for b in dets[p.id]) / len(panos)


budget = boxes_per_pano("two-stage", choose, t1)
scores = sorted((b[2] for p in choose for b in ipb.detections("v2")[p.id]), reverse=True)
t2 = scores[round(budget * len(choose)) - 1]          # v2 blurs the same number of boxes per panorama
report_rate = 0.01                                    # a viewer reports an unblurred face or plate (assumed)
rng = random.Random(5)
arms = {"A: two-stage v1": ("two-stage", t1, test[0::2]), "B: v2, same blur budget": ("v2", t2, test[1::2])}
rows, res = [], {}
for name, (kind, t, panos) in arms.items():
    sc = ipb.object_scores(kind)
    objects = sum(len(p.objects) for p in panos)
    miss = sum(sc[(p.id, j)] < t for p in panos for j in range(len(p.objects)))
    reports = sum(rng.random() < report_rate for _ in range(miss))
    res[name] = (miss, objects)
    rows.append({"arm": name, "threshold": round(t, 3), "panoramas": len(panos), "objects": objects,
                 "missed (audit)": miss, "miss rate": round(miss / objects, 4), "user reports": reports,
                 "blurred boxes / panorama": round(boxes_per_pano(kind, panos, t), 2)})
show.table(rows, title="Test week, panoramas split into two arms")
(ma, na), (mb, nb) = res.values()
test_result = ab_test.proportion_test(ma, na, mb, nb)
need = power.sample_size_proportions(ma / na, mb / nb / (ma / na) - 1)
need_20 = power.sample_size_proportions(ma / na, -0.2)     # a smaller, more usual gain
per_pano = (na + nb) / len(test)
# Not an A/B split: each detector on every panorama of the week, to separate the model from the arm split.
whole = {k: sum(ipb.object_scores(k)[(p.id, j)] < t for p in test for j in range(len(p.objects)))
         for k, t in (("two-stage", t1), ("v2", t2))}
print(f"miss rate {ma / na:.2%} -> {mb / nb:.2%} ({test_result['lift']:+.0%}); 95 % interval of the difference "
      f"{test_result['ci_low']:+.2%} to {test_result['ci_high']:+.2%}; p = {test_result['p_value']:.2f}")
print(f"80 % power needs {need:,} objects per arm (about {need / per_pano:,.0f} audited panoramas) for this change, "
      f"{need_20:,} (about {need_20 / per_pano:,.0f} panoramas) for a 20 % cut")
print(f"each detector on all {len(test)} panoramas: v1 misses {whole['two-stage']}, v2 misses {whole['v2']}")

assert mb < ma and whole["v2"] < whole["two-stage"] / 2, "v2 misses fewer objects at the same blur budget"
assert test_result["lift"] < -0.3, "the page quotes a cut in the miss rate of over 30 %"
assert test_result["significant"] and test_result["ci_high"] < 0, "the interval excludes zero"
assert need < na and need_20 > 10 * need, "this gain fits in the week's audit; a 20 % cut needs over ten times more"
assert sum(r["user reports"] for r in rows) <= 2, "user reports are too few to measure misses"
assert abs(rows[0]["blurred boxes / panorama"] - rows[1]["blurred boxes / panorama"]) < 0.5, "same over-blur"
