# Hard negatives: for each user in a batch, add the items the model currently scores
# highest among a random pool of 8h items. Do they help? And what are they, really?
# The generator knows each user's true click probability, so we can look.
import math
import random
from operator import mul

from mlsd import show
from mlsd.data.recsys import make_recsys
from mlsd.two_tower import TwoTower, feature_tokens

K = 10
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
        hits += item in sorted(range(len(s)), key=lambda i: -s[i])[:K]
        in_topic += item in sorted(by_topic[world.items[item].category], key=lambda i: -s[i])[:5]
    return hits / len(test), in_topic / len(test)


rows, models = [], {}
for hard in (0, HARD):
    models[hard] = TwoTower(dim=8, logq=True, hard_negatives=hard, seed=0).fit(train, users, items,
                                                                               epochs=1, batch_size=32)
    recall, in_topic = evaluate(models[hard])
    rows.append({"hard negatives per user": hard, f"recall@{K}": round(recall, 3),
                 "recall@5 within the topic": round(in_topic, 3)})
show.table(rows, title="In-batch negatives, plus mined hard negatives")


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
assert hard[f"recall@{K}"] < plain[f"recall@{K}"]
assert hard["recall@5 within the topic"] < plain["recall@5 within the topic"]
