# Active learning: which items should annotators label next? Random sampling against
# uncertainty sampling (label the items whose predicted probability is closest to 0.5).
# Both start from the same 20 random labels and add BATCH labels per round.
# TARGET is the knob: the share of the all-labels AUC we want to reach.
import math
import random

from mlsd import metrics, show
from mlsd.ranking import LogisticRegression

TARGET, START, BATCH, BUDGET, SEED = 0.97, 20, 20, 300, 0
POOL, TEST = 2000, 1000
WEIGHTS = [1.0, -0.9, 0.8, 0.7, -0.6, 0.5, 0.4, -0.3, 0.3, 0.2, 0.0, 0.0]
BIAS = 4.0
rng = random.Random(SEED)
X, y = [], []
for _ in range(POOL + TEST):
    x = [rng.gauss(0, 1) for _ in WEIGHTS]
    X.append(dict(enumerate(x)))      # sparse rows: the model reads them without conversion
    y.append(int(rng.random() < 1 / (1 + math.exp(BIAS - sum(w * v for w, v in zip(WEIGHTS, x))))))
X_pool, y_pool, X_test, y_test = X[:POOL], y[:POOL], X[POOL:], y[POOL:]


def fit(idx):
    return LogisticRegression(learning_rate=0.05, epochs=4).fit([X_pool[i] for i in idx], [y_pool[i] for i in idx])


ceiling = metrics.roc_auc(y_test, fit(range(POOL)).predict_proba(X_test))
order = list(range(POOL))
random.Random(SEED + 1).shuffle(order)
curves, positives = {}, {}
for strategy in ("random", "uncertainty"):
    labelled = order[:START]
    curve = []
    while True:
        model = fit(labelled)
        curve.append(round(metrics.roc_auc(y_test, model.predict_proba(X_test)), 4))
        if len(labelled) >= BUDGET:
            break
        taken = set(labelled)
        rest = [i for i in order if i not in taken]
        if strategy == "random":
            labelled = labelled + rest[:BATCH]
        else:
            p = model.predict_proba([X_pool[i] for i in rest])
            labelled = labelled + sorted(rest, key=lambda i, q=dict(zip(rest, p)): abs(q[i] - 0.5))[:BATCH]
    curves[strategy] = curve
    positives[strategy] = sum(y_pool[i] for i in labelled)
sizes = list(range(START, BUDGET + 1, BATCH))
show.line_chart(sizes, curves, x_title="labels bought", y_title="test AUC",
                title=f"Uncertainty sampling against random sampling (all {POOL:,} labels: AUC {ceiling:.3f})")
need = {s: next((n for n, a in zip(sizes, c) if a >= TARGET * ceiling), None) for s, c in curves.items()}
show.table([{"strategy": s, f"labels to reach {TARGET:.0%} of the full AUC": need[s],
             f"AUC at {BUDGET} labels": curves[s][-1],
             "mean AUC along the curve": round(sum(curves[s]) / len(curves[s]), 4), f"positives among the {BUDGET}": positives[s]} for s in curves],
           title=f"{POOL:,} unlabelled items, {sum(y_pool) / POOL:.1%} positive")
print(f"target AUC {TARGET * ceiling:.4f}: random sampling needs {need['random']} labels, "
      f"uncertainty sampling {need['uncertainty']}")
print(f"positives among the first {BUDGET} labels: random {positives['random']}, uncertainty {positives['uncertainty']}")
# The claims on the page. Finding far more positives held on every seed we tried; which strategy
# reaches the target first depends on the seed (the page says so), so that is checked on SEED 0.
rand, unc = curves["random"], curves["uncertainty"]
assert positives["uncertainty"] > 2 * positives["random"], "uncertainty sampling finds far more positives"
if (TARGET, START, BATCH, BUDGET, SEED) == (0.97, 20, 20, 300, 0):   # the claims and figures the page quotes
    assert sum(unc) > sum(rand) and unc[-1] > rand[-1], "uncertainty sampling is ahead along the curve and at the budget"
    assert (need["uncertainty"], need["random"], unc[-1], rand[-1]) == (120, 180, 0.9027, 0.86), \
        "the page quotes 120 against 180 labels to the target, AUC 0.9027 against 0.86 at 300"
    assert abs(unc[-1] - ceiling) < 0.002, "the page says 300 chosen labels are level with all 2,000 (AUC 0.903)"
    assert (positives["uncertainty"], positives["random"], round(sum(y_pool) / POOL, 3)) == (77, 20, 0.068), \
        "the page quotes 77 against 20 positives, 6.8 % positive in the pool"
