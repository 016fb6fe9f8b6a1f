# Speed-up of synchronous data-parallel training, on paper. One step processes a fixed
# global batch: K workers each compute 1/K of it, then all-reduce the gradient.
# Ring all-reduce time (the alpha-beta model): 2 (K - 1) x latency + 2 (K - 1) / K x bytes / bandwidth.
from mlsd import show

COMPUTE_S = 1.0                 # seconds for one worker to compute the whole global batch
BANDWIDTH_GBPS = 100            # network bandwidth per worker, gigabits per second
LATENCY_S = 20e-6               # per message
BYTES_PER_PARAM = 4             # float32 gradients; 2 for float16 compression
MODELS = {"10M parameters": 10e6, "100M parameters": 100e6, "1B parameters": 1e9}
WORKERS = [1, 2, 4, 8, 16, 32, 64, 128]


def step_time(k, params, overlap=False):
    compute = COMPUTE_S / k
    if k == 1:
        return compute
    comm = 2 * (k - 1) * LATENCY_S + 2 * (k - 1) / k * params * BYTES_PER_PARAM * 8 / (BANDWIDTH_GBPS * 1e9)
    # With overlap, gradients of late layers are sent while early layers still compute.
    return max(compute, comm) if overlap else compute + comm


speedups = {name: [round(COMPUTE_S / step_time(k, p), 2) for k in WORKERS] for name, p in MODELS.items()}
speedups["1B, overlapped"] = [round(COMPUTE_S / step_time(k, 1e9, True), 2)
                                                       for k in WORKERS]
speedups["ideal (linear)"] = [float(k) for k in WORKERS]
show.line_chart(WORKERS, speedups, x_title="workers", y_title="speed-up over one worker",
                title="Communication caps the speed-up of data parallelism")
show.table([{"workers": k, **{name: s[i] for name, s in speedups.items() if name != "ideal (linear)"}}
            for i, k in enumerate(WORKERS)])
small, medium, large, overlapped = (speedups[n] for n in list(speedups)[:4])
i64 = WORKERS.index(64)
comm_large = 2 * 1e9 * BYTES_PER_PARAM * 8 / (BANDWIDTH_GBPS * 1e9)
print(f"at 64 workers: speed-up {small[i64]} (10M), {medium[i64]} (100M), {large[i64]} (1B parameters)")
print(f"a 1B-parameter all-reduce takes about {comm_large:.2f} s per step for any number of workers, "
      f"so even with overlap the speed-up tends to {COMPUTE_S / comm_large:.2f}")
# The claims on the page, for the settings above.
if (COMPUTE_S, BANDWIDTH_GBPS, LATENCY_S, BYTES_PER_PARAM) == (1.0, 100, 20e-6, 4):
    assert small[i64] > 40 and medium[i64] < 20 and large[i64] < 3
    assert overlapped[i64] > large[i64]
    assert max(large) < COMPUTE_S / comm_large and abs(overlapped[-1] - COMPUTE_S / comm_large) < 0.05
