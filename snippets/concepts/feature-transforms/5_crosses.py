# A feature cross: the combination a linear model cannot see and a tree finds on its own.
# Mobile users click far more on feed ads, desktop users far less on sidebar ads: the effect
# of the placement depends on the device. Logistic regression gives each value one weight, so
# it needs the cross device x placement as a column of its own; GBDT splits on device, then on
# placement, and finds the combination itself. Set STRENGTH = 0 and the cross stops mattering.
import math
import random

from mlsd import metrics, show
from mlsd.ranking import GBDT, LogisticRegression, OneHotEncoder

STRENGTH = 1.5                                      # size of the device x placement interaction
N, cut = 8000, 6000                                 # time order: train on the first 6,000
DEVICES, PLACEMENTS = ("mobile", "desktop", "tablet"), ("feed", "sidebar", "search", "top_banner")
MAIN = {"mobile": 0.1, "desktop": 0.0, "tablet": -0.1, "feed": 0.0, "sidebar": -0.3, "search": 0.3, "top_banner": 0.0}

rng = random.Random(0)
records, y, truth = [], [], []
for _ in range(N):
    rec = {"device": rng.choices(DEVICES, weights=(6, 3, 1))[0], "placement": rng.choice(PLACEMENTS),
           "position": float(rng.randint(1, 8)), "ad_quality": rng.random()}
    z = -2.2 + MAIN[rec["device"]] + MAIN[rec["placement"]] - 0.2 * (rec["position"] - 1) + 1.0 * rec["ad_quality"]
    z += STRENGTH * ((rec["device"], rec["placement"]) == ("mobile", "feed"))
    z -= STRENGTH * ((rec["device"], rec["placement"]) == ("desktop", "sidebar"))
    p = 1 / (1 + math.exp(-z))
    records.append(rec)
    truth.append(p)
    y.append(int(rng.random() < p))
y_train, y_test = y[:cut], y[cut:]


def kl(p, q):
    """Mean KL divergence from the true click probability p to the prediction q: how far the model is
    from the truth, whatever the test clicks happened to be (the data are synthetic, so we know p)."""
    return math.fsum(a * math.log(a / b) + (1 - a) * math.log((1 - a) / (1 - b)) for a, b in zip(p, q)) / len(p)


def scored(name, q):
    return {"model": name, "test AUC": round(metrics.roc_auc(y_test, q), 4),
            "KL from the truth (x 1000)": round(1000 * kl(truth[cut:], q), 2)}


def logistic(crosses):
    encoder = OneHotEncoder(numeric=("position", "ad_quality"), categorical=("device", "placement"), crosses=crosses)
    X_train, X_test = encoder.fit_split(records, cut)
    return LogisticRegression(learning_rate=0.05, epochs=3).fit(X_train, y_train).predict_proba(X_test)


def trees(with_cross):
    combos = [(d, p) for d in DEVICES for p in PLACEMENTS]
    X = [[DEVICES.index(r["device"]), PLACEMENTS.index(r["placement"]), r["position"], r["ad_quality"]]
         + ([combos.index((r["device"], r["placement"]))] if with_cross else []) for r in records]
    model = GBDT(n_estimators=30, learning_rate=0.1, num_leaves=8).fit(X[:cut], y_train)
    return model.predict_proba(X[cut:])


rows = [scored("logistic regression", logistic(())),
        scored("logistic regression + device x placement cross", logistic([("device", "placement")])),
        scored("GBDT on the raw fields", trees(False)),
        scored("GBDT + the cross as a field", trees(True))]
show.table(rows, title=f"Test period, {len(y_test):,} impressions; interaction strength {STRENGTH}")
show.bar_chart([r["model"] for r in rows], [r["KL from the truth (x 1000)"] for r in rows],
               y_title="KL from the true probabilities (x 1000)", title="Distance from the truth: lower is better")
lr_plain, lr_cross, gb_plain, gb_cross = (r["KL from the truth (x 1000)"] for r in rows)
print(f"click rate {sum(y) / N:.3f}")
print(f"the cross closes {1 - lr_cross / lr_plain:.0%} of logistic regression's gap to the truth; "
      f"for GBDT it changes the gap from {gb_plain} to {gb_cross}")
# The claims on the page (at the default STRENGTH).
if STRENGTH >= 1:
    assert lr_cross < 0.6 * lr_plain, f"page: the cross closes {1 - lr_cross / lr_plain:.0%} of LR's gap, expected > 40 %"
    assert gb_plain < 0.7 * lr_plain, f"page: GBDT without the cross ({gb_plain}) is well ahead of LR without it ({lr_plain})"
    assert gb_cross <= gb_plain and gb_plain - gb_cross < 0.25 * (lr_plain - lr_cross), \
        f"page: the cross helps GBDT a little ({gb_plain} to {gb_cross}), far less than LR ({lr_plain} to {lr_cross})"
