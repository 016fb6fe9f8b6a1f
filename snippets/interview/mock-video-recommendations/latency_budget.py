# The serving budget the candidate draws in phase 4, and the same path after the interviewer
# halves the budget. Stage times are the candidate's assumptions, to be replaced by measurements.
from mlsd import estimates, show

CANDIDATES, KEPT = 500, 150
before = estimates.latency_budget({
    "user features": 10,
    "retrieval (user tower + ANN, sources in parallel)": 25,
    f"candidate features ({CANDIDATES} items)": 25,
    f"ranking ({CANDIDATES} candidates)": 60,
    "filters and re-ranking": 10,
    "network and serialisation": 10,
}, budget_ms=150)

# Curveball: the product team wants the feed in 80 ms. Ranking cost grows about linearly with the
# number of candidates (each one is scored independently), so a pre-ranker that keeps the best
# 150 of 500 cuts the heavy model's time by the same ratio. The pre-ranker is a small model over
# features already in hand (each source's retrieval score, cached video statistics, the user's
# topic mix): a few microseconds per candidate, not the retrieval dot product again, which is
# what chose the 500 in the first place. The other cuts: the daily part of the user features is
# cached per session (the user embedding is still recomputed, from streamed recent history), the
# ANN probes fewer index cells (less recall, to be checked offline), candidate features come in one
# batched call, and filters and re-ranking see 150 scored videos instead of 500.
ms_per_candidate = 60 / CANDIDATES
pre_ranker_us_per_candidate = 4
after = estimates.latency_budget({
    "user features (daily part cached per session, recent history streamed)": 3,
    "retrieval (user tower on fresh history + ANN, fewer probes)": 15,
    "candidate features (batched lookup)": 12,
    f"pre-ranker ({CANDIDATES} -> {KEPT}, small model)": CANDIDATES * pre_ranker_us_per_candidate / 1000,
    f"ranking ({KEPT} candidates)": ms_per_candidate * KEPT,
    "filters and re-ranking": 6,
    "network and serialisation": 10,
}, budget_ms=80)

for name, plan in [("150 ms budget", before), ("80 ms budget", after)]:
    show.table([{"stage": r["stage"], "ms": r["ms"]} for r in plan["rows"]], title=name)
    print(f"{name}: total {plan['total_ms']:.0f} ms, slack {plan['slack_ms']:.0f} ms")

# The transcript quotes these totals; if you change an assumption above, the message says which.
assert before["fits"], "the first plan no longer fits 150 ms"
assert after["fits"], "the faster plan no longer fits 80 ms"
assert before["total_ms"] == 140, f"the transcript says 140 ms; your plan totals {before['total_ms']:.0f} ms"
assert round(after["total_ms"]) == 66, f"the transcript says 66 ms; your plan totals {after['total_ms']:.0f} ms"
