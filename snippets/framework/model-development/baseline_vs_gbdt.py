# A ladder of models on one click log, each scored on the last 30% of the log (by time).
# The simulator knows the true click probability of every impression, so the last row
# shows the best any model could do: the room left to improve.
# The log's click probability is mostly a sum of per-feature effects on the log-odds scale; its
# planted interactions (interest x category, device x placement, ...) are modest next to the noise
# (make_clicks' default interaction_strength=1).
from mlsd import metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, make_clicks
from mlsd.ranking import GBDT, LogisticRegression, OneHotEncoder

SEED = 0

log = make_clicks(n=5000, seed=SEED, base_ctr=0.05)   # 5% CTR: a feed-like base rate
y = list(log.labels)
cut = int(len(y) * 0.7)                         # time-based split: the log is sorted by time
y_train, y_test = y[:cut], y[cut:]

base_rate = sum(y_train) / len(y_train)
past_ctr = log.numeric_names.index("ad_past_ctr")

records = log.records()
encoder = OneHotEncoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES).fit(records[:cut])
logreg = LogisticRegression(learning_rate=0.01, epochs=5).fit(encoder.transform(records[:cut]), y_train)

X = log.matrix()                                # numeric columns + integer codes for categories
gbdt = GBDT(n_estimators=20, num_leaves=6, min_data_in_leaf=40, learning_rate=0.2).fit(X[:cut], y_train)

candidates = {
    "constant: the base rate": [base_rate] * len(y_test),
    "heuristic: the ad's past CTR": [row[past_ctr] for row in log.numeric[cut:]],
    "logistic regression": logreg.predict_proba(encoder.transform(records[cut:])),
    "GBDT (20 trees)": gbdt.predict_proba(X[cut:]),
    "best possible (true probabilities)": list(log.true_ctr[cut:]),
}
rows = []
for name, p in candidates.items():
    auc = metrics.roc_auc(y_test, p) if len(set(p)) > 1 else 0.5
    rows.append({"model": name, "ROC-AUC": round(auc, 4), "log loss": round(metrics.log_loss(y_test, p), 4)})
show.table(rows, title=f"{len(y_train)} training rows, {len(y_test)} test rows, {sum(y)} clicks in all (CTR {sum(y) / len(y):.1%})")

const, heuristic, lr, gb, best = rows
print(f"logistic regression vs GBDT: AUC {lr['ROC-AUC']} vs {gb['ROC-AUC']}; "
      f"room left to the best possible: {best['ROC-AUC'] - max(lr['ROC-AUC'], gb['ROC-AUC']):.3f}")

assert heuristic["ROC-AUC"] > 0.5                              # a heuristic ranks a little...
assert lr["ROC-AUC"] > heuristic["ROC-AUC"] + 0.05              # ...a learned baseline far better
assert lr["log loss"] < const["log loss"] and gb["log loss"] < const["log loss"]
assert lr["ROC-AUC"] > gb["ROC-AUC"]                           # on this log, trees do not win
assert best["ROC-AUC"] > max(lr["ROC-AUC"], gb["ROC-AUC"])     # and there is room left
