# The same three models when the tasks pull apart: what raises the click probability (a
# catchy thumbnail) lowers the chance of a long watch (cosine -0.5 between the directions).
#   separate     - one network per task (8 hidden units each)
#   shared-bottom- one 8-unit hidden layer, two logistic heads
#   MMoE         - three 4-unit experts, a softmax gate per task (Ma et al., KDD 2018)
# Trained on 2,000 impressions, scored on the next 2,000.
from mlsd import metrics, show
from mlsd.data.engagement import make_two_tasks
from mlsd.mmoe import MMoE

CORRELATION = -0.5         # cosine between the tasks' directions; try 0.9 or 0.0
N_TRAIN, N_TEST, SEED = 2000, 2000, 0
TASKS = ("click", "long_watch")

data = make_two_tasks(n=N_TRAIN + N_TEST, correlation=CORRELATION, seed=SEED)
train = {t: y[:N_TRAIN] for t, y in data.labels.items()}
test = {t: y[N_TRAIN:] for t, y in data.labels.items()}
X_train, X_test = data.X[:N_TRAIN], data.X[N_TRAIN:]
d = len(X_train[0])


def n_params(n_experts, units, n_tasks):      # experts + gates + logistic heads
    gates = n_tasks * n_experts * d if n_experts > 1 else 0
    return n_experts * units * (d + 1) + gates + n_tasks * (units + 1)


preds, size = {}, {}
preds["separate"] = {}
for t in TASKS:
    preds["separate"].update(MMoE([t], n_experts=1, expert_units=8, seed=SEED).fit(X_train, {t: train[t]}).predict_proba(X_test))
size["separate"] = len(TASKS) * n_params(1, 8, 1)
preds["shared-bottom"] = MMoE(TASKS, n_experts=1, expert_units=8, seed=SEED).fit(X_train, train).predict_proba(X_test)
size["shared-bottom"] = n_params(1, 8, len(TASKS))
mmoe = MMoE(TASKS, n_experts=3, expert_units=4, seed=SEED).fit(X_train, train)
preds["MMoE"] = mmoe.predict_proba(X_test)
size["MMoE"] = n_params(3, 4, len(TASKS))
preds["true probabilities"] = {t: p[N_TRAIN:] for t, p in data.probs.items()}

auc = {m: {t: metrics.roc_auc(test[t], p[t]) for t in TASKS} for m, p in preds.items()}
ll = {m: {t: metrics.log_loss(test[t], p[t]) for t in TASKS} for m, p in preds.items()}
show.table([{"model": m, "parameters": size.get(m),
             **{f"{t} AUC": round(auc[m][t], 4) for t in TASKS},
             **{f"{t} log loss": round(ll[m][t], 4) for t in TASKS}} for m in preds],
           title=f"Correlation {CORRELATION}: {sum(train['click'])} clicks and "
                 f"{sum(train['long_watch'])} long watches in training")
pc, pw = data.probs["click"], data.probs["long_watch"]
mc, mw = sum(pc) / len(pc), sum(pw) / len(pw)
corr = (sum((a - mc) * (b - mw) for a, b in zip(pc, pw))
        / (sum((a - mc) ** 2 for a in pc) * sum((b - mw) ** 2 for b in pw)) ** 0.5)
print(f"correlation of the true click and long-watch probabilities: {corr:.2f}")
gates = mmoe.mean_gates(X_test[:500])
print("MMoE mean gate weights per expert:",
      "; ".join(f"{t} " + " ".join(f"{g:.2f}" for g in gates[t]) for t in TASKS))

models = ("separate", "shared-bottom", "MMoE")
spread = {t: max(auc[m][t] for m in models) - min(auc[m][t] for m in models) for t in TASKS}


def auc_standard_error(a, n_pos, n_neg):    # Hanley & McNeil (1982), one AUC on one test set
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    return ((a * (1 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a)) / (n_pos * n_neg)) ** 0.5


se = {t: auc_standard_error(auc["shared-bottom"][t], sum(test[t]), N_TEST - sum(test[t])) for t in TASKS}
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
