# Back-of-envelope estimate for a shopping platform's visual search. Every input is an
# assumption from the requirements table; change one and re-run to see what moves.
import math

from mlsd import estimates, show

images = 5_000_000_000        # product and user images in the index
dim = 256                     # embedding size after the projection
pq_bytes = 64                 # product quantization: 64 one-byte codes per vector
id_bytes = 8                  # a 64-bit image id stored with each code
machine_gb = 128              # RAM per index server
searches_per_day = 30e6       # camera searches a day
peak_to_mean = 3.0            # evening peak versus the daily average
rerank = 1_000                # candidates re-scored with full vectors per search
nlist = 262_144               # IVF cells: 2^18, about 4 x sqrt(images), the low end of 4-16 x
nprobe = 64                   # cells opened per search
new_images_per_day = 20e6     # new listings and user uploads to add every day
budget_ms = 150.0             # from photo received to results sent

load = estimates.request_load(requests_per_day=searches_per_day, peak_factor=peak_to_mean,
                              scored_per_request=rerank)
full = estimates.embedding_memory(images, dim, bytes_per_value=4)
pq = estimates.embedding_memory(images, dim, bytes_per_value=pq_bytes / dim,
                                overhead_bytes_per_item=id_bytes)
full_machines = estimates.machines_for_memory(full["total_bytes"], machine_gb)["machines"]
pq_machines = estimates.machines_for_memory(pq["total_bytes"], machine_gb)["machines"]
scanned = images * nprobe / nlist            # codes scored per search, spread over the shards
growth_per_week = 7 * new_images_per_day / images

show.table(estimates.load_rows(load, unit="searches") + [
    {"quantity": "index, float32 vectors", "value": full["size"]},
    {"quantity": "machines to hold it in RAM", "value": full_machines},
    {"quantity": "index, PQ codes + ids", "value": pq["size"]},
    {"quantity": "machines to hold it in RAM (one replica)", "value": pq_machines},
    {"quantity": "codes scanned per search (IVF-PQ)", "value": f"{scanned / 1e6:.1f} million"},
    {"quantity": "share of the index scanned per search", "value": f"{nprobe / nlist:.5%}"},
    {"quantity": "index growth per week", "value": f"{growth_per_week:.1%}"},
], title="Scale estimate")

# The server-side path for one search, stage by stage (a design budget, not a measure).
budget = estimates.latency_budget({"decode and resize the photo": 10, "image encoder (GPU)": 25,
                                   "ANN search, fan-out to every shard": 40,
                                   "re-rank 1,000 with full vectors": 15,
                                   "dedup, stock and policy filters": 5,
                                   "fetch listing metadata": 15}, budget_ms)
show.table(budget["rows"], title=f"Latency budget: {budget['total_ms']:g} of {budget_ms:g} ms")

# The numbers the page quotes (edit an input above and these name what moved):
quoted = {"peak searches/s (1,040)": round(load["peak_qps"], -1) == 1040,
          "float32 index (5.12 TB)": round(full["total_bytes"] / 1e12, 2) == 5.12,
          "machines for float32 (58)": full_machines == 58,
          "re-rank reads (1.04 million a second)": round(load["scores_per_second"] / 1e6, 2) == 1.04,
          "PQ index (360 GB)": round(pq["total_bytes"] / 1e9) == 360,
          "machines for PQ (5)": pq_machines == 5,
          "PQ saves 14 times": round(full["total_bytes"] / pq["total_bytes"]) == 14,
          "codes scanned (1.2 million)": round(scanned / 1e6, 1) == 1.2,
          "share scanned (1 in 4,096)": round(nlist / nprobe) == 4096,
          "growth (2.8 % a week)": math.isclose(growth_per_week, 0.028),
          "budget (110 of 150 ms)": budget["fits"] and budget["total_ms"] == 110,
          "slack (40 ms)": budget["slack_ms"] == 40}
changed = [k for k, ok in quoted.items() if not ok]
assert not changed, f"the page's figures no longer match for: {', '.join(changed)}"
