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

# The same training code on last week's and this week's data: code unchanged, model changed.
drift = {f: round(b - a, 3) for f, a, b in zip(pipeline.FEATURES, production.model.weights,
                                               result.candidate.model.weights)}
print("weight change from v0 to v1, same code:", drift)
# The claims on the page.
assert result.promoted and all(c.passed for c in checks)
assert len(checks) >= 14, "each round runs more than a dozen checks"
assert drift["freshness"] > 0.05 and drift["relevance"] < -0.05, "what predicts a click moved"
