# Back-of-envelope estimate for ads in a social feed. Every input is an
# assumption from the requirements table; change one and re-run.
from mlsd import show

daily_users = 500e6          # people who open the feed on a given day
ad_slots_per_user = 20       # ad impressions per person per day (about one post in five)
peak_to_mean = 2.0           # the busiest minute versus the daily average
candidates = 500             # ads the CTR model scores per request, after targeting and pre-ranking
ctr = 0.01                   # clicks per ad impression
negative_rate = 0.02         # share of non-clicks kept in the training log
row_bytes = 1_000            # one training row: hundreds of features, IDs and counters

impressions = daily_users * ad_slots_per_user            # one ad request per slot
mean_qps = impressions / 86_400
peak_qps = mean_qps * peak_to_mean
predictions_per_s = peak_qps * candidates
clicks = impressions * ctr
kept_rows = clicks + (impressions - clicks) * negative_rate
full_tb = impressions * row_bytes / 1e12
kept_tb = kept_rows * row_bytes / 1e12

show.table([
    {"quantity": "ad impressions per day", "value": f"{impressions:.2g}"},
    {"quantity": "mean ad requests per second", "value": f"{mean_qps:,.0f}"},
    {"quantity": "peak ad requests per second", "value": f"{peak_qps:,.0f}"},
    {"quantity": "CTR predictions per second at peak", "value": f"{predictions_per_s:.2g}"},
    {"quantity": "clicks per day", "value": f"{clicks:.2g}"},
    {"quantity": "training rows per day, all impressions", "value": f"{impressions:.2g}"},
    {"quantity": "training rows per day, 2 % of negatives", "value": f"{kept_rows:.2g}"},
    {"quantity": "training log per day, all impressions (TB)", "value": f"{full_tb:,.1f}"},
    {"quantity": "training log per day, downsampled (TB)", "value": f"{kept_tb:,.2f}"},
], title="Scale estimate")

# The numbers the page quotes:
assert impressions == 1e10
assert round(mean_qps, -3) == 116_000 and round(peak_qps, -3) == 231_000
assert round(predictions_per_s / 1e6) == 116             # over a hundred million predictions a second
assert clicks == 1e8
assert round(kept_rows / 1e6) == 298                      # about 3 % of the impressions
assert round(full_tb) == 10 and round(kept_tb, 1) == 0.3  # 10 TB a day shrinks to 0.3 TB
