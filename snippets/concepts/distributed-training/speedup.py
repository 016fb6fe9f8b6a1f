# Speed-up of synchronous data-parallel training, on paper. One step processes a fixed
# global batch: K workers each compute 1/K of it, then all-reduce the gradient.
# Compute grows with the model: a dense network costs about 6 FLOPs per parameter per
# example (2 forward, 4 backward). Communication grows with the model too: the ring
# all-reduce time (the alpha-beta model) is 2 (K - 1) x latency + 2 (K - 1) / K x bytes / bandwidth.
from mlsd import show

FLOPS = 100e12                  # effective FLOP/s of one worker (an assumption; peak is higher)
FLOPS_PER_PARAM_EXAMPLE = 6     # forward 2, backward 4
BACKWARD_SHARE = 4 / 6          # the part of the compute that communication can hide behind
BANDWIDTH_GBPS = 100            # network bandwidth per worker, gigabits per second
LATENCY_S = 20e-6               # per message
BYTES_PER_PARAM = 4             # float32 gradients; 2 for float16 compression
WORKERS = [1, 2, 4, 8, 16, 32, 64, 128]
RUNS = {                        # name: (parameters, examples per global batch)
    "10M, batch 64k": (10e6, 65_536),
    "100M, batch 64k": (100e6, 65_536),
    "1B, batch 64k": (1e9, 65_536),
    "1B, batch 8k": (1e9, 8_192),
    "1B, batch 512k": (1e9, 524_288),
}


def compute_s(params, batch):
    """Seconds for one worker to compute the gradient of the whole global batch."""
    return FLOPS_PER_PARAM_EXAMPLE * params * batch / FLOPS


def allreduce_s(k, params):
    if k == 1:
        return 0.0
    return 2 * (k - 1) * LATENCY_S + 2 * (k - 1) / k * params * BYTES_PER_PARAM * 8 / (BANDWIDTH_GBPS * 1e9)


def step_s(k, params, batch, overlap=0.0):
    """One step: compute / K plus the all-reduce, of which up to `overlap` x compute is hidden."""
    compute, comm = compute_s(params, batch) / k, allreduce_s(k, params)
    # Overlap: each layer's gradient is sent as soon as the backward pass has produced it, so
    # the all-reduce hides behind the backward pass (not the forward pass, which comes first).
    hidden = compute * overlap
    return compute - hidden + max(hidden, comm)


def speedup(k, params, batch, overlap=0.0):
    return compute_s(params, batch) / step_s(k, params, batch, overlap)


curves = {name: [round(speedup(k, p, b), 2) for k in WORKERS] for name, (p, b) in RUNS.items()}
curves["1B, batch 64k, overlapped"] = [round(speedup(k, 1e9, 65_536, BACKWARD_SHARE), 2) for k in WORKERS]
curves["1B, batch 64k, all compute overlapped"] = [round(speedup(k, 1e9, 65_536, 1.0), 2) for k in WORKERS]
show.line_chart(WORKERS, curves, x_title="workers", y_title="speed-up over one worker",
                title="Compute per byte sent sets the speed-up, not the model size")
show.table([{"workers": k, **{name: c[i] for name, c in curves.items()}} for i, k in enumerate(WORKERS)])
i64 = WORKERS.index(64)
limit = {name: compute_s(p, b) / (2 * p * BYTES_PER_PARAM * 8 / (BANDWIDTH_GBPS * 1e9)) for name, (p, b) in RUNS.items()}
one_b, over = curves["1B, batch 64k"], curves["1B, batch 64k, overlapped"]
gain = [o - s for o, s in zip(over, one_b)]
best_gain = WORKERS[max(range(len(WORKERS)), key=gain.__getitem__)]
print(f"one worker computes a 1B model's 64k batch in {compute_s(1e9, 65_536):.2f} s and its 8k batch in "
      f"{compute_s(1e9, 8_192):.2f} s; "
      f"a 1B all-reduce takes up to {2 * 1e9 * BYTES_PER_PARAM * 8 / (BANDWIDTH_GBPS * 1e9):.2f} s")
print("at 64 workers: " + ", ".join(f"{name} {c[i64]}" for name, c in curves.items()))
print("limit as workers grow (compute / all-reduce time): "
      + ", ".join(f"{name} {v:.2f}" for name, v in limit.items() if name.startswith("1B")))
print(f"overlap adds most at {best_gain} workers (+{max(gain):.2f}), where compute and all-reduce take "
      f"about as long; at 128 workers it adds {gain[-1]:.2f}")
full = curves["1B, batch 64k, all compute overlapped"]
peak = max(range(len(WORKERS)), key=full.__getitem__)
print(f"if all the compute could hide the all-reduce: peak {full[peak]} at {WORKERS[peak]} workers, "
      f"then {full[-1]} at 128 workers")
# The claims on the page (relations, so they hold when you change the settings above).
assert abs(curves["100M, batch 64k"][i64] - one_b[i64]) < 0.05 * one_b[i64]    # model size nearly cancels out...
assert curves["10M, batch 64k"][i64] < curves["100M, batch 64k"][i64]            # ...except the latency term
assert curves["1B, batch 8k"][i64] < 1                                            # slower than one worker
assert curves["1B, batch 8k"][i64] < one_b[i64] < curves["1B, batch 512k"][i64]  # bigger batches scale further
assert all(c[-1] < limit[name] for name, c in curves.items() if name in limit)          # still below the limit at 128
assert all(o >= s for o, s in zip(over, one_b))                                   # overlap never hurts...
assert over[-1] < limit["1B, batch 64k"] and gain[-1] < max(gain)                # ...nor lifts the limit
assert WORKERS[peak] < WORKERS[-1] and full[-1] < full[peak]                      # full overlap peaks, then falls
