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

DRAWS = 5                                 # which negatives are kept is random: repeat the draw
full = LogisticRegression(learning_rate=0.02, epochs=3).fit(X_train, y_train).predict_proba(X_test)
draws = []
for seed in range(DRAWS):
    rng = random.Random(seed)
    draw = [rng.random() for _ in range(cut)]
    keep = [i for i, y in enumerate(y_train) if y == 1 or draw[i] < W]
    raw = LogisticRegression(learning_rate=0.02, epochs=3).fit([X_train[i] for i in keep],
                                                    [y_train[i] for i in keep]).predict_proba(X_test)
    draws.append((raw, [p / (p + (1 - p) / W) for p in raw]))
raw, fixed = draws[0]                     # the diagram shows the first draw

points = [{"model": name, "predicted": round(b["mean_predicted"], 4), "observed": round(b["fraction_positive"], 4)}
          for name, pred in (("all negatives", full), ("downsampled, raw", raw), ("downsampled, fixed", fixed))
          for b in metrics.calibration_bins(y_test, pred, n_bins=BINS, strategy="quantile")]
show.chart(charts.reliability_diagram(points, top=0.2, height=260),
           title="Reliability diagram, first draw of the kept negatives (dashed: perfect calibration)")


def ece(pred):
    return metrics.expected_calibration_error(y_test, pred, n_bins=50)


def ratio(pred):
    return math.fsum(pred) / sum(y_test)


def spread(values):
    return f"{sum(values) / len(values):.4f} ({min(values):.4f}-{max(values):.4f})"


stats = {"all negatives": ([ece(full)], [ratio(full)]),
         f"w = {W}, raw": ([ece(r) for r, _ in draws], [ratio(r) for r, _ in draws]),
         f"w = {W}, recalibrated": ([ece(f) for _, f in draws], [ratio(f) for _, f in draws])}
show.table([{"model": name, "ECE, mean (range)": spread(e), "predicted / observed clicks, mean (range)": spread(r)}
            for name, (e, r) in stats.items()], title=f"Calibration on the test period, {DRAWS} draws of the kept negatives")
(full_ece, full_ratio), (raw_ece, raw_ratio), (fix_ece, fix_ratio) = stats.values()
print(f"raw model predicts {min(raw_ratio):.2f}x to {max(raw_ratio):.2f}x the clicks that happened; recalibrated "
      f"{min(fix_ratio):.2f}x to {max(fix_ratio):.2f}x; trained on everything {full_ratio[0]:.2f}x")
print(f"ECE: raw {sum(raw_ece) / DRAWS:.4f}, recalibrated {sum(fix_ece) / DRAWS:.4f}, all negatives {full_ece[0]:.4f}")
# The claims on the page.
assert min(raw_ratio) > 4                                         # several times too many clicks
assert all(0.7 < r < 1.4 for r in fix_ratio)                      # recalibrated: within about a third
assert all(f < r / 5 for f, r in zip(fix_ece, raw_ece))          # ECE falls several-fold
assert sum(fix_ece) / DRAWS < 1.5 * full_ece[0]                   # about as good as using every row
