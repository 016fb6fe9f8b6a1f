# Label noise: train on corrupted labels, test on clean ones. Symmetric noise flips any label
# with probability r; "missed positives" turns a positive into a negative with probability r
# (an annotator or a log that misses cases) and never touches a negative. NOISE_RATES is the knob.
import math
import random

from mlsd import metrics, show
from mlsd.labeling import flip_labels
from mlsd.ranking import LogisticRegression

NOISE_RATES = [0.0, 0.1, 0.2, 0.3, 0.4]
WEIGHTS = [1.2, -0.9, 0.7, 0.5, -0.4, 0.0]      # the true model; the last feature is useless
rng = random.Random(0)
X, y = [], []
for _ in range(3000):
    x = [rng.gauss(0, 1) for _ in WEIGHTS]
    X.append(dict(enumerate(x)))      # sparse rows: the model reads them without conversion
    y.append(int(rng.random() < 1 / (1 + math.exp(2.0 - sum(w * v for w, v in zip(WEIGHTS, x))))))
X_train, y_train, X_test, y_test = X[:1500], y[:1500], X[1500:], y[1500:]
base = sum(y_test) / len(y_test)

rows, auc = [], {"symmetric": [], "missed positives": []}
for r in NOISE_RATES:
    for kind, (flip_pos, flip_neg) in (("symmetric", (r, r)), ("missed positives", (r, 0.0))):
        if r == 0 and kind != "symmetric":          # no noise is the same run for both kinds
            rows.append({**rows[-1], "noise": kind})
            auc[kind].append(rows[-1]["test AUC (clean labels)"])
            continue
        noisy = flip_labels(y_train, flip_pos, flip_neg, seed=1)
        p = LogisticRegression(learning_rate=0.05, epochs=4).fit(X_train, noisy).predict_proba(X_test)
        # If the flip rates are known (from a re-labelled audit sample), invert them:
        # P(noisy 1 | x) = flip_neg + (1 - flip_pos - flip_neg) P(clean 1 | x).
        fixed = [min(1.0, max(0.0, (q - flip_neg) / (1 - flip_pos - flip_neg))) for q in p]
        changed = sum(a != b for a, b in zip(noisy, y_train)) / len(y_train)
        positives = [i for i, v in enumerate(noisy) if v]
        rows.append({"noise": kind, "rate r": r, "training labels changed": round(changed, 3),
                     "noisy positives truly positive": round(sum(y_train[i] for i in positives) / len(positives), 3),
                     "test AUC (clean labels)": round(metrics.roc_auc(y_test, p), 4),
                     "predicted / actual positives": round(math.fsum(p) / sum(y_test), 2),
                     "ECE": round(metrics.expected_calibration_error(y_test, p), 3),
                     "ECE, rates inverted": round(metrics.expected_calibration_error(y_test, fixed), 3)})
        auc[kind].append(rows[-1]["test AUC (clean labels)"])
show.table(rows, title=f"Logistic regression on 1,500 noisy labels, tested on 1,500 clean ones ({base:.1%} positive)")
show.line_chart(NOISE_RATES, auc, x_title="noise rate r", y_title="test AUC on clean labels",
                title="Missed positives barely hurt the ranking; symmetric noise does")

sym = {r["rate r"]: r for r in rows if r["noise"] == "symmetric"}
miss = {r["rate r"]: r for r in rows if r["noise"] == "missed positives"}
print(f"r = 0.4: symmetric AUC {sym[0.4]['test AUC (clean labels)']}, missed positives "
      f"{miss[0.4]['test AUC (clean labels)']}, clean {sym[0.0]['test AUC (clean labels)']}")
print(f"r = 0.4: predicted/actual positives {sym[0.4]['predicted / actual positives']} (symmetric), "
      f"{miss[0.4]['predicted / actual positives']} (missed)")
print(f"r = 0.2, symmetric: ECE {sym[0.2]['ECE']}, {sym[0.2]['ECE, rates inverted']} once the known rates are inverted")
# The claims on the page.
clean = sym[0.0]["test AUC (clean labels)"]
assert all(clean - m["test AUC (clean labels)"] < 0.02 for m in miss.values()), \
    "missed positives cost less than 0.02 AUC at every rate"
assert clean - sym[0.4]["test AUC (clean labels)"] > 0.05, "symmetric noise at 0.4 costs over 0.05 AUC"
assert sym[0.4]["test AUC (clean labels)"] < miss[0.4]["test AUC (clean labels)"], "symmetric hurts ranking more"
assert sym[0.4]["noisy positives truly positive"] < 0.4, "at r = 0.4 most 'positives' are flipped negatives"
assert all(sym[r]["predicted / actual positives"] > 1.2 for r in NOISE_RATES[2:]), "symmetric noise over-predicts from r = 0.2"
assert miss[0.4]["predicted / actual positives"] < 0.85, "missed positives under-predict"
assert sym[0.2]["ECE, rates inverted"] < sym[0.2]["ECE"] / 2, \
    "inverting known rates repairs most of the calibration lost to symmetric noise"
if NOISE_RATES == [0.0, 0.1, 0.2, 0.3, 0.4]:     # the figures the page quotes
    assert (clean, miss[0.4]["test AUC (clean labels)"], sym[0.4]["test AUC (clean labels)"]) == (0.8551, 0.8526, 0.7478), \
        "the page quotes AUC 0.8551 clean, 0.8526 missed positives, 0.7478 symmetric at r = 0.4"
    assert (miss[0.4]["predicted / actual positives"], sym[0.4]["predicted / actual positives"],
            sym[0.4]["noisy positives truly positive"]) == (0.61, 1.99, 0.296), \
        "the page quotes 0.61x and 1.99x the positives, 0.296 of symmetric 'positives' real at r = 0.4"
    assert (sym[0.4]["training labels changed"], miss[0.4]["training labels changed"]) == (0.389, 0.087), \
        "the page quotes 0.389 and 0.087 of labels changed at r = 0.4"
    assert (sym[0.2]["ECE"], sym[0.2]["ECE, rates inverted"]) == (0.142, 0.049), "the page quotes ECE 0.142 -> 0.049 at r = 0.2"
