# A candidate that wins overall and loses on a slice, and the evaluation set that can see it.
# Prompts come from four intents with the production shares below. The simulated raters prefer
# the candidate B over the incumbent A with the stated true win rate per intent (ties left out).
# Two evaluation sets of the same size: a proportional sample of traffic, and a stratified one
# with the same number of prompts per intent, reweighted by traffic share for the overall figure.
import math
import random

from mlsd import show
from mlsd.pairwise import win_rate

INTENTS = {  # intent: (share of production traffic, B's true win rate against A)
    "billing": (0.40, 0.58), "how-to": (0.30, 0.57), "troubleshooting": (0.22, 0.55), "policy": (0.08, 0.38)}
N_ITEMS, SEED = 1600, 0
rng = random.Random(SEED)
true_overall = sum(share * p for share, p in INTENTS.values())


def judge(intent, n):
    """n side-by-side votes on prompts of one intent: B's wins and losses."""
    wins = sum(rng.random() < INTENTS[intent][1] for _ in range(n))
    return wins, n - wins


proportional = {k: judge(k, round(N_ITEMS * share)) for k, (share, _) in INTENTS.items()}
stratified = {k: judge(k, N_ITEMS // len(INTENTS)) for k in INTENTS}
rows = []
for k, (share, p) in INTENTS.items():
    a, b = win_rate(*proportional[k]), win_rate(*stratified[k])
    rows.append({"intent": k, "traffic share": share, "true win rate": p,
                 "proportional: items": a["n"], "win rate": round(a["win_rate"], 3),
                 "95 % interval": f"{a['low']:.2f}-{a['high']:.2f}",
                 "stratified: items": b["n"], "win rate ": round(b["win_rate"], 3),
                 "95 % interval ": f"{b['low']:.2f}-{b['high']:.2f}"})
show.table(rows, title="B against A, slice by slice (true overall win rate "
                       f"{true_overall:.3f}, weighted by traffic)")

overall_prop = win_rate(sum(w for w, _ in proportional.values()), sum(l for _, l in proportional.values()))
naive = sum(w for w, _ in stratified.values()) / N_ITEMS        # pooling the stratified set as if it were traffic
est, var = 0.0, 0.0
for k, (share, _) in INTENTS.items():                          # reweight each slice by its traffic share
    w, l = stratified[k]
    p = w / (w + l)
    est += share * p
    var += share ** 2 * p * (1 - p) / (w + l)
half = 1.96 * math.sqrt(var)
print(f"overall, proportional set: {overall_prop['win_rate']:.3f} ({overall_prop['low']:.3f}-{overall_prop['high']:.3f})")
print(f"overall, stratified set pooled as is: {naive:.3f}; reweighted by traffic: {est:.3f} ({est - half:.3f}-{est + half:.3f})")

pol_p, pol_s = win_rate(*proportional["policy"]), win_rate(*stratified["policy"])
width_ratio = (pol_p["high"] - pol_p["low"]) / (pol_s["high"] - pol_s["low"])
print(f"the policy slice's interval is {width_ratio:.1f} times wider in the proportional set "
      f"({pol_p['n']} items against {pol_s['n']})")
assert overall_prop["low"] > 0.5 and est - half > 0.5, "B should win overall in both sets"
assert pol_s["high"] < 0.5, "the stratified set should show B losing on policy questions"
assert width_ratio > 1.5, "the proportional set should measure the small slice with a much wider interval"
assert naive < est - 0.02, "pooling a stratified set as if it were traffic should understate B's overall win rate"
assert abs(est - true_overall) < 3 * math.sqrt(var), "the reweighted estimate should land near the true traffic-weighted win rate"
