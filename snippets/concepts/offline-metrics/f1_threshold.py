# Choosing a decision threshold on a click log with a 3 % click rate.
# Scores: the generator's true click probability for each impression — the best
# any model could do on this log — so the lesson is about the metric, not the model.
from mlsd import metrics, show
from mlsd.data.clicks import make_clicks

log = make_clicks()                     # 5,000 impressions, seeded
y, p = log.labels, log.true_ctr

print(f"click rate {sum(y) / len(y):.1%}")
print(f"accuracy of 'never click': {metrics.accuracy(y, [0.0] * len(y)):.3f}")
print(f"at threshold 0.5: precision {metrics.precision(y, p, 0.5):.3f}, "
      f"recall {metrics.recall(y, p, 0.5):.3f}, F1 {metrics.f1(y, p, 0.5):.3f}")
best_t, best_f1 = metrics.best_f1_threshold(y, p)
print(f"best F1 {best_f1:.3f} at threshold {best_t:.3f}: "
      f"precision {metrics.precision(y, p, best_t):.3f}, recall {metrics.recall(y, p, best_t):.3f}")

# Precision, recall and F1 along the thresholds, for the chart.
precision, recall, thresholds = metrics.precision_recall_curve(y, p)
grid = [i / 100 for i in range(1, 31)]          # 0.01 .. 0.30
points = {"precision": [], "recall": [], "F1": []}
j = len(thresholds) - 1                          # thresholds decrease; walk from the end
for t in grid:
    while j > 0 and thresholds[j] < t:
        j -= 1
    pr, rc = (precision[j], recall[j]) if thresholds[j] >= t else (0.0, 0.0)
    points["precision"].append(round(pr, 4))
    points["recall"].append(round(rc, 4))
    points["F1"].append(round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0)
show.line_chart(grid, points, x_title="threshold (score ≥ t means 'predict click')", y_title="value",
                title="Precision, recall and F1 against the threshold")

# The claims on the page.
assert metrics.accuracy(y, [0.0] * len(y)) > 0.96            # accuracy rewards doing nothing
assert metrics.f1(y, p, 0.5) < best_f1 / 2                  # 0.5 is a poor threshold here
assert best_t < 0.2 and best_f1 > 0.15
