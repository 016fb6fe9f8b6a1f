# A heavy-tailed count, four ways, for logistic regression and for GBDT.
# "views" (how often the item was viewed last week) follows a log-normal law: most items have a
# handful of views, a few have thousands. The click log-odds grow with log(1 + views), as
# popularity effects usually do. Change N_BINS and watch the two kinds of bins.
import math
import random

from mlsd import metrics, show
from mlsd.ranking import GBDT, LogisticRegression
from mlsd.transforms import Standardizer, bucketize, quantile_edges, uniform_edges

N_BINS = 10
N, cut = 6000, 4000                                 # time order: train on the first 4,000

rng = random.Random(0)
views = [int(rng.lognormvariate(2.0, 1.5)) for _ in range(N)]
quality = [rng.gauss(0.0, 1.0) for _ in range(N)]   # a second, well-behaved feature
y = [int(rng.random() < 1 / (1 + math.exp(4.2 - 0.55 * math.log1p(v) - 0.5 * q))) for v, q in zip(views, quality)]
y_train, y_test = y[:cut], y[cut:]


def standardized(col):                              # fitted on the training rows only
    return Standardizer().fit(col[:cut]).transform(col)


q_z = standardized(quality)


def lr_auc(X):
    p = LogisticRegression(learning_rate=0.02, epochs=3).fit(X[:cut], y_train).predict_proba(X[cut:])
    return round(metrics.roc_auc(y_test, p), 4)


def one_hot_bins(edges):                            # one column per bin, then quality
    bins = bucketize(views, edges)
    return [{b: 1.0, len(edges) + 1: q} for b, q in zip(bins, q_z)]


def gbdt_scores(transform):
    """Scores of the training rows and of the test rows."""
    rows = [[transform(v), q] for v, q in zip(views, quality)]
    model = GBDT(n_estimators=30, learning_rate=0.1, num_leaves=8).fit(rows[:cut], y_train)
    return model.predict_proba(rows[:cut]), model.predict_proba(rows[cut:])


equal, quant = uniform_edges(views[:cut], N_BINS), quantile_edges(views[:cut], N_BINS)
first_bin = bucketize(views[:cut], equal).count(0) / cut
auc = {"LR, raw count": lr_auc([[a, b] for a, b in zip(standardized([float(v) for v in views]), q_z)]),
       "LR, log(1 + count)": lr_auc([[a, b] for a, b in zip(standardized([math.log1p(v) for v in views]), q_z)]),
       f"LR, {N_BINS} equal-width bins": lr_auc(one_hot_bins(equal)),
       f"LR, {N_BINS} quantile bins": lr_auc(one_hot_bins(quant))}
(raw_fit, raw_trees), (log_fit, log_trees) = gbdt_scores(float), gbdt_scores(math.log1p)
auc["GBDT, raw count"] = round(metrics.roc_auc(y_test, raw_trees), 4)
auc["GBDT, log(1 + count)"] = round(metrics.roc_auc(y_test, log_trees), 4)
same_fit = all(a == b for a, b in zip(raw_fit, log_fit))     # identical trees on the training rows
changed = sum(abs(a - b) > 1e-12 for a, b in zip(raw_trees, log_trees))
show.bar_chart(list(auc), list(auc.values()), y_title="test AUC",
               title="Logistic regression needs the right shape; trees do not care")
print(f"click rate {sum(y) / N:.3f}; views: median {sorted(views)[N // 2]}, max {max(views)}")
print(f"equal-width bins put {first_bin:.1%} of the training rows in the first bin")
for name, a in auc.items():
    print(f"{name:28s} test AUC {a}")
print(f"GBDT on raw vs log counts: every training prediction identical: {same_fit}; "
      f"{changed} of {len(y_test)} test predictions differ")

sizes = [2, 4, 8, 16, 32, 64]
sweep = {"equal-width bins": [lr_auc(one_hot_bins(uniform_edges(views[:cut], b))) for b in sizes],
         "quantile bins": [lr_auc(one_hot_bins(quantile_edges(views[:cut], b))) for b in sizes],
         "log(1 + count), no bins": [auc["LR, log(1 + count)"]] * len(sizes)}
show.line_chart(sizes, sweep, x_title="number of bins", y_title="test AUC, logistic regression", y_zero=False,
                title="A few quantile bins come close to the log; equal widths need many")
best_q = max(sweep["quantile bins"])
peak = sizes[sweep["quantile bins"].index(best_q)]
print(f"quantile bins peak at {peak} bins (AUC {best_q}) and fall to {sweep['quantile bins'][-1]} at {sizes[-1]}; "
      f"equal widths climb from {sweep['equal-width bins'][0]} to {sweep['equal-width bins'][-1]}")
# The claims on the page.
assert auc["LR, log(1 + count)"] > auc["LR, raw count"] + 0.015, "page: the log transform helps logistic regression"
assert auc[f"LR, {N_BINS} quantile bins"] > auc[f"LR, {N_BINS} equal-width bins"] + 0.03, "page: quantile bins beat equal widths"
assert auc[f"LR, {N_BINS} equal-width bins"] < auc["LR, raw count"], "page: equal-width bins are worse than the raw count"
assert first_bin > 0.9, f"page: equal widths put {first_bin:.1%} of the rows in the first bin, expected > 90 %"
assert same_fit, "GBDT grows the same trees on a monotone transform of a feature"
assert changed <= 0.005 * len(y_test) and abs(auc["GBDT, raw count"] - auc["GBDT, log(1 + count)"]) < 0.001, \
    "only test values unseen in training can fall on the other side of a cut"
assert all(q > e for q, e, b in zip(sweep["quantile bins"], sweep["equal-width bins"], sizes) if b <= 32), \
    "quantile bins beat equal widths at every bin count up to 32"
assert sizes[0] < peak < sizes[-1] and sweep["quantile bins"][-1] < best_q - 0.005, \
    "too few quantile bins are coarse, too many are sparse: the best count lies in between"
assert abs(best_q - auc["LR, log(1 + count)"]) < 0.015, "the best quantile binning comes close to the log transform"
assert abs(auc["GBDT, raw count"] - auc["LR, log(1 + count)"]) < 0.02, "trees on the raw count match LR on its log"
