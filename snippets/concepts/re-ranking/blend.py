# Blending objectives. Each candidate video has a predicted click probability and a predicted
# watch time if clicked; catchy thumbnails get clicks but short watches, so the two disagree.
# Rank by  W * p(click) / mean p(click)  +  (1 - W) * E[minutes] / mean E[minutes],
# with E[minutes] = p(click) x minutes if clicked, and read both totals of the top 10.
# The predictions are taken as exact (perfectly calibrated models), so the totals are what
# the lists would earn; candidates' click rates average under 2 %, as in a feed.
import math
import random
from mlsd import show

REQUESTS, CANDIDATES, K = 100, 200, 10
WEIGHTS = [1.0, 0.8, 0.6, 0.4, 0.2, 0.0]
SEED = 0

rng = random.Random(SEED)
requests = []
for _ in range(REQUESTS):
    cands = []
    for _ in range(CANDIDATES):
        appeal, depth = rng.gauss(0, 1), rng.gauss(0, 1)
        catchy = rng.gauss(0, 1)                                     # clickbait: clicks up, watch down
        p = 1 / (1 + math.exp(-(-4.5 + 0.6 * appeal + 0.6 * catchy)))
        minutes = math.exp(1.2 + 0.5 * depth - 0.4 * catchy)
        cands.append((p, p * minutes))                               # (p(click), expected minutes)
    requests.append(cands)
mean_p = math.fsum(c[0] for r in requests for c in r) / (REQUESTS * CANDIDATES)
mean_m = math.fsum(c[1] for r in requests for c in r) / (REQUESTS * CANDIDATES)

rows = []
for w in WEIGHTS:
    clicks = minutes = 0.0
    for cands in requests:
        top = sorted(cands, key=lambda c: -(w * c[0] / mean_p + (1 - w) * c[1] / mean_m))[:K]
        clicks += math.fsum(c[0] for c in top)
        minutes += math.fsum(c[1] for c in top)
    rows.append({"weight on clicks": w, "expected clicks per list": round(clicks / REQUESTS, 3),
                 "expected minutes per list": round(minutes / REQUESTS, 2)})
show.scatter_chart([{**r, "weight": str(r["weight on clicks"])} for r in rows], x="expected clicks per list",
                   y="expected minutes per list", color="weight",
                   title="Every weight is a point on the clicks-against-watch-time front")
show.table(rows)
print(f"mean click rate of the candidates: {mean_p:.2%}; of the click-ranked top {K}: "
      f"{rows[0]['expected clicks per list'] / K:.1%}")
by = {r["weight on clicks"]: r for r in rows}
clicks_only, watch_only, mixed = by[1.0], by[0.0], by[0.8]
print(f"ranking by clicks only: {clicks_only['expected clicks per list']} clicks, "
      f"{clicks_only['expected minutes per list']} minutes per list")
print(f"weight 0.8: {mixed['expected clicks per list'] / clicks_only['expected clicks per list']:.0%} of the clicks, "
      f"{mixed['expected minutes per list'] / clicks_only['expected minutes per list'] - 1:+.0%} minutes")
print(f"ranking by expected minutes only: {watch_only['expected clicks per list'] / clicks_only['expected clicks per list']:.0%} "
      f"of the clicks, {watch_only['expected minutes per list'] / clicks_only['expected minutes per list'] - 1:+.0%} minutes")
# The claims on the page, for the settings above.
if (REQUESTS, CANDIDATES, K, WEIGHTS, SEED) == (100, 200, 10, [1.0, 0.8, 0.6, 0.4, 0.2, 0.0], 0):
    c = [r["expected clicks per list"] for r in rows]
    m = [r["expected minutes per list"] for r in rows]
    assert all(a >= b for a, b in zip(c, c[1:])) and all(a <= b for a, b in zip(m, m[1:]))   # a front
    assert mixed["expected clicks per list"] > 0.9 * clicks_only["expected clicks per list"]
    assert mixed["expected minutes per list"] > 1.1 * clicks_only["expected minutes per list"]
    assert mean_p < 0.03 and rows[0]["expected clicks per list"] / K < 0.1        # a feed's click rates
