# Weighted sampling for training data: negatives drawn in proportion to
# popularity ** ALPHA (word2vec uses 0.75), and a cap on events per user.
import math
import random

from mlsd import metrics, show
from mlsd.data.recsys import zipf_weights
from mlsd.skipgram import unigram_sampler

ALPHA = 0.75            # try 0 (uniform), 0.5, 1 (as popular as the positives)
CAP = 20                # events kept per user; try 5 or 1000
ITEMS, DRAWS = 2000, 5000

popularity = [w * 1e6 for w in zipf_weights(ITEMS, 1.0)]     # plays per item, item 0 the most played
rng = random.Random(3)
play = unigram_sampler(popularity, 1.0)
positives = [play(rng) for _ in range(DRAWS)]          # what users played
head = ITEMS // 100                                                        # the top 1 % of items
rows = []
for alpha in sorted({0.0, 0.5, 0.75, 1.0, ALPHA}):
    draw = unigram_sampler(popularity, alpha) if alpha else (lambda r: int(r.random() * ITEMS))
    negatives = [draw(rng) for _ in range(DRAWS)]
    score = [math.log(popularity[i]) for i in positives + negatives]
    labels = [1] * DRAWS + [0] * DRAWS
    weights = [p ** alpha for p in popularity]
    rows.append({"alpha": alpha, "negatives from top 1 %": round(sum(i < head for i in negatives) / DRAWS, 3),
                 "expected": round(math.fsum(weights[:head]) / math.fsum(weights), 3),
                 "distinct items": len(set(negatives)),
                 "AUC of popularity alone": round(metrics.roc_auc(labels, score), 3)})
show.table(rows, title=f"{DRAWS} negatives per alpha over {ITEMS} items; positives follow plays (alpha = 1)")
show.line_chart([r["alpha"] for r in rows], {"AUC of popularity alone": [r["AUC of popularity alone"] for r in rows],
                                             "share of negatives from the top 1 %": [r["negatives from top 1 %"] for r in rows]},
                x_title="alpha (negatives drawn in proportion to plays ** alpha)", y_title="value",
                title="Raising alpha makes negatives as popular as positives")
by = {r["alpha"]: r for r in rows}
print(f"top 1 % of items: {sum(i < head for i in positives) / DRAWS:.3f} of positives; of negatives "
      + ", ".join(f"{by[a]['negatives from top 1 %']} at alpha {a}" for a in by))
print(f"popularity alone tells positives from negatives with AUC {by[0.0]['AUC of popularity alone']} at alpha 0, "
      f"{by[0.75]['AUC of popularity alone']} at 0.75, {by[1.0]['AUC of popularity alone']} at 1")

# Per-user caps: a few heavy users write most of the log.
users = [int(rng.paretovariate(1.2)) for _ in range(3000)]              # events per user, heavy-tailed
top = sorted(users, reverse=True)[:30]                                   # the heaviest 1 % of users
capped = [min(u, CAP) for u in users]
share_raw = sum(top) / sum(users)
share_capped = sum(min(u, CAP) for u in top) / sum(capped)
print(f"heaviest 1 % of users: {share_raw:.1%} of {sum(users)} events raw, {share_capped:.1%} of "
      f"{sum(capped)} with a cap of {CAP} per user, which drops {1 - sum(capped) / sum(users):.0%} of the events")
# What the cap changes: heavy users (over 10 events) like genre A more often than light ones.
likes_a = [rng.random() < (0.6 if u > 10 else 0.2) for u in users]
per_user = sum(likes_a) / len(users)                                      # "the average user"
per_event = sum(u for u, a in zip(users, likes_a) if a) / sum(users)     # "the average event"
per_capped = sum(c for c, a in zip(capped, likes_a) if a) / sum(capped)
print(f"share of genre A: {per_user:.1%} of users, {per_event:.1%} of raw events, {per_capped:.1%} of capped events")

assert all(abs(r["negatives from top 1 %"] - r["expected"]) < 0.03 for r in rows), "draws match plays ** alpha"
auc = [r["AUC of popularity alone"] for r in rows]
assert auc == sorted(auc, reverse=True), "the higher alpha, the less popularity alone separates the classes"
assert by[0.0]["AUC of popularity alone"] > 0.85 and abs(by[1.0]["AUC of popularity alone"] - 0.5) < 0.03, \
    "uniform negatives are trivially separable by popularity; alpha 1 is not at all"
assert by[0.0]["distinct items"] > by[1.0]["distinct items"], "uniform negatives cover more of the catalogue"
if CAP <= 50:            # a cap that binds on most heavy users; a loose one leaves the mix to a few of them
    assert abs(per_capped - per_user) < abs(per_event - per_user), \
        "the cap moves the training mix towards the average user"
