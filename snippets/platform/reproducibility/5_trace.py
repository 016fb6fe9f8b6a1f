# Trace a bad prediction back through the registry and the lineage graph,
# find the bad rows, count what they reached, and roll back.
# The same world as the registry cell: pipeline v2 ships in week 3, v3 serves week 5.
from mlsd import lineage, metrics, show
from mlsd.data.clicks import CATEGORICAL_FEATURES, NUMERIC_FEATURES, START_TIME, make_clicks
from mlsd.ranking import LogisticRegression, OneHotEncoder

ROLLBACK_DAY = 2           # the on-call engineer rolls back after this many days of week 5
TOLERANCE = 0.5            # a served prediction is "wrong" if it is off by more than 50 % from the fixed model's
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


PARAMS = {"learning_rate": 0.02, "l2": 1e-3, "epochs": 3, "seed": 0}


def train(data, params=PARAMS):
    enc = OneHotEncoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES).fit(data)
    model = LogisticRegression(**params).fit(enc.transform(data), [r["label"] for r in data])
    artifact = {"columns": enc.feature_names, "mean": enc.mean, "std": enc.std, "weights": model.weights, "bias": model.bias}
    return (lambda batch: model.predict_proba(enc.transform(batch))), artifact


registry, graph, models = lineage.Registry(), lineage.Lineage(), {}
raw_id = graph.add(f"raw:{lineage.dataset_hash([r for r in raw if r['week'] <= 3])[:8]}", "dataset")   # weeks 1-3
for name in PIPELINES:                      # the label pipelines are code versions: nodes of the graph too
    graph.add(f"code:labels/{name}", "code")
for k in (1, 2, 3):                         # the weekly versions v1, v2, v3, each promoted in turn
    data = examples(range(1, k + 1))
    pipes = sorted({pipeline_of(w) for w in range(1, k + 1)})
    feat_id = graph.add(f"examples:weeks1-{k}", "features", [raw_id] + [f"code:labels/{v}" for v in pipes])
    predict, artifact = train(data)
    mv = registry.register("ctr", artifact, {"data": {"examples": feat_id, "weeks": list(range(1, k + 1))},
                                             "code": {"label_pipelines": pipes}, "params": dict(PARAMS)})
    graph.add(f"model:ctr/v{k}", "model", [feat_id])
    graph.add(f"deployment:ctr/v{k}", "deployment", [f"model:ctr/v{k}"])
    registry.transition("ctr", mv.version, "production", by="gate")
    models[k] = predict
v2, v3 = registry.get("ctr", 2), registry.get("ctr", 3)

# Week 5: every served prediction is logged with the model version and its features.
week5 = [r for r in raw if r["week"] == 5]
first_day = week5[0]["ts"] // DAY
p3 = models[3](week5)
served = [{"request": r["id"], "day": r["ts"] // DAY - first_day + 1, "version": 3, "p": p, "features": r}
          for r, p in zip(week5, p3) if r["ts"] // DAY - first_day < ROLLBACK_DAY]
worst = max(served, key=lambda e: e["p"])
f = worst["features"]
week5_ctr = sum(labels_v1(week5)) / len(week5)
print(f"complaint: request {worst['request']} on day {worst['day']} of week 5 got a predicted CTR of {worst['p']:.3f} "
      f"(ctr v{worst['version']}; device={f['device']}, advertiser={f['advertiser']}, position={f['position']:.0f}); "
      f"the observed CTR of week 5 is {week5_ctr:.1%}")

# 1. The log names the version; the registry names its data and code; the graph walks up.
record = v3.record
up = graph.ancestors(f"deployment:ctr/v{worst['version']}")
print(f"walk up from deployment:ctr/v{worst['version']}, nearest first: " + ", ".join(up))

# 2. Rebuild the examples' labels from the raw snapshot with the old join and compare.
rows = examples(record["data"]["weeks"])
reference = labels_v1(rows)
bad = [r for r, y in zip(rows, reference) if r["label"] != y]
print(f"bad rows in the training examples of v3: {len(bad)} of {len(rows)}; devices {sorted({r['device'] for r in bad})}; "
      f"weeks {sorted({r['week'] for r in bad})}; labels 0 -> 1: {sum(r['label'] for r in bad)}")

# 3. What did the bad examples reach? Walk down, then count the predictions.
reached = graph.descendants("code:labels/v2")
print("walk down from label pipeline v2: " + ", ".join(reached))
fixed_predict, fixed_artifact = train([{**r, "label": y} for r, y in zip(rows, reference)])   # v4, fixed join
pf = fixed_predict([e["features"] for e in served])
wrong = [e for e, q in zip(served, pf) if abs(e["p"] / q - 1) > TOLERANCE]
wrong_mobile = sum(e["features"]["device"] == "mobile" for e in wrong)
print(f"served by v3 before the rollback: {len(served)} predictions; off by more than {TOLERANCE:.0%} from the "
      f"fixed model: {len(wrong)} ({wrong_mobile} on mobile); intercept of v3 {v3.artifact['bias']:.2f}, "
      f"of the fixed model {fixed_artifact['bias']:.2f}")

# 4. Roll back: v2 goes back to production; retraining it from its record gives the same artifact.
registry.transition("ctr", v2.version, "production", by="on-call", reason="mobile labels bug in pipeline v2")
rebuilt = lineage.content_hash(train(examples(v2.record["data"]["weeks"]), v2.record["params"])[1])
y5 = labels_v1(week5)                        # the clicks of week 5, joined correctly
rows_out = []
for name, predict in (("v3 (bug)", models[3]), ("v2 (rollback)", models[2]), ("v4 (fixed join)", fixed_predict)):
    p = predict(week5)
    mobile = [i for i, r in enumerate(week5) if r["device"] == "mobile"]
    rows_out.append({"model": name, "ROC-AUC, week 5": round(metrics.roc_auc(y5, p), 4),
                     "log loss": round(metrics.log_loss(y5, p), 4),
                     "predicted / observed clicks": round(sum(p) / sum(y5), 2),
                     "same, mobile only": round(sum(p[i] for i in mobile) / sum(y5[i] for i in mobile), 2)})
show.table(rows_out, title="Week 5, scored against the clicks joined correctly")
mobile_clicks = sum(y for y, r in zip(y5, week5) if r["device"] == "mobile")
print(f"week 5 has {sum(y5)} clicks, {mobile_clicks} on mobile: a ratio of predicted to observed clicks on mobile "
      f"is uncertain by about {1 / mobile_clicks ** 0.5:.0%}")
print(f"{show.VARIES} artifact of v2 {v2.artifact_hash}, rebuilt from its record {rebuilt}")
print(f"in production now: v{registry.production('ctr').version}; rebuilt from its record, same artifact hash: "
      f"{rebuilt == v2.artifact_hash}")
bug, back, fix = rows_out
# The claims on the page.
assert worst["version"] == 3 and worst["features"]["device"] == "mobile", "the complaint is a mobile prediction of v3"
assert bad and all(r["device"] == "mobile" and r["week"] >= 3 for r in bad), "every bad row is a mobile row of pipeline v2"
assert all(r["label"] == 1 for r in bad), "the bad join only adds clicks"
assert len(wrong) > len(served) / 2, "most predictions v3 served were off by more than the tolerance"
assert len(wrong) - wrong_mobile > 0 and v3.artifact["bias"] > fixed_artifact["bias"] + 0.3, \
    "desktop and tablet are hit too: the extra clicks raised v3's intercept"
assert reached == ["examples:weeks1-3", "model:ctr/v3", "deployment:ctr/v3"], \
    "walking down from pipeline v2 reaches v3's examples, v3 and its deployment, nothing else"
assert 0.03 < week5_ctr < 0.07, "typical CTRs here are around 5 %"
assert bug["same, mobile only"] > 2 * back["same, mobile only"], "v3 over-predicts mobile clicks more than twice as much"
assert rebuilt == v2.artifact_hash, "the rolled-back version is rebuilt bit for bit from its record"
assert registry.production("ctr") is v2 and v3.stage == "archived", "a rollback is one registry transition"
assert fix["ROC-AUC, week 5"] > bug["ROC-AUC, week 5"] + 0.03, "the fixed join beats the buggy model"
assert fix["ROC-AUC, week 5"] >= back["ROC-AUC, week 5"] - 0.01, "the fixed model is at least as good as the rollback"
