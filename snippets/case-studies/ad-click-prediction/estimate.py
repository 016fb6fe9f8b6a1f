# Back-of-envelope estimate for ads in a social feed. Every input is an
# assumption from the requirements table; change one and re-run.
from mlsd import estimates, show

daily_users = 500e6          # people who open the feed on a given day
ad_slots_per_user = 20       # ad impressions per person per day (about one post in five)
ctr = 0.01                   # clicks per ad impression
negative_rate = 0.02         # share of non-clicks kept in the training log

load = estimates.request_load(
    requests_per_day=daily_users * ad_slots_per_user,   # one ad request per slot
    peak_factor=2.0,             # the busiest minute versus the daily average
    scored_per_request=500,      # ads the CTR model scores per request, after targeting and pre-ranking
    logged_per_request=1,        # every impression is a training row before downsampling
    bytes_per_row=1_000)         # one training row: hundreds of features, IDs and counters
impressions = load["requests_per_day"]
clicks = impressions * ctr
kept_rows = clicks + (impressions - clicks) * negative_rate
full_tb = load["log_bytes_per_day"] / 1e12
kept_tb = full_tb * kept_rows / impressions

show.table(estimates.load_rows(load, unit="ad requests") + [
    {"quantity": "clicks per day", "value": f"{clicks:.2g}"},
    {"quantity": "training rows per day, 2 % of negatives", "value": f"{kept_rows:.2g}"},
    {"quantity": "training log per day, downsampled (TB)", "value": f"{kept_tb:,.2f}"},
], title="Scale estimate")

# The numbers the page quotes:
assert impressions == 1e10
assert round(load["mean_qps"], -3) == 116_000 and round(load["peak_qps"], -3) == 231_000
assert round(load["scores_per_second"] / 1e6) == 116             # over a hundred million predictions a second
assert clicks == 1e8
assert round(kept_rows / 1e6) == 298                      # about 3 % of the impressions
assert round(full_tb) == 10 and round(kept_tb, 1) == 0.3  # 10 TB a day shrinks to 0.3 TB
