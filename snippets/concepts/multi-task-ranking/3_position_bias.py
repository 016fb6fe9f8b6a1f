# Position bias: a click says "relevant AND looked at", and the top slot is looked at most.
# An old ranker logged 400 lists of 10; it over-weighted one feature (say, freshness) that
# does not make an item more relevant. Three click models learn from those logs:
#   ignore   - no position at all
#   feature  - position as an input feature, set to the top slot (0) at serving
#   tower    - a shallow position tower: one learned offset per slot, added to the logit in
#              training and left out at serving (Zhao et al., RecSys 2019)
# Each then ranks 200 fresh lists, scored by nDCG@3 against the TRUE relevance.
import math

from mlsd import metrics, show
from mlsd.data.engagement import make_logged_lists
from mlsd.mmoe import MMoE

POSITION_DECAY = 1.0   # examine(p) = 1 / (1 + p) ** POSITION_DECAY; try 0 (no bias) or 1.5
LOGGING_BIAS = 3.0     # how much the old ranker over-weighted freshness
TRAIN_LISTS, TEST_LISTS = 400, 200
K = 3                  # nDCG@K: the top of the list, where attention is

logs = make_logged_lists(n_lists=TRAIN_LISTS + TEST_LISTS, position_decay=POSITION_DECAY,
                         logging_bias=LOGGING_BIAS, seed=0)
size = logs.list_size
cut = TRAIN_LISTS * size
X, clicks, pos = logs.X[:cut], logs.clicks[:cut], logs.positions[:cut]
ctr = [sum(c for c, p in zip(clicks, pos) if p == q) / TRAIN_LISTS for q in range(size)]
print("logged click rate by position:", " ".join(f"{c:.3f}" for c in ctr))


def slot(p):                      # the position feature, scaled to [0, 1]
    return math.log1p(p) / math.log1p(size - 1)


models = {
    "ignore": MMoE(["click"], n_experts=1, learning_rate=0.2, seed=0).fit(X, {"click": clicks}),
    "feature": MMoE(["click"], n_experts=1, learning_rate=0.2, seed=0).fit(
        [x + [slot(p)] for x, p in zip(X, pos)], {"click": clicks}),
    "tower": MMoE(["click"], n_experts=1, n_positions=size, learning_rate=0.2, seed=0).fit(
        X, {"click": clicks}, positions=pos),
}

test_X, test_rel = logs.X[cut:], logs.relevance[cut:]
lists = [range(i, i + size) for i in range(0, len(test_X), size)]
truth = [[test_rel[i] for i in idx] for idx in lists]
scores = {
    "ignore": models["ignore"].decision_function(test_X)["click"],
    "feature": models["feature"].decision_function([x + [slot(0)] for x in test_X])["click"],
    "tower": models["tower"].decision_function(test_X)["click"],       # offsets left out
    "true relevance": test_rel,
    "freshness only": [x[-1] for x in test_X],                          # the old ranker's quirk
}
ndcg = {name: metrics.ndcg_score(truth, [[s[i] for i in idx] for idx in lists], k=K)
        for name, s in scores.items()}
# How much weight each model puts on the freshness feature: the score's change per unit of it.
fresh = {}
for name in ("ignore", "feature", "tower"):
    lo = [x[:-1] + [-1.0] for x in test_X[:200]]
    hi = [x[:-1] + [1.0] for x in test_X[:200]]
    if name == "feature":
        lo, hi = [x + [slot(0)] for x in lo], [x + [slot(0)] for x in hi]
    a = models[name].decision_function(lo)["click"]
    b = models[name].decision_function(hi)["click"]
    fresh[name] = sum(q - p for p, q in zip(a, b)) / (2 * len(a))
rows = [{"model": name, f"nDCG@{K} vs true relevance": round(v, 4),
         "logit change per unit of freshness": round(fresh[name], 3) if name in fresh else None}
        for name, v in ndcg.items()]
show.table(rows, title=f"nDCG@{K} on {TEST_LISTS} fresh lists (position decay {POSITION_DECAY})")
show.bar_chart(list(ndcg), [round(v, 4) for v in ndcg.values()], y_title=f"nDCG@{K} against true relevance",
               title="Modelling the position recovers the relevance order")

# The offsets act on the logit, so exp(offset difference) is a ratio of click odds. To compare
# with the examination ratio, turn them into the ratio of mean click probabilities they imply.
t = models["tower"].position_offsets[0]
z = models["tower"].decision_function(X)["click"]


def sigmoid(v):
    return 1 / (1 + math.exp(-v))


learned = [sum(sigmoid(zi + t[p]) for zi in z) / sum(sigmoid(zi + t[0]) for zi in z) for p in range(size)]
true_ratio = [1 / (1 + p) ** POSITION_DECAY for p in range(size)]
show.table([{"position": p + 1, "true examine ratio": round(true_ratio[p], 3),
             "odds ratio, exp(offset - offset at top)": round(math.exp(t[p] - t[0]), 3),
             "click ratio the tower implies": round(learned[p], 3)} for p in range(size)],
           title="What the position tower learned")

# Claims on the page.
if POSITION_DECAY >= 0.5:
    assert ctr[0] > 3 * ctr[-1], "the logged click rate falls steeply with position"
    assert ndcg["tower"] > ndcg["ignore"] + 0.03, "the tower recovers relevance order better than ignoring position"
    assert ndcg["feature"] > ndcg["ignore"] + 0.03, "position as a feature also beats ignoring it"
    assert fresh["ignore"] > 2 * max(abs(fresh["tower"]), abs(fresh["feature"])), \
        "ignoring position, the model credits freshness for clicks the top slots earned"
    assert learned[1] < 0.8 and learned[-1] < learned[1], "the tower learns that lower slots get fewer clicks"
    assert learned[1] < 0.6 * true_ratio[1], \
        "the tower over-attributes: its implied click ratio at slot 2 is far below the true 0.5"
if POSITION_DECAY == 0:
    assert abs(ndcg["feature"] - ndcg["ignore"]) < 0.02, "with no bias, ignoring position does as well"
    assert ndcg["tower"] < ndcg["ignore"], "with no bias, the tower only removes signal"
    assert learned[1] < 0.8, "with no position effect, the tower still learns one: the old ranker's order"
assert ndcg["true relevance"] == 1.0 and all(v < 1.0 for k, v in ndcg.items() if k != "true relevance"), \
    "nDCG is 1 only for the true order: every model leaves room"
