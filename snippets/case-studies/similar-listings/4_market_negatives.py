# Negatives from the same market. Random negatives are almost always from another city, so the
# model learns "Lisbon is not Denver" and little else. Two extra negatives per pair drawn from
# the centre listing's own market teach it what separates listings inside one city.
import statistics

from casestudies import similar_listings as system
from mlsd import show

items, members = system.listings(), system.market_members()
known = sorted(system.trained_ids())


def spread(vectors):
    """Mean cosine between listings of the same market and of different markets."""
    same, other = [], []
    for i in known[::3]:
        for j in known[1::7]:
            if i != j:
                cos = sum(a * b for a, b in zip(vectors[i], vectors[j]))
                (same if items[i].market == items[j].market else other).append(cos)
    return statistics.fmean(same), statistics.fmean(other)


def hit(ranks, k=10):
    return sum(r <= k for r in ranks) / len(ranks)


rows, n_pairs = [], 0
for variant in system.VARIANTS[1:]:
    model = system.trained_model(variant)
    vectors = model.normalized()
    scorer = system.embedding_scorer(vectors)
    same, other = spread(vectors)
    rows.append({"variant": variant, "dot products in training": model.updates,
                 "cosine, same market": round(same, 3), "cosine, other markets": round(other, 3),
                 "booked: hit rate@10": round(hit(system.booked_ranks(scorer)), 3),
                 "next click: hit rate@10": round(hit(nxt := system.next_click_ranks(scorer, every=4)), 3)})
    n_pairs = len(nxt)
show.table(rows, title=f"Random negatives only, or two more from the same market ({n_pairs:,} next-click pairs)")
before, after = rows
print(f"same-market negatives: next click {after['next click: hit rate@10'] - before['next click: hit rate@10']:+.3f}, "
      f"booked {after['booked: hit rate@10'] - before['booked: hit rate@10']:+.3f}, for "
      f"{after['dot products in training'] / before['dot products in training'] - 1:.0%} more training work")

assert before["cosine, same market"] > before["cosine, other markets"] + 0.3, \
    "the page says random negatives mostly teach which city a listing is in"
assert after["cosine, same market"] < before["cosine, same market"] - 0.1, \
    "the page says same-market negatives spread a city's listings apart"
assert after["cosine, other markets"] > before["cosine, other markets"], \
    "the page says listings of different cities drift closer"
# The hit rates move by a few hundredths, about as much as retraining with another seed moves
# them (the case study's tests retrain with seeds 0-3): the page reports them as noise-sized.
assert after["next click: hit rate@10"] > before["next click: hit rate@10"] - 0.03, \
    "the page says same-market negatives do not cost next-click accuracy"
assert after["booked: hit rate@10"] > before["booked: hit rate@10"] - 0.03, \
    "the page says same-market negatives do not cost booked accuracy"
