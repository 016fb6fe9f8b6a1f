# The model behind the rules. The incumbent is a logistic regression on per-payment features
# (amount, merchant category, foreign IP, night, new device, amount versus the card's usual).
# Challengers add the velocity features, then swap in a GBDT. Each trains on days 7-56 on every
# fraud the rules let through and 5 % of the good payments, then is recalibrated; the test is
# days 56-84, with every label matured (a backtest run months later).
from mlsd import metrics, show
from casestudies import payment_fraud as pf

w = pf.world()
table = {}
for kind, name in [("incumbent", "incumbent: logistic regression, per-payment features"),
                   ("lr+velocity", "logistic regression + velocity features"),
                   ("challenger", "challenger: GBDT + velocity features")]:
    idx, p = pf.scores(kind)
    y = [w.fraud[i] for i in idx]
    top = sorted(range(len(p)), key=lambda k: -p[k])[:len(p) // 200]     # the top 0.5 %
    table[kind] = {"model": name, "ROC-AUC": round(metrics.roc_auc(y, p), 3),
                   "PR-AUC": round(metrics.average_precision(y, p), 3),
                   "recall in top 0.5 %": round(sum(y[k] for k in top) / sum(y), 3),
                   "mean predicted": round(sum(p) / len(p), 4)}
show.table(list(table.values()),
           title=f"Test, days 56-84, after the rules: {len(y):,} payments, {sum(y)} frauds, "
                 f"rate {sum(y) / len(y):.4f}")

model = pf.trained("challenger").model
gains = model.feature_importance(list(pf.FEATURES))
total = sum(g for _, g in gains)
show.bar_chart([n for n, _ in gains[:8]], [round(g / total, 3) for _, g in gains[:8]],
               y_title="share of split gain", title="What the challenger uses most")

inc, lrv, ch = (table[k] for k in ("incumbent", "lr+velocity", "challenger"))
print(f"challenger vs incumbent: PR-AUC {inc['PR-AUC']} -> {ch['PR-AUC']}, "
      f"recall in the top 0.5 % {inc['recall in top 0.5 %']:.0%} -> {ch['recall in top 0.5 %']:.0%}")
assert ch["PR-AUC"] > 1.5 * inc["PR-AUC"]                   # a large gain where it matters
assert lrv["PR-AUC"] - inc["PR-AUC"] > ch["PR-AUC"] - lrv["PR-AUC"]   # features > model
assert ch["PR-AUC"] >= max(r["PR-AUC"] for r in table.values())
assert all(0.5 < r["mean predicted"] / (sum(y) / len(y)) < 1.5 for r in table.values())  # calibrated
assert any(n.startswith(("device_", "card_tx")) for n, _ in gains[:3])   # velocity at the top
