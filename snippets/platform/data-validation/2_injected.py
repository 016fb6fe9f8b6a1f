# Seven problems injected into clean serving batches, and which checks of the reviewed schema
# catch them. The data and the review are those of the previous cell; every problem is applied
# to each of the 10 clean batches, so "caught" is out of 10.
import random

from mlsd import show, validation
from mlsd.data.clicks import START_TIME, make_clicks

N_TRAIN, BATCH, N_BATCHES = 4000, 500, 10
TOLERANCE = 0.01        # a batch fails when more than this share of its rows is out of range or unseen
MISSING_SLACK = 0.02    # ...or when the missing share exceeds training's by more than this

log = make_clicks(n=N_TRAIN + BATCH * N_BATCHES, seed=0)
rng = random.Random(0)
rows = []
for t, r in zip(log.timestamps, log.records()):
    r["user_features_age_h"] = round((t - START_TIME) % 86400 / 3600, 2)
    if rng.random() < 0.01:
        r["user_age"] = None
    rows.append(r)
batches = [rows[N_TRAIN + k * BATCH:N_TRAIN + (k + 1) * BATCH] for k in range(N_BATCHES)]
schema = validation.infer_schema(rows[:N_TRAIN], missing_slack=MISSING_SLACK,
                                 max_out_of_range=TOLERANCE, max_unseen=TOLERANCE)
for clock in ("hour", "day_of_week", "user_features_age_h", "ad_age_days"):   # the review
    schema.features[clock].check_distribution = False
schema.features["ad_age_days"].high = None


def unit_change(r):     # one client sends page load in seconds
    r["page_load_ms"] = r["page_load_ms"] / 1000


def new_category(r):    # a market launched after training
    r["country"] = "MX"


def null_spike(r):      # the user-profile join times out
    r["user_age"] = None


def default_fill(r):    # the same timeout, but the client fills in a default age
    r["user_age"] = 30


def swap_hour_position(r):   # a positional export with two columns in the wrong order
    r["hour"], r["position"] = r["position"], r["hour"]


def swap_ctrs(r):       # the same mistake on two columns with the same range
    r["user_past_ctr"], r["ad_past_ctr"] = r["ad_past_ctr"], r["user_past_ctr"]


def stale_table(r):     # the nightly user-feature job has failed for three days
    r["user_features_age_h"] += 72


PROBLEMS = {"unit change (ms to s)": (unit_change, 1.0), "new category (5 % of rows)": (new_category, 0.05),
            "null spike (20 % of rows)": (null_spike, 0.2), "default fill (25 % of rows)": (default_fill, 0.25),
            "swapped: hour and position": (swap_hour_position, 1.0),
            "swapped: user and ad CTR": (swap_ctrs, 1.0), "stale user-feature table": (stale_table, 1.0)}


def inject(batch, fix, share, seed):
    pick = random.Random(seed)
    out = [dict(r) for r in batch]
    for r in out:
        if pick.random() < share:
            fix(r)
    return out


results = []
for name, (fix, share) in PROBLEMS.items():
    caught, fired = 0, set()
    for k, b in enumerate(batches):
        anomalies = validation.validate(schema, inject(b, fix, share, k))
        caught += bool(anomalies)
        fired.update(f"{a['feature']}: {a['check']}" for a in anomalies)
    results.append({"problem": name, "batches caught": caught, "checks that fired": ", ".join(sorted(fired)) or "none"})
clean = sum(bool(validation.validate(schema, b)) for b in batches)
results.append({"problem": "none (clean)", "batches caught": clean, "checks that fired": "none" if not clean else "?"})
show.table(results, title=f"Injected problems, {N_BATCHES} batches of {BATCH} rows each")

# How big must a problem be? The same three problems hitting a growing share of rows.
SHARES = [0.005, 0.01, 0.02, 0.05]
sweep = {}
for name in ("unit change (ms to s)", "new category (5 % of rows)", "null spike (20 % of rows)"):
    fix = PROBLEMS[name][0]
    sweep[name.split(" (")[0]] = [sum(bool(validation.validate(schema, inject(b, fix, s, k)))
                                      for k, b in enumerate(batches)) / N_BATCHES for s in SHARES]
show.line_chart([s * 100 for s in SHARES], sweep, x_title="% of rows affected", y_title="share of batches caught",
                title=f"Problems smaller than the tolerance ({TOLERANCE:.0%}) pass")
FILL_SHARES = [0.1, 0.2, 0.25]      # a value inside the range needs a large share to move the PSI past 0.2
fill = [sum(bool(validation.validate(schema, inject(b, default_fill, s, k))) for k, b in enumerate(batches)) / N_BATCHES
        for s in FILL_SHARES]
print("default fill: caught in " + ", ".join(f"{c:.0%}" for c in fill) + f" of batches at {FILL_SHARES} of rows")
for name, caught in sweep.items():
    print(f"{name}: caught in " + ", ".join(f"{c:.0%}" for c in caught) + f" of batches at {SHARES} of rows")

by = {r["problem"]: r for r in results}
assert clean == 0, "the reviewed schema raises no alarm on the clean batches"
for name in PROBLEMS:
    if name != "swapped: user and ad CTR":
        assert by[name]["batches caught"] == N_BATCHES, f"{name} is caught in every batch"
assert by["default fill (25 % of rows)"]["checks that fired"] == "user_age: distribution", \
    "a default value inside the range is caught by the distribution check alone"
assert all(any(not c.endswith("distribution") for c in r["checks that fired"].split(", "))
           for r in results if r["batches caught"] and not r["problem"].startswith("default fill")), \
    "every other problem caught is caught by a check other than the PSI too"
assert by["swapped: user and ad CTR"]["batches caught"] == 0, "a swap of two look-alike columns passes every check"
assert "user_features_age_h: range" in by["stale user-feature table"]["checks that fired"], \
    "only the freshness column's range reveals the stale table"
for name, caught in sweep.items():
    assert caught[0] < 0.5 and caught[-1] == 1.0, f"{name}: the prose says missed in most batches at 0.5 % of rows, always caught at 5 %"
assert fill[0] < 0.5 and fill[-1] == 1.0, "the prose says a default fill is mostly missed at 10 % of rows, always caught at 25 %"
