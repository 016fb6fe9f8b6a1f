# Negative downsampling: train on all clicks but only 10% of the non-clicks,
# then put the probabilities back on the true scale (He et al., 2014):
#     q = p / (p + (1 - p) / w),   w = the share of negatives kept.
import math
import random
from mlsd import metrics, show
from mlsd.data.clicks import make_clicks

log = make_clicks(n=5000, seed=0)                 # about 3% of impressions are clicks
cut = int(len(log) * 0.7)                         # time-based: first 70% train, last 30% test
cols = {name: j for j, name in enumerate(log.categorical_names)}
num = {name: j for j, name in enumerate(log.numeric_names)}

def bucket(value, edges):
    return sum(value > e for e in edges)

def row_keys(i):
    x, cat = log.numeric[i], log.categorical[i]
    match = cat[cols["user_interest"]] == cat[cols["ad_category"]]
    return [("position", x[num["position"]]),
            ("text_match", bucket(x[num["text_match"]], (0.2, 0.4, 0.6))),
            ("user_past_ctr", bucket(x[num["user_past_ctr"]], (0.02, 0.03, 0.05))),
            ("ad_past_ctr", bucket(x[num["ad_past_ctr"]], (0.02, 0.03, 0.05))),
            ("interest_match", match)]

def logit(p):
    return math.log(p / (1 - p))

def train(rows):
    """A tiny additive model: each feature value adds its smoothed log-odds lift."""
    base = sum(log.labels[i] for i in rows) / len(rows)
    counts = {}
    for i in rows:
        for key in row_keys(i):
            c = counts.setdefault(key, [0, 0])
            c[0] += log.labels[i]
            c[1] += 1
    prior = 20  # pseudo-impressions at the base rate, so rare values stay near it
    lift = {k: logit((c + prior * base) / (n + prior)) - logit(base) for k, (c, n) in counts.items()}
    return lambda i: 1 / (1 + math.exp(-(logit(base) + sum(lift.get(k, 0.0) for k in row_keys(i)))))

train_rows, test_rows = range(cut), range(cut, len(log))
y_test = [log.labels[i] for i in test_rows]

keep = 0.10
rng = random.Random(0)
sampled = [i for i in train_rows if log.labels[i] == 1 or rng.random() < keep]

full_model, small_model = train(train_rows), train(sampled)
p_full = [full_model(i) for i in test_rows]
p_raw = [small_model(i) for i in test_rows]
p_fixed = [p / (p + (1 - p) / keep) for p in p_raw]

def row(name, n_train, ctr_train, p):
    return {"training data": name, "rows": n_train, "train CTR": round(ctr_train, 4),
            "mean prediction": round(sum(p) / len(p), 4), "test CTR": round(sum(y_test) / len(y_test), 4),
            "AUC": round(metrics.roc_auc(y_test, p), 4), "log loss": round(metrics.log_loss(y_test, p), 4)}

ctr_full = sum(log.labels[i] for i in train_rows) / len(train_rows)
ctr_small = sum(log.labels[i] for i in sampled) / len(sampled)
rows = [row("all rows", len(train_rows), ctr_full, p_full),
        row("10% of negatives", len(sampled), ctr_small, p_raw),
        row("10% of negatives, recalibrated", len(sampled), ctr_small, p_fixed)]
show.table(rows, title="Downsampling shrinks training data; recalibration repairs the probabilities")

full, raw, fixed = rows
always_no = metrics.accuracy(y_test, [0] * len(y_test))
print(f"a model that always says 'no click' is {always_no:.1%} accurate on the test set")
print(f"training rows: {fixed['rows']} instead of {full['rows']} ({fixed['rows'] / full['rows']:.0%})")
print(f"mean prediction: {raw['mean prediction']:.3f} before recalibration, "
      f"{fixed['mean prediction']:.3f} after, true test CTR {fixed['test CTR']:.3f}")

assert 0.97 < always_no < 0.98                              # accuracy is useless here
assert fixed["rows"] / full["rows"] < 0.15                  # far cheaper to train
assert raw["mean prediction"] > 4 * raw["test CTR"]          # raw outputs are badly inflated
assert abs(fixed["mean prediction"] - fixed["test CTR"]) < 0.01   # recalibrated: on scale again
assert raw["AUC"] == fixed["AUC"]                            # a monotone fix keeps the order
assert abs(raw["AUC"] - full["AUC"]) < 0.02                 # and little ranking quality is lost
assert fixed["log loss"] < raw["log loss"] / 2
assert abs(fixed["log loss"] - full["log loss"]) < 0.01      # about as good as using all rows
