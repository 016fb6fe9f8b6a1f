# A simulated "LLM as a judge" on pairwise comparisons, against simulated human labels.
# No language model runs here. The stand-in judge and raters follow stated rules:
#   each pair has a true quality gap d ~ N(0, 1) (B minus A) and a length ratio
#   L = log(len B / len A) ~ N(0, 0.5), independent of quality;
#   a human prefers B when d + N(0, HUMAN_NOISE) > 0 (two humans, independent noise);
#   the judge gives B a margin  d + LENGTH_BIAS * L + N(0, JUDGE_NOISE)  over A,
#   plus POSITION_BIAS for whichever answer it is shown first.
# Without its two biases this judge is exactly as noisy as a human: the stand-in that a well
# calibrated real judge would at best resemble.
# We measure the judge's agreement with human 1 (accuracy and Cohen's kappa) as shown in one
# random order, with both orders averaged, and with a length correction fitted on 200
# human-labelled pairs (a logistic regression of the human's choice on the judge's averaged
# margin and the log length ratio); human 2 against human 1 is the ceiling.
import math
import random

from mlsd import show
from mlsd.labeling import cohen_kappa

N_PAIRS, N_CALIBRATION, SEED = 2000, 200, 0
HUMAN_NOISE, JUDGE_NOISE = 0.45, 0.45
POSITION_BIAS, LENGTH_BIAS = 0.5, 0.8      # change these and watch the rows below move

rng = random.Random(SEED)
pairs = []
for _ in range(N_PAIRS):
    d, L = rng.gauss(0, 1), rng.gauss(0, 0.5)
    pairs.append({"d": d, "L": L, "h1": int(d + rng.gauss(0, HUMAN_NOISE) > 0),
                  "h2": int(d + rng.gauss(0, HUMAN_NOISE) > 0),
                  "judge": d + rng.gauss(0, JUDGE_NOISE),     # the judge's reading of quality
                  "b_first": rng.random() < 0.5})             # the order a single call shows


def margin(p, position_bias, length_bias, b_first):
    """The judge's margin for B over A in one call; positive means it picks B."""
    return p["judge"] + length_bias * p["L"] + (position_bias if b_first else -position_bias)


def verdicts(pos, length, correction=0.0, both_orders=False, data=pairs):
    out = []
    for p in data:
        m = (margin(p, pos, length, True) + margin(p, pos, length, False)) / 2 if both_orders \
            else margin(p, pos, length, p["b_first"])
        out.append(int(m - correction * p["L"] > 0))
    return out


def fit_length_correction(length, labelled, iters=8):
    """Fit P(human prefers B) = sigmoid(a * m + b * L) by Newton's method, m the judge's margin
    averaged over both orders; the length slope to subtract from m is then c = -b / a."""
    a = b = 0.0
    for _ in range(iters):
        g1 = g2 = h11 = h12 = h22 = 0.0
        for p in labelled:
            m, L = p["judge"] + length * p["L"], p["L"]
            q = 1 / (1 + math.exp(-(a * m + b * L)))
            r, w = p["h1"] - q, q * (1 - q)
            g1, g2, h11, h12, h22 = g1 + r * m, g2 + r * L, h11 + w * m * m, h12 + w * m * L, h22 + w * L * L
        det = h11 * h22 - h12 * h12
        a, b = a + (h22 * g1 - h12 * g2) / det, b + (h11 * g2 - h12 * g1) / det
    return round(-b / a, 2)


calibration, held_out = pairs[:N_CALIBRATION], pairs[N_CALIBRATION:]
human = [p["h1"] for p in held_out]


def agreement(labels):
    return {"agreement": round(sum(a == b for a, b in zip(labels, human)) / len(human), 3),
            "Cohen's kappa": round(cohen_kappa(labels, human), 3)}


c = fit_length_correction(LENGTH_BIAS, calibration)
boot_rng = random.Random(SEED + 1)                  # how much 200 labels pin the slope down
boot = sorted(fit_length_correction(LENGTH_BIAS, [boot_rng.choice(calibration) for _ in calibration])
              for _ in range(100))
single = verdicts(POSITION_BIAS, LENGTH_BIAS, data=held_out)
first_picked = sum(v == int(p["b_first"]) for v, p in zip(single, held_out)) / len(held_out)
flips = sum(int(margin(p, POSITION_BIAS, LENGTH_BIAS, True) > 0) != int(margin(p, POSITION_BIAS, LENGTH_BIAS, False) > 0)
            for p in held_out) / len(held_out)
longer_b = [p for p in held_out if p["L"] > 0]
rows = [
    {"rater": "judge, one order", **agreement(single)},
    {"rater": "judge, both orders averaged", **agreement(verdicts(POSITION_BIAS, LENGTH_BIAS, both_orders=True, data=held_out))},
    {"rater": f"judge, both orders, length-corrected (c = {c})", **agreement(verdicts(POSITION_BIAS, LENGTH_BIAS, c, True, held_out))},
    {"rater": "second human", **agreement([p["h2"] for p in held_out])},
]
show.table(rows, title=f"Agreement with human 1 on {len(held_out)} held-out pairs "
                       f"(position bias {POSITION_BIAS}, length bias {LENGTH_BIAS})")
print(f"one order: the judge picks the answer shown first in {first_picked:.1%} of pairs; "
      f"its verdict flips when the order is swapped in {flips:.1%} of pairs")
wins_longer = sum(v == 1 for v, p in zip(verdicts(POSITION_BIAS, LENGTH_BIAS, both_orders=True, data=held_out), held_out)
                  if p["L"] > 0) / len(longer_b)
humans_longer = sum(p["h1"] for p in longer_b) / len(longer_b)
print(f"when B is the longer answer, the averaged judge prefers it in {wins_longer:.1%} of pairs, humans in {humans_longer:.1%}")
print(f"length slope fitted on {N_CALIBRATION} labels: {c} (true {LENGTH_BIAS}); "
      f"90 % of bootstrap resamples of those labels give {boot[5]} to {boot[94]}")

# The chart: agreement as the position bias grows (the length bias held at its value above;
# averaging both orders removes the position bias, so the fitted slope c does not change).
biases = [i / 4 for i in range(9)]
series = {"one order": [], "both orders averaged": [], "both orders + length correction": []}
for b in biases:
    series["one order"].append(agreement(verdicts(b, LENGTH_BIAS, data=held_out))["agreement"])
    series["both orders averaged"].append(agreement(verdicts(b, LENGTH_BIAS, both_orders=True, data=held_out))["agreement"])
    series["both orders + length correction"].append(agreement(verdicts(b, LENGTH_BIAS, c, True, held_out))["agreement"])
series["second human"] = [rows[-1]["agreement"]] * len(biases)
show.line_chart(biases, series, x_title="position bias (margin given to the answer shown first)",
                y_title="agreement with human labels", title="Swapping the order removes position bias; "
                "a fitted length correction removes length bias")

one, avg, fixed, h2 = (r["agreement"] for r in rows)
# Checked on seeds 0-19: averaging adds 2 to 6 points of agreement and the correction 1 to 4
# more; the fitted slope ranges from 0.39 to 1.05.
assert first_picked > 0.6, "the biased judge should pick the first-shown answer well over half the time"
assert avg > one + 0.01, "averaging both orders should raise agreement"
assert fixed > avg, "the fitted length correction should raise agreement further"
assert abs(fixed - h2) < 0.03, "the corrected judge should agree with humans about as well as a second human does"
assert wins_longer > humans_longer + 0.05, "the uncorrected judge should favour longer answers"
assert abs(c - LENGTH_BIAS) < 0.45, "the slope fitted on 200 labels should be near the true length bias"
assert boot[94] - boot[5] > 0.2, "200 labels should pin the slope down only to a few tenths (the bootstrap range)"
assert max(series["both orders averaged"]) - min(series["both orders averaged"]) < 1e-9, "averaging cancels any position bias"
assert series["one order"] == sorted(series["one order"], reverse=True), "one order should get worse as the bias grows"
