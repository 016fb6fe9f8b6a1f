# Back-of-envelope estimate for the home feed. Every input is an assumption
# from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

daily_users = 200e6          # viewers who open the home feed on a given day
feeds_per_user = 8           # home feed loads per viewer per day
catalog = 500e6              # videos eligible for recommendation
dim = 64                     # embedding size of the two towers
candidates = 1_000           # videos retrieval hands to the ranker

load = estimates.request_load(
    requests_per_day=daily_users * feeds_per_user,
    peak_factor=3.0,                 # the busiest hour versus the daily average
    scored_per_request=candidates,   # the ranker scores every candidate
    logged_per_request=20,           # videos shown per feed load, one impression row each
    bytes_per_row=200)               # one impression row in the event log
float32 = estimates.embedding_memory(n_items=int(catalog), dim=dim, bytes_per_value=4)
int8 = estimates.embedding_memory(n_items=int(catalog), dim=dim, bytes_per_value=1)
brute_force_flops = 2 * dim * catalog                   # one exact scan of the catalog

show.table(estimates.load_rows(load, unit="feed loads") + [
    {"quantity": "item embeddings, float32 / int8", "value": f"{float32['size']} / {int8['size']}"},
    {"quantity": "FLOPs for one exact scan of the catalog", "value": f"{brute_force_flops:.2g}"},
], title="Scale estimate")

# The numbers the page quotes:
assert round(load["mean_qps"], -2) == 18_500 and round(load["peak_qps"], -3) == 56_000
assert round(load["scores_per_second"] / 1e6) == 56     # tens of millions of scores a second
assert float32["total_bytes"] == 128e9 and int8["total_bytes"] == 32e9   # float32 won't fit a small server
# An exact scan at peak would need ~3.6e15 FLOP/s: that is why retrieval uses an ANN index.
assert 3e15 < brute_force_flops * load["peak_qps"] < 4e15
assert round(load["log_bytes_per_day"] / 1e12, 1) == 6.4
# Ranking the whole catalog instead of the candidates would cost this many times more:
assert catalog / candidates == 500_000
