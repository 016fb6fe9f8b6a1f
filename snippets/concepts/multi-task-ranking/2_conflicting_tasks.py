# The same three models when the tasks pull apart: what raises the click probability (a
# catchy thumbnail) lowers the chance of a long watch (cosine -0.5 between the directions).
#   separate     - one network per task (8 hidden units each)
#   shared-bottom- one 8-unit hidden layer, two logistic heads
#   MMoE         - three 4-unit experts, a softmax gate per task (Ma et al., KDD 2018)
# Trained on 2,000 impressions, scored on the next 2,000.
import statistics

from mlsd import metrics, show
from mlsd.data.engagement import make_two_tasks
from mlsd.mmoe import three_ways

CORRELATION = -0.5         # cosine between the tasks' directions; try 0.9 or 0.0
N_TRAIN, N_TEST, SEED = 2000, 2000, 0
TASKS = ("click", "long_watch")

data = make_two_tasks(n=N_TRAIN + N_TEST, correlation=CORRELATION, seed=SEED)
train = {t: y[:N_TRAIN] for t, y in data.labels.items()}
test = {t: y[N_TRAIN:] for t, y in data.labels.items()}
X_train, X_test = data.X[:N_TRAIN], data.X[N_TRAIN:]
# The three models (mlsd.mmoe.three_ways): 8 hidden units per task, 8 shared, 3 experts of 4.
preds, size, mmoe = three_ways(X_train, train, X_test, TASKS, units=8, n_experts=3, expert_units=4,
                               seed=SEED)
preds["true probabilities"] = {t: p[N_TRAIN:] for t, p in data.probs.items()}

auc = {m: {t: metrics.roc_auc(test[t], p[t]) for t in TASKS} for m, p in preds.items()}
ll = {m: {t: metrics.log_loss(test[t], p[t]) for t in TASKS} for m, p in preds.items()}
show.table([{"model": m, "parameters": size.get(m),
             **{f"{t} AUC": round(auc[m][t], 4) for t in TASKS},
             **{f"{t} log loss": round(ll[m][t], 4) for t in TASKS}} for m in preds],
           title=f"Correlation {CORRELATION}: {sum(train['click'])} clicks and "
                 f"{sum(train['long_watch'])} long watches in training")
corr = statistics.correlation(data.probs["click"], data.probs["long_watch"])
print(f"correlation of the true click and long-watch probabilities: {corr:.2f}")
gates = mmoe.mean_gates(X_test[:500])
print("MMoE mean gate weights per expert:",
      "; ".join(f"{t} " + " ".join(f"{g:.2f}" for g in gates[t]) for t in TASKS))

models = ("separate", "shared-bottom", "MMoE")
spread = {t: max(auc[m][t] for m in models) - min(auc[m][t] for m in models) for t in TASKS}
se = {t: metrics.auc_standard_error(auc["shared-bottom"][t], sum(test[t]), N_TEST - sum(test[t]))
      for t in TASKS}
print("AUC spread between the three models:", ", ".join(f"{t} {s:.4f}" for t, s in spread.items()))
print("standard error of one AUC on this test set:",
      ", ".join(f"{t} {se[t]:.3f} ({sum(test[t])} positives)" for t in TASKS))
# Claims on the page.
assert corr < 0, "in this world the two tasks pull apart"
assert all(auc[m][t] > 0.75 for m in models for t in TASKS), "every model learns both tasks"
assert all(auc["true probabilities"][t] > auc[m][t] for m in models for t in TASKS), \
    "no model reaches the true probabilities: there is room to learn"
assert all(spread[t] < se[t] for t in TASKS), \
    "the AUC spread between the three architectures is within one standard error: a tie"
assert size["shared-bottom"] < size["separate"] and size["shared-bottom"] < size["MMoE"], \
    "the shared bottom is the smallest network"
