# Back-of-envelope estimate for "people you may know" on a large social network. Every input is
# an assumption from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

users = 500e6                 # accounts with at least one friend
viewers_per_day = 200e6       # people who see the suggestions module on a given day
loads_per_viewer = 1.5        # times a viewer opens it (or a surface that embeds it) per day
peak_to_mean = 2.0
scored_per_request = 500      # candidates the ranker scores per request
# Degrees as Ugander et al. measured them on 721 million active Facebook users (arXiv:1111.4503)
mean_degree = 190             # friends of the average user
median_degree = 99            # friends of the median user: the heavy tail pulls the mean above it
friend_degree = 635           # mean degree at the end of a random edge, <k^2>/<k> (friendship paradox)
hub_degree = 5_000            # the friend limit; hubs sit near it
per_friend_cap = 100          # newest friends read per friend during the two-hop walk
bytes_per_path = 8            # (candidate id, via) emitted per two-hop path in a batch join
kept_per_user, bytes_per_kept = 500, 8   # precomputed candidates per user (the ranker's input): id + count

load = estimates.request_load(requests_per_day=viewers_per_day * loads_per_viewer,
                              peak_factor=peak_to_mean, scored_per_request=scored_per_request)
paths_median = median_degree * friend_degree
paths_median_capped = median_degree * min(friend_degree, per_friend_cap)   # at most: some friends have fewer
paths_mean_capped = mean_degree * min(friend_degree, per_friend_cap)
paths_hub = hub_degree * friend_degree
# Summed over everyone, the walk reads sum(deg^2) = users x mean degree x friend degree paths: the
# hubs are counted, which sizing on the median user would miss. The cap bounds each friend's share.
batch_uncapped = users * mean_degree * friend_degree
batch_paths = users * paths_mean_capped
shuffle_tb = batch_paths * bytes_per_path / 1e12
table_gb = users * kept_per_user * bytes_per_kept / 1e9
on_request_cached = viewers_per_day * paths_mean_capped          # one walk per viewer, kept for the day
on_request_each_load = on_request_cached * loads_per_viewer      # one walk per load

show.table(estimates.load_rows(load, unit="suggestion requests") + [
    {"quantity": f"two-hop paths, median user ({median_degree} friends), uncapped", "value": f"{paths_median:,.0f}"},
    {"quantity": f"... with {per_friend_cap} newest per friend (at most)", "value": f"{paths_median_capped:,.0f}"},
    {"quantity": f"... the average user ({mean_degree} friends), capped (at most)", "value": f"{paths_mean_capped:,.0f}"},
    {"quantity": f"two-hop paths, a hub with {hub_degree:,} friends, uncapped", "value": f"{paths_hub:,.0f}"},
    {"quantity": "batch: paths walked per day, everyone, uncapped", "value": estimates.format_count(batch_uncapped)},
    {"quantity": "batch: paths walked per day, everyone, capped (at most)", "value": estimates.format_count(batch_paths)},
    {"quantity": "batch: data shuffled per day (TB)", "value": f"{shuffle_tb:,.0f}"},
    {"quantity": f"batch: candidate table, {kept_per_user} per user (GB)", "value": f"{table_gb:,.0f}"},
    {"quantity": "on request: paths per day, one walk per viewer", "value": estimates.format_count(on_request_cached)},
    {"quantity": "on request: paths per day, one walk per load", "value": estimates.format_count(on_request_each_load)},
], title="Scale estimate")

budget = estimates.latency_budget({"read precomputed candidates": 10, "fresh-edge candidates": 15,
                                   "features (graph and profile reads)": 40, "model (500 candidates)": 30,
                                   "filters and blending": 5}, 200)
show.table(budget["rows"], title=f"Latency budget: {budget['total_ms']:g} of 200 ms")

# The numbers the page quotes (edit an input above and these say which one moved):
qps = (round(load["mean_qps"]), round(load["peak_qps"]), round(load["scores_per_second"] / 1e6, 1))
assert qps == (3472, 6944, 3.5), f"page quotes 3,472 / 6,944 requests/s and 3.5M scores/s, got {qps}"
walks = (paths_median, paths_median_capped, paths_mean_capped, paths_hub)
assert walks == (62_865, 9_900, 19_000, 3_175_000), f"page quotes ~63,000 / 9,900 / 19,000 / 3.2M paths, got {walks}"
assert 50 <= paths_hub / paths_median < 51, f"page: a hub walks as much as 50 median users, got {paths_hub / paths_median:.1f}"
batch = (round(batch_uncapped / 1e12), round(batch_paths / 1e12, 1), round(shuffle_tb), round(table_gb))
assert batch == (60, 9.5, 76, 2000), f"page quotes 60T / 9.5T paths, 76 TB shuffled, a 2 TB table, got {batch}"
shares = (on_request_cached / batch_paths, on_request_each_load / batch_paths)
assert [round(s, 2) for s in shares] == [0.4, 0.6], f"page: on request is 40 % / 60 % of the batch, got {shares}"
assert budget["fits"] and budget["slack_ms"] == 100, f"page: the service uses 100 of 200 ms, got {budget['total_ms']}"
