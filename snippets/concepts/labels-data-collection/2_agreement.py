# Annotator agreement: percent agreement against Cohen's kappa, then adjudication by a
# majority of three. Each annotator finds a positive with probability SENSITIVITY and
# wrongly flags a negative with probability 1 - SPECIFICITY, independently of the others.
import random

from mlsd import show
from mlsd.labeling import cohen_kappa, percent_agreement

BASE_RATE = 0.05            # share of items that are truly positive (e.g. policy-violating)
SENSITIVITY, SPECIFICITY = 0.80, 0.97
N = 4000
KAPPA = "Cohen's kappa"
PRICE = 0.10                # an assumed price per human judgement, in dollars: use your vendor's


def annotate(truth, rng):
    return [int(rng.random() < (SENSITIVITY if t else 1 - SPECIFICITY)) for t in truth]


def world(base_rate, seed):
    rng = random.Random(seed)
    truth = [int(rng.random() < base_rate) for _ in range(N)]
    return truth, [annotate(truth, rng) for _ in range(3)]


truth, (a, b, c) = world(BASE_RATE, seed=0)
lazy = [0] * N                                   # an annotator who never looks and says "fine"
rows = [{"pair": "annotator A vs B", "percent agreement": round(percent_agreement(a, b), 4),
         KAPPA: round(cohen_kappa(a, b), 4)},
        {"pair": "A vs one who always says 0", "percent agreement": round(percent_agreement(a, lazy), 4),
         KAPPA: round(cohen_kappa(a, lazy), 4)}]
show.table(rows, title=f"Two annotators on {N:,} items, {BASE_RATE:.0%} positive")

# The same two annotators, as the positive class gets rarer.
rates = [0.5, 0.3, 0.1, 0.05, 0.02, 0.01]
agree, kappa = [], []
for r in rates:
    t, (x, y, _) = world(r, seed=1)
    agree.append(round(percent_agreement(x, y), 4))
    kappa.append(round(cohen_kappa(x, y), 4))
show.line_chart(rates, {"percent agreement": agree, KAPPA: kappa}, x_title="share of positive items",
                y_title="agreement", title="Same annotators, rarer positives: agreement rises, kappa falls")

# Adjudication: three judgements per item, keep the majority.
majority = [int(x + y + z >= 2) for x, y, z in zip(a, b, c)]


def quality(labels):
    tp = sum(l and t for l, t in zip(labels, truth))
    return {"accuracy": round(sum(l == t for l, t in zip(labels, truth)) / N, 4),
            "recall": round(tp / sum(truth), 4), "precision": round(tp / sum(labels), 4)}


single, adjudicated = quality(a), quality(majority)
show.table([{"labels": "one annotator", **single, "cost per item ($)": PRICE},
            {"labels": "majority of three", **adjudicated, "cost per item ($)": 3 * PRICE}],
           title="Against the hidden truth")
print(f"A vs B: {rows[0]['percent agreement']:.1%} agreement, kappa {rows[0][KAPPA]}; "
      f"vs the lazy annotator: {rows[1]['percent agreement']:.1%} agreement, kappa {rows[1][KAPPA]}")
print(f"positives {rates[0]:.0%} of items: agreement {agree[0]}, kappa {kappa[0]}; "
      f"{rates[-1]:.0%}: agreement {agree[-1]}, kappa {kappa[-1]}")
print(f"majority of three: precision {single['precision']} -> {adjudicated['precision']}, "
      f"recall {single['recall']} -> {adjudicated['recall']}, for 3x the price")
# The claims on the page.
assert rows[1]["percent agreement"] > 0.9 and abs(rows[1][KAPPA]) < 1e-9, \
    "a do-nothing annotator agrees over 90 % of the time yet has kappa 0"
assert rows[0][KAPPA] < rows[0]["percent agreement"] - 0.3, "kappa is far below raw agreement"
assert agree[-1] > agree[0] and kappa[-1] < kappa[0] - 0.2, "rarer positives: agreement up, kappa down"
assert adjudicated["precision"] > single["precision"] + 0.2, "the majority removes most false alarms"
assert adjudicated["accuracy"] > single["accuracy"], "the majority is more accurate overall"
if (BASE_RATE, SENSITIVITY, SPECIFICITY) == (0.05, 0.80, 0.97):   # the figures the page quotes
    assert (rows[0]["percent agreement"], rows[0][KAPPA], rows[1]["percent agreement"]) == (0.9213, 0.4518, 0.926), \
        "the page quotes A vs B 92.1 % agreement, kappa 0.4518; the lazy annotator 92.6 %"
    assert (agree[0], kappa[0], agree[-1], kappa[-1]) == (0.818, 0.6248, 0.941, 0.2272), \
        "the page quotes agreement 0.818 -> 0.941 and kappa 0.6248 -> 0.2272"
    assert (single["precision"], single["recall"], adjudicated["precision"], adjudicated["recall"]) == (0.6014, 0.7672, 0.9193, 0.8836), \
        "the page quotes precision 0.6014 -> 0.9193 and recall 0.7672 -> 0.8836"
