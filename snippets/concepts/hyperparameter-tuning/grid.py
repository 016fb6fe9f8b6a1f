# Grid search on a GBDT click model: every combination of 3 learning rates and 3 tree sizes.
# Each model gets up to 30 trees and keeps the number of trees that scores best on the
# validation period (early stopping), so a small learning rate is not judged on too few trees.
import copy
import random
from mlsd import show, splits
from mlsd.data.clicks import make_clicks
from mlsd.metrics import auc_standard_error, roc_auc
from mlsd.ranking import GBDT

LEARNING_RATES = [0.03, 0.1, 0.3]
NUM_LEAVES = [3, 6, 12]
MAX_TREES, FIXED = 30, 10          # early stopping up to 30 trees; the naive grid stops at 10
KEEP = 0.25                        # share of non-clicks kept (every click is kept)

# A click log with a realistic 5 % CTR. As production CTR pipelines do, we keep every click and
# a random quarter of the non-clicks: the same clicks to learn from in a quarter of the rows.
log = make_clicks(n=9600, seed=0, base_ctr=0.05, interaction_strength=2.0)
FEATURES = ("user_past_ctr", "ad_past_ctr", "text_match", "position", "ad_quality", "page_load_ms", "hour", "user_age")
rng = random.Random(1)
rows = [i for i, y in enumerate(log.labels) if y == 1 or rng.random() < KEEP]
columns = log.columns(FEATURES)
# Time-based split: train on the oldest 900 rows, validate on the rest before the last quarter.
data = splits.time_holdout([columns[i] for i in rows], [log.labels[i] for i in rows],
                           [log.timestamps[i] for i in rows], n_train=900, test_fraction=0.25,
                           assume_sorted=True)
X_val, y_val = [data.X[i] for i in data.val], [data.y[i] for i in data.val]


def auc_by_trees(model):
    """Validation AUC after 1, 2, ... trees: each tree adds its leaf value to every row's score."""
    z, curve = [model.init_score] * len(X_val), []
    for tree in model.trees:
        for i, x in enumerate(X_val):
            z[i] += tree.value[tree.leaf(x)]
        curve.append(roc_auc(y_val, z))
    return curve


cells, curves, models = [], {}, {}
for lr in LEARNING_RATES:
    for leaves in NUM_LEAVES:
        models[lr, leaves] = data.fit(GBDT(n_estimators=MAX_TREES, learning_rate=lr, num_leaves=leaves))
        curve = curves[lr, leaves] = auc_by_trees(models[lr, leaves])
        best_k = max(range(MAX_TREES), key=curve.__getitem__)
        cells.append({"learning rate": lr, "leaves": leaves, "AUC, 1 tree": round(curve[0], 4),
                      f"AUC, {FIXED} trees": round(curve[FIXED - 1], 4),
                      f"AUC, {MAX_TREES} trees": round(curve[-1], 4),
                      "early stopping: trees": best_k + 1, "early stopping: AUC": round(curve[best_k], 4)})
n_pos = sum(y_val)
print(f"log CTR {sum(log.labels) / len(log):.3f}; after keeping {KEEP:.0%} of non-clicks the sample's "
      f"click rate is {sum(data.y) / len(data.y):.3f}; {len(data.train)} training rows, "
      f"{len(X_val)} validation rows with {n_pos} clicks")
show.chart({"data": {"values": cells}, "mark": "rect",
            "encoding": {"x": {"field": "leaves", "type": "ordinal", "title": "leaves per tree", "axis": {"labelAngle": 0}},
                         "y": {"field": "learning rate", "type": "ordinal", "sort": "descending"},
                         "color": {"field": "early stopping: AUC", "type": "quantitative", "scale": {"scheme": "viridis"}},
                         "tooltip": [{"field": "learning rate"}, {"field": "leaves"},
                                     {"field": "early stopping: trees"}, {"field": "early stopping: AUC"}]},
            "width": "container", "height": 200}, title="Grid search: validation AUC with early stopping")
show.table(cells)
show.line_chart(list(range(1, MAX_TREES + 1)),
                {f"learning rate {lr}": [round(a, 4) for a in curves[lr, 12]] for lr in LEARNING_RATES},
                x_title="trees", y_title="validation AUC", y_zero=False,
                title="12 leaves per tree: which learning rate is best depends on the number of trees")


def best(column):
    return max(cells, key=lambda c: c[column])


naive, tuned = best(f"AUC, {FIXED} trees"), best("early stopping: AUC")
worst_at_max = min(cells, key=lambda c: c[f"AUC, {MAX_TREES} trees"])
se = auc_standard_error(tuned["early stopping: AUC"], n_pos, len(y_val) - n_pos)
spread = tuned["early stopping: AUC"] - min(c["early stopping: AUC"] for c in cells)
one_tree_gap = max(max(curves[lr, n][0] for lr in LEARNING_RATES) - min(curves[lr, n][0] for lr in LEARNING_RATES)
                   for n in NUM_LEAVES)
print(f"after 1 tree the learning rate changes no AUC (largest gap {one_tree_gap:.1e})")
print(f"best at {FIXED} trees: learning rate {naive['learning rate']}, {naive['leaves']} leaves "
      f"(AUC {naive[f'AUC, {FIXED} trees']})")
print(f"worst at {MAX_TREES} trees: learning rate {worst_at_max['learning rate']}, {worst_at_max['leaves']} leaves "
      f"(AUC {worst_at_max[f'AUC, {MAX_TREES} trees']})")
print(f"best with early stopping: learning rate {tuned['learning rate']}, {tuned['leaves']} leaves, "
      f"{tuned['early stopping: trees']} trees (AUC {tuned['early stopping: AUC']})")
print(f"standard error of one validation AUC: {se:.3f}; the nine early-stopped models span {spread:.3f}")
chosen = copy.copy(models[tuned["learning rate"], tuned["leaves"]])
chosen.trees = chosen.trees[:tuned["early stopping: trees"]]     # the model after that many trees
print(f"the chosen model on the untouched last period: test AUC {data.auc(chosen, 'test'):.4f}")
# The claims on the page.
assert one_tree_gap < 1e-9                      # one tree: shrinking its outputs keeps their order
assert naive["learning rate"] > min(LEARNING_RATES)                     # 10 trees favour fast learners
assert (worst_at_max["learning rate"], worst_at_max["leaves"]) == (max(LEARNING_RATES), max(NUM_LEAVES))  # 30 trees punish them
assert spread < se                              # the grid's differences are within noise
