# Offline metrics side by side. Model B is model A pushed through a monotone
# function: it ranks every impression in the same order, but its probabilities are off.
import math
import random
from mlsd import metrics, show
from mlsd.data.clicks import make_clicks

log = make_clicks(n=5000, seed=0)
y = list(log.labels)
rng = random.Random(1)
logit = lambda p: math.log(p / (1 - p))        # noqa: E731
sigmoid = lambda z: 1 / (1 + math.exp(-z))     # noqa: E731

model_a = [sigmoid(logit(p) + rng.gauss(0, 0.6)) for p in log.true_ctr]   # noisy but calibrated
model_b = [sigmoid(1.5 * logit(p) + 3.0) for p in model_a]               # same order, overconfident

def report(name, p):
    return {"model": name,
            "ROC-AUC": round(metrics.roc_auc(y, p), 4),
            "PR-AUC": round(metrics.average_precision(y, p), 4),
            "best F1": round(metrics.best_f1_threshold(y, p)[1], 4),
            "log loss": round(metrics.log_loss(y, p), 4),
            "normalized entropy": round(metrics.normalized_entropy(y, p), 4),
            "ECE": round(metrics.expected_calibration_error(y, p), 4),
            "mean prediction": round(sum(p) / len(p), 4)}

a, b = report("A: calibrated", model_a), report("B: same order, overconfident", model_b)
show.table([a, b], title=f"One click log ({sum(y)} clicks in {len(y)} impressions), two models")

for ranking_metric in ("ROC-AUC", "PR-AUC", "best F1"):
    assert a[ranking_metric] == b[ranking_metric]        # order-only metrics cannot tell them apart
assert a["normalized entropy"] < 1 < b["normalized entropy"]   # B is worse than predicting the base rate
assert b["ECE"] > 5 * a["ECE"]
print(f"ranking metrics agree; log loss {a['log loss']} vs {b['log loss']} tells them apart")

# Top-k metrics for a ranked list. Both lists hold 3 relevant items in their top 10,
# but list A puts them first and list B last.
relevant = {"v1", "v2", "v3"}
list_a = ["v1", "v2", "v3"] + [f"x{i}" for i in range(7)]
list_b = [f"x{i}" for i in range(7)] + ["v1", "v2", "v3"]
rows = []
for name, ranked in (("relevant first", list_a), ("relevant last", list_b)):
    rows.append({"list": name,
                 "precision@10": round(metrics.precision_at_k(ranked, relevant, 10), 4),
                 "recall@10": round(metrics.recall_at_k(ranked, relevant, 10), 4),
                 "MRR": round(metrics.reciprocal_rank(ranked, relevant), 4),
                 "nDCG@10": round(metrics.ndcg_at_k(ranked, relevant, 10), 4)})
show.table(rows, title="Same hits, different order")
assert rows[0]["precision@10"] == rows[1]["precision@10"] == 0.3
assert rows[0]["nDCG@10"] == 1.0 and rows[1]["nDCG@10"] < 0.5   # only order-aware metrics see it
