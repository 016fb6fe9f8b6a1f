# The last line of defence: shadow and canary. Suppose data validation was off in week 3, so
# the leaked candidate reaches the offline gates, where its perfect AUC passes everything.
# Shadow: the candidate scores a copy of live traffic and nobody sees its answers; we compare
# its score distribution with production's (PSI). Canary: a random share of live traffic gets
# the candidate; we compare log loss with production's on the rest and roll back if it is more
# than 30 % worse. Labels here do not depend on which model served (a stated simplification).
# Every candidate is trained on week 3's batch; the bugs are those of weeks 3, 5 and 7.
import math
import random

from mlsd import monitoring, pipeline, show

ROWS, SHARE, DRAWS, SEED = 4000, 0.1, 30, 0
SHARES = [0.01, 0.02, 0.05, 0.1, 0.2]
ALL = pipeline.FEATURES

production = pipeline.train(pipeline.make_batch(2, ROWS, SEED), "v2")
week3, leaky3 = pipeline.make_batch(3, ROWS, SEED), pipeline.make_batch(3, ROWS, SEED, leak=True)
cut = ROWS * 3 // 4
candidates = {
    "healthy retrain": pipeline.train(week3.rows(range(cut)), "v3"),
    "label leak": pipeline.train(leaky3.rows(range(cut)), "v3-leak"),
    "feature dropped": pipeline.train(week3.rows(range(cut)), "v3-drop",
                                      pipeline.TrainingConfig(features=tuple(f for f in ALL if f != "new_user_x_popularity"))),
    "downsampled, not corrected": pipeline.train(week3.rows(range(cut)), "v3-raw",
                                                 pipeline.TrainingConfig(keep_negatives=0.25, recalibrate=False)),
}
holdout = leaky3.rows(range(cut, ROWS))          # with validation off, the leak is in the held-out rows too
leak_gates = pipeline.offline_gates(pipeline.evaluate(candidates["label leak"], holdout),
                                    pipeline.evaluate(production, holdout), len(ALL))
print(f"leaked candidate at the offline gates: passed {leak_gates.passed}, offline AUC {leak_gates.artefact['AUC']:.4f}")

live = pipeline.make_batch(4, ROWS, SEED)               # the week the candidate would serve


def row_losses(model):
    return [-math.log(p if y else 1 - p) for p, y in zip(model.predict(live.X), live.y)]


prod_scores, prod_loss = production.predict(live.X), row_losses(production)
rows = []
for name, model in candidates.items():
    shadow = monitoring.psi(prod_scores, model.predict(live.X))
    step = pipeline.canary(model, production, live, share=SHARE)
    loss = row_losses(model)
    caught = []                                   # the same canary rule on many random assignments
    for share in SHARES:
        hits = 0
        for d in range(DRAWS):
            rng = random.Random(d)
            arm = [rng.random() < share for _ in range(ROWS)]
            c = [l for l, a in zip(loss, arm) if a]
            p = [l for l, a in zip(prod_loss, arm) if not a]
            hits += math.fsum(c) / len(c) > 1.3 * math.fsum(p) / len(p)
        caught.append(hits / DRAWS)
    rows.append({"candidate": name, "shadow: PSI of scores": round(shadow, 3),
                 f"canary at {SHARE:.0%}: log loss ratio": round(step.checks[0].value, 3),
                 "canary decision": "promote" if step.passed else "roll back",
                 "impressions on the candidate": step.artefact["impressions on the candidate"],
                 **{f"caught at {s:.0%}": c for s, c in zip(SHARES, caught)}})
show.table(rows, title=f"Shadow and canary on next week's {ROWS} impressions")
by = {r["candidate"]: r for r in rows}
show.line_chart([s * 100 for s in SHARES], {name: [r[f"caught at {s:.0%}"] for s in SHARES] for name, r in by.items()},
                x_title="canary share of traffic (%)", y_title=f"share of {DRAWS} canaries that roll back",
                title="A bigger canary catches more, and exposes more users")
leak = by["label leak"]
print(f"leak: shadow PSI {leak['shadow: PSI of scores']}, canary rolls back after "
      f"{leak['impressions on the candidate']} impressions instead of {ROWS} for a full rollout")
print(f"a {SHARES[0]:.0%} canary sees about {ROWS * SHARES[0]:.0f} impressions of the week's {ROWS}")
print(f"healthy retrain: rolled back by {by['healthy retrain'][f'caught at {SHARES[0]:.0%}']:.0%} of 1 % canaries, "
      f"{by['healthy retrain'][f'caught at {SHARE:.0%}']:.0%} of {SHARE:.0%} canaries")
print(f"feature dropped: canary at {SHARE:.0%} log loss ratio {by['feature dropped'][f'canary at {SHARE:.0%}: log loss ratio']}, "
      f"caught in {by['feature dropped'][f'caught at {SHARE:.0%}']:.0%} of canaries")
# The claims on the page.
assert leak_gates.passed and leak_gates.artefact["AUC"] > 0.99, "offline gates cannot see a leak"
assert leak["canary decision"] == "roll back" and leak[f"caught at {SHARES[0]:.0%}"] >= 0.85, "even a 1 % canary catches the leak"
assert by["healthy retrain"][f"caught at {SHARES[0]:.0%}"] >= 0.05, "a tiny canary also rolls back healthy models"
assert by["healthy retrain"]["canary decision"] == "promote", "the 10 % canary promotes the healthy retrain"
assert by["healthy retrain"][f"caught at {SHARE:.0%}"] == 0, "no false rollbacks of the healthy retrain at 10 %"
assert all(by["feature dropped"][f"caught at {s:.0%}"] <= by["healthy retrain"][f"caught at {s:.0%}"] + 0.15 for s in SHARES), \
    "the canary cannot tell a slice regression from a healthy retrain"
assert by["feature dropped"][f"caught at {SHARE:.0%}"] <= 0.2, "a slice regression slips through the canary"
assert leak["shadow: PSI of scores"] > 0.25 and by["downsampled, not corrected"]["shadow: PSI of scores"] > 0.25, \
    "shadow scoring flags both score shifts before any user sees them"
assert by["healthy retrain"]["shadow: PSI of scores"] < 0.1, "a healthy retrain's scores barely shift (PSI 0.083)"
assert by["feature dropped"][f"canary at {SHARE:.0%}: log loss ratio"] < 1.1, \
    "the dropped feature's log loss (1.026x production's) is far inside the 30 % tolerance"
