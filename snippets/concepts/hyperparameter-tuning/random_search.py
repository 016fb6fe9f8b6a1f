# Random search: the same budget as the 3 x 3 grid (9 models of up to 30 trees, early stopping
# on the validation period), but every trial draws its own learning rate, tree size and minimum
# leaf size. Learning rate and leaf size are drawn on a log scale: 0.01 to 0.1 matters as much
# as 0.1 to 1.
import math
import random
from mlsd import show, splits
from mlsd.data.clicks import make_clicks
from mlsd.metrics import auc_standard_error, roc_auc
from mlsd.ranking import GBDT

TRIALS, MAX_TREES, SEED = 9, 30, 0
SPACE = {"learning_rate": (0.03, 1.0), "num_leaves": (2, 12), "min_data_in_leaf": (5, 100)}

# The grid's data: a 5 % CTR log, every click and a quarter of the non-clicks, split by time.
log = make_clicks(n=9600, seed=0, base_ctr=0.05, interaction_strength=2.0)
FEATURES = ("user_past_ctr", "ad_past_ctr", "text_match", "position", "ad_quality", "page_load_ms", "hour", "user_age")
keep = random.Random(1)
rows = [i for i, y in enumerate(log.labels) if y == 1 or keep.random() < 0.25]
columns = log.columns(FEATURES)
data = splits.time_holdout([columns[i] for i in rows], [log.labels[i] for i in rows],
                           [log.timestamps[i] for i in rows], n_train=900, test_fraction=0.25,
                           assume_sorted=True)
X_val, y_val = [data.X[i] for i in data.val], [data.y[i] for i in data.val]


def early_stopped_auc(model):
    """The best validation AUC over the first 1, 2, ... trees, and that number of trees."""
    z, best = [model.init_score] * len(X_val), (0.0, 0)
    for k, tree in enumerate(model.trees, 1):
        for i, x in enumerate(X_val):
            z[i] += tree.value[tree.leaf(x)]
        best = max(best, (roc_auc(y_val, z), k))
    return best


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


rng = random.Random(SEED)
trials = []
for t in range(TRIALS):
    params = {"learning_rate": round(log_uniform(rng, *SPACE["learning_rate"]), 3),
              "num_leaves": int(round(log_uniform(rng, *SPACE["num_leaves"]))),
              "min_data_in_leaf": int(round(log_uniform(rng, *SPACE["min_data_in_leaf"])))}
    auc, trees = early_stopped_auc(data.fit(GBDT(n_estimators=MAX_TREES, **params)))
    trials.append({"trial": t + 1, **params, "trees": trees, "validation AUC": round(auc, 4)})
show.scatter_chart(trials, x="learning_rate", y="validation AUC", color="num_leaves", log_x=True,
                   x_title="learning rate (log scale)", title="Random search: every trial a new learning rate")
show.table(trials)
best = max(trials, key=lambda t: t["validation AUC"])
a, n_pos = best["validation AUC"], sum(y_val)
se = auc_standard_error(a, n_pos, len(y_val) - n_pos)             # Hanley and McNeil's standard error
close = [t for t in trials if best["validation AUC"] - t["validation AUC"] < se]
print(f"best of {TRIALS}: learning rate {best['learning_rate']}, {best['num_leaves']} leaves, "
      f"min {best['min_data_in_leaf']} rows per leaf, {best['trees']} trees, validation AUC {best['validation AUC']}")
print(f"{len(close)} of {TRIALS} trials are within one standard error ({se:.3f}) of the best")
print(f"{len({t['learning_rate'] for t in trials})} distinct learning rates and "
      f"{len({t['num_leaves'] for t in trials})} distinct leaf counts tried")
# The claims on the page.
assert len({t["learning_rate"] for t in trials}) == TRIALS       # nine learning rates, not three
assert len(close) > TRIALS // 2                                  # most trials are within noise of the best
