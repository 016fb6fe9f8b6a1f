# Refreshing a golden set from production failures.
# Stated rules of the simulation: the golden set was written last quarter from the intents of the
# time. Since then a new feature launched; its questions are NEW_SHARE of traffic, and the model
# helps on them with probability 0.43 against 0.85 on the older intents. Users flag a response
# (thumbs down or regenerate) with the rates of the feedback cell: 6 % and 30 % of failures,
# 0 % and 4 % of successes. Triage reads a sample of flagged responses and tags their intent.
import math
import random

from mlsd import show

NEW_SHARE, P_OLD, P_NEW = 0.12, 0.85, 0.43
N_GOLDEN, N_LOG, N_TRIAGE, N_NEW_SLICE, SEED = 800, 20000, 300, 300, 0
rng = random.Random(SEED)
truth = (1 - NEW_SHARE) * P_OLD + NEW_SHARE * P_NEW          # what production users get


def respond(intent):
    ok = rng.random() < (P_NEW if intent == "new feature" else P_OLD)
    flagged = rng.random() < (0.04 if ok else 1 - (1 - 0.06) * (1 - 0.30))   # regenerate or thumbs down
    return {"intent": intent, "ok": ok, "flagged": flagged}


golden = [respond("older intents") for _ in range(N_GOLDEN)]
log = [respond("new feature" if rng.random() < NEW_SHARE else "older intents") for _ in range(N_LOG)]
flagged = [r for r in log if r["flagged"]]
triage = rng.sample(flagged, N_TRIAGE)
new_in_triage = sum(r["intent"] == "new feature" for r in triage) / N_TRIAGE
flagged_new = [r for r in triage if r["intent"] == "new feature"]
fresh_new = [respond("new feature") for _ in range(N_NEW_SLICE)]   # random new-feature prompts, labelled


def acc(items):
    return sum(r["ok"] for r in items) / len(items)


pooled_failures = golden + flagged_new
weighted = (1 - NEW_SHARE) * acc(golden) + NEW_SHARE * acc(fresh_new)
se = math.sqrt((1 - NEW_SHARE) ** 2 * acc(golden) * (1 - acc(golden)) / N_GOLDEN
               + NEW_SHARE ** 2 * acc(fresh_new) * (1 - acc(fresh_new)) / N_NEW_SLICE)   # of the weighted estimate
rows = [{"estimate of production success": "last quarter's golden set", "items": N_GOLDEN, "value": round(acc(golden), 3)},
        {"estimate of production success": "golden set + flagged new-feature failures, pooled", "items": len(pooled_failures),
         "value": round(acc(pooled_failures), 3)},
        {"estimate of production success": "golden set + random new-feature slice, weighted by traffic",
         "items": N_GOLDEN + N_NEW_SLICE, "value": round(weighted, 3)},
        {"estimate of production success": "truth (what users get)", "items": None, "value": round(truth, 3)}]
show.table(rows, title="Three golden sets against production")
print(f"new-feature questions are {NEW_SHARE:.0%} of traffic and {new_in_triage:.0%} of the {N_TRIAGE} flagged "
      f"responses triaged; the model helps on {acc(flagged_new):.0%} of those flagged ones and on "
      f"{acc(fresh_new):.0%} of a random new-feature sample")
print(f"weighted estimate {weighted:.3f} (standard error {se:.3f}) against the truth {truth:.3f}")

assert acc(golden) - truth > 0.025, "the stale golden set should overstate production success"
assert new_in_triage > 1.4 * NEW_SHARE, "the failing slice should be over-represented among flagged responses"
assert acc(flagged_new) < 0.3, "flagged items are selected failures: their accuracy says little about the slice's rate"
assert abs(weighted - truth) < 3 * se, "a random sample of the new slice, weighted by traffic, should recover production success"
