# Random search: the same budget as the 3 x 3 grid (9 models of 10 trees), but every trial
# draws its own learning rate, tree size and minimum leaf size. Learning rate and leaf size
# are drawn on a log scale: 0.01 to 0.1 matters as much as 0.1 to 1.
import math
import random
from mlsd import show, splits
from mlsd.data.clicks import make_clicks
from mlsd.ranking import GBDT

TRIALS, TREES, SEED = 9, 10, 0
SPACE = {"learning_rate": (0.03, 1.0), "num_leaves": (2, 12), "min_data_in_leaf": (5, 100)}

log = make_clicks(n=2400, seed=0, base_ctr=0.2, interaction_strength=2.0)
FEATURES = ("user_past_ctr", "ad_past_ctr", "text_match", "position", "ad_quality", "page_load_ms", "hour", "user_age")
# Train on the oldest 800 rows, validate on the next 1,000 (the last 600 stay untouched).
data = splits.time_holdout(log.columns(FEATURES), log.labels, log.timestamps, n_train=800,
                           test_fraction=0.25, assume_sorted=True)


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


rng = random.Random(SEED)
trials = []
for t in range(TRIALS):
    params = {"learning_rate": round(log_uniform(rng, *SPACE["learning_rate"]), 3),
              "num_leaves": int(round(log_uniform(rng, *SPACE["num_leaves"]))),
              "min_data_in_leaf": int(round(log_uniform(rng, *SPACE["min_data_in_leaf"])))}
    auc = data.auc(data.fit(GBDT(n_estimators=TREES, **params)))
    trials.append({"trial": t + 1, **params, "validation AUC": round(auc, 4)})
show.scatter_chart(trials, x="learning_rate", y="validation AUC", color="num_leaves", log_x=True,
                   x_title="learning rate (log scale)", title="Random search: every trial a new learning rate")
show.table(trials)
best = max(trials, key=lambda t: t["validation AUC"])
print(f"best of {TRIALS}: learning rate {best['learning_rate']}, {best['num_leaves']} leaves, "
      f"min {best['min_data_in_leaf']} rows per leaf, validation AUC {best['validation AUC']}")
GRID_BEST = 0.6796                                    # printed by the grid search cell above
print(f"difference from the grid's best ({GRID_BEST}): {best['validation AUC'] - GRID_BEST:+.3f}")
print(f"{len({t['learning_rate'] for t in trials})} distinct learning rates and "
      f"{len({t['num_leaves'] for t in trials})} distinct leaf counts tried")
# The claims on the page, for the settings above.
if (TRIALS, TREES, SEED) == (9, 10, 0) and SPACE["learning_rate"] == (0.03, 1.0):
    assert len({t["learning_rate"] for t in trials}) == TRIALS       # 9 learning rates, not 3
    assert abs(best["validation AUC"] - GRID_BEST) < 0.02            # about the grid's best
    assert best["num_leaves"] <= 3                                   # and small trees again
