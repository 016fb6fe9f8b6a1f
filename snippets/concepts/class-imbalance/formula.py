# Why q = p / (p + (1 - p) / w) undoes negative downsampling.
# Keeping a share w of the negatives multiplies the odds of a click by 1 / w:
#     odds_trained = odds_true / w      (odds = p / (1 - p))
# so the true odds are w times the trained ones. Written as a probability,
# that is q = p / (p + (1 - p) / w).
from mlsd import show

W = [0.5, 0.2, 0.1, 0.05]


def downsampled(p, w):          # what a model trained on downsampled data predicts
    return p / (p + (1 - p) * w)


def recalibrate(p, w):          # the correction
    return p / (p + (1 - p) / w)


true_ctrs = [0.001, 0.01, 0.03, 0.1, 0.3]
rows = []
for w in W:
    for t in true_ctrs:
        p = downsampled(t, w)
        q = recalibrate(p, w)
        assert abs(q - t) < 1e-12 and abs(p / (1 - p) - t / (1 - t) / w) < 1e-9 * p / (1 - p)
    rows.append({"w": w, **{f"true {t:g}": round(downsampled(t, w), 4) for t in true_ctrs}})
show.table(rows, title="What the downsampled model predicts for a given true click rate")

grid = [i / 100 for i in range(1, 100)]
show.line_chart(grid, {f"w = {w}": [round(recalibrate(p, w), 4) for p in grid] for w in W},
                x_title="prediction of the downsampled model, p", y_title="recalibrated, q",
                title="The correction bends predictions back down")
example = recalibrate(0.3, 0.1)
print(f"with w = 0.1, a raw prediction of 0.3 means {example:.4f}")
print(f"a true 3 % click rate is predicted as {downsampled(0.03, 0.1):.4f} after keeping 10 % of negatives")
assert abs(example - 0.0411) < 1e-4
