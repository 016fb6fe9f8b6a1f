# Online feedback signals in an A/B test, and the biases that come with them.
# Stated rules of the simulation. Each response either helps the user or fails; the incumbent A
# helps with probability 0.80, the candidate B with 0.76 (B is worse). Then the user may:
#   rate it (thumbs): on a failure with probability 6 %, on a success 1.5 % under A's interface;
#                     B ships with an inline rating widget: 8 % and 4.5 %;
#   regenerate:       30 % after a failure, 4 % after a success (both arms);
#   copy the answer:  35 % after a success, 10 % after a failure (both arms);
#   leave (abandon):  40 % after a failure, 50 % after a success: a satisfied user also leaves.
import random

from mlsd import show
from mlsd.experiments import proportion_test

N_PER_ARM, SEED = 30000, 0
SUCCESS = {"A": 0.80, "B": 0.76}
RATE = {"A": (0.015, 0.06), "B": (0.045, 0.08)}   # P(rate | success), P(rate | failure)
REGEN, COPY, LEAVE = (0.04, 0.30), (0.35, 0.10), (0.50, 0.40)
rng = random.Random(SEED)

logs = {}
for arm in ("A", "B"):
    n = {"success": 0, "rated": 0, "thumbs up": 0, "regenerated": 0, "copied": 0, "abandoned": 0}
    for _ in range(N_PER_ARM):
        ok = rng.random() < SUCCESS[arm]
        k = 0 if ok else 1
        n["success"] += ok
        if rng.random() < RATE[arm][k]:
            n["rated"] += 1
            n["thumbs up"] += ok
        n["regenerated"] += rng.random() < REGEN[k]
        n["copied"] += rng.random() < COPY[k]
        n["abandoned"] += rng.random() < LEAVE[k]
    logs[arm] = n

rows = []
for signal, num, den, good in (("true success rate (unobserved)", "success", None, +1),
                               ("thumbs up among rated", "thumbs up", "rated", +1), ("rating rate", "rated", None, 0),
                               ("regeneration rate", "regenerated", None, -1), ("copy rate", "copied", None, +1),
                               ("abandonment rate", "abandoned", None, 0)):   # good: +1 higher is better, -1 lower, 0 unclear
    a, b = logs["A"], logs["B"]
    t = proportion_test(a[num], a[den] if den else N_PER_ARM, b[num], b[den] if den else N_PER_ARM)
    rows.append({"signal": signal, "A": round(t["rate_a"], 4), "B": round(t["rate_b"], 4), "B - A": round(t["diff"], 4),
                 "95 % interval": f"{t['ci_low']:+.4f} to {t['ci_high']:+.4f}",
                 "read as quality, B is": "(ambiguous)" if good == 0 else "no clear difference"
                 if t["ci_low"] < 0 < t["ci_high"] else "better" if (t["diff"] > 0) == (good > 0) else "worse"})
show.table(rows, title=f"{N_PER_ARM:,} responses per arm: what each signal says about B")
sig = {r["signal"].split(" (")[0]: r for r in rows}
print(f"A's users rate {sig['rating rate']['A']:.1%} of answers; thumbs up is {sig['thumbs up among rated']['A']:.1%} "
      f"of their ratings while {sig['true success rate']['A']:.1%} of answers helped")
# What the stated rates imply, before sampling noise: each point of success B loses moves a
# behaviour signal by (its rate after a success - its rate after a failure) points.
expected = {name: (rates[0] - rates[1]) * (SUCCESS["B"] - SUCCESS["A"])
            for name, rates in (("regeneration rate", REGEN), ("copy rate", COPY), ("abandonment rate", LEAVE))}
print("expected B - A from the stated rates: " + ", ".join(f"{k} {v:+.4f}" for k, v in expected.items()))

read = {k: r["read as quality, B is"] for k, r in sig.items()}
assert read["true success rate"] == "worse", "B is worse by construction"
assert read["thumbs up among rated"] == "better", "the thumbs-up share should be fooled by B's rating widget"
assert sig["thumbs up among rated"]["A"] < sig["true success rate"]["A"] - 0.2, \
    "unhappy users rate more often, so the thumbs-up share should understate success by over 20 points"
assert read["regeneration rate"] == "worse", "regenerations should catch B's extra failures"
assert sig["copy rate"]["B - A"] < 0, "copies should point the right way"
assert -0.005 < expected["abandonment rate"] < 0, "abandonment should be expected to move down, by under half a point"
assert abs(sig["abandonment rate"]["B - A"]) < 0.02, "the observed abandonment difference should stay small"
