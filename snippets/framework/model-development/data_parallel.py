# Data parallelism in miniature: 4 workers each compute the gradient of a logistic
# regression on their shard of the batch; averaging the gradients (all-reduce) gives the
# full-batch gradient, so synchronous training matches one big machine. Not every way of
# splitting the work does: the cell also tries an unweighted mean over unequal shards, and
# workers that never exchange gradients.
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
EVEN = [BATCH // WORKERS] * WORKERS            # 250 rows per worker
UNEVEN = [400, 300, 200, 100]                  # e.g. the last worker got a short file


def shards(batch, sizes):
    out, at = [], 0
    for size in sizes:
        out.append(batch[at:at + size])
        at += size
    return out


def train(update):
    """STEPS synchronous steps; update(w, batch) returns the step's gradient."""
    w = [0.0] * len(X[0])
    for step in range(STEPS):
        start = (step * BATCH) % len(y)
        g = update(w, list(range(start, start + BATCH)))
        w = [wj - LR * gj for wj, gj in zip(w, g)]
    return w


def all_reduce(sizes, weighted):
    """Each worker computes the mean gradient of its shard; the all-reduce averages them."""
    def update(w, batch):
        parts = shards(batch, sizes)
        grads = [gradient(w, part) for part in parts]
        weights = [len(p) / len(batch) for p in parts] if weighted else [1 / len(parts)] * len(parts)
        return [fsum(wk * gk for wk, gk in zip(weights, gs)) for gs in zip(*grads)]
    return update


def local_sgd():
    """No all-reduce: each worker steps on its own shard; the copies are averaged only at the end."""
    copies = [[0.0] * len(X[0]) for _ in range(WORKERS)]
    for step in range(STEPS):
        start = (step * BATCH) % len(y)
        for k, part in enumerate(shards(list(range(start, start + BATCH)), EVEN)):
            g = gradient(copies[k], part)
            copies[k] = [wj - LR * gj for wj, gj in zip(copies[k], g)]
    return [fsum(ws) / WORKERS for ws in zip(*copies)]


w_single = train(gradient)                                  # one machine, the whole batch
runs = {
    "4 workers, equal shards, all-reduce (mean)": train(all_reduce(EVEN, weighted=False)),
    "4 workers, unequal shards, all-reduce (mean)": train(all_reduce(UNEVEN, weighted=False)),
    "4 workers, unequal shards, all-reduce weighted by shard size": train(all_reduce(UNEVEN, weighted=True)),
    "4 workers, no all-reduce: average the weights at the end": local_sgd(),
}
diffs = {name: max(abs(a - b) for a, b in zip(w_single, w)) for name, w in runs.items()}
show.table([{"weight": n, "one machine": round(a, 6), "4 workers (equal shards)": round(b, 6)}
            for n, a, b in zip(("bias",) + names, w_single, runs["4 workers, equal shards, all-reduce (mean)"])],
           title=f"Weights after {STEPS} synchronous steps")
show.table([{"run": name, "largest weight difference from one machine":
             f"{d:.1e}" if d >= 1e-9 else "below 1e-9 (rounding)"} for name, d in diffs.items()],
           title="Which ways of splitting the work give the one-machine model?")
equal, uneven_mean, uneven_weighted, no_sync = diffs.values()
assert equal < 1e-9 and uneven_weighted < 1e-9    # the same model, up to floating-point rounding
assert uneven_mean > 1e-4 and no_sync > 1e-4      # a wrong average, or no all-reduce, is another model
print("equal shards, or any shards weighted by their size: the one-machine model; "
      "an unweighted mean over unequal shards, or no all-reduce: a different model")

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
assert need > device_gb * 1e9 and at_least > 1     # no single device holds it: shard the table
assert realistic >= at_least                       # headroom for activations needs more devices
