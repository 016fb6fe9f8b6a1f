# Hard negatives: for each user in a batch, add the items the model currently scores
# highest among a random pool of 8h items. Do they help? And what are they, really?
# The generator knows each user's true click probability, so we can look.
# Each variant is trained with SEEDS seeds: one run is one draw of initialisation and order.
import heapq
import math
import random
from operator import mul

from mlsd import show
from mlsd.data.recsys import make_recsys
from mlsd.two_tower import TwoTower, feature_tokens

K, SEEDS = 10, 4
HARD = 1                      # mined negatives per user per batch
world = make_recsys(n_users=400, n_items=400, n_events=6000)
clicks = [e for e in world.events if e.clicked and e.t < world.drift_day]
train = [(e.user, e.item) for e in clicks if e.t < 17]
test = [(e.user, e.item) for e in clicks if e.t >= 17]
users, items = feature_tokens(world)
by_topic = {}
for it in world.items:
    by_topic.setdefault(it.category, []).append(it.id)


def evaluate(model):
    """recall@10 over all items, and recall@5 among the held-out item's own topic."""
    vectors = [model.item_vector(i) for i in range(len(world.items))]
    hits = in_topic = 0
    scores = {}
    for u, item in test:
        if u not in scores:
            uv = model.user_vector(u)
            scores[u] = [sum(map(mul, uv, v)) for v in vectors]
        s = scores[u]
        hits += item in heapq.nlargest(K, range(len(s)), key=s.__getitem__)
        in_topic += item in heapq.nlargest(5, by_topic[world.items[item].category], key=s.__getitem__)
    return hits / len(test), in_topic / len(test)


rows, models, results = [], {}, {}
for hard in (0, HARD):
    results[hard] = []
    for seed in range(SEEDS):
        model = TwoTower(dim=8, logq=True, hard_negatives=hard, seed=seed).fit(train, users, items,
                                                                               epochs=1, batch_size=32)
        results[hard].append(evaluate(model))
        models.setdefault(hard, model)                     # keep the seed-0 model
    recalls, in_topics = zip(*results[hard])
    rows.append({"hard negatives per user": hard,
                 f"recall@{K}, mean": round(sum(recalls) / SEEDS, 3),
                 f"recall@{K}, range": f"{min(recalls):.3f}-{max(recalls):.3f}",
                 "recall@5 within the topic, mean": round(sum(in_topics) / SEEDS, 3),
                 "within the topic, range": f"{min(in_topics):.3f}-{max(in_topics):.3f}"})
show.table(rows, title=f"In-batch negatives, plus mined hard negatives ({SEEDS} training seeds)")
worse = sum(h[0] < p[0] for p, h in zip(results[0], results[HARD]))
print(f"mining lowers recall@{K} with {worse} of {SEEDS} seeds")


def click_probability(u, i):
    return 1 / (1 + math.exp(-world.true_score(u, i, 0.0)))


# Mine like the trainer does (top HARD of a pool of 8 * HARD random items) with the plain
# model, and ask the generator how likely the user was to click each mined "negative".
rng = random.Random(1)
model = models[0]
mined, randoms = [], []
for u, positive in train[:200]:
    uv = model.user_vector(u)
    pool = [rng.randrange(len(world.items)) for _ in range(8 * HARD)]
    pool = [i for i in pool if i != positive]
    best = sorted(pool, key=lambda i: -sum(map(mul, uv, model.item_vector(i))))[:HARD]
    mined += [click_probability(u, i) for i in best]
    randoms += [click_probability(u, i) for i in pool]
avg = {name: math.fsum(v) / len(v) for name, v in (("random negatives", randoms), ("mined hard negatives", mined))}
show.bar_chart(list(avg), [round(v, 3) for v in avg.values()], y_title="true click probability",
               title="Mined 'negatives' are items the user might well click")
for name, v in avg.items():
    print(f"{name}: true click probability {v:.3f}")
plain, hard = rows
# The claims on the page.
assert avg["mined hard negatives"] > 1.5 * avg["random negatives"]
assert avg["mined hard negatives"] > 0.15
assert hard[f"recall@{K}, mean"] < plain[f"recall@{K}, mean"] and worse > SEEDS / 2
assert hard["recall@5 within the topic, mean"] < plain["recall@5 within the topic, mean"]
