# Retrieval model: two towers trained for one epoch on the clicks of days 0-15,
# with in-batch negatives and the logQ correction (mlsd.two_tower.TwoTower).
from operator import mul

from mlsd import show
from casestudies import video_recommendations as video

model = video.towers()
print(f"{len(video.clicks_before(video.TOWER_END)):,} clicks, in-batch softmax loss {model.history[-1]:.3f}")

print("viewer 3 tokens:", video.user_tokens(3)[:6], "...")
trained = next(i for i in range(10_000) if len(video.item_tokens(i)) == 2)
print("a clicked video:", video.item_tokens(trained), "| a never-clicked one:", video.item_tokens(0))

# Does the user tower point at the right topic? Compare each viewer's vector
# with the content-only vector of every topic; the generator knows each
# viewer's favourite topic, the model never saw it.
data = video.world()
topic_vec = {}
for i, it in enumerate(data.items):
    if len(video.item_tokens(i)) == 1:            # topic token only
        topic_vec.setdefault(it.category, video.item_vectors()[i])
hits = {"with a watch history": [0, 0], "new (no history yet)": [0, 0]}
for user in data.users:
    if user.joined_at > video.NOW:
        continue
    u = video.user_vector(user.id)
    best = max(topic_vec, key=lambda k: sum(map(mul, u, topic_vec[k])))
    group = "with a watch history" if len(video.user_tokens(user.id)) > 2 else "new (no history yet)"
    hits[group][0] += best == user.favourite
    hits[group][1] += 1
rows = [{"viewers": g, "count": n, "closest topic is the favourite": round(h / n, 3)}
        for g, (h, n) in hits.items()]
show.table(rows, title=f"Chance level: 1/{len(topic_vec)} = {1 / len(topic_vec):.3f}")

assert rows[0]["closest topic is the favourite"] > 0.6        # history: far above chance
chance = 1 / len(topic_vec)
assert 2 * chance < rows[1]["closest topic is the favourite"] < 0.5 * rows[0]["closest topic is the favourite"]
# new viewers: a few times chance (age and country carry some signal), far below viewers with a history
