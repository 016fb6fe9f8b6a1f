# Data parallelism in miniature: 4 workers each compute the gradient of a logistic
# regression on their quarter of the batch; averaging the 4 gradients (all-reduce)
# gives exactly the full-batch gradient, so synchronous training matches one big machine.
import math
from math import fsum
from mlsd import estimates, show
from mlsd.data.clicks import make_clicks

log = make_clicks(n=5000, seed=0)
names = ("user_past_ctr", "ad_past_ctr", "text_match", "position")
cols = [log.numeric_names.index(n) for n in names]
raw = [[row[j] for j in cols] for row in log.numeric]
means = [fsum(col) / len(col) for col in zip(*raw)]
sds = [math.sqrt(fsum((v - m) ** 2 for v in col) / len(col)) for col, m in zip(zip(*raw), means)]
X = [[1.0] + [(v - m) / s for v, m, s in zip(row, means, sds)] for row in raw]  # bias + 4 features
y = list(log.labels)

def gradient(w, rows):
    """Mean gradient of the log loss over the given rows."""
    g = [0.0] * len(w)
    for i in rows:
        z = fsum(wj * xj for wj, xj in zip(w, X[i]))
        err = 1 / (1 + math.exp(-z)) - y[i]
        for j, xj in enumerate(X[i]):
            g[j] += err * xj
    return [gj / len(rows) for gj in g]

WORKERS, BATCH, STEPS, LR = 4, 1000, 20, 0.5
w_single = [0.0] * len(X[0])
w_parallel = [0.0] * len(X[0])
for step in range(STEPS):
    start = (step * BATCH) % len(y)
    batch = list(range(start, start + BATCH))
    # one machine: the whole batch
    g = gradient(w_single, batch)
    w_single = [wj - LR * gj for wj, gj in zip(w_single, g)]
    # four workers: a shard each, then average the gradients (the all-reduce)
    shard = BATCH // WORKERS
    grads = [gradient(w_parallel, batch[k * shard:(k + 1) * shard]) for k in range(WORKERS)]
    averaged = [fsum(gs) / WORKERS for gs in zip(*grads)]
    w_parallel = [wj - LR * gj for wj, gj in zip(w_parallel, averaged)]

diff = max(abs(a - b) for a, b in zip(w_single, w_parallel))
show.table([{"weight": n, "one machine": round(a, 6), "4 workers": round(b, 6)}
            for n, a, b in zip(("bias",) + names, w_single, w_parallel)],
           title=f"Weights after {STEPS} synchronous steps")
assert diff < 1e-9   # identical up to floating-point rounding
print("largest difference between the two runs: below 1e-9 (floating-point rounding only)")

# When does data parallelism stop being enough? When the model does not fit on one device.
table = estimates.embedding_memory(1_000_000_000, 64, bytes_per_value=4)  # 1 billion ids, float32
adam_copies = 3                                  # weights + two optimizer moments
device_gb = 80                                   # memory of one accelerator (assumption)
need = table["total_bytes"] * adam_copies
at_least = estimates.machines_for_memory(need, device_gb, usable_fraction=1.0)["machines"]
realistic = estimates.machines_for_memory(need, device_gb, usable_fraction=0.7)["machines"]
print(f"embedding table: {table['size']}; with optimizer state: {estimates.format_bytes(need)}; "
      f"at {device_gb} GB per device: at least {at_least} devices, "
      f"{realistic} if 30% of each is kept for activations and buffers")
assert table["size"] == "256 GB" and need == 768e9 and at_least == 10 and realistic == 14
