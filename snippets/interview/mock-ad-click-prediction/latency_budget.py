# Phase 4: the budget the candidate first wrote on the board, with a slip in the scoring line,
# and the same budget with the arithmetic done right. Stage times are the candidate's
# assumptions; the per-stage figures match the case study's serving table.
from mlsd import estimates, show

CANDIDATES = 500
US_PER_CANDIDATE = 60          # feature assembly + scoring, one candidate on one core (assumed)
BUDGET_MS = 100                # the ad request at the 99th percentile
PEAK_QPS = 500e6 * 20 / 86_400 * 2   # from the phase-1 estimate

stages = {"targeting": 10, "pre-rank": 5, "features": 15}
as_said = estimates.latency_budget({**stages, "score (said: 3 ms)": 3, "auction": 5}, BUDGET_MS)
score_ms = CANDIDATES * US_PER_CANDIDATE / 1000
corrected = estimates.latency_budget({**stages, f"score ({CANDIDATES} x {US_PER_CANDIDATE} us)": score_ms,
                                      "calibrate (added in phase 4)": 1, "auction": 5}, BUDGET_MS)
for name, plan in [("as first said", as_said), ("arithmetic corrected", corrected)]:
    show.table([{"stage": r["stage"], "ms": r["ms"]} for r in plan["rows"]], title=name)
    print(f"{name}: total {plan['total_ms']:.0f} ms, headroom {plan['slack_ms']:.0f} ms")

# The candidate then wanted to spend the "headroom" on a cross network costing 4x per candidate.
DCN_FACTOR = 4
dcn_score = score_ms * DCN_FACTOR
dcn_total = corrected["total_ms"] - score_ms + dcn_score
fit = int(score_ms * 1000 / (US_PER_CANDIDATE * DCN_FACTOR))   # candidates the bigger model scores in 30 ms
print(f"DCN at {DCN_FACTOR}x: scoring {dcn_score:.0f} ms, request {dcn_total:.0f} ms of {BUDGET_MS}; "
      f"in the same {score_ms:.0f} ms it scores {fit} candidates")

# Capacity: the cores that are busy scoring at peak (the critique's point, not the candidate's).
cores = PEAK_QPS * CANDIDATES * US_PER_CANDIDATE / 1e6
print(f"cores busy scoring at peak: {cores:,.0f} (x{DCN_FACTOR} with the DCN: {cores * DCN_FACTOR:,.0f})")

assert as_said["total_ms"] == 38 and as_said["slack_ms"] == 62, "the transcript says 38 ms and 62 ms of headroom as first said"
assert score_ms == 30, "the transcript says 500 candidates at 60 us is 30 ms, not 3"
assert corrected["total_ms"] == 66 and corrected["slack_ms"] == 34, "the transcript says 66 ms with 34 ms of headroom, the case study's table"
assert dcn_score == 120 and dcn_total > BUDGET_MS, "the transcript says the DCN needs 120 ms for scoring alone: it does not fit"
assert fit == 125, "the transcript says the DCN scores 125 candidates in the same 30 ms"
assert 6_900 < cores < 7_000, "the critique says about 6,900 cores at peak"
