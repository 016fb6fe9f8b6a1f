# A simulated "LLM as a judge" on pairwise comparisons, against simulated human labels.
# No language model runs here. The stand-in judge and raters follow stated rules:
#   each pair has a true quality gap d ~ N(0, 1) (B minus A) and a length ratio
#   L = log(len B / len A) ~ N(0, 0.5), independent of quality;
#   a human prefers B when d + N(0, HUMAN_NOISE) > 0 (two humans, independent noise);
#   the judge gives B a margin  d + LENGTH_BIAS * L + N(0, JUDGE_NOISE)  over A,
#   plus POSITION_BIAS for whichever answer it is shown first.
# We measure the judge's agreement with human 1 (accuracy and Cohen's kappa) as shown in one
# random order, with both orders averaged, and with a length correction fitted on 200
# human-labelled pairs; human 2 against human 1 is the ceiling.
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


def fit_length_correction(pos, length, labelled):
    """The length slope c that makes the averaged judge agree most with the human labels given."""
    human = [p["h1"] for p in labelled]
    grid = [i / 20 for i in range(41)]                      # 0, 0.05, ..., 2
    return max(grid, key=lambda c: (sum(a == b for a, b in zip(verdicts(pos, length, c, True, labelled), human)), -c))


calibration, held_out = pairs[:N_CALIBRATION], pairs[N_CALIBRATION:]
human = [p["h1"] for p in held_out]


def agreement(labels):
    return {"agreement": round(sum(a == b for a, b in zip(labels, human)) / len(human), 3),
            "Cohen's kappa": round(cohen_kappa(labels, human), 3)}


c = fit_length_correction(POSITION_BIAS, LENGTH_BIAS, calibration)
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

# The chart: agreement as the position bias grows (the length bias held at its value above).
biases = [i / 4 for i in range(9)]
series = {"one order": [], "both orders averaged": [], "both orders + length correction": []}
for b in biases:
    series["one order"].append(agreement(verdicts(b, LENGTH_BIAS, data=held_out))["agreement"])
    series["both orders averaged"].append(agreement(verdicts(b, LENGTH_BIAS, both_orders=True, data=held_out))["agreement"])
    cb = fit_length_correction(b, LENGTH_BIAS, calibration)
    series["both orders + length correction"].append(agreement(verdicts(b, LENGTH_BIAS, cb, True, held_out))["agreement"])
series["second human"] = [rows[-1]["agreement"]] * len(biases)
show.line_chart(biases, series, x_title="position bias (margin given to the answer shown first)",
                y_title="agreement with human labels", title="Swapping the order removes position bias; "
                "a fitted length correction removes length bias")

one, avg, fixed, h2 = (r["agreement"] for r in rows)
# Checked on seeds 0-4 (N_PAIRS = 2000): averaging adds 2 to 5 points, the correction 1 to 4 more.
assert first_picked > 0.6, "the biased judge should pick the first-shown answer well over half the time"
assert avg > one + 0.01, "averaging both orders should raise agreement"
assert fixed > avg, "the fitted length correction should raise agreement further"
assert abs(fixed - h2) < 0.03, "the corrected judge should agree with humans about as well as a second human does"
assert wins_longer > humans_longer + 0.05, "the uncorrected judge should favour longer answers"
assert abs(c - LENGTH_BIAS) < 0.35, "the correction fitted on 200 labels should be near the true length bias"
assert max(series["both orders averaged"]) - min(series["both orders averaged"]) < 1e-9, "averaging cancels any position bias"
assert series["one order"] == sorted(series["one order"], reverse=True), "one order should get worse as the bias grows"
