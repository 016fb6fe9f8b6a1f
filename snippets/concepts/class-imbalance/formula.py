# Why q = p / (p + (1 - p) / w) undoes negative downsampling.
# Keeping a share w of the negatives multiplies the odds of a click by 1 / w:
#     odds_trained = odds_true / w      (odds = p / (1 - p))
# so the true odds are w times the trained ones. Written as a probability,
# that is q = p / (p + (1 - p) / w).
import math

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


# Other tools for imbalance, seen the same way: which prediction p minimises the expected
# loss when the true click probability is t? Compare the odds of that p with the true odds.
def minimise(loss):
    lo, hi = 1e-9, 1 - 1e-9                  # both losses below have one minimum in (0, 1)
    for _ in range(200):
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (lo, b) if loss(a) < loss(b) else (a, hi)
    return (lo + hi) / 2


C, GAMMA = 10, 2.0                           # class weight on positives; focal loss exponent


def class_weighted(t):                       # positives count C times in the log loss
    return minimise(lambda p: -C * t * math.log(p) - (1 - t) * math.log(1 - p))


def focal(t):                                # Lin et al. (2017): down-weight easy examples
    return minimise(lambda p: -t * (1 - p) ** GAMMA * math.log(p) - (1 - t) * p ** GAMMA * math.log(1 - p))


def odds(p):
    return p / (1 - p)


rows = [{"true click rate": t, f"class weight {C}: prediction": round(class_weighted(t), 4),
         "its odds / true odds": round(odds(class_weighted(t)) / odds(t), 2),
         f"focal loss (gamma {GAMMA:g}): prediction": round(focal(t), 4),
         "focal odds / true odds": round(odds(focal(t)) / odds(t), 2)} for t in true_ctrs]
show.table(rows, title="What other imbalance tools do to the predicted probability")
weight_factors = [r["its odds / true odds"] for r in rows]
focal_factors = [r["focal odds / true odds"] for r in rows]
print(f"class weight {C}: the odds are multiplied by {min(weight_factors)} to {max(weight_factors)}, "
      f"like keeping 1/{C} of the negatives; focal loss: by {min(focal_factors)} to {max(focal_factors)}")
assert all(abs(f - C) < 1e-3 for f in weight_factors)       # a constant: the same correction, w = 1/C
assert max(focal_factors) > 10 * min(focal_factors)          # not a constant: no closed-form fix
