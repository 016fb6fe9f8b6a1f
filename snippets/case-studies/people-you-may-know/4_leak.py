# The leak: features read from today's graph for a label window in the past. The pair's own edge
# is removed from the adjacency (the usual half-fix), yet the friendships formed *after* the
# cutoff still inflate the mutual-friend counts of the pairs that became friends, and the
# neighbourhood embedding was computed on a graph where the pair are already friends.
import statistics

from mlsd import show
from casestudies import people_you_may_know as pymk

mutual, emb = pymk.FEATURES.index("mutual"), pymk.FEATURES.index("emb_cosine")
rows = []
for name, leak in (("graph before the cutoff (correct)", False), ("graph 45 days later (leaky)", True)):
    X, y = pymk.training_rows(leak=leak)
    pos = [x for x, label in zip(X, y) if label]
    neg = [x for x, label in zip(X, y) if not label]
    rows.append({"training features from": name, "rows": len(X), "new friendships": sum(y),
                 "mutual friends, pairs that became friends": round(statistics.fmean(x[mutual] for x in pos), 2),
                 "mutual friends, pairs that did not": round(statistics.fmean(x[mutual] for x in neg), 2),
                 "embedding cosine, became friends": round(statistics.fmean(x[emb] for x in pos), 2),
                 "embedding cosine, did not": round(statistics.fmean(x[emb] for x in neg), 2)})
show.table(rows, title="Training rows, day 270 candidates labelled by days 270-315")

honest_off = pymk.recall_at_k("gbdt+embedding")
leaky_off = pymk.recall_at_k("gbdt-leaky", leak=True)
leaky_live = pymk.recall_at_k("gbdt-leaky")
show.table([
    {"pipeline": "features before the cutoff", "offline recall@10": round(honest_off, 3),
     "recall@10 when serving (features from the graph as it is)": round(honest_off, 3)},
    {"pipeline": "features from the later graph", "offline recall@10": round(leaky_off, 3),
     "recall@10 when serving (features from the graph as it is)": round(leaky_live, 3)},
], title="GBDT with the embedding, honest and leaky (test: friendships after day 315)")

ok, bad = rows
# The page's claims: the leak inflates the positives' mutual friends about twice as much as the
# negatives' ...
gain_pos = bad["mutual friends, pairs that became friends"] - ok["mutual friends, pairs that became friends"]
gain_neg = bad["mutual friends, pairs that did not"] - ok["mutual friends, pairs that did not"]
assert gain_pos > 0.25 * ok["mutual friends, pairs that became friends"] and gain_pos > 1.8 * gain_neg, \
    f"page: positives gain about twice the negatives' mutual friends, got {gain_pos:+.2f} and {gain_neg:+.2f}"
gap_ok = ok["embedding cosine, became friends"] - ok["embedding cosine, did not"]
gap_bad = bad["embedding cosine, became friends"] - bad["embedding cosine, did not"]
# ... the embedding separates future friends better: it saw them ...
assert gap_bad > 1.2 * gap_ok, f"page: the leaky embedding's gap widens, got {gap_ok:.2f} -> {gap_bad:.2f}"
# ... the leaky pipeline looks several points better offline than the honest one ...
assert leaky_off > honest_off + 0.03, f"page: leaky {leaky_off:.3f} offline vs honest {honest_off:.3f}"
# ... and serves worse than the honest one, because the features it learned to trust never come
assert leaky_live < honest_off, f"page: leaky serves {leaky_live:.3f}, below honest {honest_off:.3f}"
