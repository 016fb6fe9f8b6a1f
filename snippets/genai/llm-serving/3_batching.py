# Three batching policies on the same stream of requests, in simulated time. The "model" is the
# step cost model of the previous cell (7.5 ms a step for the weights and overhead, 0.1 ms per
# prompt token, 0.26 µs per token of KV cache read): the timings are the simulator's, not a GPU's.
# Change RATE (requests per second) or MAX_BATCH and watch the trade-off move.
from mlsd import show
from mlsd.llm_serving import StepCost, make_requests, simulate

RATE, MAX_BATCH, MAX_WAIT_MS = 3.0, 16, 200.0
N, SEED = 300, 0
cost = StepCost(fixed_ms=7.5, prefill_ms_per_token=0.1, context_ms_per_token=0.000262)

# Prompts of 100-1,000 tokens; answers geometric with mean 150 tokens, capped at 512.
requests = make_requests(N, RATE, seed=SEED, prompt_range=(100, 1000), mean_output=150, max_output=512)
mean_in, mean_out = (sum(r.prompt_tokens for r in requests) / N, sum(r.output_tokens for r in requests) / N)
print(f"{N} requests at {RATE} per second: mean prompt {mean_in:.0f} "
      f"tokens, mean answer {mean_out:.0f} tokens, longest {max(r.output_tokens for r in requests)}")
results = {p: simulate(requests, p, cost, max_batch=MAX_BATCH, max_wait_ms=MAX_WAIT_MS)
           for p in ("sequential", "static", "continuous")}
rows = [r.summary() for r in results.values()]
show.table(rows, title=f"Batching policies at {RATE} requests/s, batches of up to {MAX_BATCH}")
show.bar_chart([r["policy"] for r in rows], [r["latency p99 (s)"] for r in rows],
               y_title="p99 end-to-end latency (s)", title="The slowest 1 % of requests")
seq, sta, con = (results[p].summary() for p in ("sequential", "static", "continuous"))
# Alone, a request pays one prefill step and one decode step per further token.
alone_s = (cost.step_ms(round(mean_in)) + (mean_out - 1) * cost.step_ms(context_tokens=round(mean_in + mean_out / 2))) / 1000
print(f"one request alone takes about {alone_s:.2f} s, so one-at-a-time serves at most "
      f"{1 / alone_s:.2f} requests/s: at {RATE} per second its queue only grows")
print(f"{RATE * mean_out:.0f} output tokens/s arrive; static serves {sta['output tokens/s']}, "
      f"continuous {con['output tokens/s']}")
# The floor under any policy: the longest answer alone (a mean prompt, then one step per token).
longest = max(r.output_tokens for r in requests)
floor_s = (cost.step_ms(round(mean_in)) + (longest - 1) * cost.step_ms(context_tokens=round(mean_in) + longest // 2)) / 1000
print(f"a {longest}-token answer takes {floor_s:.1f} s even alone, "
      f"{(floor_s * 1000 - cost.step_ms(round(mean_in))) / (longest - 1):.2f} ms per token")
print(f"continuous vs static: TTFT p50 {con['TTFT p50 (s)']} s vs {sta['TTFT p50 (s)']} s, "
      f"p99 latency {con['latency p99 (s)']} s vs {sta['latency p99 (s)']} s")
# The claims on the page (defaults: RATE 3, MAX_BATCH 16).
assert 1 / alone_s < RATE, "one request at a time cannot keep up with this load"
assert seq["latency p99 (s)"] > 10 * sta["latency p99 (s)"], "sequential: the queue explodes"
assert con["output tokens/s"] >= sta["output tokens/s"], "continuous serves at least as many tokens/s"
assert con["TTFT p50 (s)"] * 10 < sta["TTFT p50 (s)"], "continuous: first token over 10x sooner (p50)"
assert con["latency p99 (s)"] < sta["latency p99 (s)"], "continuous: lower p99 end-to-end latency"
assert con["steps"] < sta["steps"], "continuous: fewer model steps for the same tokens"
assert floor_s < con["latency p99 (s)"] < 1.6 * floor_s, "continuous p99 is within 1.6x of the longest answer alone"
