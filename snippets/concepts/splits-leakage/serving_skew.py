# Training-serving skew: the model is right, the features it is served are not.
# Train logistic regression on the first 4,000 impressions; score the last 2,000 with
# features computed as in training, then with three common serving bugs.
import math

from mlsd import metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, make_clicks
from mlsd.ranking import LogisticRegression, OneHotEncoder

log = make_clicks(n=6000, base_ctr=0.1)
cut = 4000
records = log.records()
encoder = OneHotEncoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES).fit(records[:cut])
model = LogisticRegression(learning_rate=0.02, epochs=3).fit(encoder.transform(records[:cut]), log.labels[:cut])
y_test = log.labels[cut:]

bugs = {
    "same code path as training": lambda r: r,
    "text match as a percentage (0-100)": lambda r: {**r, "text_match": 100 * r["text_match"]},
    "user past CTR missing, filled with 0": lambda r: {**r, "user_past_ctr": 0.0},
    "positions counted from 0": lambda r: {**r, "position": r["position"] - 1},
    "placement renamed online ('feed_v2')": lambda r: {**r, "placement": r["placement"] + "_v2"},
}
rows = []
for name, serve in bugs.items():
    p = model.predict_proba(encoder.transform([serve(r) for r in records[cut:]]))
    rows.append({"serving features": name, "ROC-AUC": round(metrics.roc_auc(y_test, p), 4),
                 "NE": round(metrics.normalized_entropy(y_test, p), 4),
                 "predicted / observed clicks": round(math.fsum(p) / sum(y_test), 2)})
show.table(rows, title="One trained model, five ways of computing its features online")
show.bar_chart([r["serving features"] for r in rows], [r["ROC-AUC"] for r in rows],
               y_title="ROC-AUC online", title="Skew costs online what no offline test shows")
ok = rows[0]
for r in rows[1:]:
    print(f"{r['serving features']}: NE {ok['NE']} -> {r['NE']}, predicted/observed {r['predicted / observed clicks']}")
# The claims on the page.
assert all(r["NE"] > ok["NE"] for r in rows[1:])
assert max(r["NE"] for r in rows[1:]) > 1                    # one bug makes the model worse than no model
assert max(abs(r["predicted / observed clicks"] - 1) for r in rows[1:]) > 0.3   # and breaks calibration
assert abs(ok["predicted / observed clicks"] - 1) < 0.15
assert rows[1]["ROC-AUC"] < 0.62 and rows[1]["predicted / observed clicks"] > 5   # the unit bug collapses it
shifted = rows[3]                                          # positions counted from 0
assert shifted["ROC-AUC"] == ok["ROC-AUC"] and shifted["predicted / observed clicks"] > 1.1   # AUC is blind to it
