# Back-of-envelope estimate for "people you may know" on a large social network. Every input is
# an assumption from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

users = 500e6                 # accounts with at least one friend
viewers_per_day = 200e6       # people who see the suggestions module on a given day
loads_per_viewer = 1.5        # times a viewer opens it (or a surface that embeds it) per day
peak_to_mean = 2.0
scored_per_request = 500      # candidates the ranker scores per request
median_degree = 200           # friends of a typical user
friend_degree = 400           # mean degree of a typical user's friends (the friendship paradox)
hub_degree = 5_000            # the friend limit; hubs sit near it
per_friend_cap = 100          # newest friends read per friend during the two-hop walk
bytes_per_path = 8            # (candidate id, via) emitted per two-hop path in a batch join
kept_per_user, bytes_per_kept = 200, 8   # precomputed candidates per user: id + score

load = estimates.request_load(requests_per_day=viewers_per_day * loads_per_viewer,
                              peak_factor=peak_to_mean, scored_per_request=scored_per_request)
paths_median = median_degree * friend_degree
paths_median_capped = median_degree * min(friend_degree, per_friend_cap)
paths_hub = hub_degree * friend_degree
batch_paths = users * paths_median_capped
shuffle_tb = batch_paths * bytes_per_path / 1e12
table_gb = users * kept_per_user * bytes_per_kept / 1e9
on_request_paths_per_day = viewers_per_day * paths_median_capped

show.table(estimates.load_rows(load, unit="suggestion requests") + [
    {"quantity": "two-hop paths, median user, uncapped", "value": f"{paths_median:,.0f}"},
    {"quantity": f"two-hop paths, median user, {per_friend_cap} newest per friend", "value": f"{paths_median_capped:,.0f}"},
    {"quantity": "two-hop paths, a hub with 5,000 friends, uncapped", "value": f"{paths_hub:,.0f}"},
    {"quantity": "batch: paths walked per day (everyone, capped)", "value": estimates.format_count(batch_paths)},
    {"quantity": "batch: data shuffled per day (TB)", "value": f"{shuffle_tb:,.0f}"},
    {"quantity": "batch: candidate table (GB)", "value": f"{table_gb:,.0f}"},
    {"quantity": "on request: paths walked per day (viewers only)", "value": estimates.format_count(on_request_paths_per_day)},
], title="Scale estimate")

budget = estimates.latency_budget({"read precomputed candidates": 10, "fresh-edge candidates": 15,
                                   "features (graph and profile reads)": 40, "model (500 candidates)": 30,
                                   "filters and blending": 5}, 200)
show.table(budget["rows"], title=f"Latency budget: {budget['total_ms']:g} of 200 ms")

# The numbers the page quotes:
assert round(load["mean_qps"]) == 3472 and round(load["peak_qps"]) == 6944
assert round(load["scores_per_second"] / 1e6, 1) == 3.5
assert paths_median == 80_000 and paths_median_capped == 20_000 and paths_hub == 2_000_000
assert paths_hub / paths_median == 25              # one hub walks as much as 25 typical users
assert batch_paths == 1e13 and round(shuffle_tb) == 80 and round(table_gb) == 800
assert on_request_paths_per_day / batch_paths == viewers_per_day / users == 0.4
assert budget["fits"] and budget["slack_ms"] == 100
