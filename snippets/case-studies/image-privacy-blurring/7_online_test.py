# A simulated online test on the test week: panoramas alternate between the incumbent (two-stage
# v1 at its 98 % threshold) and the candidate (v2 at the threshold that blurs as many boxes per
# panorama as v1 did on the choosing window: the same over-blur, spent on recall). Misses are
# counted by an exhaustive human audit of each arm's panoramas; user reports are too rare to count.
# The panorama is the unit of randomisation and its objects' misses are correlated (a crowd is
# missed together), so the test is on per-panorama ratios (delta method), not on objects.
import math
import random

from casestudies import image_privacy_blurring as ipb
from mlsd import show
from mlsd.experiments import ab_test, power, ratio

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
rows, res, units = [], {}, {}
for name, (kind, t, panos) in arms.items():
    sc = ipb.object_scores(kind)
    units[name] = ([sum(sc[(p.id, j)] < t for j in range(len(p.objects))) for p in panos],
                   [len(p.objects) for p in panos])   # per panorama: misses, objects
    objects, miss = sum(units[name][1]), sum(units[name][0])
    reports = sum(rng.random() < report_rate for _ in range(miss))
    res[name] = (miss, objects)
    rows.append({"arm": name, "threshold": round(t, 3), "panoramas": len(panos), "objects": objects,
                 "missed (audit)": miss, "miss rate": round(miss / objects, 4), "user reports": reports,
                 "blurred boxes / panorama": round(boxes_per_pano(kind, panos, t), 2)})
show.table(rows, title="Test week, panoramas split into two arms")
(ma, na), (mb, nb) = res.values()
naive = ab_test.proportion_test(ma, na, mb, nb)                    # as if objects were randomised
(xa, ya), (xb, yb) = units.values()
test_result = ratio.ratio_test(xa, ya, xb, yb)                      # panoramas are the units
naive_se = math.sqrt(ma / na * (1 - ma / na) / na + mb / nb * (1 - mb / nb) / nb)
deff = (test_result["se"] / naive_se) ** 2                          # variance inflation from clustering
need = math.ceil(deff * power.sample_size_proportions(ma / na, mb / nb / (ma / na) - 1))
need_20 = math.ceil(deff * power.sample_size_proportions(ma / na, -0.2))   # a smaller, more usual gain
per_pano = (na + nb) / len(test)
# Not an A/B split: each detector on every panorama of the week (a paired comparison on the same objects).
miss1 = {(p.id, j) for p in test for j in range(len(p.objects)) if ipb.object_scores("two-stage")[(p.id, j)] < t1}
miss2 = {(p.id, j) for p in test for j in range(len(p.objects)) if ipb.object_scores("v2")[(p.id, j)] < t2}
whole = {"two-stage": len(miss1), "v2": len(miss2)}
print(f"miss rate {ma / na:.2%} -> {mb / nb:.2%} ({test_result['lift']:+.0%}); 95 % interval of the difference, "
      f"panoramas as units: {test_result['ci_low']:+.2%} to {test_result['ci_high']:+.2%}, p = {test_result['p_value']:.3f} "
      f"(objects as units, wrongly: {naive['ci_low']:+.2%} to {naive['ci_high']:+.2%}, p = {naive['p_value']:.3f})")
print(f"design effect {deff:.2f}: 80 % power needs {need:,} objects per arm (about {need / per_pano:,.0f} audited "
      f"panoramas) for this change, {need_20:,} (about {need_20 / per_pano:,.0f} panoramas) for a 20 % cut")
print(f"each detector on all {len(test)} panoramas: v1 misses {whole['two-stage']}, v2 misses {whole['v2']}; "
      f"v2 finds {len(miss1 - miss2)} of v1's misses and misses {len(miss2 - miss1)} that v1 found")

assert mb < ma and whole["v2"] < whole["two-stage"] / 2, "v2 misses fewer objects at the same blur budget"
assert test_result["lift"] < -0.3, "the page quotes a cut in the miss rate of over 30 %"
assert test_result["significant"] and test_result["ci_high"] < 0, "the interval, panoramas as units, excludes zero"
assert test_result["ci_high"] - test_result["ci_low"] > naive["ci_high"] - naive["ci_low"] and deff > 1.2, \
    "objects of one panorama are correlated: the clustered interval is wider than the per-object one"
assert need / per_pano > len(test) // 2, "the plan asks for more panoramas per arm than the week's audit had"
assert need_20 > 10 * need, "a 20 % cut needs over ten times the audit of this one"
assert len(miss1 - miss2) > 3 * len(miss2 - miss1), "on the same objects, v2 fixes over three times the misses it adds"
assert sum(r["user reports"] for r in rows) <= 2, "user reports are too few to measure misses"
assert abs(rows[0]["blurred boxes / panorama"] - rows[1]["blurred boxes / panorama"]) < 0.5, "same over-blur"
