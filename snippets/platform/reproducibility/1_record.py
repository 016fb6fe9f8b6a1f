# What to record with a model version, and a retrain from that record alone.
# The "warehouse" keeps every training snapshot under its content hash; the
# record names the snapshot, the code, every parameter (defaults resolved),
# the environment and the metrics. train() reads nothing but the record.
import math
import sys
import time

import mlsd
from mlsd import lineage, metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, make_clicks
from mlsd.ranking import LogisticRegression, OneHotEncoder

log = make_clicks(n=6000, base_ctr=0.05)          # 14 days of ad impressions, in time order
rows = [{"id": i, "ts": t, **rec, "label": y}
        for i, (t, rec, y) in enumerate(zip(log.timestamps, log.records(), log.labels))]
CUT = 4000                                         # train on the first 4,000, evaluate on the last 2,000
WAREHOUSE = {}                                     # snapshot id -> rows, never overwritten


def snapshot(rows):
    sid = lineage.dataset_hash(rows, ordered=True)   # the order is part of the id: SGD sees it
    WAREHOUSE[sid] = [dict(r) for r in rows]
    return sid


def train(record):
    """Rebuild a model from its record: the snapshot, the features and the parameters."""
    data = WAREHOUSE[record["data"]["snapshot"]]
    f = record["features"]
    enc = OneHotEncoder(numeric=f["numeric"], categorical=f["categorical"], crosses=f["crosses"])
    model = LogisticRegression(**record["params"]).fit(enc.fit(data).transform(data), [r["label"] for r in data])
    artifact = {"columns": enc.feature_names, "mean": enc.mean, "std": enc.std,
                "weights": model.weights, "bias": model.bias}
    return (lambda batch: model.predict_proba(enc.transform(batch))), artifact


record = {
    "data": {"query": f"SELECT * FROM impressions WHERE ts < '{time.strftime('%Y-%m-%d %H:%M', time.gmtime(rows[CUT]['ts']))}'"
                      " ORDER BY ts, id",
             "snapshot": snapshot(rows[:CUT]), "rows": CUT},
    "code": {"repo": "ctr-models", "commit": "4e1f0c2"},       # stand-in for the pipeline's git commit
    "features": {"encoder": "OneHotEncoder", "crosses": [], "numeric": list(NUMERIC_FEATURES),
                 "categorical": list(CATEGORICAL_FEATURES)},
    "params": {"learning_rate": 0.02, "l2": 1e-3, "epochs": 3, "seed": 0},   # all of them, defaults too
    "env": {"python": "%d.%d" % sys.version_info[:2],                    # the interpreter: sum() changed in 3.12
            "mlsd": mlsd.__version__, "lock_file": "sha256:9b1d2c"},        # stand-in for the lock file's hash
    "trained_by": "pipeline ctr-weekly, run of 2024-01-10",
}
predict, artifact = train(record)
evaluation = rows[CUT:]
y_eval = [r["label"] for r in evaluation]
p = predict(evaluation)
record["metrics"] = {"roc_auc": round(metrics.roc_auc(y_eval, p), 4), "log_loss": round(metrics.log_loss(y_eval, p), 4),
                     "eval_rows": len(evaluation)}
model_id = lineage.content_hash(artifact)

show.table([{"field": f"{k}.{sub}" if sub else k, "value": lineage.canonical_json(v)[:80]}
            for k, part in record.items()
            for sub, v in (part.items() if isinstance(part, dict) else [("", part)])
            if (k, sub) != ("env", "python")],                  # printed below: it differs between CPython and Pyodide
           title="The record of the model")

# Retrain twice from the record alone: the same artifact, bit for bit.
again = [train(record) for _ in range(2)]
hashes = [lineage.content_hash(a) for _, a in again]
changed = [lineage.count_changed(p, f(evaluation)) for f, _ in again]
print(f"{show.VARIES} env.python {record['env']['python']}; model hash {model_id}; retrained from the record: "
      f"{hashes[0]}, {hashes[1]} (the bits depend on the Python version: sum() of floats changed in 3.12)")
print(f"retrained twice from the record: same hash {hashes == [model_id, model_id]}; "
      f"predictions changed: {changed[0]} and {changed[1]} of {len(evaluation)}")

# A model card reports metrics per group, not only the average (Mitchell et al., 2019).
card = []
for device in ("mobile", "desktop", "tablet"):
    idx = [i for i, r in enumerate(evaluation) if r["device"] == device]
    ys, ps = [y_eval[i] for i in idx], [p[i] for i in idx]
    card.append({"device": device, "impressions": len(idx), "clicks": sum(ys),
                 "ROC-AUC": round(metrics.roc_auc(ys, ps), 4),
                 "predicted / observed clicks": round(sum(ps) / sum(ys), 2)})
show.table(card, title="Model card: metrics by device on the evaluation period (the last 2,000 impressions)")
desktop = card[1]
noise = 1 / math.sqrt(desktop["clicks"])          # relative standard error of a count of clicks (Poisson)
print(f"desktop: predicted / observed {desktop['predicted / observed clicks']} from {desktop['clicks']} clicks; "
      f"a count of {desktop['clicks']} is uncertain by about {noise:.0%}, so the gap from 1 is "
      f"{abs(1 - desktop['predicted / observed clicks']) / noise:.1f} standard errors")

# The claims on the page.
assert hashes == [model_id, model_id], "retraining from the record reproduces the model bit for bit"
assert changed == [0, 0], "a reproduced model changes no prediction"
assert 0.65 < record["metrics"]["roc_auc"] < 0.8, "a realistic click model: ROC-AUC around 0.7"
assert all(r["impressions"] >= 100 for r in card), "every group in the card has enough impressions to report"
assert abs(1 - desktop["predicted / observed clicks"]) < 2 * noise, \
    f"desktop's predicted / observed clicks ({desktop['predicted / observed clicks']}) is more than two standard errors " \
    "from 1: the page calls it a note, not yet a conclusion"
