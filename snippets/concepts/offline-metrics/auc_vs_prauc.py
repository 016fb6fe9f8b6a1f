# ROC-AUC and PR-AUC as the positive class gets rarer.
# The same 200 positives every time, plus more and more negatives drawn from the
# same distribution: the model is exactly as good, only the base rate changes.
# Scores: negatives ~ Normal(0, 1), positives ~ Normal(SEPARATION, 1).
import random

from mlsd import metrics, show
from mlsd.stats import norm_cdf

SEPARATION = 1.5          # how far positives score above negatives, in standard deviations
POSITIVES = 200
POSITIVE_RATES = [0.5, 0.2, 0.1, 0.05, 0.02]

rng = random.Random(7)
positives = [rng.normalvariate(SEPARATION, 1.0) for _ in range(POSITIVES)]
most = round(POSITIVES * (1 - min(POSITIVE_RATES)) / min(POSITIVE_RATES))
negative_pool = [rng.normalvariate(0.0, 1.0) for _ in range(most)]
rows = []
for rate in POSITIVE_RATES:
    n_neg = round(POSITIVES * (1 - rate) / rate)
    labels = [1] * POSITIVES + [0] * n_neg
    scores = positives + negative_pool[:n_neg]
    coin = [rng.random() for _ in labels]          # a model that knows nothing
    rows.append({
        "positive rate": rate,
        "negatives": n_neg,
        "ROC-AUC": round(metrics.roc_auc(labels, scores), 3),
        "PR-AUC": round(metrics.average_precision(labels, scores), 3),
        "PR-AUC of random scores": round(metrics.average_precision(labels, coin), 3),
    })

show.table(rows, title="Same positives, same score distributions, more negatives")
show.line_chart([100 * r["positive rate"] for r in rows],
                {name: [r[name] for r in rows] for name in ("ROC-AUC", "PR-AUC", "PR-AUC of random scores")},
                x_title="positive rate (%)", y_title="metric",
                title="ROC-AUC ignores the base rate; PR-AUC does not")

theory = norm_cdf(SEPARATION / 2 ** 0.5)   # binormal model: AUC = Phi(d / sqrt 2)
aucs = [r["ROC-AUC"] for r in rows]
first, last = rows[0], rows[-1]
print(f"ROC-AUC: {theory:.3f} in theory, {min(aucs):.3f} to {max(aucs):.3f} measured")
print(f"PR-AUC: {first['PR-AUC']:.3f} at {first['positive rate']:.0%} positives, "
      f"{last['PR-AUC']:.3f} at {last['positive rate']:.0%}")
# The claims on the page, checked for the settings above.
if (SEPARATION, POSITIVES, POSITIVE_RATES) == (1.5, 200, [0.5, 0.2, 0.1, 0.05, 0.02]):
    assert max(aucs) - min(aucs) < 0.02 and all(abs(a - theory) < 0.03 for a in aucs)
    assert last["PR-AUC"] < first["PR-AUC"] / 3
    # a random ranking's PR-AUC sits near the positive rate, not near 0.5
    assert all(abs(r["PR-AUC of random scores"] - r["positive rate"]) < 0.05 for r in rows)
