# Back-of-envelope estimate for the feed. Every input is an assumption from the
# requirements table; change one and re-run to see what moves.
from mlsd import show

daily_users = 300e6          # people who open the feed on a given day
loads_per_user = 10          # feed loads per user per day
peak_to_mean = 2.5           # the busiest minute versus the daily average
candidates = 1_500           # posts per request that pass the inventory filters
tasks = 6                    # click, like, comment, share, hide, long dwell
viewed = 15                  # posts a user scrolls past per load (impressions logged)
log_row_bytes = 300          # one impression row: ids, position, features used, labels
comment_rate, hide_rate = 0.003, 0.001   # per impression (a few per thousand, rarer still)

requests_per_day = daily_users * loads_per_user
mean_qps = requests_per_day / 86_400
peak_qps = mean_qps * peak_to_mean
scores_per_s = candidates * peak_qps            # (user, post) pairs the ranker scores
impressions_per_day = requests_per_day * viewed
log_tb_per_day = impressions_per_day * log_row_bytes / 1e12

show.table([
    {"quantity": "feed requests per day", "value": f"{requests_per_day:.2g}"},
    {"quantity": "mean QPS", "value": f"{mean_qps:,.0f}"},
    {"quantity": "peak QPS", "value": f"{peak_qps:,.0f}"},
    {"quantity": "(user, post) pairs scored per second at peak", "value": f"{scores_per_s:.2g}"},
    {"quantity": "head outputs per second at peak", "value": f"{scores_per_s * tasks:.2g}"},
    {"quantity": "impressions logged per day", "value": f"{impressions_per_day:.2g}"},
    {"quantity": "impression log per day (TB)", "value": f"{log_tb_per_day:,.1f}"},
    {"quantity": "comments per day", "value": f"{impressions_per_day * comment_rate:.2g}"},
    {"quantity": "hides per day", "value": f"{impressions_per_day * hide_rate:.2g}"},
], title="Scale estimate")

# The numbers the page quotes:
assert round(mean_qps, -2) == 34_700 and round(peak_qps, -3) == 87_000
assert 1.2e8 < scores_per_s < 1.4e8                   # over a hundred million pairs a second
assert impressions_per_day == 4.5e10 and round(log_tb_per_day, 1) == 13.5
assert impressions_per_day * hide_rate == 4.5e7        # rare per impression, plenty per day
