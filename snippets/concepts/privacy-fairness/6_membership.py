# Membership inference: was this person in the training set? Each person has a column of their
# own (a user id, a rare token) next to 8 shared features. A model that memorizes the id has a
# lower loss on its members, so "low loss = member" is an attack; its ROC-AUC measures the leak.
import math
import random

from mlsd import metrics, show
from mlsd.privacy import log_losses, predict_logistic, train_logistic

N = 60           # members (the training rows); as many non-members from the same population
D = 8            # shared features; each person also gets a one-hot id column
SETTINGS = {"plain SGD": dict(),
            "L2 = 0.05": dict(l2=0.05),
            "DP-SGD, sigma 1": dict(clip_norm=1.0, noise_multiplier=1.0),
            "DP-SGD, sigma 3": dict(clip_norm=1.0, noise_multiplier=3.0)}

rng = random.Random(21)
true_w = [rng.gauss(0, 0.5) for _ in range(D)]


def draw(n, first_id=None):      # rows: shared features, then 2N id columns (members, then non-members)
    X, y = [], []
    for k in range(n):
        x = [rng.gauss(0, 1) for _ in range(D)] + [0.0] * (2 * N)
        if first_id is not None:
            x[D + first_id + k] = 1.0
        X.append(x)
        y.append(int(rng.random() < 1 / (1 + math.exp(-sum(w * v for w, v in zip(true_w, x))))))
    return X, y


members, outsiders = draw(N, 0), draw(N, N)
Xt, yt = draw(300)                              # new people, for the model's own quality
rows = []
for name, extra in SETTINGS.items():
    w = train_logistic(*members, epochs=40, learning_rate=1.0, batch_size=5, seed=0, **extra)
    loss_in, loss_out = log_losses(w, *members), log_losses(w, *outsiders)
    attack = metrics.roc_auc([1] * N + [0] * N, [-v for v in loss_in + loss_out])   # low loss -> "member"
    rows.append({"training": name, "test ROC-AUC": round(metrics.roc_auc(yt, predict_logistic(w, Xt)), 4),
                 "median loss, members": round(sorted(loss_in)[N // 2], 4),
                 "median loss, non-members": round(sorted(loss_out)[N // 2], 4),
                 "largest id weight": round(max(abs(v) for v in w[D:D + N]), 3),
                 "attack ROC-AUC": round(attack, 4)})
show.table(rows, title=f"{N} members, {N} non-members; the attack ranks people by the model's loss on them")
show.bar_chart([r["training"] for r in rows], [r["attack ROC-AUC"] for r in rows],
               x_title="training", y_title="membership attack ROC-AUC (0.5 = no leak)",
               title="Regularization and DP-SGD shrink the membership leak")
plain, l2, dp1, dp3 = rows
print(f"plain: median loss {plain['median loss, members']} on members, {plain['median loss, non-members']} "
      f"on non-members; attack ROC-AUC {plain['attack ROC-AUC']}")
print(f"attack ROC-AUC with L2 {l2['attack ROC-AUC']}, DP-SGD sigma 1 {dp1['attack ROC-AUC']}, "
      f"sigma 3 {dp3['attack ROC-AUC']}; test ROC-AUC {plain['test ROC-AUC']} -> {l2['test ROC-AUC']}, "
      f"{dp1['test ROC-AUC']}, {dp3['test ROC-AUC']}")
assert plain["attack ROC-AUC"] > 0.6, "the loss-threshold attack works on the memorizing model"
assert plain["median loss, members"] < plain["median loss, non-members"], "members have the lower loss"
assert l2["attack ROC-AUC"] < plain["attack ROC-AUC"] - 0.05, "L2 lowers the attack's AUC"
assert dp1["attack ROC-AUC"] < plain["attack ROC-AUC"] - 0.05, "DP-SGD lowers the attack's AUC"
assert l2["largest id weight"] < plain["largest id weight"], "L2 keeps the id weights small"
