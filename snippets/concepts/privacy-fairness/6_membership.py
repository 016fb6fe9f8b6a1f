# Membership inference: was this person in the training set? Each person has a column of their
# own (a user id, a rare token) next to 8 shared features. A model that memorizes the id has a
# lower loss on its members, so "low loss = member" is an attack; its ROC-AUC measures the leak.
# With 60 members and 60 non-members one draw is noisy, so the cell repeats
# the experiment on WORLDS independent draws and reports the mean and the range.
import math
import random

from mlsd import metrics, show
from mlsd.privacy import log_losses, predict_logistic, train_logistic

N = 60           # members (the training rows); as many non-members from the same population
D = 8            # shared features; each person also gets a one-hot id column
WORLDS = 5       # independent draws of members, non-members and test people
SETTINGS = {"plain SGD": dict(),
            "L2 = 0.05": dict(l2=0.05),
            "DP-SGD, sigma 1": dict(clip_norm=1.0, noise_multiplier=1.0),
            "DP-SGD, sigma 3": dict(clip_norm=1.0, noise_multiplier=3.0)}


def world(seed):
    rng = random.Random(seed)
    true_w = [rng.gauss(0, 0.5) for _ in range(D)]

    def draw(n, first_id=None):  # rows: shared features, then 2N id columns (members, then non-members)
        X, y = [], []
        for k in range(n):
            x = [rng.gauss(0, 1) for _ in range(D)] + [0.0] * (2 * N)
            if first_id is not None:
                x[D + first_id + k] = 1.0
            X.append(x)
            y.append(int(rng.random() < 1 / (1 + math.exp(-sum(w * v for w, v in zip(true_w, x))))))
        return X, y

    return draw(N, 0), draw(N, N), draw(300)    # members, non-members, new people for the model's quality


runs = {name: [] for name in SETTINGS}
for seed in range(1, WORLDS + 1):
    members, outsiders, (Xt, yt) = world(seed)
    for name, extra in SETTINGS.items():
        w = train_logistic(*members, epochs=40, learning_rate=1.0, batch_size=5, seed=0, **extra)
        loss_in, loss_out = log_losses(w, *members), log_losses(w, *outsiders)
        runs[name].append({
            "attack": metrics.roc_auc([1] * N + [0] * N, [-v for v in loss_in + loss_out]),  # low loss -> "member"
            "test": metrics.roc_auc(yt, predict_logistic(w, Xt)),
            "loss in": sorted(loss_in)[N // 2], "loss out": sorted(loss_out)[N // 2],
            "id weight": max(abs(v) for v in w[D:D + N])})


def mean(name, key):
    return round(math.fsum(r[key] for r in runs[name]) / WORLDS, 4)


rows = [{"training": name, "attack ROC-AUC, mean": mean(name, "attack"),
         "attack ROC-AUC, range": f"{min(r['attack'] for r in runs[name]):.3f}-{max(r['attack'] for r in runs[name]):.3f}",
         "test ROC-AUC, mean": mean(name, "test"),
         "median loss, members": mean(name, "loss in"), "median loss, non-members": mean(name, "loss out"),
         "largest member id weight": round(mean(name, "id weight"), 2)} for name in SETTINGS]
show.table(rows, title=f"{N} members, {N} non-members, mean of {WORLDS} draws; "
                       f"the attack ranks people by the model's loss on them")
show.bar_chart([r["training"] for r in rows], [r["attack ROC-AUC, mean"] for r in rows],
               x_title="training", y_title="membership attack ROC-AUC (0.5 = no leak)",
               title="Regularization and DP-SGD shrink the membership leak")
plain, l2, dp1, dp3 = rows
print(f"plain: median loss {plain['median loss, members']} on members, {plain['median loss, non-members']} "
      f"on non-members; attack ROC-AUC {plain['attack ROC-AUC, mean']} ({plain['attack ROC-AUC, range']})")
print(f"attack ROC-AUC with L2 {l2['attack ROC-AUC, mean']}, DP-SGD sigma 1 {dp1['attack ROC-AUC, mean']}, "
      f"sigma 3 {dp3['attack ROC-AUC, mean']}")
print(f"test ROC-AUC: plain {plain['test ROC-AUC, mean']}, L2 {l2['test ROC-AUC, mean']}, "
      f"DP-SGD sigma 1 {dp1['test ROC-AUC, mean']}, sigma 3 {dp3['test ROC-AUC, mean']}")
assert plain["attack ROC-AUC, mean"] > 0.65, "the loss-threshold attack works on the memorizing model"
assert plain["median loss, members"] < plain["median loss, non-members"], "members have the lower loss"
for r in (l2, dp1):
    assert r["attack ROC-AUC, mean"] < plain["attack ROC-AUC, mean"] - 0.07, \
        f"{r['training']} lowers the mean attack AUC by over 0.07"
assert l2["largest member id weight"] < plain["largest member id weight"] / 5, "L2 keeps the id weights small"
assert plain["test ROC-AUC, mean"] - dp1["test ROC-AUC, mean"] > 0.015, "DP-SGD sigma 1 costs test AUC"
assert dp3["test ROC-AUC, mean"] < min(dp1["test ROC-AUC, mean"], l2["test ROC-AUC, mean"]), \
    "sigma 3 costs more test AUC than sigma 1 or L2"
