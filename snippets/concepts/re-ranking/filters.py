# Hard rules after the ranker: drop what the user has already seen, what is blocked
# (a creator the user muted, an item pulled by policy), and cap each creator at 2 slots.
# Filters remove candidates, so the ranker must be handed more than K of them.
import math
import random
from mlsd import show

K = 10
MAX_PER_CREATOR = 2
rng = random.Random(3)

ranked = [{"rank": r + 1, "item": f"v{rng.randrange(1000):03d}", "creator": rng.choice("ABCDEFGH"),
           "score": round(0.9 - 0.03 * r + rng.uniform(-0.01, 0.01), 3)} for r in range(20)]
seen = {ranked[i]["item"] for i in (0, 3, 7)}           # watched yesterday
blocked_creators = {"E"}                                # the user muted this creator

final, per_creator, log = [], {}, []
for c in ranked:
    if len(final) >= K:
        reason = "list full"
    elif c["item"] in seen:
        reason = "already seen"
    elif c["creator"] in blocked_creators:
        reason = "creator blocked"
    elif per_creator.get(c["creator"], 0) >= MAX_PER_CREATOR:
        reason = f"creator cap ({MAX_PER_CREATOR})"
    else:
        reason = f"slot {len(final) + 1}"
        final.append(c)
        per_creator[c["creator"]] = per_creator.get(c["creator"], 0) + 1
    log.append({**c, "outcome": reason})
show.table(log, title="The ranker's top 20, walked in order")
removed = {}
for r in log:
    if not r["outcome"].startswith("slot") and r["outcome"] != "list full":
        removed[r["outcome"]] = removed.get(r["outcome"], 0) + 1
print("removed: " + ", ".join(f"{n} {why}" for why, n in removed.items()))
print(f"{len(final)} of {K} slots filled from the ranker's top {len(ranked)}")


def candidates_needed(filtered_share, k=K, confidence=0.999):
    """Smallest n with P(at least k of n candidates survive) >= confidence (binomial)."""
    keep = 1 - filtered_share
    n = k
    while True:
        p_short = math.fsum(math.comb(n, s) * keep ** s * (1 - keep) ** (n - s) for s in range(k))
        if 1 - p_short >= confidence:
            return n
        n += 1


shares = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7]
needed = [candidates_needed(f) for f in shares]
show.line_chart([100 * f for f in shares], {"99.9 % full lists": needed,
                                            "average: K / (1 - share)": [round(K / (1 - f), 1) for f in shares]},
                x_title="% of candidates removed by filters", y_title=f"candidates to fetch for {K} slots",
                title="Over-fetch before filtering, more than the average suggests")
i20, i50 = shares.index(0.2), shares.index(0.5)
print(f"20 % filtered: {needed[i20]} candidates for 99.9 % full lists (average case {K / 0.8:.1f}); "
      f"50 % filtered: {needed[i50]}")
# The claims on the page, for the settings above.
if (K, MAX_PER_CREATOR) == (10, 2):
    assert len(final) < K and sum(removed.values()) > len(ranked) - K   # 20 candidates were not enough
    assert needed[0] == K and needed[i20] > K / 0.8 + 3 and needed[i50] > 2 * K + 8
