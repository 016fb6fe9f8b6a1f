# Grid search on a GBDT click model: every combination of 3 learning rates and 3 tree sizes,
# 10 trees each, scored by AUC on a validation period that comes after the training period.
from mlsd import show, splits
from mlsd.data.clicks import make_clicks
from mlsd.ranking import GBDT

LEARNING_RATES = [0.03, 0.1, 0.3]
NUM_LEAVES = [3, 6, 12]
TREES = 10

log = make_clicks(n=2400, seed=0, base_ctr=0.2, interaction_strength=2.0)
FEATURES = ("user_past_ctr", "ad_past_ctr", "text_match", "position", "ad_quality", "page_load_ms", "hour", "user_age")
# Time-based split: train on the oldest 800 rows, validate on the next 1,000, keep the last 600 for the end.
data = splits.time_holdout(log.columns(FEATURES), log.labels, log.timestamps, n_train=800,
                           test_fraction=0.25, assume_sorted=True)
models = {}


def validation_auc(params):
    model = data.fit(GBDT(n_estimators=TREES, **params))
    models[tuple(params.values())] = model
    return data.auc(model)


cells = []
for lr in LEARNING_RATES:
    for leaves in NUM_LEAVES:
        cells.append({"learning rate": lr, "leaves": leaves,
                      "validation AUC": round(validation_auc({"learning_rate": lr, "num_leaves": leaves}), 4)})
show.chart({"data": {"values": cells}, "mark": "rect",
            "encoding": {"x": {"field": "leaves", "type": "ordinal", "title": "leaves per tree", "axis": {"labelAngle": 0}},
                         "y": {"field": "learning rate", "type": "ordinal", "sort": "descending"},
                         "color": {"field": "validation AUC", "type": "quantitative", "scale": {"scheme": "viridis"}},
                         "tooltip": [{"field": "learning rate"}, {"field": "leaves"}, {"field": "validation AUC"}]},
            "width": "container", "height": 200}, title=f"Grid search: validation AUC, {TREES} trees")
show.table(cells)
best = max(cells, key=lambda c: c["validation AUC"])
by_lr = {lr: max(c["validation AUC"] for c in cells if c["learning rate"] == lr) for lr in LEARNING_RATES}
by_leaves = {n: max(c["validation AUC"] for c in cells if c["leaves"] == n) for n in NUM_LEAVES}
print(f"best: learning rate {best['learning rate']}, {best['leaves']} leaves, validation AUC {best['validation AUC']}")
print(f"spread of the best AUC across learning rates {max(by_lr.values()) - min(by_lr.values()):.3f}, "
      f"across leaves {max(by_leaves.values()) - min(by_leaves.values()):.3f}")
chosen = models[(best["learning rate"], best["leaves"])]
test_auc = data.auc(chosen, "test")
print(f"the chosen model on the untouched last period: test AUC {test_auc:.4f}")
print(f"{len(cells)} models trained, {len(LEARNING_RATES)} distinct learning rates tried")
# The claims on the page, for the settings above.
if (LEARNING_RATES, NUM_LEAVES, TREES) == ([0.03, 0.1, 0.3], [3, 6, 12], 10):
    assert best["learning rate"] == max(LEARNING_RATES) and best["leaves"] == min(NUM_LEAVES)   # a corner
    assert max(by_lr.values()) - min(by_lr.values()) > max(by_leaves.values()) - min(by_leaves.values())
