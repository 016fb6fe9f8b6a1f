# Back-of-envelope estimate for a payment processor's fraud check. Every input is an
# assumption from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

payments_per_day = 40e6      # card-not-present payments screened per day
peak_to_mean = 3.0           # the busiest hour versus the daily average
fraud_rate = 0.003           # share of payments that are fraud (0.1-0.5 % is typical)
mean_fraud_amount = 150.0    # dollars lost per fraudulent payment, before fees
budget_ms = 100.0            # the fraud check's share of the authorization's latency
active_keys = 60e6           # cards and devices seen in the last day: at most 2 per payment
bytes_per_event = 48         # one event in an exact window queue (time, amount, item, overhead)
buckets, bytes_per_bucket = 25, 16   # a fixed ring of 24 hourly buckets (+1) per key
review_rate = 0.002          # share of payments analysts (the merchants' and ours) can look at
reviews_per_analyst = 120    # per 8-hour shift, about 4 minutes each

load = estimates.request_load(
    requests_per_day=payments_per_day,
    peak_factor=peak_to_mean,
    scored_per_request=1,            # one model score per payment
    logged_per_request=1,            # one row per payment, with the features the server used
    bytes_per_row=500)
mean_qps, peak_qps = load["mean_qps"], load["peak_qps"]
frauds_per_day = payments_per_day * fraud_rate
loss_per_day = frauds_per_day * mean_fraud_amount
# Velocity state, 24-hour windows per card and per device: an exact queue stores each event
# twice (once per key); a bucket ring stores 25 buckets per key, busy or not.
exact_gb = payments_per_day * 2 * bytes_per_event / 1e9
bucket_gb = active_keys * buckets * bytes_per_bucket / 1e9
reviews_per_day = payments_per_day * review_rate
analysts = reviews_per_day / reviews_per_analyst

show.table(estimates.load_rows(load, unit="payments") + [
    {"quantity": "frauds per day", "value": f"{frauds_per_day:,.0f}"},
    {"quantity": "fraud loss per day if nothing is caught ($)", "value": f"{loss_per_day / 1e6:.0f} million"},
    {"quantity": "velocity state, exact 24 h queues (GB)", "value": f"{exact_gb:.1f}"},
    {"quantity": "velocity state, 25 buckets for every key (GB)", "value": f"{bucket_gb:.0f}"},
    {"quantity": "manual reviews per day at a 0.2 % review rate", "value": f"{reviews_per_day:,.0f}"},
    {"quantity": "analysts to staff them", "value": f"{analysts:,.0f}"},
    {"quantity": "reviews per fraud", "value": f"{reviews_per_day / frauds_per_day:.2f}"},
], title="Scale estimate")

# The fraud check's share of the authorization, stage by stage (a design budget, not a measure):
# counters are read in parallel from an in-memory store, the model is a few hundred trees.
budget = estimates.latency_budget({"velocity counters and profile reads": 15, "rules": 2,
                                   "model": 10, "cost decision": 1}, budget_ms)
show.table(budget["rows"], title=f"Latency budget: {budget['total_ms']:g} of {budget_ms:g} ms")

# The numbers the page quotes:
assert round(mean_qps) == 463 and round(peak_qps, -1) == 1390
assert frauds_per_day == 120_000 and round(loss_per_day / 1e6) == 18
assert round(exact_gb, 1) == 3.8 and round(bucket_gb) == 24    # sparse keys: exact is cheaper
assert active_keys <= 2 * payments_per_day      # a key seen today paid today
assert round(bucket_gb / exact_gb) == 6
assert reviews_per_day == 80_000 and round(analysts) == 667
assert reviews_per_day / frauds_per_day < 1       # fewer reviews than frauds: a fixed queue
assert budget["fits"] and budget["slack_ms"] == 72     # headroom for network and queueing
