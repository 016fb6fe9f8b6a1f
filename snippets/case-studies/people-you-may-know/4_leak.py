# The leak: features read from today's graph for a label window in the past. The pair's own edge
# is removed (the usual half-fix), yet the friendships formed *after* the cutoff still inflate
# the mutual-friend counts of exactly the pairs that became friends.
import statistics

from mlsd import show
from casestudies import people_you_may_know as pymk

mutual = pymk.FEATURES.index("mutual")
rows = []
for name, leak in (("graph before the cutoff (correct)", False), ("graph 45 days later (leaky)", True)):
    X, y = pymk.training_rows(leak=leak)
    pos = [x[mutual] for x, label in zip(X, y) if label]
    neg = [x[mutual] for x, label in zip(X, y) if not label]
    rows.append({"training features from": name, "rows": len(X), "new friendships": sum(y),
                 "mutual friends, pairs that became friends": round(statistics.fmean(pos), 2),
                 "mutual friends, pairs that did not": round(statistics.fmean(neg), 2)})
show.table(rows, title="Training rows, day 270 candidates labelled by days 270-315")

honest_off = pymk.recall_at_k("gbdt")
leaky_off = pymk.recall_at_k("gbdt-leaky", leak=True)
leaky_live = pymk.recall_at_k("gbdt-leaky")
show.table([
    {"pipeline": "features before the cutoff", "offline recall@10": round(honest_off, 3),
     "recall@10 when serving (features from the graph as it is)": round(honest_off, 3)},
    {"pipeline": "features from the later graph", "offline recall@10": round(leaky_off, 3),
     "recall@10 when serving (features from the graph as it is)": round(leaky_live, 3)},
], title="The same GBDT recipe, honest and leaky (test: friendships after day 315)")

ok, bad = rows
# The page's claims: the leak inflates the positives' mutual friends far more than the negatives' ...
gain_pos = bad["mutual friends, pairs that became friends"] - ok["mutual friends, pairs that became friends"]
gain_neg = bad["mutual friends, pairs that did not"] - ok["mutual friends, pairs that did not"]
assert gain_pos > 0.25 * ok["mutual friends, pairs that became friends"] and gain_pos > 1.8 * gain_neg
# ... the leaky pipeline looks several points better offline than the honest one ...
assert leaky_off > honest_off + 0.03
# ... and serves worse than the honest one, because the features it learned to trust never come
assert leaky_live < honest_off
