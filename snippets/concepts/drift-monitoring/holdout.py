# A feedback loop in monitoring: a fraud model blocks its highest-scored payments, and a
# blocked payment never gets a label (nobody learns whether it was fraud). Quality measured
# on the labels you do get is biased. A small random holdout, never blocked, is not.
import math
import random
from mlsd import metrics, show

PAYMENTS = 40_000
BLOCK_SHARE = 0.05          # the model blocks its top 5 % of scores
HOLDOUT = 0.05              # share of payments let through whatever the score
SEED = 0
CASE_STUDY_FRAUD_RATE = 0.004   # the payment-fraud case study's base rate (about 0.4 % of payments)

rng = random.Random(SEED)
risk = [rng.gauss(0, 1) for _ in range(PAYMENTS)]                 # the true, hidden risk
# About 4 % fraud: ten times the case study's rate, so that a holdout of a page-sized sample
# holds enough fraud to measure anything (see the last lines printed).
fraud = [1 if rng.random() < 1 / (1 + math.exp(5.5 - 2.5 * r)) else 0 for r in risk]
score = [r + rng.gauss(0, 0.6) for r in risk]                     # the model sees risk with noise
threshold = sorted(score)[int((1 - BLOCK_SHARE) * PAYMENTS)]
in_holdout = [rng.random() < HOLDOUT for _ in range(PAYMENTS)]
blocked = [s >= threshold and not h for s, h in zip(score, in_holdout)]

labelled = [i for i in range(PAYMENTS) if not blocked[i]]       # what monitoring can see
holdout = [i for i in range(PAYMENTS) if in_holdout[i]]


def auc(idx):
    return metrics.roc_auc([fraud[i] for i in idx], [score[i] for i in idx])


def would_block(idx):
    return [i for i in idx if score[i] >= threshold]


true_precision = sum(fraud[i] for i in would_block(range(PAYMENTS))) / len(would_block(range(PAYMENTS)))
hold_block = would_block(holdout)
rows = [{"measured on": "every payment (unknowable in production)", "payments": PAYMENTS,
         "fraud rate": round(sum(fraud) / PAYMENTS, 4), "AUC": round(auc(range(PAYMENTS)), 3),
         "precision of blocks": round(true_precision, 3)},
        {"measured on": "labelled payments only (the naive dashboard)", "payments": len(labelled),
         "fraud rate": round(sum(fraud[i] for i in labelled) / len(labelled), 4), "AUC": round(auc(labelled), 3),
         "precision of blocks": "unknown"},
        {"measured on": f"the {HOLDOUT:.0%} random holdout", "payments": len(holdout),
         "fraud rate": round(sum(fraud[i] for i in holdout) / len(holdout), 4), "AUC": round(auc(holdout), 3),
         "precision of blocks": round(sum(fraud[i] for i in hold_block) / len(hold_block), 3)}]
show.bar_chart([r["measured on"] for r in rows], [r["AUC"] for r in rows], y_title="AUC of the fraud model",
               title="The same model, measured on three samples")
show.table(rows)
truth, naive, hold = rows
print(f"the naive dashboard reports AUC {naive['AUC']} and fraud rate {naive['fraud rate']:.2%}; "
      f"the truth is {truth['AUC']} and {truth['fraud rate']:.2%}")
print(f"the holdout estimates AUC {hold['AUC']} from {len(holdout):,} payments, and the precision of blocks "
      f"from the {len(hold_block)} it would have blocked")
hold_fraud = sum(fraud[i] for i in holdout)
se = metrics.auc_standard_error(hold["AUC"], hold_fraud, len(holdout) - hold_fraud)
print(f"the holdout's AUC is off by {hold['AUC'] - truth['AUC']:+.3f}, with a standard error of {se:.3f} "
      f"({abs(hold['AUC'] - truth['AUC']) / se:.1f} standard errors)")
needed = hold_fraud / (CASE_STUDY_FRAUD_RATE * HOLDOUT)
print(f"the holdout holds {hold_fraud} frauds; at the case study's {CASE_STUDY_FRAUD_RATE:.1%} fraud rate, "
      f"a {HOLDOUT:.0%} holdout needs {needed:,.0f} payments to hold as many "
      f"({needed / PAYMENTS:.1f}x this toy's traffic)")
# The claims on the page, for the settings above.
if (PAYMENTS, BLOCK_SHARE, HOLDOUT, SEED) == (40_000, 0.05, 0.05, 0):
    assert truth["AUC"] - naive["AUC"] > 0.03                 # the blocked region is missing
    assert naive["fraud rate"] < 0.7 * truth["fraud rate"]     # caught fraud never shows up as fraud
    assert abs(hold["AUC"] - truth["AUC"]) < 2 * se                 # within sampling noise
    assert abs(hold["precision of blocks"] - truth["precision of blocks"]) < 0.1
    assert truth["fraud rate"] > 5 * CASE_STUDY_FRAUD_RATE and needed > 5 * PAYMENTS   # why the toy's rate is higher
