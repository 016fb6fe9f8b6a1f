# Data-parallel training: each of K workers computes a gradient on its own slice of the
# batch, and all of them need the average. Ring all-reduce does it in 2 (K - 1) steps:
# reduce-scatter (each worker ends up owning the sum of one chunk) then all-gather (the
# summed chunks travel around the ring). We run it for real on small vectors, check the
# result, and count the floats every worker sends.
import math
import random
from mlsd import show

K = 4                     # workers
M = 12                    # gradient length (floats); must split into K chunks here


def ring_allreduce(grads):
    k, m = len(grads), len(grads[0])
    size = m // k
    chunks = [[list(g[c * size:(c + 1) * size]) for c in range(k)] for g in grads]   # chunks[worker][chunk]
    sent = [0] * k
    for step in range(k - 1):                     # reduce-scatter
        msgs = [(w, (w - step) % k, list(chunks[w][(w - step) % k])) for w in range(k)]
        for w, c, data in msgs:                   # worker w sends chunk c to its right neighbour
            right = (w + 1) % k
            chunks[right][c] = [a + b for a, b in zip(chunks[right][c], data)]
            sent[w] += len(data)
    for step in range(k - 1):                     # all-gather: pass the finished chunks around
        msgs = [(w, (w + 1 - step) % k, list(chunks[w][(w + 1 - step) % k])) for w in range(k)]
        for w, c, data in msgs:
            chunks[(w + 1) % k][c] = data
            sent[w] += len(data)
    return [[x / k for ch in worker for x in ch] for worker in chunks], sent


rng = random.Random(0)
grads = [[rng.gauss(0, 1) for _ in range(M)] for _ in range(K)]
result, sent = ring_allreduce(grads)
mean = [math.fsum(col) / K for col in zip(*grads)]
error = max(abs(a - b) for worker in result for a, b in zip(worker, mean))
print(f"{K} workers, {M} floats each: every worker ends with the mean gradient (largest error {error:.1e})")
print(f"floats sent per worker: {sent} = 2 (K - 1) / K x M = {2 * (K - 1) * M // K}")

# Traffic at the busiest node, per step, for a gradient of 1 GB (250M float32 parameters).
GB = 1.0
workers = [2, 4, 8, 16, 32, 64]
ring = [round(2 * (k - 1) / k * GB, 2) for k in workers]
ps_one = [round(2 * k * GB, 2) for k in workers]            # one server receives K and sends K copies
ps_sharded = [round(2 * k * GB / k, 2) for k in workers]    # K server shards, one per worker machine
show.line_chart(workers, {"ring, per worker": ring, "one server": ps_one, "K server shards": ps_sharded},
                x_title="workers", y_title="GB sent or received at the busiest node per step",
                title="Ring all-reduce keeps every link's traffic flat as workers are added")
show.table([{"workers": k, "ring (GB per worker)": r, "one server (GB)": p} for k, r, p in zip(workers, ring, ps_one)])
# The claims on the page, for the settings above.
assert error < 1e-12
assert sent == [2 * (K - 1) * M // K] * K
assert ring[-1] < 2 * GB and ps_one[-1] == 128 * GB
