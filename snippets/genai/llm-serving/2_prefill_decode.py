# Prefill vs decode under a stated cost model. No real model runs here: the step times follow
# from an assumed accelerator (2 TB/s of memory bandwidth, 140 TFLOP/s of usable arithmetic)
# and the illustrative 7B-class shape of the previous cell. Change CONTEXT and BATCHES.
from mlsd import show
from mlsd.llm_serving import StepCost, kv_bytes_per_token

PARAMS, BYTES = 7e9, 2
BANDWIDTH, FLOPS = 2.0e12, 140e12          # bytes/s and FLOP/s: assumptions, not a data sheet
CONTEXT = 1000                             # tokens of prompt + output each sequence holds
BATCHES = [1, 2, 4, 8, 16, 32, 64, 128]
KV_GB = 60                                 # cache memory left on an 80 GB accelerator (cell 1)

cost = StepCost.from_hardware(weight_bytes=PARAMS * BYTES, flops_per_token=2 * PARAMS,
                              kv_bytes_per_token=kv_bytes_per_token(32, 32, 128, BYTES),
                              bandwidth_bytes_per_s=BANDWIDTH, flop_per_s=FLOPS, overhead_ms=0.5)
# The three terms add up; a real accelerator overlaps reads and arithmetic, so a step that mixes
# prefill and decode takes nearer the larger of the two: the sum overstates it by the read time.
print(f"step cost: {cost.fixed_ms - 0.5:.2f} ms to read the weights once + 0.50 ms overhead, "
      f"{cost.prefill_ms_per_token:.3f} ms per prompt token, {cost.context_ms_per_token * 1000:.3f} µs per "
      f"token of KV cache read")

# Prefill: all prompt tokens in one pass. Doing them one step each would pay the weights every time.
prefill_ms = cost.step_ms(prefill_tokens=CONTEXT)
one_by_one_ms = CONTEXT * cost.step_ms(prefill_tokens=1)
print(f"prefill of a {CONTEXT}-token prompt: {prefill_ms:.1f} ms in one pass "
      f"({one_by_one_ms / 1000:.2f} s if fed one token per step)")

# Decode: one token per sequence per step. A step reads the weights once for the whole batch.
rows = []
for b in BATCHES:
    step = cost.step_ms(context_tokens=b * CONTEXT)
    flop_per_byte = 2 * PARAMS * b / (PARAMS * BYTES + b * CONTEXT * kv_bytes_per_token(32, 32, 128, BYTES))
    kv_gb = b * CONTEXT * kv_bytes_per_token(32, 32, 128, BYTES) / 1e9
    rows.append({"batch": b, "KV cache (GB)": round(kv_gb, 1), f"fits in {KV_GB} GB": kv_gb <= KV_GB,
                 "time per output token (ms)": round(step, 2),
                 "output tokens/s": round(1000 * b / step), "FLOP per byte read": round(flop_per_byte, 1)})
show.table(rows, title=f"Decode steps at {CONTEXT} tokens of context per sequence")
show.line_chart([r["batch"] for r in rows], {"output tokens/s": [r["output tokens/s"] for r in rows]},
                x_title="sequences per decode step (batch)", y_title="output tokens per second",
                title="Decode throughput grows with the batch until the KV reads catch up")
ridge = FLOPS / BANDWIDTH
by_b = {r["batch"]: r for r in rows}
print(f"the accelerator does {ridge:.0f} FLOP per byte it reads; every decode step above stays below "
      f"that (max {max(r['FLOP per byte read'] for r in rows)}): decode is memory-bound")
print(f"batch 16 vs 1: {by_b[16]['output tokens/s'] / by_b[1]['output tokens/s']:.1f}x the tokens/s, "
      f"each token {by_b[16]['time per output token (ms)'] / by_b[1]['time per output token (ms)']:.2f}x slower")
print(f"batch 64: each token {by_b[64]['time per output token (ms)'] / by_b[1]['time per output token (ms)']:.1f}x "
      f"slower than alone")
mixed = cost.step_ms(prefill_tokens=CONTEXT, context_tokens=16 * CONTEXT)
print(f"a step decoding 16 sequences takes {by_b[16]['time per output token (ms)']} ms; if it also prefills a "
      f"new {CONTEXT}-token prompt, {mixed:.1f} ms for all 16")
# The claims on the page.
assert mixed > 5 * by_b[16]["time per output token (ms)"], "one long prefill stalls every running request"
assert prefill_ms * 10 < one_by_one_ms, "one parallel pass is far cheaper than one token per step"
assert all(r["FLOP per byte read"] < ridge for r in rows), "decode is memory-bound at every batch shown"
assert by_b[16]["output tokens/s"] > 10 * by_b[1]["output tokens/s"], "batch 16: over 10x the throughput"
assert by_b[16]["time per output token (ms)"] < 2 * by_b[1]["time per output token (ms)"], \
    "...while each token takes under 2x as long"
assert by_b[64]["time per output token (ms)"] > 3 * by_b[1]["time per output token (ms)"], \
    "at batch 64 the KV reads dominate and each user waits over 3x longer per token"
if CONTEXT == 1000:
    assert by_b[64][f"fits in {KV_GB} GB"] and not by_b[128][f"fits in {KV_GB} GB"], \
        "64 sequences of 1,000 tokens fit in the cache memory, 128 do not"
