# Two-tower retrieval trained with in-batch negatives, without and with logQ correction.
# Evaluated on later clicks: recall@10, and how much of the top 10 goes to popular items.
from operator import mul

from mlsd import show
from mlsd.data.recsys import make_recsys
from mlsd.two_tower import TwoTower, feature_tokens

K = 10
world = make_recsys(n_users=400, n_items=400, n_events=6000)
clicks = [e for e in world.events if e.clicked and e.t < world.drift_day]
train = [(e.user, e.item) for e in clicks if e.t < 17]          # days 0-17 train
test = [(e.user, e.item) for e in clicks if e.t >= 17]          # days 17-21 test
users, items = feature_tokens(world)

counts = {}
for _, item in train:
    counts[item] = counts.get(item, 0) + 1
popular = set(sorted(counts, key=lambda i: -counts[i])[:len(world.items) // 20])   # top 5 %


def evaluate(model):
    vectors = [model.item_vector(i) for i in range(len(world.items))]
    tops = {}
    for u in {u for u, _ in test}:
        uv = model.user_vector(u)
        scores = [sum(map(mul, uv, v)) for v in vectors]
        tops[u] = sorted(range(len(vectors)), key=lambda i: -scores[i])[:K]
    recall = sum(item in tops[u] for u, item in test) / len(test)
    share = sum(i in popular for top in tops.values() for i in top) / (K * len(tops))
    return recall, share


rows = []
for logq in (False, True):
    model = TwoTower(dim=8, logq=logq, seed=0).fit(train, users, items, epochs=1, batch_size=32)
    recall, share = evaluate(model)
    rows.append({"logQ correction": "yes" if logq else "no", f"recall@{K}": round(recall, 3),
                 "top-5 % items in the top 10": round(share, 3)})
clicked_share = sum(i in popular for _, i in test) / len(test)
show.table(rows, title=f"{len(train)} training clicks, {len(test)} test clicks")
show.bar_chart(["no correction", "logQ", "test clicks"],
               [rows[0]["top-5 % items in the top 10"], rows[1]["top-5 % items in the top 10"], round(clicked_share, 3)],
               y_title="share on the 5 % most popular items", title="Without logQ, popular items are pushed out")
print(f"the 5 % most popular items get {clicked_share:.0%} of test clicks; their share of the top 10: "
      f"{rows[0]['top-5 % items in the top 10']:.1%} without logQ, {rows[1]['top-5 % items in the top 10']:.1%} with it")
no, yes = rows
# The claims on the page.
assert yes[f"recall@{K}"] > 1.6 * no[f"recall@{K}"]      # nearly doubles
assert no["top-5 % items in the top 10"] < clicked_share / 3 < yes["top-5 % items in the top 10"]
