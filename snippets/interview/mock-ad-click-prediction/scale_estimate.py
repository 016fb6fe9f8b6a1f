# The candidate's back-of-envelope estimate in minute 3. Every input is an assumption the candidate
# states out loud; they are the case study's on purpose, so the two pages can be read side by side.
from mlsd import estimates, show

DAU = 500e6                # daily users who open the feed (given by the interviewer)
AD_SLOTS_PER_USER = 20     # ad impressions per user per day (assumed)
PEAK_FACTOR = 2.0          # busiest minute versus the daily average (assumed)
CANDIDATES = 500           # ads the CTR model scores per request (a design choice)
CTR = 0.01                 # clicks per ad impression (assumed)
BYTES_PER_ROW = 1_000      # one logged impression with its features (assumed)
NEG_RATE = 0.02            # share of non-clicks kept for training (phase 2)

load = estimates.request_load(requests_per_day=DAU * AD_SLOTS_PER_USER, peak_factor=PEAK_FACTOR,
                              scored_per_request=CANDIDATES, logged_per_request=1,
                              bytes_per_row=BYTES_PER_ROW)
clicks = load["requests_per_day"] * CTR
kept_rows = clicks + (load["requests_per_day"] - clicks) * NEG_RATE
kept_tb = kept_rows * BYTES_PER_ROW / 1e12
show.table(estimates.load_rows(load, unit="ad requests") + [
    {"quantity": "clicks per day", "value": estimates.format_count(clicks)},
    {"quantity": f"training log per day, every click + {NEG_RATE:.0%} of non-clicks",
     "value": f"{estimates.format_count(kept_rows)} rows, {kept_tb:.1f} TB"},
], title="The candidate's estimate")

# The transcript quotes these figures; if you change an assumption above, the message says which.
assert load["requests_per_day"] == 1e10, "the transcript says 10 billion ad requests a day"
assert round(load["peak_qps"], -3) == 231_000, "the transcript says about 230,000 requests a second at peak"
assert round(load["scores_per_second"] / 1e6) == 116, "the transcript says over a hundred million scores a second"
assert clicks == 1e8 and round(load["log_bytes_per_day"] / 1e12) == 10, "the transcript says 1e8 clicks and 10 TB a day"
assert round(kept_tb, 1) == 0.3, "the transcript (phase 2) says the downsampled log is 0.3 TB a day"
