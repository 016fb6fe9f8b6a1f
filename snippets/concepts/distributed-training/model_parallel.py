# Model parallelism on paper: when the model does not fit on one device.
# 1) Recommenders: the embedding tables dominate. Shard them by row across devices.
# 2) Deep towers: split the layers into P pipeline stages. A batch is cut into M
#    micro-batches; stage p must wait for the first micro-batch to reach it, so a fraction
#    (P - 1) / (M + P - 1) of every step is idle "bubble" (GPipe's schedule).
import math
from mlsd import estimates, show

IDS, DIM = 2_000_000_000, 64          # e.g. user ids and item ids together
BYTES = 4                             # float32
OPTIMIZER_COPIES = 2                  # e.g. Adagrad keeps one extra value per weight: weights + 1
DEVICE_GB = 80

table = estimates.embedding_memory(IDS, DIM, BYTES)
need = table["total_bytes"] * OPTIMIZER_COPIES
devices = estimates.machines_for_memory(need, DEVICE_GB, usable_fraction=0.8)["machines"]
print(f"embedding table {table['size']}, with optimizer state {estimates.format_bytes(need)}: "
      f"at least {devices} devices of {DEVICE_GB} GB (80 % usable each)")

STAGES = [2, 4, 8]
MICRO = [1, 2, 4, 8, 16, 32, 64]


def bubble(p, m):
    return (p - 1) / (m + p - 1)


show.line_chart(MICRO, {f"{p} pipeline stages": [round(bubble(p, m), 3) for m in MICRO] for p in STAGES},
                x_title="micro-batches per batch", y_title="share of time idle (bubble)",
                title="More micro-batches fill the pipeline")
show.table([{"micro-batches": m, **{f"{p} stages": f"{bubble(p, m):.0%}" for p in STAGES}} for m in MICRO])
print(f"4 stages, 1 micro-batch: {bubble(4, 1):.0%} idle; 32 micro-batches: {bubble(4, 32):.0%}")
# The claims on the page, for the settings above.
if (IDS, DIM, BYTES, OPTIMIZER_COPIES, DEVICE_GB) == (2_000_000_000, 64, 4, 2, 80):
    assert table["size"] == "512 GB" and devices == 16
assert bubble(4, 1) == 0.75 and round(bubble(4, 32), 3) == 0.086
