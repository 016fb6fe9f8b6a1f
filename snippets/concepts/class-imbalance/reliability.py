# Calibration after downsampling: the reliability diagram of three models on the test period.
import math
import random

from mlsd import charts, metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, make_clicks
from mlsd.ranking import LogisticRegression, OneHotEncoder

W = 0.1                                   # share of negatives kept
BINS = 8                                  # equal-count bins of the prediction

log = make_clicks(n=6000, base_ctr=0.05)
cut = 4000
encoder = OneHotEncoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES)
X_train, X_test = encoder.fit_split(log.records(), cut)
y_train, y_test = log.labels[:cut], log.labels[cut:]

rng = random.Random(0)
draw = [rng.random() for _ in range(cut)]
keep = [i for i, y in enumerate(y_train) if y == 1 or draw[i] < W]
full = LogisticRegression(learning_rate=0.02, epochs=3).fit(X_train, y_train).predict_proba(X_test)
raw = LogisticRegression(learning_rate=0.02, epochs=3).fit([X_train[i] for i in keep],
                                                [y_train[i] for i in keep]).predict_proba(X_test)
fixed = [p / (p + (1 - p) / W) for p in raw]

points = [{"model": name, "predicted": round(b["mean_predicted"], 4), "observed": round(b["fraction_positive"], 4)}
          for name, pred in (("all negatives", full), ("downsampled, raw", raw), ("downsampled, fixed", fixed))
          for b in metrics.calibration_bins(y_test, pred, n_bins=BINS, strategy="quantile")]
show.chart(charts.reliability_diagram(points, top=0.2, height=260),
           title="Reliability diagram (dashed: perfect calibration)")

rows = []
for name, pred in (("all negatives", full), (f"w = {W}, raw", raw), (f"w = {W}, recalibrated", fixed)):
    rows.append({"model": name, "ECE": round(metrics.expected_calibration_error(y_test, pred, n_bins=50), 4),
                 "predicted / observed clicks": round(math.fsum(pred) / sum(y_test), 2)})
show.table(rows, title="Calibration on the test period")
ece = {r["model"]: r["ECE"] for r in rows}
ratio = {r["model"]: r["predicted / observed clicks"] for r in rows}
print(f"raw model predicts {ratio[f'w = {W}, raw']}x the clicks that happened; recalibrated "
      f"{ratio[f'w = {W}, recalibrated']}x; trained on everything {ratio['all negatives']}x")
# The claims on the page.
if W == 0.1:
    assert ratio[f"w = {W}, raw"] > 4
    assert abs(ratio[f"w = {W}, recalibrated"] - 1) < 0.2 and abs(ratio["all negatives"] - 1) < 0.2
    assert ece[f"w = {W}, recalibrated"] < ece[f"w = {W}, raw"] / 5
