# One retraining round, step by step. Every step makes an artefact and checks it; a failed
# check stops the round and the production model keeps serving. The data is a stated stand-in
# (mlsd.pipeline.make_batch): a click log of 4,000 impressions per week, about 15 % clicks,
# whose feature weights drift from week to week.
from mlsd import pipeline, show

ROWS = 4000                                        # impressions per weekly batch

last_week = pipeline.make_batch(0, ROWS)           # the batch production was trained on
production = pipeline.train(last_week, "v0")
this_week = pipeline.make_batch(1, ROWS)           # ingest: the new batch
next_week = pipeline.make_batch(2, ROWS)           # live traffic the canary will see

result = pipeline.run_round(this_week, last_week, next_week, production, "v1")
rows = []
for step in result.steps:
    for c in step.checks or [None]:
        rows.append({"step": step.name, "check": c.name if c else "(artefact: model v1)",
                     "measured": round(c.value, 4) if c else None, "limit": c.limit if c else "",
                     "passed": c.passed if c else True})
show.table(rows, title="Round 1: every check the candidate passed")
checks = [c for s in result.steps for c in s.checks]
print(f"{len(checks)} checks in {len(result.steps)} steps; promoted: {result.promoted}; "
      f"serving now: {result.serving.version}")

# The same training code on later data: code unchanged, model changed. One week of drift
# (0.15 logit) is about the size of week-to-week sampling noise; four weeks are not.
week4 = pipeline.train(pipeline.make_batch(4, ROWS).rows(range(ROWS * 3 // 4)), "v4")
moved = {}
for name, model in (("v1", result.candidate), ("v4", week4)):
    moved[name] = {f: round(b - a, 3) for f, a, b in zip(pipeline.FEATURES, production.model.weights,
                                                       model.model.weights)}
    print(f"weight change from v0 to {name}, same code:", moved[name])
# The claims on the page.
assert result.promoted and all(c.passed for c in checks), "week 1 passes every check"
assert len(checks) == 15 and len(result.steps) == 4, "15 checks in four steps"
assert moved["v4"]["relevance"] < -0.25 and moved["v4"]["freshness"] > 0.25, \
    "after four weeks the weights have moved the way the data drifted (relevance down, freshness up)"
assert moved["v4"]["new_user_x_popularity"] < -0.2, \
    "the new users' popularity weight moves with relevance's although its true effect is fixed"
