# A weekly retraining pipeline with a registry and a lineage graph.
# Each week: snapshot the raw impressions, build labels and features with the
# current pipeline, train, gate against the model in production, promote.
# Pipeline v2 ships in week 3. Nothing in this cell looks wrong, on purpose.
from mlsd import lineage, metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, START_TIME, make_clicks
from mlsd.ranking import LogisticRegression, OneHotEncoder

GATE_MARGIN = 0.02         # promote if the candidate's AUC is at most this much below production's
DAY, WEEK = 86_400, 7 * 86_400

log = make_clicks(n=10_000, base_ctr=0.05, days=35)            # five weeks of impressions
raw = [{"id": i, "ts": t, "week": 1 + (t - START_TIME) // WEEK, **rec}
       for i, (t, rec) in enumerate(zip(log.timestamps, log.records()))]
clicked = {i for i, y in enumerate(log.labels) if y}           # the raw click log: impression ids


def labels_v1(rows):                       # join each click to its impression id
    return [int(r["id"] in clicked) for r in rows]


def labels_v2(rows):                       # new mobile join: (advertiser, day) instead of the impression id
    hot = {(r["advertiser"], r["ts"] // DAY) for r in rows if r["id"] in clicked and r["device"] == "mobile"}
    return [int(r["id"] in clicked or (r["device"] == "mobile" and (r["advertiser"], r["ts"] // DAY) in hot))
            for r in rows]


PIPELINES = {"v1": labels_v1, "v2": labels_v2}


def pipeline_of(week):                     # the version that was running when the week was processed
    return "v2" if week >= 3 else "v1"


def examples(weeks):
    out = []
    for w in weeks:
        part = [r for r in raw if r["week"] == w]
        out += [{**r, "label": y} for r, y in zip(part, PIPELINES[pipeline_of(w)](part))]
    return out


def train(data):
    enc = OneHotEncoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES).fit(data)
    model = LogisticRegression(learning_rate=0.02, epochs=3, seed=0).fit(enc.transform(data), [r["label"] for r in data])
    artifact = {"columns": enc.feature_names, "mean": enc.mean, "std": enc.std, "weights": model.weights, "bias": model.bias}
    return (lambda batch: model.predict_proba(enc.transform(batch))), artifact


registry, graph, served, gate_aucs = lineage.Registry(), lineage.Lineage(), {}, {}
for k in (1, 2, 3):                        # model v_k: trained on weeks 1..k, validated on week k+1
    weeks = list(range(1, k + 1))
    data = examples(weeks)
    raw_id = graph.add(f"raw:{lineage.dataset_hash([r for r in raw if r['week'] <= k])[:8]}", "dataset", weeks=weeks)
    pipes = sorted({pipeline_of(w) for w in weeks})
    feat_id = graph.add(f"examples:{lineage.dataset_hash(data)[:8]}", "features", [raw_id], pipelines=pipes)
    predict, artifact = train(data)
    val = examples([k + 1])
    y_val = [r["label"] for r in val]
    auc = round(metrics.roc_auc(y_val, predict(val)), 4)
    record = {"data": {"raw": raw_id, "examples": feat_id, "weeks": weeks}, "code": {"label_pipelines": pipes},
              "params": {"learning_rate": 0.02, "l2": 1e-3, "epochs": 3, "seed": 0},
              "metrics": {"val_week": k + 1, "roc_auc": auc}, "trained_by": f"ctr-weekly week {k}"}
    mv = registry.register("ctr", artifact, record)
    model_id = graph.add(f"model:ctr/v{mv.version}", "model", [feat_id], artifact=mv.artifact_hash[:8])
    served[mv.version] = predict
    registry.transition("ctr", mv.version, "staging", by="ctr-weekly", reason="trained")
    prod = registry.production("ctr")
    prod_auc = None if prod is None else round(metrics.roc_auc(y_val, served[prod.version](val)), 4)
    gate_aucs[k + 1] = (auc, prod_auc)
    if prod is None or auc >= prod_auc - GATE_MARGIN:
        why = (f"first version: AUC {auc} on week {k + 1}" if prod is None
               else f"gate: AUC {auc} vs v{prod.version} {prod_auc} on week {k + 1}")
        registry.transition("ctr", mv.version, "production", by="gate", reason=why)
        graph.add(f"deployment:ctr/v{mv.version}", "deployment", [model_id], serves_week=k + 2)
    else:
        registry.transition("ctr", mv.version, "archived", by="gate", reason=f"AUC {auc} < {prod_auc} - {GATE_MARGIN}")

show.table(registry.events, title="The registry's event log")
live = registry.production("ctr")
show.table([{"node": n, "kind": graph.nodes[n]["kind"],
             "details": ", ".join(f"{k}={v}" for k, v in graph.nodes[n].items() if k not in ("kind", "artifact"))}
            for n in [f"deployment:ctr/v{live.version}"] + graph.ancestors(f"deployment:ctr/v{live.version}")],
           title=f"Lineage of the deployment serving week 5 (ctr v{live.version}), walked up")
print(f"{show.VARIES} artifact of ctr v{live.version}: {live.artifact_hash} (its bits depend on the Python version)")
print(f"in production: ctr v{live.version}, promoted on "
      f"{live.record['metrics']['roc_auc']} AUC (week {live.record['metrics']['val_week']})")
stages = [mv.stage for mv in registry.versions("ctr")]

# The check the gate did not make: the label rate per segment, week by week, as the labels were built.
rates = []
for w in (1, 2, 3, 4):
    part = examples([w])
    rate = {dev: sum(r["label"] for r in part if (r["device"] == "mobile") == (dev == "mobile"))
            / sum((r["device"] == "mobile") == (dev == "mobile") for r in part) for dev in ("mobile", "other")}
    rates.append({"week": w, "label pipeline": pipeline_of(w), "label rate, mobile": round(rate["mobile"], 4),
                  "label rate, desktop and tablet": round(rate["other"], 4)})
show.table(rates, title="Label rate by device in the examples, week by week")
show.line_chart([r["week"] for r in rates],
                {"mobile": [r["label rate, mobile"] for r in rates],
                 "desktop and tablet": [r["label rate, desktop and tablet"] for r in rates]},
                x_title="week (label pipeline v2 from week 3)", y_title="share of examples labelled a click",
                title="Label rate by device: the jump no model gate looks at")
jump = rates[2]["label rate, mobile"] / rates[1]["label rate, mobile"]
print(f"mobile label rate, week 2 -> week 3: {rates[1]['label rate, mobile']:.1%} -> {rates[2]['label rate, mobile']:.1%} "
      f"({jump:.1f} times); desktop and tablet: {rates[1]['label rate, desktop and tablet']:.1%} -> "
      f"{rates[2]['label rate, desktop and tablet']:.1%}")

# Storage: a copy of every snapshot against references to immutable weekly partitions.
copied = sum(sum(r["week"] <= k for r in raw) for k in (1, 2, 3))
partitions = sum(r["week"] <= 3 for r in raw)
print(f"raw rows stored for the three snapshots: {copied:,} as copies, {partitions:,} as weekly partitions "
      f"referenced by id ({copied / partitions:.1f} times fewer)")
# The claims on the page.
assert stages.count("production") == 1, "one production version at a time"
assert stages == ["archived", "archived", "production"], "each promotion archived the previous version"
assert live.version == 3 and "v2" in live.record["code"]["label_pipelines"], "v3, built with pipeline v2, passed the gate"
assert max(gate_aucs[3]) < gate_aucs[2][0] - 0.05, "on week 3, the new pipeline's first, both models score well below week 2"
assert gate_aucs[4][0] > gate_aucs[4][1] + 0.05, "v3 passed its gate by a wide margin over v2 on week 4"
assert jump > 3, f"the new join multiplied the mobile label rate ({jump:.1f} times from week 2 to week 3)"
assert abs(rates[2]["label rate, desktop and tablet"] - rates[1]["label rate, desktop and tablet"]) < 0.02, \
    "desktop and tablet labels did not change"
assert copied > partitions, "copying every snapshot stores the same rows again"
assert [graph.nodes[n]["kind"] for n in graph.ancestors(f"deployment:ctr/v{live.version}")] == ["model", "features", "dataset"]
