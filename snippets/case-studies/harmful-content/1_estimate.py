# Back-of-envelope estimate for the harmful-content system of a large social platform. Every
# input is an assumption from the requirements table; change one and run the cell again.
from mlsd import estimates, show

posts_per_day = 3e9          # new posts (text, image or both) screened per day
peak_to_mean = 2.0           # the busiest hour versus the daily average
harmful_rate = 0.0076        # all four classes together (spam 0.4 %, nudity 0.2 %, hate 0.1 %, violence 0.06 %)
review_share = 0.001         # share of posts people can review: a fixed daily capacity
reviews_per_person = 600     # decisions per reviewer per day (about 45 s each over 7.5 hours)
budget_ms = 500.0            # asynchronous check before the post is widely distributed
images_per_gpu_s = 500       # one GPU running a batched image encoder (an assumption; measure yours)

load = estimates.request_load(requests_per_day=posts_per_day, peak_factor=peak_to_mean,
                              scored_per_request=1, logged_per_request=1, bytes_per_row=2_000)
harmful_per_day = posts_per_day * harmful_rate
reviews_per_day = posts_per_day * review_share
reviewers = reviews_per_day / reviews_per_person
gpus = load["peak_qps"] / images_per_gpu_s
show.table(estimates.load_rows(load, unit="posts") + [
    {"quantity": "harmful posts per day", "value": f"{harmful_per_day / 1e6:.1f} million"},
    {"quantity": "human reviews per day", "value": f"{reviews_per_day / 1e6:.1f} million"},
    {"quantity": "reviewers to staff them", "value": f"{reviewers:,.0f}"},
    {"quantity": "reviews per harmful post", "value": f"{reviews_per_day / harmful_per_day:.2f}"},
    {"quantity": "GPUs for the image encoder at peak", "value": f"{gpus:,.0f}"},
], title="Scale estimate")

budget = estimates.latency_budget({"text encoder (GPU)": 40, "image encoder (GPU)": 120,
                                   "account features": 20, "fusion heads": 5, "decision": 2},
                                  budget_ms)
show.table(budget["rows"], title=f"Latency budget: {budget['total_ms']:g} of {budget_ms:g} ms")

assert round(load["mean_qps"], -3) == 35_000 and round(load["peak_qps"], -3) == 69_000, \
    "the page quotes about 35,000 posts a second on average and 69,000 at peak"
assert round(harmful_per_day / 1e6, 1) == 22.8 and reviews_per_day == 3e6, \
    "the page quotes 22.8 million harmful posts and 3 million reviews a day"
assert round(reviewers) == 5_000, "the page quotes about 5,000 reviewers"
assert 0.12 < reviews_per_day / harmful_per_day < 0.14, "the page says one harmful post in eight can be reviewed"
assert round(gpus) == 139, "the page quotes about 139 GPUs for the image encoder at peak"
assert budget["fits"] and budget["slack_ms"] == 313, "the page quotes 313 ms of headroom in a 500 ms budget"
