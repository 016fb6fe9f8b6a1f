# Back-of-envelope estimate for the home feed. Every input is an assumption
# from the requirements table; change one and re-run to see what moves.
from mlsd import show

daily_users = 200e6          # viewers who open the home feed on a given day
feeds_per_user = 8           # home feed loads per viewer per day
peak_to_mean = 3.0           # the busiest hour versus the daily average
catalog = 500e6              # videos eligible for recommendation
dim = 64                     # embedding size of the two towers
candidates = 1_000           # videos retrieval hands to the ranker
shown = 20                   # videos shown per feed load
log_row_bytes = 200          # one impression row in the event log

requests_per_day = daily_users * feeds_per_user
mean_qps = requests_per_day / 86_400
peak_qps = mean_qps * peak_to_mean
scores_per_s = candidates * peak_qps                    # ranker predictions per second
index_gb_f32 = catalog * dim * 4 / 1e9                  # float32 item embeddings
index_gb_int8 = catalog * dim * 1 / 1e9                 # after int8 quantization
brute_force_flops = 2 * dim * catalog                   # one exact scan of the catalog
log_tb_per_day = requests_per_day * shown * log_row_bytes / 1e12

show.table([
    {"quantity": "feed requests per day", "value": f"{requests_per_day:.2g}"},
    {"quantity": "mean QPS", "value": f"{mean_qps:,.0f}"},
    {"quantity": "peak QPS", "value": f"{peak_qps:,.0f}"},
    {"quantity": "ranker predictions per second at peak", "value": f"{scores_per_s:.2g}"},
    {"quantity": "item embeddings, float32 (GB)", "value": f"{index_gb_f32:,.0f}"},
    {"quantity": "item embeddings, int8 (GB)", "value": f"{index_gb_int8:,.0f}"},
    {"quantity": "FLOPs for one exact scan of the catalog", "value": f"{brute_force_flops:.2g}"},
    {"quantity": "impression log per day (TB)", "value": f"{log_tb_per_day:,.1f}"},
], title="Scale estimate")

# The numbers the page quotes:
assert round(mean_qps, -2) == 18_500 and round(peak_qps, -3) == 56_000
assert round(scores_per_s / 1e6) == 56                 # tens of millions of scores a second
assert index_gb_f32 == 128 and index_gb_int8 == 32    # does not fit one small server in float32
# An exact scan at peak would need ~3.6e15 FLOP/s: that is why retrieval uses an ANN index.
assert 3e15 < brute_force_flops * peak_qps < 4e15
assert round(log_tb_per_day, 1) == 6.4
# Ranking the whole catalog instead of the candidates would cost this many times more:
assert catalog / candidates == 500_000
