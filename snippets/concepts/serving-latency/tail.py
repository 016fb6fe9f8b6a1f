# Tail amplification: a request that fans out to N shards waits for the slowest one.
# Each shard is usually fast (median 3 ms) but 1 request in 200 hits a hiccup of 20-50 ms
# (a garbage-collection pause, a busy neighbour). Then: hedged requests, which send a
# backup copy to another replica when the first answer is late, and take the faster one.
import random
from mlsd import serving, show

SHARD_COUNTS = [1, 2, 5, 10, 20, 50, 100]
SAMPLES = 4000
HICCUP_RATE = 0.005
HEDGE_AFTER_PERCENTILE = 95     # send the backup when the first try is slower than its p95

rng = random.Random(0)


def shard_latency():
    base = 3.0 * (0.7 + 0.6 * rng.random())
    return base + rng.uniform(20, 50) if rng.random() < HICCUP_RATE else base


one_shard = [shard_latency() for _ in range(SAMPLES)]
hedge_at = serving.percentile(one_shard, HEDGE_AFTER_PERCENTILE)


def hedged():
    first = shard_latency()
    if first <= hedge_at:
        return first, 0
    return min(first, hedge_at + shard_latency()), 1      # the backup starts at hedge_at


hedged_runs = [hedged() for _ in range(SAMPLES)]
hedged_shard = [t for t, _ in hedged_runs]
extra_load = sum(b for _, b in hedged_runs) / SAMPLES

plain, with_hedge, all_fast = [], [], []
for n in SHARD_COUNTS:
    plain.append(round(serving.fanout_percentile(one_shard, n, 99), 2))
    with_hedge.append(round(serving.fanout_percentile(hedged_shard, n, 99), 2))
    all_fast.append(round(serving.prob_all_under(1 - HICCUP_RATE, n), 3))
show.line_chart(SHARD_COUNTS, {"p99, plain fan-out": plain, "p99, hedged requests": with_hedge},
                x_title="shards the request waits for", y_title="request p99 latency (ms)",
                title="Fan-out turns a rare shard hiccup into a common request delay")
show.table([{"shards": n, "P(no shard hiccups)": f, "p99 plain (ms)": p, "p99 hedged (ms)": h}
            for n, f, p, h in zip(SHARD_COUNTS, all_fast, plain, with_hedge)])
i20 = SHARD_COUNTS.index(20)
print(f"one shard: p99 {plain[0]} ms; waiting for 20 shards: p99 {plain[i20]} ms")
print(f"with hedging after {hedge_at:.1f} ms (the shard p95): p99 at 20 shards {with_hedge[i20]} ms, "
      f"for {extra_load:.1%} extra shard requests")
# The claims on the page, for the settings above.
if (SHARD_COUNTS, SAMPLES, HICCUP_RATE, HEDGE_AFTER_PERCENTILE) == ([1, 2, 5, 10, 20, 50, 100], 4000, 0.005, 95):
    assert plain[0] < 6 and plain[i20] > 20           # 0.5 % hiccups: rare for one shard, common for 20
    assert all_fast[SHARD_COUNTS.index(100)] < 0.65
    assert with_hedge[i20] < 0.5 * plain[i20]
    assert 0.03 < extra_load < 0.07                    # about 5 % more load
