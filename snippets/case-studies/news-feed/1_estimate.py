# Back-of-envelope estimate for the feed. Every input is an assumption from the
# requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

daily_users = 300e6          # people who open the feed on a given day
loads_per_user = 10          # feed loads per user per day
candidates = 1_500           # posts per request that pass the inventory filters
tasks = 6                    # click, like, comment, share, hide, long dwell
comment_rate, hide_rate = 0.003, 0.001   # per impression (a few per thousand, rarer still)

load = estimates.request_load(
    requests_per_day=daily_users * loads_per_user,
    peak_factor=2.5,                 # the busiest minute versus the daily average
    scored_per_request=candidates,   # (user, post) pairs the ranker scores
    logged_per_request=15,           # posts a user scrolls past per load (impressions logged)
    bytes_per_row=300)               # one impression row: ids, position, features used, labels
impressions_per_day = load["log_rows_per_day"]

show.table(estimates.load_rows(load, unit="feed loads") + [
    {"quantity": "head outputs per second at peak", "value": f"{load['scores_per_second'] * tasks:.2g}"},
    {"quantity": "comments / hides per day",
     "value": f"{impressions_per_day * comment_rate:.2g} / {impressions_per_day * hide_rate:.2g}"},
], title="Scale estimate")

# The numbers the page quotes:
assert round(load["mean_qps"], -2) == 34_700 and round(load["peak_qps"], -3) == 87_000
assert 1.2e8 < load["scores_per_second"] < 1.4e8      # over a hundred million pairs a second
assert impressions_per_day == 4.5e10 and round(load["log_bytes_per_day"] / 1e12, 1) == 13.5
assert impressions_per_day * hide_rate == 4.5e7        # rare per impression, plenty per day
