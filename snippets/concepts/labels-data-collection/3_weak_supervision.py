# Weak supervision: six cheap rules vote on whether a comment is abusive. We measure each rule
# on a small hand-labelled gold set, then combine the votes three ways: majority vote, a vote
# weighted by each rule's accuracy (weight log(a / (1 - a))), and a vote weighted by how much
# more often the rule fires (or stays silent) on abusive comments than on fine ones (naive Bayes).
# GOLD is the knob.
import math
import random

from mlsd import metrics, show
from mlsd.labeling import ABSTAIN, labeling_function_summary, majority_vote, weighted_vote

N, BASE_RATE, GOLD = 20_000, 0.10, 300      # comments, share abusive, hand-labelled gold items
# rule: (vote when it fires, P(fires | abusive), P(fires | fine))
RULES = {
    "blocklisted word": (1, 0.40, 0.010),
    "reported by a user": (1, 0.35, 0.020),
    "account under a day old": (1, 0.30, 0.030),
    "all caps and '!!!'": (1, 0.25, 0.020),
    "trusted author": (0, 0.10, 0.50),
    "short reply, no link": (0, 0.20, 0.40),
}
rng = random.Random(0)
truth = [int(rng.random() < BASE_RATE) for _ in range(N)]
votes = [[vote if rng.random() < (p1 if t else p0) else ABSTAIN for vote, p1, p0 in RULES.values()]
         for t in truth]
gold = [t if i < GOLD else None for i, t in enumerate(truth)]     # only the first GOLD are labelled by hand

summary = labeling_function_summary(votes, gold, names=list(RULES))
show.table([{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()} for r in summary],
           title=f"Each rule on {N:,} comments; accuracy on the {GOLD} gold comments it fired on")

# Rule weights from the gold set (add-one smoothing, so no estimate is exactly 0 or 1).
gold_items = [i for i, g in enumerate(gold) if g is not None]
n_pos = sum(truth[i] for i in gold_items)
n_neg = len(gold_items) - n_pos
accuracy, log_ratio, silent = [], [], []
for j in range(len(RULES)):
    fired = [i for i in gold_items if votes[i][j] != ABSTAIN]
    accuracy.append((sum(votes[i][j] == truth[i] for i in fired) + 1) / (len(fired) + 2))
    on_pos = (sum(truth[i] for i in fired) + 1) / (n_pos + 2)          # P(fires | abusive)
    on_neg = (sum(1 - truth[i] for i in fired) + 1) / (n_neg + 2)      # P(fires | fine)
    log_ratio.append(math.log(on_pos / on_neg))                    # evidence when it fires
    silent.append(math.log((1 - on_pos) / (1 - on_neg)))          # evidence when it abstains

# Three combiners, each giving a score (higher = more likely abusive) and a label.
majority = majority_vote(votes)
majority_score = [row.count(1) - row.count(0) for row in votes]
acc_prob = weighted_vote(votes, accuracy)
prior = math.log(n_pos / n_neg)
nb_score = [prior + math.fsum(w if v != ABSTAIN else u for v, w, u in zip(row, log_ratio, silent)) for row in votes]
combiners = {
    "majority vote": (majority_score, majority),
    "accuracy-weighted vote": ([0.5 if p is None else p for p in acc_prob],
                               [ABSTAIN if p is None else int(p > 0.5) for p in acc_prob]),
    "likelihood-ratio vote": (nb_score, [int(z > 0) for z in nb_score]),
}
covered = [i for i in range(GOLD, N) if any(v != ABSTAIN for v in votes[i])]   # scored off the gold set
positives = sum(truth[i] for i in range(GOLD, N))
rows = []
for name, (score, label) in combiners.items():
    labelled = [i for i in covered if label[i] != ABSTAIN]
    tp = sum(label[i] == 1 and truth[i] == 1 for i in labelled)
    rows.append({"combiner": name, "coverage": round(len(labelled) / (N - GOLD), 4),
                 "AUC of the score": round(metrics.roc_auc([truth[i] for i in covered], [score[i] for i in covered]), 4),
                 "accuracy where labelled": round(sum(label[i] == truth[i] for i in labelled) / len(labelled), 4),
                 "recall (abusive)": round(tp / positives, 4),
                 "precision (abusive)": round(tp / sum(label[i] == 1 for i in labelled), 4)})
show.table(rows, title="Combined weak labels against the hidden truth (gold items excluded)")
mv, av, nb = rows
ties = sum(majority[i] == ABSTAIN for i in covered)
trusted = list(RULES).index("trusted author")
print(f"majority vote abstains on {ties:,} comments where rules voted but tied")
print(f"'trusted author': accuracy {accuracy[trusted]:.3f} (weight {math.log(accuracy[trusted] / (1 - accuracy[trusted])):.2f}) "
      f"but likelihood-ratio weight {log_ratio[trusted]:.2f}")
print(f"AUC: majority {mv['AUC of the score']}, accuracy-weighted {av['AUC of the score']}, "
      f"likelihood-ratio {nb['AUC of the score']}")
# The claims on the page.
assert all(r["coverage"] < 0.5 for r in summary), "no rule covers even half the comments"
assert ties > 0 and nb["coverage"] > mv["coverage"], "majority vote abstains on ties, a weighted vote does not"
assert av["AUC of the score"] < mv["AUC of the score"], "accuracy weights do worse than a plain majority"
assert abs(log_ratio[trusted]) < math.log(accuracy[trusted] / (1 - accuracy[trusted])) / 2, \
    "the common-class rule looks accurate but carries little evidence"
assert nb["AUC of the score"] > mv["AUC of the score"], "likelihood-ratio weights rank best"
if GOLD == 300:             # the figures the page quotes
    assert (mv["AUC of the score"], av["AUC of the score"], nb["AUC of the score"]) == (0.9488, 0.9407, 0.9602), \
        "the page quotes AUC 0.9488 (majority), 0.9407 (accuracy-weighted), 0.9602 (likelihood ratio)"
    assert round(summary[trusted]["accuracy"], 3) == 0.986, "the page quotes 'trusted author' accuracy 0.986 on the gold set"
    assert ties == 875 and (round(accuracy[trusted], 3), round(log_ratio[trusted], 2)) == (0.979, -1.63), \
        "the page quotes 875 ties and 'trusted author' at smoothed accuracy 0.979, likelihood-ratio weight -1.63"
