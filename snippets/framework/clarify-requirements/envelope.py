# Back-of-the-envelope estimate for a home-feed recommender.
# Every input is an assumption you state out loud; change one and watch the design change.
from mlsd import show

SECONDS_PER_DAY = 86_400

# --- assumptions (say them, write them down) ---------------------------------------------------
dau = 100_000_000            # daily active users
feeds_per_user = 10          # home-feed requests per user per day
peak_to_average = 3          # the busiest hour carries 3x the average rate
items_shown = 20             # items per feed response
catalogue = 10_000_000       # videos that can be recommended
dim = 128                    # embedding size
bytes_per_float = 4          # float32
log_bytes = 200              # bytes per logged impression
candidates = 500             # items the ranking model scores per request
us_per_score = 20            # ranking model cost per item on one CPU core, in microseconds
page_budget_ms = 200         # the whole page response, of which ranking gets a part

print(f"assumptions: {dau:,} daily users x {feeds_per_user} feeds, peak {peak_to_average}x average, "
      f"{catalogue:,} items, {candidates} candidates, {page_budget_ms} ms page budget")

# --- traffic -------------------------------------------------------------------------------------
requests_per_day = dau * feeds_per_user
avg_qps = requests_per_day / SECONDS_PER_DAY
peak_qps = avg_qps * peak_to_average

# --- storage -------------------------------------------------------------------------------------
index_gb = catalogue * dim * bytes_per_float / 1e9
index_int8_gb = catalogue * dim * 1 / 1e9
logs_tb_per_day = requests_per_day * items_shown * log_bytes / 1e12

# --- compute and latency -------------------------------------------------------------------------
rank_ms = candidates * us_per_score / 1000            # ranking the candidates of one request
score_all_s = catalogue * us_per_score / 1e6          # scoring the whole catalogue instead
cores_at_peak = peak_qps * candidates * us_per_score / 1e6

show.table([
    {"quantity": "requests per day", "value": f"{requests_per_day:,.0f}"},
    {"quantity": "average QPS", "value": f"{avg_qps:,.0f}"},
    {"quantity": "peak QPS", "value": f"{peak_qps:,.0f}"},
    {"quantity": "embedding index, float32", "value": f"{index_gb:.2f} GB"},
    {"quantity": "embedding index, int8", "value": f"{index_int8_gb:.2f} GB"},
    {"quantity": "impression logs per day", "value": f"{logs_tb_per_day:.1f} TB"},
    {"quantity": "rank 500 candidates, one core", "value": f"{rank_ms:.0f} ms"},
    {"quantity": "score the whole catalogue, one core", "value": f"{score_all_s:.0f} s"},
    {"quantity": "CPU cores for ranking at peak", "value": f"{cores_at_peak:,.0f}"},
], title="Assumptions in, design constraints out")

assert round(avg_qps) == 11_574 and round(peak_qps) == 34_722
assert round(index_gb, 2) == 5.12 and round(index_int8_gb, 2) == 1.28   # fits in one server's RAM
assert logs_tb_per_day == 4.0
assert rank_ms == 10 and rank_ms < page_budget_ms / 10   # ranking a short list fits the budget...
assert score_all_s == 200               # ...scoring every item per request never could
assert round(cores_at_peak) == 347
print("verdict: score a few hundred candidates per request, not the catalogue;"
      " the index fits in memory; logs need a data lake, not a database")
