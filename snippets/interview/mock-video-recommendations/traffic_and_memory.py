# The candidate's back-of-envelope estimate in minute 6. Every input is an assumption the candidate
# states out loud; the outputs are what the rest of the design leans on.
from mlsd import estimates, show

DAU = 200_000_000          # daily active users (assumed)
FEED_LOADS_PER_USER = 10   # home-feed requests per user per day (assumed)
PEAK_FACTOR = 3            # the busiest (evening) hour versus the daily average (assumed)
CANDIDATES = 500           # items the ranker scores per request (a design choice)
ITEMS_PER_FEED = 25        # videos shown per feed load (assumed)
BYTES_PER_IMPRESSION = 200 # one logged impression with ids, position and context (assumed)

traffic = estimates.qps(DAU, FEED_LOADS_PER_USER, peak_factor=PEAK_FACTOR)
scores_per_s = traffic["peak_qps"] * CANDIDATES
print(f"feed requests per day: {estimates.format_count(traffic['requests_per_day'])}")
print(f"average QPS: {traffic['average_qps']:,.0f}   peak QPS: {traffic['peak_qps']:,.0f}")
print(f"ranker scores at peak: {estimates.format_count(scores_per_s)} candidates per second")

impressions = traffic["requests_per_day"] * ITEMS_PER_FEED
logs = estimates.log_storage(impressions, BYTES_PER_IMPRESSION, retention_days=30, replication=3)
print(f"impressions per day: {estimates.format_count(impressions)}; "
      f"{estimates.format_bytes(logs['bytes_per_day'])} of logs per day, {logs['size']} for 30 days x 3 copies")

# Video embeddings for retrieval: 100 million recommendable videos, 128 dimensions, in an HNSW
# graph with M = 16 (about 2 x M links of 4 bytes per vector) plus an 8-byte id.
VIDEOS, DIM, LINK_BYTES = 100_000_000, 128, 2 * 16 * 4 + 8
rows = []
for name, bytes_per_value in [("float32", 4), ("int8", 1)]:
    mem = estimates.embedding_memory(VIDEOS, DIM, bytes_per_value, overhead_bytes_per_item=LINK_BYTES)
    shards = estimates.machines_for_memory(mem["total_bytes"], memory_per_machine_gb=64)
    rows.append({"values": name, "index size": mem["size"],
                 "64 GB machines per replica": shards["machines"]})
show.table(rows, title="ANN index memory for 100M videos")

# The case study's catalogue (500 million videos), same arithmetic, 8-bit values.
big = estimates.embedding_memory(500_000_000, DIM, 1, overhead_bytes_per_item=LINK_BYTES)
big_machines = estimates.machines_for_memory(big["total_bytes"], memory_per_machine_gb=64)["machines"]
print(f"the case study's 500M videos, int8: {big['size']}, {big_machines} machines of 64 GB per replica")

assert round(traffic["average_qps"]) == 23_148 and round(traffic["peak_qps"]) == 69_444, "the transcript quotes this figure; an assumption above was changed"
assert round(scores_per_s / 1e6, 1) == 34.7, "the transcript quotes this figure; an assumption above was changed"
assert impressions == 50e9 and logs["bytes"] == 900e12, "the transcript quotes this figure; an assumption above was changed"
assert [r["64 GB machines per replica"] for r in rows] == [2, 1], "the transcript quotes this figure; an assumption above was changed"
assert big_machines == 3, "the transcript quotes this figure; an assumption above was changed"  # sharded even with 8-bit values
