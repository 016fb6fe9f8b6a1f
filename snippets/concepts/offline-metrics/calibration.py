# Calibration: the same ranking, different probabilities.
# Start from calibrated scores (the generator's true click probabilities) and
# stretch or squeeze them around the average click rate with a temperature T:
#     p_T = sigmoid(logit(base) + (logit(p) - logit(base)) / T)
# T < 1 makes the model over-confident, T > 1 under-confident. The order of the
# scores never changes, so ROC-AUC cannot tell the versions apart.
import math

from mlsd import charts, metrics, show
from mlsd.data.clicks import make_clicks

TEMPERATURE = 0.5       # try 0.5 (over-confident), 1 (calibrated), 2 (under-confident)

log = make_clicks()
y, p = log.labels, log.true_ctr
base = sum(y) / len(y)


def logit(q):
    return math.log(q / (1 - q))


def with_temperature(t):
    return [1 / (1 + math.exp(-(logit(base) + (logit(q) - logit(base)) / t))) for q in p]


# Equal-width bins of 0.1 would be useless here: almost every CTR lands in the first one.
low = sum(q < 0.1 for q in p) / len(p)
print(f"share of predictions below 0.1: {low:.1%}")
assert low > 0.8

rows = []
for t in sorted({0.5, 1.0, 2.0, TEMPERATURE}):
    q = with_temperature(t)
    rows.append({"T": t, "ROC-AUC": round(metrics.roc_auc(y, q), 4),
                 "log loss": round(metrics.log_loss(y, q), 4),
                 "NE": round(metrics.normalized_entropy(y, q), 4),
                 "ECE (50 bins)": round(metrics.expected_calibration_error(y, q, n_bins=50), 4)})
show.table(rows, title="One ranking, three sets of probabilities")

# Reliability diagram: ten bins with equal numbers of impressions, for the truth and for T.
points = [{"model": name, "predicted": round(b["mean_predicted"], 4), "observed": round(b["fraction_positive"], 4)}
          for name, t in (("calibrated (T = 1)", 1.0), (f"T = {TEMPERATURE}", TEMPERATURE))
          for b in metrics.calibration_bins(y, with_temperature(t), n_bins=10, strategy="quantile")]
show.chart(charts.reliability_diagram(points),
           title="Reliability diagram, 10 equal-count bins (dashed: perfect calibration)")

by_t = {r["T"]: r for r in rows}
print(f"ROC-AUC at T = 0.5, 1, 2: {by_t[0.5]['ROC-AUC']}, {by_t[1.0]['ROC-AUC']}, {by_t[2.0]['ROC-AUC']}")
print(f"log loss: {by_t[0.5]['log loss']}, {by_t[1.0]['log loss']}, {by_t[2.0]['log loss']}")
print(f"ECE:      {by_t[0.5]['ECE (50 bins)']}, {by_t[1.0]['ECE (50 bins)']}, {by_t[2.0]['ECE (50 bins)']}")
print(f"NE:       {by_t[0.5]['NE']}, {by_t[1.0]['NE']}, {by_t[2.0]['NE']}")
# The claims on the page.
assert by_t[0.5]["ROC-AUC"] == by_t[1.0]["ROC-AUC"] == by_t[2.0]["ROC-AUC"]     # order unchanged
assert by_t[1.0]["log loss"] < min(by_t[0.5]["log loss"], by_t[2.0]["log loss"])  # truth wins
assert by_t[1.0]["ECE (50 bins)"] < min(by_t[0.5]["ECE (50 bins)"] / 4, by_t[2.0]["ECE (50 bins)"])
assert by_t[0.5]["NE"] > 1 > by_t[1.0]["NE"]      # over-confident: worse than the base rate
