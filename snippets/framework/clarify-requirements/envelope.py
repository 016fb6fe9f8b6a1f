# Back-of-the-envelope estimate for a home-feed recommender.
# Every input is an assumption you state out loud; change one and watch the design change.
from mlsd import estimates, show

# --- assumptions (say them, write them down) ---------------------------------------------------
dau = 100_000_000            # daily active users
feeds_per_user = 10          # home-feed requests per user per day
peak_factor = 3              # the busiest hour carries 3x the average rate
items_shown = 20             # items per feed response
catalogue = 10_000_000       # videos that can be recommended
dim = 128                    # embedding size
log_bytes = 200              # bytes per logged impression
candidates = 500             # items the ranking model scores per request
us_per_score = 20            # ranking model cost per item on one CPU core, in microseconds
page_budget_ms = 200         # the whole page response, of which ranking gets a part
cores_per_server, utilization = 32, 0.6

print(f"assumptions: {dau:,} daily users x {feeds_per_user} feeds, peak {peak_factor}x average, "
      f"{catalogue:,} items, {candidates} candidates, {page_budget_ms} ms page budget")

# --- traffic, storage, compute -------------------------------------------------------------------
traffic = estimates.qps(dau, feeds_per_user, peak_factor=peak_factor)
index32 = estimates.embedding_memory(catalogue, dim, bytes_per_value=4)
index8 = estimates.embedding_memory(catalogue, dim, bytes_per_value=1)
logs = estimates.log_storage(traffic["requests_per_day"] * items_shown, log_bytes,
                             retention_days=30, replication=3)
rank_ms = candidates * us_per_score / 1000            # ranking the candidates of one request
score_all_s = catalogue * us_per_score / 1e6          # scoring the whole catalogue instead
cores_at_peak = traffic["peak_qps"] * candidates * us_per_score / 1e6
qps_per_server = cores_per_server * 1e6 / (candidates * us_per_score)
servers = estimates.servers_needed(traffic["peak_qps"], qps_per_server, utilization, spares=1)

show.table([
    {"quantity": "requests per day", "value": estimates.format_count(traffic["requests_per_day"])},
    {"quantity": "average QPS", "value": f"{traffic['average_qps']:,.0f}"},
    {"quantity": "peak QPS", "value": f"{traffic['peak_qps']:,.0f}"},
    {"quantity": "embedding index, float32", "value": index32["size"]},
    {"quantity": "embedding index, int8", "value": index8["size"]},
    {"quantity": "impression logs per day", "value": estimates.format_bytes(logs["bytes_per_day"])},
    {"quantity": "impression logs, 30 days x 3 copies", "value": logs["size"]},
    {"quantity": "rank 500 candidates, one core", "value": f"{rank_ms:.0f} ms"},
    {"quantity": "score the whole catalogue, one core", "value": f"{score_all_s:.0f} s"},
    {"quantity": "CPU cores busy ranking at peak", "value": f"{cores_at_peak:,.0f}"},
    {"quantity": f"{cores_per_server}-core ranking servers at {utilization:.0%} load, +1 spare",
     "value": servers["servers"]},
], title="Assumptions in, design constraints out")

SERVER_RAM_BYTES = 256e9        # assumption: memory of one serving machine
assert traffic["peak_qps"] > traffic["average_qps"]          # plan capacity for the peak
assert index32["total_bytes"] < SERVER_RAM_BYTES             # the index fits in one server's RAM
assert index8["total_bytes"] < index32["total_bytes"] / 3    # 8-bit codes: about a quarter the size
assert rank_ms < page_budget_ms / 10                         # ranking a short list fits the budget...
assert score_all_s * 1000 > 100 * page_budget_ms             # ...scoring every item per request never could
assert servers["servers"] * cores_per_server * utilization >= cores_at_peak   # enough cores at peak
print("verdict: score a few hundred candidates per request, not the catalogue;"
      f" the index fits in memory ({SERVER_RAM_BYTES / 1e9:.0f} GB per server assumed);"
      " logs need a data lake, not a database")
