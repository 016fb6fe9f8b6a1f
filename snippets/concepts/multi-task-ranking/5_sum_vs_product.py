# Weighted sum or product of powers? Retrain the long-watch head and its predictions come out
# half or twice as large (a changed sampling rate, a missed recalibration). Which blend keeps
# the same list?
#     sum:      P(click) + W * P(long watch)                   W = 4
#     product:  P(click) ** (1 - A) * P(long watch) ** A         A = 0.5
# Scaling one head by c multiplies the product by c ** A for every candidate, so the order
# cannot change; the sum's order can. A head that comes out over-confident instead (its logit
# stretched by 1.5) is a change of shape, not of scale, and moves both.
import math

from mlsd import show
from mlsd.data.engagement import make_two_tasks

REQUESTS, CANDIDATES, SHOWN = 100, 100, 10
W, A = 4, 0.5
SHIFTS = [0.25, 0.5, 1.0, 2.0, 4.0]        # the factor the retrained long-watch head is off by
SHARPEN = 1.5                               # the over-confident head: logit * SHARPEN

data = make_two_tasks(n=REQUESTS * CANDIDATES, correlation=-0.5, rates=(0.01, 0.0025), seed=0)
pc, pw = data.probs["click"], data.probs["long_watch"]
requests = [range(r * CANDIDATES, (r + 1) * CANDIDATES) for r in range(REQUESTS)]


def top(score):
    return [set(sorted(req, key=lambda i: -score[i])[:SHOWN]) for req in requests]


def blends(c, sharpen=1.0):
    shifted = [c / (1 + math.exp(-sharpen * math.log(p / (1 - p)))) for p in pw]   # no cap at 1
    return {"sum": [a + W * b for a, b in zip(pc, shifted)],
            "product": [a ** (1 - A) * b ** A for a, b in zip(pc, shifted)]}


before = {name: top(s) for name, s in blends(1.0).items()}
rows, kept = [], {}
for c in SHIFTS:
    after = {name: top(s) for name, s in blends(c).items()}
    kept[c] = {name: sum(len(a & b) for a, b in zip(before[name], after[name])) / (REQUESTS * SHOWN)
               for name in after}
    rows.append({"long-watch head": f"scaled by {c}", "sum: slots unchanged": round(kept[c]["sum"], 2),
                 "product: slots unchanged": round(kept[c]["product"], 2)})
after = {name: top(s) for name, s in blends(1.0, SHARPEN).items()}
kept["sharper"] = {name: sum(len(a & b) for a, b in zip(before[name], after[name])) / (REQUESTS * SHOWN)
                   for name in after}
rows.append({"long-watch head": f"logit x {SHARPEN}", "sum: slots unchanged": round(kept["sharper"]["sum"], 2),
             "product: slots unchanged": round(kept["sharper"]["product"], 2)})
show.table(rows, title=f"Top {SHOWN} per request after the long-watch head shifts (W = {W}, A = {A})")
click_share = {name: sum(pc[i] for s in sets for i in s) / REQUESTS for name, sets in before.items()}
watch_share = {name: sum(pw[i] for s in sets for i in s) / REQUESTS for name, sets in before.items()}
print("before the shift: " + "; ".join(f"{n} gets {click_share[n]:.2f} clicks and {watch_share[n]:.2f} "
                                        f"long watches per request" for n in before))
# Claims on the page.
assert all(kept[c]["product"] == 1.0 for c in SHIFTS), "the product's order ignores a head's scale"
assert kept[0.5]["sum"] < 0.9 and kept[2.0]["sum"] < 0.9, "the sum's list changes when one head is off by 2x"
assert kept[1.0]["sum"] == 1.0, "no shift, no change: the comparison itself is sound"
assert click_share["sum"] > click_share["product"] and watch_share["sum"] >= watch_share["product"], \
    "at A = 0.5 the product gets fewer clicks than the sum for no more long watches: A needs tuning like W"
assert kept["sharper"]["product"] < 0.95 and kept["sharper"]["sum"] < 0.95, \
    "an over-confident head (a change of shape) moves the product's list as well as the sum's"
