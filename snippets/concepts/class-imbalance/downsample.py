# Negative downsampling, then recalibration.
# Keep every click and a share w of the non-clicks, train logistic regression,
# and score the untouched test period. The raw model over-predicts; the
# correction q = p / (p + (1 - p) / w) undoes it.
import math
import random

from mlsd import metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, make_clicks
from mlsd.ranking import LogisticRegression, OneHotEncoder

RATES = [1.0, 0.5, 0.2, 0.1, 0.05, 0.01, 0.005]   # w: the share of negatives kept

log = make_clicks(n=6000, base_ctr=0.05)  # rows are in time order
cut = 4000                                # train on the first 4,000, test on the last 2,000
records = log.records()
encoder = OneHotEncoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES).fit(records[:cut])
X_train, X_test = encoder.transform(records[:cut]), encoder.transform(records[cut:])
y_train, y_test = log.labels[:cut], log.labels[cut:]
observed = sum(y_test) / len(y_test)

rng = random.Random(0)
draw = [rng.random() for _ in range(cut)]     # the same draws for every w: nested samples
rows = []
for w in RATES:
    keep = [i for i, y in enumerate(y_train) if y == 1 or draw[i] < w]
    model = LogisticRegression(learning_rate=0.02, epochs=3).fit([X_train[i] for i in keep], [y_train[i] for i in keep])
    p = model.predict_proba(X_test)
    q = [pi / (pi + (1 - pi) / w) for pi in p]             # back to the real base rate
    rows.append({"w": w, "training rows": len(keep), "negatives kept": len(keep) - sum(y_train[i] for i in keep),
                 "ROC-AUC": round(metrics.roc_auc(y_test, p), 4),
                 "log loss, raw": round(metrics.log_loss(y_test, p), 4),
                 "log loss, recalibrated": round(metrics.log_loss(y_test, q), 4),
                 "mean prediction, raw": round(math.fsum(p) / len(p), 4),
                 "mean prediction, recalibrated": round(math.fsum(q) / len(q), 4),
                 "clicks in training": round(sum(y_train[i] for i in keep) / len(keep), 4)})
show.table(rows, title=f"Downsampled negatives; the test period's click rate is {observed:.4f}")
show.line_chart([r["w"] for r in rows], {"raw": [r["log loss, raw"] for r in rows],
                                         "recalibrated": [r["log loss, recalibrated"] for r in rows]},
                x_title="w, share of negatives kept", y_title="test log loss",
                title="Downsampling without recalibration ruins log loss")

full, tenth = rows[0], rows[RATES.index(0.1)]
b = sum(y_train) / len(y_train)
expected = b / (b + (1 - b) * 0.1)          # the click rate after keeping 10 % of negatives
print(f"w = 0.1 keeps {tenth['training rows']} of {cut} rows ({tenth['training rows'] / cut:.0%}); "
      f"clicks are {tenth['clicks in training']:.1%} of them (formula: {expected:.1%})")
print(f"mean prediction on the test period: raw {tenth['mean prediction, raw']}, "
      f"recalibrated {tenth['mean prediction, recalibrated']}, observed {observed:.4f}")
print(f"ROC-AUC {full['ROC-AUC']} with all rows, {tenth['ROC-AUC']} with w = 0.1")
# Where it breaks: the smallest w keeps fewer negatives than positives.
last = rows[-1]
print(f"w = {last['w']} keeps {last['negatives kept']} negatives for {sum(y_train)} positives: ROC-AUC "
      f"{last['ROC-AUC']}, recalibrated log loss {last['log loss, recalibrated']} (all rows: {full['log loss, raw']})")

# Class weights: counting every positive C times (here by repeating it) instead of dropping negatives.
C = 10
heavy = [i for i in range(cut) for _ in range(C if y_train[i] else 1)]
rng_order = random.Random(1)
rng_order.shuffle(heavy)
p = LogisticRegression(learning_rate=0.02, epochs=3).fit([X_train[i] for i in heavy],
                                                         [y_train[i] for i in heavy]).predict_proba(X_test)
q = [pi / (pi + (1 - pi) * C) for pi in p]                   # the same correction with w = 1 / C
weighted = {"rows": len(heavy), "raw": math.fsum(p) / len(p), "recalibrated": math.fsum(q) / len(q),
            "log loss": metrics.log_loss(y_test, q)}
print(f"class weight {C} on positives: {weighted['rows']} training rows (more, not fewer); mean prediction raw "
      f"{weighted['raw']:.4f}, recalibrated with w = 1/{C} {weighted['recalibrated']:.4f}, "
      f"log loss {weighted['log loss']:.4f}")
# The claims on the page (relations, so they hold when you change the settings above).
assert abs(tenth["ROC-AUC"] - full["ROC-AUC"]) < 0.03                            # ranking survives
assert tenth["log loss, raw"] > 2 * full["log loss, raw"]                         # probabilities do not
assert abs(tenth["clicks in training"] - expected) < 0.03
raw = [r["log loss, raw"] for r in rows]
assert raw == sorted(raw)                                                         # climbs as w falls
fine = [r for r in rows if r["negatives kept"] > sum(y_train)]                    # enough negatives left
assert all(abs(r["log loss, recalibrated"] - full["log loss, raw"]) < 0.05 * full["log loss, raw"] for r in fine)
assert tenth["mean prediction, raw"] > 4 * observed
assert abs(tenth["mean prediction, recalibrated"] - observed) < 0.3 * observed
assert last["negatives kept"] < sum(y_train)                                      # too few negatives...
assert last["ROC-AUC"] < full["ROC-AUC"] - 0.01 and last["log loss, recalibrated"] > full["log loss, raw"]  # ...breaks
assert weighted["raw"] > 4 * observed and abs(weighted["recalibrated"] - observed) < 0.3 * observed
assert weighted["rows"] > cut                                                     # no compute saved
