# Infer a schema from training rows, run it on clean serving batches, review it, run it again.
# The data: a seeded click log (20 features, in time order) plus one freshness column, the age in
# hours of the user features joined to each impression (a nightly table: 0 to 24 hours old).
# Training is the first 4,000 impressions (about 6 days); serving arrives in batches of 500.
import random
from collections import Counter

from mlsd import show, validation
from mlsd.data.clicks import START_TIME, make_clicks

N_TRAIN, BATCH, N_BATCHES = 4000, 500, 10

log = make_clicks(n=N_TRAIN + BATCH * N_BATCHES, seed=0)
rng = random.Random(0)
rows = []
for t, r in zip(log.timestamps, log.records()):
    r["user_features_age_h"] = round((t - START_TIME) % 86400 / 3600, 2)
    if rng.random() < 0.01:                  # 1 % of users never gave their age
        r["user_age"] = None
    rows.append(r)
train = rows[:N_TRAIN]
batches = [rows[N_TRAIN + k * BATCH:N_TRAIN + (k + 1) * BATCH] for k in range(N_BATCHES)]

schema = validation.infer_schema(train)      # tolerances: 1 % out of range, 1 % unseen, PSI 0.2
show.table([r for r in schema.rows() if r["feature"] in
            ("user_age", "ad_age_days", "hour", "page_load_ms", "country", "user_features_age_h")],
           title="Part of the inferred schema")


def false_alarms(schema):
    """Anomalies raised on clean batches, counted by feature and check, and batches with any."""
    found, flagged = Counter(), 0
    for b in batches:
        anomalies = validation.validate(schema, b)
        found.update((a["feature"], a["check"]) for a in anomalies)
        flagged += bool(anomalies)
    return found, flagged


before, flagged_before = false_alarms(schema)
show.table([{"feature": f, "check": c, "clean batches flagged": n} for (f, c), n in sorted(before.items())],
           title=f"The inferred schema on {N_BATCHES} clean batches")

# Review: each change is a decision about the world, written next to the schema.
for clock in ("hour", "day_of_week", "user_features_age_h"):
    schema.features[clock].check_distribution = False   # a batch covers hours, training days
schema.features["ad_age_days"].high = None               # ads keep ageing after training: a clock too
schema.features["ad_age_days"].check_distribution = False
after, flagged_after = false_alarms(schema)
hours = [(log.timestamps[N_TRAIN + (k + 1) * BATCH - 1] - log.timestamps[N_TRAIN + k * BATCH]) / 3600
         for k in range(N_BATCHES)]
train_days = (log.timestamps[N_TRAIN - 1] - log.timestamps[0]) / 86400
print(f"training covers {train_days:.1f} days; a batch covers {min(hours):.0f} to {max(hours):.0f} hours")
print(f"clean batches with an alarm: {flagged_before} of {N_BATCHES} before review, {flagged_after} after")

assert all(before[(f, "distribution")] == N_BATCHES for f in ("hour", "day_of_week")), \
    "a batch of a few hours never matches the training week's hour and weekday mix"
assert before[("ad_age_days", "range")] == N_BATCHES and before[("ad_age_days", "distribution")] == 7, \
    "the prose says ad age leaves its range in all 10 batches and its distribution moves in 7"
assert max(hours) < 24 < 5 * 24 < train_days * 24, "a batch covers less than a day, training several days"
assert flagged_before == N_BATCHES, "the schema as inferred raises an alarm on every clean batch"
assert flagged_after == 0, "after review, no clean batch raises an alarm"
