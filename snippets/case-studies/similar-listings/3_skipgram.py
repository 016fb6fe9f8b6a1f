# Listing vectors from click sessions: skip-gram with negative sampling (mlsd.skipgram), one pass
# over the training sessions, adjacent clicks as context, three random negatives per pair. Then
# the same with the booked listing as a global context for every click of a booked session.
from casestudies import similar_listings as system
from mlsd import show

train, test = system.split()
models = {v: system.trained_model(v) for v in system.VARIANTS[:2]}
booked_sessions = [s for s in test if s.booked is not None]


def hit(ranks, k=10):
    return sum(r <= k for r in ranks) / len(ranks)


# Random order: the booked listing lands in the top 10 with chance 10 / (live listings of the
# market), averaged over the same queries (a scorer that only counts the candidates).
sizes = []
system.booked_ranks(lambda q, cands: sizes.append(len(cands)) or [0.0] * len(cands))
random_hit = round(sum(min(1.0, 10 / n) for n in sizes) / len(sizes), 3)

rows = []
for variant, model in models.items():
    scorer = system.embedding_scorer(model.normalized())
    ranks = system.booked_ranks(scorer)
    nxt = system.next_click_ranks(scorer, every=4)
    rows.append({"variant": variant, "training pairs": model.pairs,
                 "dot products in training": model.updates,
                 "booked: hit rate@10": round(hit(ranks), 3),
                 "booked: MRR": round(sum(1 / r for r in ranks) / len(ranks), 3),
                 "next click: hit rate@10": round(hit(nxt), 3)})
rows.append({"variant": "random order (expected)", "training pairs": None,
             "dot products in training": None, "booked: hit rate@10": random_hit,
             "booked: MRR": None, "next click: hit rate@10": None})
show.table(rows, title=f"Test window: {len(ranks)} (click, booked) queries from "
                       f"{len(booked_sessions)} booked sessions; {len(nxt):,} next-click pairs")

base, glob = rows[0], rows[1]
extra = glob["training pairs"] - base["training pairs"]
change = glob["booked: hit rate@10"] - base["booked: hit rate@10"]
print(f"the global context adds {extra:,} pairs ({extra / base['training pairs']:.1%} of the "
      f"training pairs); booked hit rate@10 {change:+.3f}, next click "
      f"{glob['next click: hit rate@10'] - base['next click: hit rate@10']:+.3f}")

assert all(r["booked: hit rate@10"] > 2 * random_hit for r in rows[:2]), \
    "the page says both variants rank the booked listing in the top 10 over twice as often as a random order"
assert 0.01 < extra / base["training pairs"] < 0.05, \
    "the page says the global context adds a few per cent of pairs (about 4 % of sessions book)"
# Retraining with other seeds moves the booked hit rate by about this much either way (the
# case study's tests retrain with seeds 0-2): the page calls any change this small noise.
assert abs(change) < 0.07, f"booked hit rate moved {change:+.3f}: the page calls it noise"
assert abs(glob["next click: hit rate@10"] - base["next click: hit rate@10"]) < 0.02, \
    "the page says the global context leaves the next-click hit rate where it was"
