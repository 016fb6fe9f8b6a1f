# Fit every transform on the training period only.
# A logistic click model uses five standardized numeric features and one target-encoded
# feature: the ad's smoothed click rate. We fit the scaler and the encoding two ways, on the
# training rows only (honest) or on every row including the test period (a leak), and compare
# the test AUC. Change SMOOTHING (m) and watch the leak shrink as m grows (m = 0 is no smoothing).
import math

from mlsd import metrics, show
from mlsd.data.clicks import make_clicks
from mlsd.ranking import LogisticRegression
from mlsd.transforms import Standardizer, TargetEncoder

SMOOTHING = 20                                   # m: prior rows added to each ad's click rate
NUMERIC = ("user_past_ctr", "text_match", "position", "ad_quality", "page_load_ms")

log = make_clicks(n=6000, base_ctr=0.05, n_ads=400, seed=0)     # rows in time order
cut = 4000                                                      # train on the first 4,000
y = list(log.labels)
y_train, y_test = y[:cut], y[cut:]
columns = log.columns(NUMERIC)
ads = [f"ad{a}" for a in log.ad_ids]


def scaled(fit_rows):
    """Standardize each column with the mean and sd of the rows in fit_rows."""
    out = [[] for _ in columns]
    for j in range(len(NUMERIC)):
        scaler = Standardizer().fit([columns[i][j] for i in fit_rows])
        for row, v in zip(out, scaler.transform([r[j] for r in columns])):
            row.append(v)
    return out


def logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)                 # with SMOOTHING = 0 a rate can be exactly 0 or 1
    return math.log(p / (1 - p))


def test_auc(X, enc_train=None, enc_test=None):
    """Train on the first period, score the test period; the encoding enters as its log-odds."""
    X_train = [X[i] + ([logit(enc_train[i])] if enc_train else []) for i in range(cut)]
    X_test = [X[cut + i] + ([logit(enc_test[i])] if enc_test else []) for i in range(len(y_test))]
    p = LogisticRegression(learning_rate=0.02, epochs=3).fit(X_train, y_train).predict_proba(X_test)
    return round(metrics.roc_auc(y_test, p), 4), round(metrics.log_loss(y_test, p), 4)


honest_X, leaky_X = scaled(range(cut)), scaled(range(len(y)))
train_enc = TargetEncoder(SMOOTHING)
oof = train_enc.fit_transform_out_of_fold(ads[:cut], y_train, n_folds=5, seed=0)   # no row sees its label
honest_test = train_enc.transform(ads[cut:])
all_enc = TargetEncoder(SMOOTHING).fit(ads, y)                                    # sees the test labels
results = {
    "no ad feature": test_auc(honest_X),
    "honest: scaler and encoding fitted on training rows": test_auc(honest_X, oof, honest_test),
    "scaler fitted on all rows": test_auc(leaky_X, oof, honest_test),
    "encoding fitted on all rows": test_auc(honest_X, all_enc.transform(ads[:cut]), all_enc.transform(ads[cut:])),
    "encoding in-sample on the training rows": test_auc(honest_X, train_enc.transform(ads[:cut]), honest_test),
}
show.table([{"how the transforms were fitted": k, "test AUC": a, "test log loss": ll}
            for k, (a, ll) in results.items()], title="Test period, 2,000 impressions")
none = results["no ad feature"][0]
honest = results["honest: scaler and encoding fitted on training rows"][0]
scaler_leak = results["scaler fitted on all rows"][0]
enc_leak = results["encoding fitted on all rows"][0]
per_ad = len(ads) / len(set(ads))
print(f"click rate {sum(y) / len(y):.3f}; {len(set(ads))} ads, {per_ad:.0f} impressions each on average")
print(f"fitted on all rows, a test click adds about 1/{per_ad + SMOOTHING:.0f} = {1 / (per_ad + SMOOTHING):.3f} "
      f"to its own ad's encoded rate (the prior is {all_enc.prior:.3f})")
print(f"honest AUC {honest} (without the ad feature {none}); scaler leak {scaler_leak}; encoding leak {enc_leak}")
print(f"the leak inflates AUC by {enc_leak - honest:+.4f}; the scaler leak moves it by {scaler_leak - honest:+.4f}")
if SMOOTHING == 20:                              # the figures the page quotes, at the default m
    assert abs(honest - none) < 0.01, f"page: honestly encoded, the ad's click rate adds nothing ({honest} vs {none})"
    assert enc_leak > honest + 0.04, f"page: the leaky encoding inflates test AUC by +{enc_leak - honest:.4f}, expected > 0.04"
    assert abs(scaler_leak - honest) < 0.01, f"page: a scaler fitted on all rows barely moves AUC ({scaler_leak - honest:+.4f})"
