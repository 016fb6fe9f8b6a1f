# Successive halving: start many configurations on a small budget, keep the best third,
# give the survivors three times the budget, repeat. The budget here is the number of trees.
# Boosted trees are built one after another, so "the model after r trees" is the same model
# whether you stop at r or go on: we train each configuration once to the full budget and
# read its validation AUC after 1, 3 and 9 trees, and count the cost successive halving
# would pay if it trained only the survivors.
import copy
import math
import random
from mlsd import show, splits
from mlsd.data.clicks import make_clicks
from mlsd.ranking import GBDT

CONFIGS, ETA, RUNGS, SEED = 9, 3, [1, 3, 9], 0
SPACE = {"learning_rate": (0.03, 1.0), "num_leaves": (2, 12), "min_data_in_leaf": (5, 100)}

log = make_clicks(n=2400, seed=0, base_ctr=0.2, interaction_strength=2.0)
FEATURES = ("user_past_ctr", "ad_past_ctr", "text_match", "position", "ad_quality", "page_load_ms", "hour", "user_age")
data = splits.time_holdout(log.columns(FEATURES), log.labels, log.timestamps, n_train=800,
                           test_fraction=0.25, assume_sorted=True)

rng = random.Random(SEED)
configs = []
for _ in range(CONFIGS):
    lo_hi = {k: (math.log(a), math.log(b)) for k, (a, b) in SPACE.items()}
    configs.append({"learning_rate": round(math.exp(rng.uniform(*lo_hi["learning_rate"])), 3),
                    "num_leaves": int(round(math.exp(rng.uniform(*lo_hi["num_leaves"])))),
                    "min_data_in_leaf": int(round(math.exp(rng.uniform(*lo_hi["min_data_in_leaf"]))))})
curves = []
for params in configs:
    full = data.fit(GBDT(n_estimators=RUNGS[-1], **params))
    curve = []
    for r in RUNGS:
        first_r = copy.copy(full)
        first_r.trees = full.trees[:r]                    # the model after r trees
        curve.append(round(data.auc(first_r), 4))
    curves.append(curve)

alive, cost, dropped_at = list(range(CONFIGS)), 0, {}
for k, r in enumerate(RUNGS):
    cost += r * len(alive)                                # train every survivor to r trees
    if k == len(RUNGS) - 1:
        break
    keep = sorted(alive, key=lambda i: -curves[i][k])[:max(1, len(alive) // ETA)]
    for i in alive:
        if i not in keep:
            dropped_at[i] = r
    alive = keep
pick = max(alive, key=lambda i: curves[i][-1])
final = [c[-1] for c in curves]
rank = sorted(range(CONFIGS), key=lambda i: -final[i]).index(pick) + 1
same_budget = cost // RUNGS[-1]                           # plain random search with the same trees
random_best = max(final[:same_budget])

show.line_chart(RUNGS, {f"#{i + 1}" + (f" dropped at {dropped_at[i]}" if i in dropped_at else " kept"): curves[i]
                        for i in range(CONFIGS)},
                x_title="trees trained", y_title="validation AUC", y_zero=False,
                title="Learning curves: successive halving keeps the best early scores")
show.table([{"config": f"#{i + 1}", **c, **{f"AUC at {r} trees": v for r, v in zip(RUNGS, curves[i])},
             "successive halving": f"dropped at {dropped_at[i]}" if i in dropped_at else "kept"}
            for i, c in enumerate(configs)])
print(f"successive halving: {cost} trees trained; it picks #{pick + 1} (validation AUC {final[pick]}), "
      f"number {rank} of {CONFIGS} at the full budget")
print(f"random search with the same {cost} trees trains {same_budget} configurations fully; best {random_best}")
print(f"training all {CONFIGS} fully costs {CONFIGS * RUNGS[-1]} trees; best {max(final)}")
better_dropped = [i for i in dropped_at if final[i] > final[pick]]
print(f"{len(better_dropped)} dropped configurations end better than the pick at {RUNGS[-1]} trees: "
      + ", ".join(f"#{i + 1} ({final[i]}, dropped at {dropped_at[i]} tree{'s' if dropped_at[i] > 1 else ''})"
                  for i in better_dropped))
# The claims on the page, for the settings above.
if (CONFIGS, ETA, RUNGS, SEED) == (9, 3, [1, 3, 9], 0):
    assert cost == 27 and CONFIGS * RUNGS[-1] == 81          # a third of the cost...
    assert rank > 1 and configs[pick]["learning_rate"] > 0.3  # ...but a fast starter, not the best
    assert len(better_dropped) >= 3
    assert random_best > final[pick]
