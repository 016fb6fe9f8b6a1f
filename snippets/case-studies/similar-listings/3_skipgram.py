# Listing vectors from click sessions: skip-gram with negative sampling (mlsd.skipgram), one pass
# over the training sessions, adjacent clicks as context, three random negatives per pair. Then
# the same with the booked listing as a global context for every click of a booked session.
from casestudies import similar_listings as system
from mlsd import show

train, test = system.split()
models = {v: system.train_sessions(v) for v in system.VARIANTS[:2]}
booked_sessions = [s for s in test if s.booked is not None]


def hit(ranks, k=10):
    return sum(r <= k for r in ranks) / len(ranks)


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
             "dot products in training": None, "booked: hit rate@10": round(10 / 59, 3),
             "booked: MRR": None, "next click: hit rate@10": round(10 / 59, 3)})
show.table(rows, title=f"Test window: {len(ranks)} (click, booked) queries from "
                       f"{len(booked_sessions)} booked sessions; {len(nxt):,} next-click pairs")

base, glob = rows[0], rows[1]
extra = glob["training pairs"] - base["training pairs"]
change = glob["booked: hit rate@10"] - base["booked: hit rate@10"]
print(f"the global context adds {extra:,} pairs ({extra / base['training pairs']:.1%} of the "
      f"training pairs); booked hit rate@10 {change:+.3f}, next click "
      f"{glob['next click: hit rate@10'] - base['next click: hit rate@10']:+.3f}")

assert all(r["booked: hit rate@10"] > 2.5 * 10 / 59 for r in rows[:2])   # far above random order
assert 0.01 < extra / base["training pairs"] < 0.05                        # 4 % of sessions book
assert abs(change) < 0.07                    # within the spread of retraining with another seed
assert abs(glob["next click: hit rate@10"] - base["next click: hit rate@10"]) < 0.02
