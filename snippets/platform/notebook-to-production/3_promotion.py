# Should the candidate replace production? A win on one held-out set is noisy.
# Stand-in models (nothing is trained here): each held-out row has a true interest u ~ N(0, 1)
# and is a click with probability sigmoid(-1.9 + 1.5 u), about 20 %. Each model scores
# u + shared error + its own error: the shared error (sd 0.6) is what both get wrong because
# they see the same features; the own error sets the model's quality. An "equal" candidate has
# production's own error (sd 0.5); a "better" one has less (sd 0.3).
import math
import random

from mlsd import metrics, pipeline, show

ROWS, TRIALS = 1000, 80            # held-out rows per comparison; comparisons per scenario
MARGIN = 0.02                      # promote only if the candidate wins by more than this AUC
SHARED, OWN_PROD, OWN_BETTER = 0.6, 0.5, 0.3


def held_out(rng, own_candidate):
    y, prod, cand = [], [], []
    for _ in range(ROWS):
        u = rng.gauss(0, 1)
        y.append(1 if rng.random() < 1 / (1 + math.exp(1.9 - 1.5 * u)) else 0)
        s = u + rng.gauss(0, SHARED)
        prod.append(s + rng.gauss(0, OWN_PROD))
        cand.append(s + rng.gauss(0, own_candidate))
    return y, prod, cand


def hanley_mcneil_se(auc, y):      # standard error of one AUC on its own
    n1, n0 = sum(y), len(y) - sum(y)
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    return math.sqrt((auc * (1 - auc) + (n1 - 1) * (q1 - auc ** 2) + (n0 - 1) * (q2 - auc ** 2)) / (n1 * n0))


rng = random.Random(0)
deltas = {"equal": [], "better": []}
for name, own in (("equal", OWN_PROD), ("better", OWN_BETTER)):
    for t in range(TRIALS):
        y, prod, cand = held_out(rng, own)
        deltas[name].append(metrics.roc_auc(y, cand) - metrics.roc_auc(y, prod))
        if name == "equal" and t == 0:
            first = (y, prod, cand)

# One comparison, read three ways.
y, prod, cand = first
boot = pipeline.paired_bootstrap(y, prod, cand, n_boot=100, alpha=0.1)
unpaired = math.hypot(hanley_mcneil_se(metrics.roc_auc(y, prod), y), hanley_mcneil_se(metrics.roc_auc(y, cand), y))
eq = deltas["equal"]
spread = math.sqrt(math.fsum((d - math.fsum(eq) / TRIALS) ** 2 for d in eq) / (TRIALS - 1))
print(f"one held-out set, equal models: candidate - production = {boot['delta']:+.4f} AUC")
print(f"paired bootstrap: 90 % interval [{boot['ci_low']:+.4f}, {boot['ci_high']:+.4f}], se {boot['se']:.4f}")
print(f"two separate AUC errors combined as if independent (Hanley-McNeil, unpaired): se {unpaired:.4f}")
print(f"actual spread of the difference over {TRIALS} held-out sets: sd {spread:.4f}; "
      f"the unpaired se is {unpaired / spread:.1f} times that")
print(f"the margin {MARGIN} is {MARGIN / spread:.2f} times that spread")
gain = math.fsum(deltas["better"]) / TRIALS
print(f"the better candidate's true gain (mean over {TRIALS} sets): {gain:+.4f} AUC")

margins = [0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03]


def rates(m):
    false_promotions = sum(pipeline.promote(d, m) for d in deltas["equal"]) / TRIALS
    false_blocks = sum(not pipeline.promote(d, m) for d in deltas["better"]) / TRIALS
    return false_promotions, false_blocks


table = [{"margin": m, "equal candidate promoted": rates(m)[0], "better candidate blocked": rates(m)[1]} for m in margins]
show.table(table, title=f"The margin rule on {TRIALS} held-out sets of {ROWS} rows per scenario")
show.line_chart(margins, {"false promotions (equal model ships)": [r["equal candidate promoted"] for r in table],
                          "false blocks (better model stays out)": [r["better candidate blocked"] for r in table]},
                x_title="promotion margin (AUC)", y_title="share of comparisons", title="The margin trades one error for the other")
fp0, fb0 = rates(0)
fp, fb = rates(MARGIN)
print(f"margin 0: {fp0:.0%} false promotions, {fb0:.0%} false blocks; "
      f"margin {MARGIN}: {fp:.0%} false promotions, {fb:.0%} false blocks")
# The claims on the page.
assert fp0 >= 0.35, "with no margin, an equal model wins about half the comparisons"
assert unpaired > 2 * spread, "the unpaired se is more than twice the real spread: pairing removes the shared error"
assert abs(boot["se"] - spread) < 0.3 * spread, "the paired bootstrap estimates the real spread"
if MARGIN >= 0.02:
    assert fp <= 0.15, "a margin of about 1.65 paired standard errors keeps false promotions near 5 %"
if MARGIN == 0.02 and ROWS == 1000:
    assert 1.4 <= MARGIN / spread <= 1.9, "a margin of 0.02 is about 1.65 standard deviations of the paired difference"
    assert fb > fb0, "the price: a better model is blocked more often"
