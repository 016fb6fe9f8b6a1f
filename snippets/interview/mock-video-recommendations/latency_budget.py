# The serving budget the candidate draws in phase 4, and the same path after the interviewer
# halves the budget. Stage times are the candidate's assumptions, to be replaced by measurements.
from mlsd import estimates, show

before = estimates.latency_budget({
    "user features": 10,
    "retrieval (ANN, several sources in parallel)": 25,
    "candidate features (500 items)": 25,
    "ranking (500 candidates)": 60,
    "filters and re-ranking": 10,
    "network and serialisation": 10,
}, budget_ms=150)

# Curveball: the product team wants the feed in 80 ms. Ranking cost grows about linearly with the
# number of candidates (each one is scored independently), so a cheap pre-ranker that keeps the
# best 150 of 500 cuts the heavy model's time by the same ratio.
ms_per_candidate = 60 / 500
after = estimates.latency_budget({
    "user features (cached per session)": 3,
    "retrieval (user embedding precomputed)": 15,
    "candidate features (batched lookup)": 12,
    "pre-ranker (500 -> 150, dot product)": 8,
    "ranking (150 candidates)": ms_per_candidate * 150,
    "filters and re-ranking": 6,
    "network and serialisation": 10,
}, budget_ms=80)

for name, plan in [("150 ms budget", before), ("80 ms budget", after)]:
    show.table([{"stage": r["stage"], "ms": r["ms"]} for r in plan["rows"]], title=name)
    print(f"{name}: total {plan['total_ms']:.0f} ms, slack {plan['slack_ms']:.0f} ms")

assert before["fits"] and before["total_ms"] == 140
assert after["fits"] and round(after["total_ms"]) == 72
