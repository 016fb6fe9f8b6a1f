# Why fraud teams report PR-AUC, not ROC-AUC. The same two models, three ways of looking.
import random

from mlsd import metrics, show
from casestudies import payment_fraud as pf

w = pf.world()
idx, p_inc = pf.scores("incumbent")
_, p_ch = pf.scores("challenger")
y = [w.fraud[i] for i in idx]
neg = sum(1 for v in y if v == 0)


def tpr_at_fpr(y, p, fpr):
    """Share of frauds caught when `fpr` of the good payments are flagged."""
    cut = sorted((s for s, v in zip(p, y) if v == 0), reverse=True)[int(fpr * neg)]
    return sum(1 for s, v in zip(p, y) if v == 1 and s > cut) / sum(y)


rows = []
for name, p in [("incumbent", p_inc), ("challenger", p_ch)]:
    rows.append({"model": name, "ROC-AUC": round(metrics.roc_auc(y, p), 3),
                 "frauds caught at 0.1 % FPR": round(tpr_at_fpr(y, p, 0.001), 3),
                 "at 1 % FPR": round(tpr_at_fpr(y, p, 0.01), 3),
                 "at 10 % FPR": round(tpr_at_fpr(y, p, 0.10), 3),
                 "PR-AUC": round(metrics.average_precision(y, p), 3)})
show.table(rows, title="Where the two models differ: the first fraction of a per cent of alerts")

# Precision at each recall: the share of alerts that are fraud, the number an analyst feels.
grid = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
curves = {}
for name, p in [("incumbent", p_inc), ("challenger", p_ch)]:
    prec, rec, _ = metrics.precision_recall_curve(y, p)
    curves[name] = [round(max(pr for pr, r in zip(prec, rec) if r >= g), 3) for g in grid]
show.line_chart(grid, curves, x_title="recall (share of frauds caught)", y_title="precision",
                title="Precision-recall on the test window")

# A common mistake: judge the model on a balanced sample (every fraud, as many good payments).
rng = random.Random(0)
keep = [k for k, v in enumerate(y) if v == 1]
keep += rng.sample([k for k, v in enumerate(y) if v == 0], len(keep))
yb = [y[k] for k in keep]
balanced = [{"model": name, "ROC-AUC": round(metrics.roc_auc(yb, [p[k] for k in keep]), 3),
             "PR-AUC": round(metrics.average_precision(yb, [p[k] for k in keep]), 3)}
            for name, p in [("incumbent", p_inc), ("challenger", p_ch)]]
show.table(balanced, title=f"The same models on a balanced sample ({len(keep)} payments)")

inc, ch = rows
binc, bch = balanced
print(f"ROC-AUC moves by {ch['ROC-AUC'] - inc['ROC-AUC']:+.3f}; PR-AUC by "
      f"{ch['PR-AUC'] - inc['PR-AUC']:+.3f}; at 0.1 % FPR the challenger catches "
      f"{ch['frauds caught at 0.1 % FPR'] / inc['frauds caught at 0.1 % FPR']:.1f}x as much fraud")
assert ch["ROC-AUC"] - inc["ROC-AUC"] < 0.05                 # ROC-AUC barely sees the gap
assert ch["PR-AUC"] > 1.5 * inc["PR-AUC"]                   # PR-AUC does
assert ch["frauds caught at 0.1 % FPR"] > 1.5 * inc["frauds caught at 0.1 % FPR"]
assert abs(ch["at 10 % FPR"] - inc["at 10 % FPR"]) < 0.1     # far down the list they are alike
assert all(abs(b["ROC-AUC"] - r["ROC-AUC"]) < 0.05 for b, r in zip(balanced, rows))  # ROC ignores the base rate
assert all(b["PR-AUC"] > r["PR-AUC"] + 0.2 for b, r in zip(balanced, rows))  # PR-AUC does not
