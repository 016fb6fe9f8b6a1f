# Which models care about the scale of a feature? Three features on very different scales:
# text match (0 to 1, the strongest signal), page load time in milliseconds (hundreds to
# thousands, a weak signal) and user age in years (no signal). We train k-nearest neighbours,
# logistic regression by SGD and GBDT on the raw values and on standardized values. Raw SGD also
# gets its best learning rate out of a range of RATES (picked on the test rows, in its favour).
import heapq
import math
import random

from mlsd import metrics, show
from mlsd.ranking import GBDT, LogisticRegression
from mlsd.transforms import Standardizer

K = 25                                               # neighbours that vote
RATES = (0.02, 2e-3, 2e-4, 2e-5, 2e-6, 2e-7)         # learning rates tried for SGD on raw values
N, cut = 1600, 1200                                  # time order: train on the first 1,200

rng = random.Random(0)
X, y = [], []
for _ in range(N):
    match, load, age = rng.betavariate(2, 3), rng.lognormvariate(6.8, 0.5), float(rng.randint(18, 70))
    z = -2.0 + 3.0 * match - 0.0004 * load
    X.append([match, load, age])
    y.append(int(rng.random() < 1 / (1 + math.exp(-z))))
y_train, y_test = y[:cut], y[cut:]
scalers = [Standardizer().fit([r[j] for r in X[:cut]]) for j in range(3)]
Z = [list(col) for col in zip(*(s.transform([r[j] for r in X]) for j, s in enumerate(scalers)))]


def knn(rows):
    """Share of clicks among the K training rows nearest to each test row (Euclidean distance)."""
    train = rows[:cut]
    scores = []
    for q in rows[cut:]:
        near = heapq.nsmallest(K, range(cut), key=lambda i: math.dist(train[i], q))
        scores.append(sum(y_train[i] for i in near) / K)
    return scores


def logistic(rows, rate=0.02):
    return LogisticRegression(learning_rate=rate, epochs=3).fit(rows[:cut], y_train).predict_proba(rows[cut:])


def trees(rows):
    return GBDT(n_estimators=20, learning_rate=0.1, num_leaves=6).fit(rows[:cut], y_train).predict_proba(rows[cut:])


table, auc = [], {}
for name, fit in (("k-nearest neighbours", knn), ("logistic regression (SGD)", logistic), ("GBDT", trees)):
    auc[name] = (round(metrics.roc_auc(y_test, fit(X)), 4), round(metrics.roc_auc(y_test, fit(Z)), 4))
    table.append({"model": name, "test AUC, raw features": auc[name][0], "test AUC, standardized": auc[name][1]})
raw_lr = logistic(X)
saturated = sum(p in (0.0, 1.0) for p in raw_lr) / len(raw_lr)
by_rate = {r: round(metrics.roc_auc(y_test, logistic(X, r)), 4) for r in RATES}
best_rate = max(by_rate, key=by_rate.get)
table.append({"model": f"logistic regression (SGD), best of {len(RATES)} learning rates on raw",
              "test AUC, raw features": by_rate[best_rate], "test AUC, standardized": auc["logistic regression (SGD)"][1]})
divided = [[v / s.std for v, s in zip(r, scalers)] for r in X]       # scaled but not centred
same_trees = trees(divided) == trees(X)
show.table(table, title=f"Click rate {sum(y) / N:.3f}; {len(y_test)} test rows")
for name, (raw, scaled) in auc.items():
    print(f"{name}: raw {raw}, standardized {scaled}, change {scaled - raw:+.4f}")
print(f"SGD on raw values at rate 0.02: {saturated:.0%} of test predictions are exactly 0 or 1")
print(f"SGD on raw values, best learning rate {best_rate:g}: AUC {by_rate[best_rate]} "
      f"(standardized, rate 0.02: {auc['logistic regression (SGD)'][1]})")
print(f"GBDT on values divided by their sd but not centred: predictions identical to raw: {same_trees}")
# The claims on the page.
assert auc["k-nearest neighbours"][1] > auc["k-nearest neighbours"][0] + 0.05, "page: k-NN distances need features on one scale"
assert auc["logistic regression (SGD)"][0] < 0.52 and saturated > 0.5, \
    f"page: SGD on raw values saturates (AUC {auc['logistic regression (SGD)'][0]}, {saturated:.0%} of predictions at 0 or 1)"
assert by_rate[best_rate] < auc["logistic regression (SGD)"][1] - 0.02, \
    f"page: no learning rate rescues raw SGD (best {by_rate[best_rate]}, standardized {auc['logistic regression (SGD)'][1]})"
assert abs(auc["GBDT"][1] - auc["GBDT"][0]) < 0.02, f"page: GBDT moves by {auc['GBDT'][1] - auc['GBDT'][0]:+.4f} only"
assert same_trees, "page: rescaling without centring leaves the trees identical; only moving values across zero changes them"
