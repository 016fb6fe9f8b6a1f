# Distillation: a small student trained on a bigger teacher's scores instead of the 0/1 labels.
# Click log with an 8 % click rate and strong interactions, in time order: the teacher (60
# boosted trees) learns from the first 2,000 labelled impressions; students (one hidden layer of
# 1 to 4 units) learn either from those labels or from the teacher's probabilities on the same
# rows plus TRANSFER later impressions whose labels have not arrived yet. Test: the last 2,000.
from mlsd import show
from mlsd.compression import TinyMLP, soft_targets
from mlsd.data.clicks import NUMERIC_FEATURES, make_clicks
from mlsd.metrics import roc_auc
from mlsd.ranking import GBDT

LABELLED, TRANSFER, TEST = 2000, 3000, 2000
HIDDEN = [1, 2, 4]
TEMPERATURE = 1.0          # > 1 flattens the teacher's probabilities towards 0.5

log = make_clicks(n=LABELLED + TRANSFER + TEST, seed=0, base_ctr=0.08, interaction_strength=3.0)


def features(r):           # 12 numeric features and 5 indicators the interactions need
    return [float(r[f]) for f in NUMERIC_FEATURES] + [
        float(r["device"] == "mobile"), float(r["placement"] == "feed"), float(r["placement"] == "sidebar"),
        float(r["placement"] == "search"), float(r["user_interest"] == r["ad_category"])]


X, y = [features(r) for r in log.records()], list(log.labels)
split = LABELLED + TRANSFER
X_test, y_test = X[split:], y[split:]

teacher = GBDT(n_estimators=60, learning_rate=0.1, num_leaves=4).fit(X[:LABELLED], y[:LABELLED])
teacher_size = sum(2 * sum(f >= 0 for f in t.feature) + sum(f < 0 for f in t.feature) for t in teacher.trees)
teacher_auc = roc_auc(y_test, teacher.decision_function(X_test))
soft = soft_targets(teacher.decision_function(X[:split]), TEMPERATURE)


def student(h, X_fit, targets):
    model = TinyMLP(hidden=h, learning_rate=0.03, epochs=4).fit(X_fit, targets)
    return model.n_params, round(roc_auc(y_test, model.decision_function(X_test)), 4)


rows = []
for h in HIDDEN:
    size, hard = student(h, X[:LABELLED], y[:LABELLED])
    _, distilled = student(h, X[:split], soft)
    rows.append({"hidden units": h, "parameters": size, "AUC, labels": hard, "AUC, distilled": distilled,
                 "gain": round(distilled - hard, 4)})
_, soft_only = student(2, X[:LABELLED], soft[:LABELLED])
show.table(rows, title=f"Students against the teacher (AUC {teacher_auc:.4f}, about {teacher_size} numbers)")
show.line_chart([r["parameters"] for r in rows],
                {"trained on labels": [r["AUC, labels"] for r in rows],
                 "distilled from the teacher": [r["AUC, distilled"] for r in rows],
                 "teacher": [round(teacher_auc, 4)] * len(rows)},
                x_title="student parameters", y_title="test AUC", y_zero=False,
                title="Quality against size: distilled students sit closer to the teacher")
two = rows[HIDDEN.index(2)]
print(f"test period: {TEST} impressions, {sum(y_test)} clicks; oracle AUC (true probabilities) "
      f"{roc_auc(y_test, log.true_ctr[split:]):.4f}")
print(f"teacher: 60 trees, about {teacher_size} numbers, AUC {teacher_auc:.4f}")
print(f"2 hidden units ({two['parameters']} parameters): labels {two['AUC, labels']}, teacher's scores on the "
      f"labelled rows only {soft_only}, with {TRANSFER} unlabelled rows {two['AUC, distilled']}")
mean_gain = sum(r["gain"] for r in rows) / len(rows)
print(f"mean gain over the {len(rows)} student sizes: {mean_gain:+.4f}")
# The claims on the page (one draw; on other seeds the 2-unit gain stayed above 0.01, the others varied, 1 unit once slightly negative).
assert two["AUC, distilled"] > two["AUC, labels"] + 0.01, "distillation lifts the 2-unit student by more than 0.01 AUC"
assert teacher_auc - two["AUC, distilled"] < 0.5 * (teacher_auc - two["AUC, labels"]), \
    "the distilled 2-unit student closes more than half of its gap to the teacher"
assert mean_gain > 0, "on average over the student sizes, distilled students beat label-trained ones"
assert soft_only > two["AUC, labels"], "the teacher's scores help even on the labelled rows alone"
assert teacher_size > 10 * two["parameters"], "the teacher is more than ten times the 2-unit student"
