# Successive halving: start many configurations on a small budget, keep the best third,
# give the survivors three times the budget, repeat. The budget here is the number of trees.
# Boosted trees are built one after another, so "the model after r trees" is the same model
# whether you stop at r or go on: we train each configuration once to the full budget and
# read its validation AUC after 1, 3 and 9 trees, and count the cost successive halving
# would pay if it trained only the survivors. We repeat the whole search for a few random
# draws of the nine configurations: one draw is an anecdote.
import math
import random
from mlsd import show, splits
from mlsd.data.clicks import make_clicks
from mlsd.metrics import auc_standard_error, roc_auc
from mlsd.ranking import GBDT

CONFIGS, ETA, RUNGS, DRAWS = 9, 3, [1, 3, 9], 3
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


def draw_configs(seed):
    rng, lo_hi = random.Random(seed), {k: (math.log(a), math.log(b)) for k, (a, b) in SPACE.items()}
    return [{"learning_rate": round(math.exp(rng.uniform(*lo_hi["learning_rate"])), 3),
             "num_leaves": int(round(math.exp(rng.uniform(*lo_hi["num_leaves"])))),
             "min_data_in_leaf": int(round(math.exp(rng.uniform(*lo_hi["min_data_in_leaf"]))))}
            for _ in range(CONFIGS)]


def curve(params):
    """Validation AUC after each budget in RUNGS (the model after r trees)."""
    model = data.fit(GBDT(n_estimators=RUNGS[-1], **params))
    z, out = [model.init_score] * len(X_val), []
    for k, tree in enumerate(model.trees, 1):
        for i, x in enumerate(X_val):
            z[i] += tree.value[tree.leaf(x)]
        if k in RUNGS:
            out.append(round(roc_auc(y_val, z), 4))
    return out


def successive_halving(curves):
    alive, cost, dropped_at = list(range(CONFIGS)), 0, {}
    for k, r in enumerate(RUNGS):
        cost += r * len(alive)                            # train every survivor to r trees
        if k == len(RUNGS) - 1:
            break
        keep = sorted(alive, key=lambda i: -curves[i][k])[:max(1, len(alive) // ETA)]
        dropped_at.update({i: r for i in alive if i not in keep})
        alive = keep
    return max(alive, key=lambda i: curves[i][-1]), cost, dropped_at


summary = []
for draw in range(DRAWS):
    configs = draw_configs(draw)
    curves = [curve(p) for p in configs]
    pick, cost, dropped_at = successive_halving(curves)
    final = [c[-1] for c in curves]
    rank = sorted(range(CONFIGS), key=lambda i: -final[i]).index(pick) + 1
    same_budget = cost // RUNGS[-1]                       # plain random search with the same trees
    summary.append({"draw": draw, "trees trained": cost, "halving picks": f"#{pick + 1}",
                    "its rank of 9": rank, "its AUC": final[pick],
                    f"best of the first {same_budget}, trained fully": max(final[:same_budget]),
                    f"best of all {CONFIGS}": max(final)})
    if draw == 0:                                         # the first draw in detail
        show.line_chart(RUNGS, {f"#{i + 1}" + (f" dropped at {dropped_at[i]}" if i in dropped_at else " kept"): curves[i]
                                for i in range(CONFIGS)},
                        x_title="trees trained", y_title="validation AUC", y_zero=False,
                        title="Learning curves: successive halving keeps the best early scores")
        show.table([{"config": f"#{i + 1}", **c, **{f"AUC at {r} trees": v for r, v in zip(RUNGS, curves[i])},
                     "successive halving": f"dropped at {dropped_at[i]}" if i in dropped_at else "kept"}
                    for i, c in enumerate(configs)])
        first = {"pick": pick, "cost": cost, "rank": rank, "curves": curves, "configs": configs,
                 "best": max(range(CONFIGS), key=final.__getitem__), "dropped_at": dropped_at}
show.table(summary, title=f"Successive halving on {DRAWS} random draws of {CONFIGS} configurations")
ranks = [s["its rank of 9"] for s in summary]
beaten = sum(s[f"best of the first {same_budget}, trained fully"] > s["its AUC"] for s in summary)
print(f"successive halving trains {first['cost']} trees instead of {CONFIGS * RUNGS[-1]}")
print(f"draw 0: it picks #{first['pick'] + 1} (learning rate {first['configs'][first['pick']]['learning_rate']}), "
      f"number {first['rank']} of {CONFIGS} at the full budget")
print(f"over {DRAWS} draws its pick ranks {', '.join(map(str, ranks))} of {CONFIGS} "
      f"(mean {sum(ranks) / DRAWS:.1f}; a configuration picked blindly ranks {(CONFIGS + 1) / 2:.0f} on average)")
print(f"random search with the same trees, trained fully, beats it in {beaten} of {DRAWS} draws")
gaps = [s[f"best of the first {same_budget}, trained fully"] - s["its AUC"] for s in summary]
auc, n_pos = max(s["its AUC"] for s in summary), sum(y_val)
se = auc_standard_error(auc, n_pos, len(y_val) - n_pos)         # Hanley and McNeil's standard error
print(f"largest gap between the two: {max(gaps):.4f}, below the standard error of one AUC ({se:.3f})")
# The claims on the page.
assert first["cost"] < CONFIGS * RUNGS[-1] / 2                        # well under half the compute
assert sum(r > 1 for r in ranks) > DRAWS / 2                          # it mostly misses the best
assert sum(ranks) / DRAWS >= (CONFIGS + 1) / 2                       # no better than a blind pick
assert beaten > DRAWS / 2                                             # the plain search does better
assert max(gaps) < se                                                 # ...by less than the noise of one draw
assert first["dropped_at"].get(first["best"]) == RUNGS[0]             # draw 0: the best cut after 1 tree
assert first["curves"][first["pick"]][1] > first["curves"][first["pick"]][2]   # its pick then overfits
