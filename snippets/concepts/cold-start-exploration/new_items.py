# A new item has no clicks. Estimate its CTR from what is known about it (its category)
# and let its own clicks take over as they arrive:
#   estimate = (clicks + M * prior) / (impressions + M)
# M is how many impressions the prior is worth. Compare three priors.
import math
import random
from mlsd import show, stats

N_CATEGORIES, ITEMS_PER_CATEGORY = 20, 50
M = 100                                   # strength of the prior, in impressions
IMPRESSIONS = [0, 10, 30, 100, 300, 1000]
SEED = 0

rng = random.Random(SEED)
category_ctr = [rng.uniform(0.005, 0.10) for _ in range(N_CATEGORIES)]
items = [(c, min(0.5, category_ctr[c] * rng.lognormvariate(0, 0.2)))
         for c in range(N_CATEGORIES) for _ in range(ITEMS_PER_CATEGORY)]
global_ctr = math.fsum(ctr for _, ctr in items) / len(items)
# The category prior is the average CTR of the category's older items (here: the truth, averaged).
cat_prior = [math.fsum(ctr for c, ctr in items if c == k) / ITEMS_PER_CATEGORY for k in range(N_CATEGORIES)]

errors = {"raw click rate": [], "global prior": [], "category prior": []}
for n in IMPRESSIONS:
    err = dict.fromkeys(errors, 0.0)
    for c, ctr in items:
        clicks = stats.binomial(rng, n, ctr)
        err["raw click rate"] += abs((clicks / n if n else 0.0) - ctr)
        err["global prior"] += abs((clicks + M * global_ctr) / (n + M) - ctr)
        err["category prior"] += abs((clicks + M * cat_prior[c]) / (n + M) - ctr)
    for name in errors:
        errors[name].append(round(err[name] / len(items) / global_ctr, 4))
show.line_chart(IMPRESSIONS, errors, x_title="impressions of the new item so far",
                y_title="mean error / mean CTR", title="A content prior helps most before the item has data")
show.table([{"impressions": n, **{name: errors[name][i] for name in errors}} for i, n in enumerate(IMPRESSIONS)])
raw, glob, cat = (errors[name] for name in errors)
print(f"at launch: error {glob[0]:.0%} of the mean CTR with the global prior, {cat[0]:.0%} with the category prior")
print(f"after 100 impressions: raw {raw[3]:.0%}, global prior {glob[3]:.0%}, category prior {cat[3]:.0%}")
# The claims on the page, for the settings above.
if (N_CATEGORIES, ITEMS_PER_CATEGORY, M, IMPRESSIONS, SEED) == (20, 50, 100, [0, 10, 30, 100, 300, 1000], 0):
    assert cat[0] < 0.5 * glob[0]                             # content beats the global average at launch
    assert all(c < g for c, g in zip(cat, glob))              # and at every stage
    assert raw[2] > cat[2] and raw[3] > cat[3]                # raw rates are noisy with few impressions
    assert abs(raw[-1] - cat[-1]) < 0.05                      # with enough data the prior stops mattering
