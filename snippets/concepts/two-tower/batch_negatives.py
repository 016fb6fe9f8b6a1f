# In-batch negatives: every other clicked item in a batch is a negative for each user.
# An item therefore becomes a negative as often as it is clicked: popular items are
# punished far more often than rare ones. No training here, just counting.
import random

from mlsd import show
from mlsd.data.recsys import make_recsys

BATCH = 32
world = make_recsys(n_users=400, n_items=400, n_events=6000)
pairs = [(e.user, e.item) for e in world.events if e.clicked and e.t < 17]

# One epoch of shuffled batches, counting how often each item sits in a batch as a negative.
rng = random.Random(0)
order = pairs[:]
rng.shuffle(order)
as_negative = [0] * len(world.items)
for start in range(0, len(order), BATCH):
    batch = order[start:start + BATCH]
    for _, item in batch:
        as_negative[item] += len(batch) - 1          # a negative for every other user in the batch

ranked = sorted(range(len(world.items)), key=lambda i: -as_negative[i])
top = ranked[:len(ranked) // 20]                       # the 5 % most popular items
share = sum(as_negative[i] for i in top) / sum(as_negative)
never = sum(1 for c in as_negative if c == 0) / len(as_negative)
buckets = [ranked[i:i + 20] for i in range(0, len(ranked), 20)]
show.bar_chart([f"{20 * k + 1}-{20 * k + 20}" for k in range(len(buckets))],
               [sum(as_negative[i] for i in b) for b in buckets],
               x_title="items by popularity rank (groups of 20)", y_title="times used as a negative",
               title="In-batch negatives follow popularity")
print(f"{len(pairs)} clicked pairs, batches of {BATCH}")
print(f"the 5 % most clicked items fill {share:.0%} of all negative slots ({share / 0.05:.1f}x their share)")
print(f"{never:.0%} of items are never a negative in this epoch")
# The claims on the page.
assert share > 4 * len(top) / len(ranked) and never > 0.1     # 5x their share of the catalogue
