# Concept drift: the inputs look exactly the same, but what they mean has changed.
# Ad categories keep their traffic share, but users' tastes for them shift.
# Input PSI stays near zero; only labelled outcomes reveal the problem.
# Label shift, for contrast: clicks become more common (P(y) moves) while clicked and unclicked
# impressions each look as before (P(x | y) fixed). Then P(x), a mix of the two, moves too.
import math
import random
from mlsd import metrics, monitoring, show

rng = random.Random(4)
CATS = 10
sigmoid = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
effect_before = [rng.gauss(0, 1.2) for _ in range(CATS)]
effect_after = effect_before[:]
rng.shuffle(effect_after)                     # tastes move: the same categories, new appeal

def impressions(n, effect):
    rows = []
    for _ in range(n):
        cat, quality = rng.randrange(CATS), rng.random()
        p = sigmoid(-3.5 + 1.0 * quality + effect[cat])
        rows.append((cat, quality, int(rng.random() < p)))
    return rows

def label_shift(n, keep_negative):
    """Same P(x | y), more clicks: keep every click and a share of the non-clicks."""
    rows = []
    while len(rows) < n:
        row = impressions(1, effect_before)[0]
        if row[2] == 1 or rng.random() < keep_negative:
            rows.append(row)
    return rows


train_period = impressions(6000, effect_before)
later = {"same world": impressions(6000, effect_before), "tastes changed": impressions(6000, effect_after),
         "label shift": label_shift(6000, keep_negative=0.2)}
model = lambda cat, quality: sigmoid(-3.5 + 1.0 * quality + effect_before[cat])  # the best model of the past  # noqa: E731

ref_quality = [q for _, q, _ in train_period]
ref_cats = [c for c, _, _ in train_period]
ref_pred = [model(c, q) for c, q, _ in train_period]
rows = []
for name, data in later.items():
    y = [label for _, _, label in data]
    pred = [model(c, q) for c, q, _ in data]
    rows.append({"period": name, "click rate": round(sum(y) / len(y), 3),
                 "mean prediction": round(sum(pred) / len(pred), 3),
                 "PSI quality": round(monitoring.psi(ref_quality, [q for _, q, _ in data]), 4),
                 "PSI category": round(monitoring.psi_categorical(ref_cats, [c for c, _, _ in data]), 4),
                 "PSI prediction": round(monitoring.psi(ref_pred, pred), 4),
                 "AUC": round(metrics.roc_auc(y, pred), 3),
                 "ECE": round(metrics.expected_calibration_error(y, pred), 4)})
show.table(rows, title="Input monitoring vs label-based monitoring")
same, changed, shifted = rows
print(f"concept drift: every input PSI stays below 0.1, yet AUC falls from {same['AUC']} to {changed['AUC']}")
print(f"label shift: the click rate goes from {same['click rate']} to {shifted['click rate']}; "
      f"PSI of category {shifted['PSI category']} (was {same['PSI category']}), "
      f"of prediction {shifted['PSI prediction']} (was {same['PSI prediction']}); "
      f"AUC {shifted['AUC']}, ECE {shifted['ECE']}")

for r in rows[:2]:
    assert r["PSI quality"] < 0.1 and r["PSI category"] < 0.1 and r["PSI prediction"] < 0.1
assert changed["AUC"] < same["AUC"] - 0.08            # the model got much worse...
assert changed["ECE"] > 3 * same["ECE"]               # ...and its probabilities are off
# Label shift shows in the inputs and, more, in the predictions; the ranking is intact.
# Here the features separate clicks weakly (AUC 0.74), so the input shift is real but small.
assert shifted["PSI category"] > 5 * same["PSI category"] and shifted["PSI quality"] > same["PSI quality"]
assert shifted["PSI prediction"] > 5 * same["PSI prediction"]
assert shifted["PSI prediction"] > max(shifted["PSI quality"], shifted["PSI category"])  # the score moves most
assert shifted["PSI category"] < 0.1 and shifted["PSI prediction"] < 0.1
assert abs(shifted["AUC"] - same["AUC"]) < 0.03       # P(x | y) unchanged: the ranking holds
assert shifted["ECE"] > 10 * same["ECE"]              # the probabilities are far off
assert shifted["click rate"] > 3 * shifted["mean prediction"]
assert same["mean prediction"] < shifted["mean prediction"] < 2 * same["mean prediction"]  # rises, but little
