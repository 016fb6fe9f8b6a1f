# Dynamic batching on a simulated accelerator server: p50/p99, throughput and utilisation
# against the batcher's two settings, the maximum wait and the maximum batch size.
# Four model instances share one queue (Triton's instance groups); each runs a batch of b in
# 8 + 0.02 b ms, the accelerator stand-in of the cost-model cell, as if it had a device to
# itself (exact for four accelerators, optimistic for four instances sharing one). A batch
# starts when it is full or when its oldest request has waited MAX_WAIT ms. Change QPS and
# watch the best wait move.
from mlsd import show
from mlsd.serving_sim import BatchCost, poisson_arrivals, simulate_batching

ACCEL = BatchCost(fixed_ms=8.0, per_item_ms=0.02, dollars_per_hour=3.0)
QPS = 8000                  # requests per second (Poisson arrivals)
INSTANCES = 4
MAX_BATCH = 64
WAITS = [0, 0.5, 1, 2, 3, 4, 6, 8]     # max wait in ms

arrivals = poisson_arrivals(6000, QPS, seed=0)   # 0.75 s of traffic
offered = 1000 * (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])   # this draw's own rate
rows = []
for wait in WAITS:
    r = simulate_batching(arrivals, ACCEL, max_batch=MAX_BATCH, max_wait_ms=wait, instances=INSTANCES)
    rows.append({"max wait ms": wait, "p50 ms": round(r["p50_ms"], 1), "p99 ms": round(r["p99_ms"], 1),
                 "throughput/s": round(r["throughput_per_s"]), "mean batch": round(r["mean_batch"], 1),
                 "utilisation": round(r["utilisation"], 2)})
show.table(rows, title=f"{QPS:,} requests/s, {INSTANCES} instances, max batch {MAX_BATCH}")
show.line_chart(WAITS, {"p50": [r["p50 ms"] for r in rows], "p99": [r["p99 ms"] for r in rows]},
                x_title="max wait (ms)", y_title="latency (ms)",
                title="A short wait staggers the instances; a long one only adds latency")

# The other knob: the largest batch an instance may run sets the server's capacity.
sizes = []
for size in [4, 8, 32, 64]:
    r = simulate_batching(arrivals, ACCEL, max_batch=size, max_wait_ms=2, instances=INSTANCES)
    sizes.append({"max batch": size, "capacity/s": round(INSTANCES * ACCEL.throughput(size)),
                  "p99 ms": round(r["p99_ms"], 1), "throughput/s": round(r["throughput_per_s"])})
show.table(sizes, title="Max wait 2 ms, max batch varied")

# Half the instances, with a longer wait: what the spare device time of a long wait is worth.
half = simulate_batching(arrivals, ACCEL, max_batch=MAX_BATCH, max_wait_ms=6, instances=INSTANCES // 2)

greedy, best = rows[0], min(rows, key=lambda r: r["p99 ms"])
longest = rows[-1]
turn = ACCEL.batch_ms(round(best["mean batch"])) / INSTANCES     # one instance frees up every `turn` ms
nearest = min(WAITS, key=lambda w: abs(w - turn))
print(f"requests arrive at {offered:,.0f}/s in this draw")
print(f"no wait: p99 {greedy['p99 ms']} ms, mean batch {greedy['mean batch']}, utilisation {greedy['utilisation']}")
print(f"best wait {best['max wait ms']} ms: p99 {best['p99 ms']} ms, mean batch {best['mean batch']}, "
      f"utilisation {best['utilisation']}")
print(f"batch time / instances = {turn:.1f} ms: an instance frees up about that often")
print(f"wait {longest['max wait ms']} ms: p99 {longest['p99 ms']} ms, utilisation {longest['utilisation']}")
print(f"{INSTANCES // 2} instances, wait 6 ms: p99 {half['p99_ms']:.1f} ms, utilisation {half['utilisation']:.2f}")
over = [s for s in sizes if s["capacity/s"] < offered]
print("overloaded (capacity below the load): " + ", ".join(f"max batch {s['max batch']} (p99 {s['p99 ms']} ms)" for s in over))
# The claims on the page.
assert all(abs(r["throughput/s"] - offered) < 0.03 * offered for r in rows), "every wait keeps up with the load"
assert 0 < best["max wait ms"] <= 3 and best["p99 ms"] < 0.75 * greedy["p99 ms"], \
    f"the page says a 2 ms wait cuts p99 from 16.7 to 10.5 ms; got {best['max wait ms']} ms: {best['p99 ms']} ms"
assert best["max wait ms"] == nearest, f"the best wait is the one nearest batch time / instances ({turn:.1f} ms)"
assert best["mean batch"] < 1.1 * greedy["mean batch"], "the short wait wins without filling batches much more"
assert longest["p99 ms"] > best["p99 ms"] + 4 and longest["utilisation"] < greedy["utilisation"] / 2, \
    f"the page says an 8 ms wait puts p99 back to 17.1 ms at utilisation 0.3; got {longest['p99 ms']}, {longest['utilisation']}"
assert half["p99_ms"] < 20 and half["utilisation"] < 0.8, \
    f"the page says half the instances with a 6 ms wait keep p99 at 15.1 ms; got {half['p99_ms']:.1f} ms"
assert [s["max batch"] for s in over] == [4, 8] and all(s["p99 ms"] > 5 * best["p99 ms"] for s in over), \
    "max batch 4 and 8 cannot keep up: the queue grows for as long as the run lasts"
