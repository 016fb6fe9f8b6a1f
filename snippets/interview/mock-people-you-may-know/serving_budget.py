# Phase 4: the request path's budget (the case study's: 100 of the box's 200 ms), the scoring
# capacity it implies at peak, and the candidate's answer to "why not walk the graph on request?":
# a walk reads one friend list per friend, each a call to a graph shard, and the request waits for
# the slowest of them.
from mlsd import estimates, show

BOX_MS = 200
stages = {"read precomputed candidates": 10, "fresh-edge candidates (stream deltas)": 15,
          "features (friend lists, profiles)": 40, "model (500 candidates)": 30, "filters": 5}
budget = estimates.latency_budget(stages, BOX_MS)
show.table(budget["rows"], title=f"Suggestion service: {budget['total_ms']:g} of {BOX_MS} ms")

PEAK_QPS = 6_944                   # from the phase-1 estimate
CANDIDATES = 500
us_per_candidate = stages["model (500 candidates)"] * 1000 / CANDIDATES   # one core, sequential
busy_cores = PEAK_QPS * CANDIDATES * us_per_candidate / 1e6
servers = estimates.servers_needed(PEAK_QPS, qps_per_server=1000 / stages["model (500 candidates)"] * 16,
                                   target_utilization=0.6)            # 16-core machines
print(f"scoring: {us_per_candidate:.0f} us per candidate, {busy_cores:.0f} cores busy at peak, "
      f"{servers['servers']} machines of 16 cores at 60 % utilisation (one spare)")

# Walking on request: one friend-list read per friend, in parallel. If each read is slower than
# its own p99 one time in a hundred, the request is as slow as the slowest read.
rows = []
for who, friends in (("median user", 99), ("average user", 190), ("user at the own-friends cap", 500)):
    p_slow = 1 - 0.99 ** friends
    rows.append({"user": who, "friend-list reads": friends,
                 "share of requests waiting on a p99 read": round(p_slow, 3)})
show.table(rows, title="Walking two hops on request: the tail of a fan-out")
# And the work: only the day's viewers walk (200M of 500M users), but once per load (1.5 a day),
# against one capped walk per user in the batch job; the walk per user is the same on both sides.
USERS, VIEWERS, LOADS = 500e6, 200e6, 1.5
once, per_load = VIEWERS / USERS, VIEWERS * LOADS / USERS
print(f"walking on request reads {once:.0%} of the batch job's paths (one walk per viewer), "
      f"{per_load:.0%} (one per load)")

assert budget["fits"] and budget["total_ms"] == 100, f"the transcript says 100 of 200 ms, got {budget['total_ms']}"
assert us_per_candidate == 60 and round(busy_cores) == 208, \
    f"the transcript says 60 us per candidate and about 210 busy cores at peak, got {us_per_candidate}, {busy_cores:.0f}"
assert servers["servers"] == 23, f"the transcript says about two dozen 16-core machines, got {servers['servers']}"
shares = [r["share of requests waiting on a p99 read"] for r in rows]
assert shares[0] > 0.6 and shares[1] > 0.85, f"the transcript says 63 % and 85 % of requests wait on a slow read, got {shares}"
assert (round(once, 2), round(per_load, 2)) == (0.4, 0.6), \
    f"the transcript says on request reads 40 to 60 % of the batch job's paths, got {once:.0%} and {per_load:.0%}"
