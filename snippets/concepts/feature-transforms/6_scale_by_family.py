# Which models care about the scale of a feature? Three features on very different scales:
# text match (0 to 1, the strongest signal), page load time in milliseconds (hundreds to
# thousands, a weak signal) and user age in years (no signal). We train k-nearest neighbours,
# logistic regression by SGD and GBDT on the raw values and on standardized values.
import heapq
import math
import random

from mlsd import metrics, show
from mlsd.ranking import GBDT, LogisticRegression
from mlsd.transforms import Standardizer

K = 25                                               # neighbours that vote
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


def logistic(rows):
    return LogisticRegression(learning_rate=0.02, epochs=3).fit(rows[:cut], y_train).predict_proba(rows[cut:])


def trees(rows):
    return GBDT(n_estimators=20, learning_rate=0.1, num_leaves=6).fit(rows[:cut], y_train).predict_proba(rows[cut:])


table, auc = [], {}
for name, fit in (("k-nearest neighbours", knn), ("logistic regression (SGD)", logistic), ("GBDT", trees)):
    auc[name] = (round(metrics.roc_auc(y_test, fit(X)), 4), round(metrics.roc_auc(y_test, fit(Z)), 4))
    table.append({"model": name, "test AUC, raw features": auc[name][0], "test AUC, standardized": auc[name][1]})
show.table(table, title=f"Click rate {sum(y) / N:.3f}; {len(y_test)} test rows")
for name, (raw, scaled) in auc.items():
    print(f"{name}: raw {raw}, standardized {scaled}, change {scaled - raw:+.4f}")
# The claims on the page.
assert auc["k-nearest neighbours"][1] > auc["k-nearest neighbours"][0] + 0.05, "distances need features on one scale"
assert auc["logistic regression (SGD)"][1] > auc["logistic regression (SGD)"][0] + 0.02, "SGD needs features on one scale"
assert abs(auc["GBDT"][1] - auc["GBDT"][0]) < 0.02, "trees barely care: standardizing keeps the order of the values"
