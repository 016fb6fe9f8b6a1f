# DP-SGD on logistic regression: clip each example's gradient to norm C, add Gaussian noise of
# standard deviation sigma * C to each batch sum, then step. Measure what the noise costs.
import random

from mlsd import metrics, show
from mlsd.privacy import predict_logistic, train_logistic

NOISE = [0.0, 1.0, 2.0, 4.0, 8.0, 16.0]   # sigma, the noise multiplier
CLIP = 1.0                               # C, the per-example gradient norm bound
BATCH = 32                               # larger batches average the noise away (sd sigma * C / BATCH)
D = 8

rng = random.Random(11)
true_w = [rng.gauss(0, 1) for _ in range(D)]


def draw(n):
    X = [[rng.gauss(0, 1) for _ in range(D)] for _ in range(n)]
    y = [int(rng.random() < 1 / (1 + 2.718281828 ** -(sum(w * x for w, x in zip(true_w, row)) - 1.5)))
         for row in X]
    return X, y


X, y = draw(2000)
Xt, yt = draw(2000)
settings = [("no clipping, no noise", None, 0.0)] + [(f"sigma = {s:g}", CLIP, s) for s in NOISE]
rows = []
for name, clip, sigma in settings:
    w = train_logistic(X, y, epochs=5, learning_rate=0.5, batch_size=BATCH, clip_norm=clip,
                       noise_multiplier=sigma, seed=1)
    p = predict_logistic(w, Xt)
    rows.append({"training": name, "noise multiplier": sigma, "clip norm": clip,
                 "test ROC-AUC": round(metrics.roc_auc(yt, p), 4),
                 "test accuracy": round(metrics.accuracy(yt, p), 4),
                 "test log loss": round(metrics.log_loss(yt, p), 4)})
show.table(rows, title=f"Logistic regression, {len(X)} training rows, batch {BATCH}, 5 epochs; "
                       f"positives {sum(yt) / len(yt):.0%} of the test set")
dp = rows[1:]
show.line_chart([r["noise multiplier"] for r in dp], {"test ROC-AUC": [r["test ROC-AUC"] for r in dp]},
                x_title="noise multiplier sigma", y_title="test ROC-AUC",
                title="What DP-SGD's noise costs a small model")

plain, clipped, last = rows[0], rows[1], rows[-1]
one = next(r for r in dp if r["noise multiplier"] == 1.0)
print(f"clipping alone: ROC-AUC {clipped['test ROC-AUC']} against {plain['test ROC-AUC']} without it")
print(f"sigma 1: ROC-AUC {one['test ROC-AUC']}; sigma {last['noise multiplier']:g}: {last['test ROC-AUC']} "
      f"(log loss {plain['test log loss']} -> {last['test log loss']})")
assert abs(clipped["test ROC-AUC"] - plain["test ROC-AUC"]) < 0.01, "clipping alone costs under 0.01 AUC"
assert plain["test ROC-AUC"] - one["test ROC-AUC"] < 0.005, "sigma = 1 costs under 0.005 AUC here"
assert plain["test ROC-AUC"] - last["test ROC-AUC"] > 0.015, "the largest noise costs more than 0.015 AUC"
assert last["test log loss"] > 2 * plain["test log loss"], "the largest noise more than doubles the log loss"
