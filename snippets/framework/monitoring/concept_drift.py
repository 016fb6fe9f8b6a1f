# Concept drift: the inputs look exactly the same, but what they mean has changed.
# Ad categories keep their traffic share, but users' tastes for them shift.
# Input PSI stays near zero; only labelled outcomes reveal the problem.
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

train_period = impressions(6000, effect_before)
later = {"same world": impressions(6000, effect_before), "tastes changed": impressions(6000, effect_after)}
model = lambda cat, quality: sigmoid(-3.5 + 1.0 * quality + effect_before[cat])  # the best model of the past  # noqa: E731

ref_quality = [q for _, q, _ in train_period]
ref_cats = [c for c, _, _ in train_period]
ref_pred = [model(c, q) for c, q, _ in train_period]
rows = []
for name, data in later.items():
    y = [label for _, _, label in data]
    pred = [model(c, q) for c, q, _ in data]
    rows.append({"period": name,
                 "PSI quality": round(monitoring.psi(ref_quality, [q for _, q, _ in data]), 4),
                 "PSI category": round(monitoring.psi_categorical(ref_cats, [c for c, _, _ in data]), 4),
                 "PSI prediction": round(monitoring.psi(ref_pred, pred), 4),
                 "AUC": round(metrics.roc_auc(y, pred), 3),
                 "ECE": round(metrics.expected_calibration_error(y, pred), 4)})
show.table(rows, title="Input monitoring vs label-based monitoring")
same, changed = rows
print(f"every input PSI stays below 0.1, yet AUC falls from {same['AUC']} to {changed['AUC']}")

for r in rows:
    assert r["PSI quality"] < 0.1 and r["PSI category"] < 0.1 and r["PSI prediction"] < 0.1
assert changed["AUC"] < same["AUC"] - 0.08            # the model got much worse...
assert changed["ECE"] > 3 * same["ECE"]               # ...and its probabilities are off
