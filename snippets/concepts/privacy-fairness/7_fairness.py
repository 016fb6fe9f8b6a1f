# Fairness on slices: one global threshold against per-group thresholds.
# The score is a calibrated probability that an applicant qualifies (y = 1). Group B is smaller,
# has a lower base rate, and its features say less, so its scores bunch near its base rate.
import math
import random

from mlsd import metrics, show
from mlsd.fairness import (decide, demographic_parity_difference, equal_opportunity_difference,
                           group_rates, threshold_for_tpr)

THRESHOLD = 0.5          # the global threshold
SHARE_B = 0.3

rng = random.Random(4)
scores, labels, groups = [], [], []
for _ in range(6000):
    g = "B" if rng.random() < SHARE_B else "A"
    z = rng.gauss(0, 1)
    logit = 0.3 + 1.8 * z if g == "A" else -0.6 + 0.9 * z      # B: lower base rate, weaker signal
    p = 1 / (1 + math.exp(-logit))
    scores.append(p)
    labels.append(int(rng.random() < p))                         # the score is calibrated in each group
    groups.append(g)


def report(name, thresholds):
    d = decide(scores, groups, thresholds)
    r = group_rates(labels, d, groups)
    return {"policy": name, "accuracy": round(sum(a == b for a, b in zip(d, labels)) / len(d), 4),
            "approved": sum(d),
            "selection A": round(r["A"]["selection rate"], 4), "selection B": round(r["B"]["selection rate"], 4),
            "TPR A": round(r["A"]["TPR"], 4), "TPR B": round(r["B"]["TPR"], 4),
            "FPR A": round(r["A"]["FPR"], 4), "FPR B": round(r["B"]["FPR"], 4),
            "precision A": round(r["A"]["precision"], 4), "precision B": round(r["B"]["precision"], 4),
            "parity gap": round(demographic_parity_difference(d, groups), 4),
            "TPR gap": round(equal_opportunity_difference(labels, d, groups), 4)}


base = group_rates(labels, [0] * len(labels), groups)
glob = report(f"one threshold {THRESHOLD}", THRESHOLD)
# Equal opportunity: each group's threshold gives it the TPR group A has under the global threshold.
target = glob["TPR A"]
per_group = {g: threshold_for_tpr([y for y, a in zip(labels, groups) if a == g],
                                  [s for s, a in zip(scores, groups) if a == g], target) for g in "AB"}
eo = report("equal TPR (per-group thresholds)", per_group)
show.table([glob, eo], title=f"Base rates: A {base['A']['base rate']:.2f}, B {base['B']['base rate']:.2f}; "
                             f"{len(labels):,} applicants, {SHARE_B:.0%} in group B")

# The trade-off: move group B's threshold from the global one down to the equal-TPR one.
steps = [round(THRESHOLD - i * (THRESHOLD - per_group["B"]) / 8, 4) for i in range(9)]
sweep = [report(f"B at {t}", {"A": THRESHOLD, "B": t}) for t in steps]
show.line_chart(steps, {"TPR gap": [r["TPR gap"] for r in sweep],
                        "precision gap": [round(r["precision A"] - r["precision B"], 4) for r in sweep],
                        "accuracy": [r["accuracy"] for r in sweep]},
                x_title="group B's threshold (A stays at the global one)", y_title="value",
                title="Closing the TPR gap costs accuracy and opens a precision gap")
ece = {g: metrics.expected_calibration_error([y for y, a in zip(labels, groups) if a == g],
                                            [p for p, a in zip(scores, groups) if a == g]) for g in "AB"}
print(f"expected calibration error within each group: A {ece['A']:.4f}, B {ece['B']:.4f}")
print(f"one threshold: TPR {glob['TPR A']} for A against {glob['TPR B']} for B (gap {glob['TPR gap']}), "
      f"accuracy {glob['accuracy']}")
print(f"per-group thresholds A {per_group['A']:.3f}, B {per_group['B']:.3f}: TPR gap {eo['TPR gap']}, "
      f"accuracy {eo['accuracy']}, precision A {eo['precision A']} against B {eo['precision B']}, "
      f"parity gap {eo['parity gap']}")
# Chouldechova's identity, FPR = p / (1 - p) * (1 - PPV) / PPV * TPR, holds in each group. At equal
# TPR, giving B the precision A has would force B's FPR to this value (p = B's base rate):
pB, ppv, tpr = base["B"]["base rate"], eo["precision A"], eo["TPR A"]
fpr_b_needed = pB / (1 - pB) * (1 - ppv) / ppv * tpr
print(f"equal TPR and equal precision would force B's FPR to {fpr_b_needed:.4f} against A's {eo['FPR A']}: "
      f"with base rates {base['A']['base rate']:.2f} and {pB:.2f}, equalized odds and predictive parity exclude each other")
assert fpr_b_needed < eo["FPR A"] - 0.05, "different base rates: equal TPR and precision force unequal FPR"
assert glob["TPR gap"] > 0.3, "one threshold on calibrated scores leaves a large TPR gap"
assert eo["TPR gap"] < 0.02, "per-group thresholds close the TPR gap"
assert eo["accuracy"] < glob["accuracy"], "equal opportunity costs accuracy against the global threshold"
assert eo["precision A"] - eo["precision B"] > 0.1, "equal TPR leaves unequal precision (predictive parity fails)"
assert eo["FPR B"] > eo["FPR A"], "and unequal false-positive rates (equalized odds fails)"
assert eo["selection B"] > glob["selection B"] + 0.2, "equal TPR approves far more of group B"
assert max(ece.values()) < 0.05, "the score is calibrated within each group (ECE under 0.05)"
gaps = [r["TPR gap"] for r in sweep]
assert gaps[0] == glob["TPR gap"] and gaps[-1] < 0.02, "the sweep runs from the global to the equal-TPR policy"
assert sweep[-1]["accuracy"] < sweep[0]["accuracy"], "along the sweep accuracy falls"
assert (sweep[-1]["precision A"] - sweep[-1]["precision B"]) > (sweep[0]["precision A"] - sweep[0]["precision B"]), \
    "and the precision gap widens"
