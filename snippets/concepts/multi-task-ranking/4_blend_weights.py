# One ranking score from two heads. The value model here is a weighted sum,
#     score = P(click) + W * P(long watch),
# and W is a product decision: how many clicks is one long watch worth?
# 100 requests of 100 candidates each, in the world where the tasks pull apart
# (cosine -0.5); the top 10 of each request are shown. The candidates come from retrieval,
# so they engage less than shown impressions: 1 % click and 0.25 % long-watch on average.
# The probabilities are the generator's true ones, so what moves is the blend, not model error.
from mlsd import show
from mlsd.data.engagement import make_two_tasks

REQUESTS, CANDIDATES, SHOWN = 100, 100, 10
WEIGHTS = [0, 1, 2, 3, 4, 5, 6, 8, 12, 16, 32]   # W, the worth of a long watch in clicks
CORRELATION = -0.5                               # try 0.9: related tasks cost less to trade
RATES = (0.01, 0.0025)                           # the candidate pool's click and long-watch rates

data = make_two_tasks(n=REQUESTS * CANDIDATES, correlation=CORRELATION, rates=RATES, seed=0)
pc, pw = data.probs["click"], data.probs["long_watch"]
requests = [range(r * CANDIDATES, (r + 1) * CANDIDATES) for r in range(REQUESTS)]


def top(score):
    return [sorted(req, key=lambda i: -score[i])[:SHOWN] for req in requests]


def expected(shown):               # expected clicks and long watches per request
    n = len(shown)
    return (sum(pc[i] for s in shown for i in s) / n, sum(pw[i] for s in shown for i in s) / n)


best_clicks, _ = expected(top(pc))
_, best_watches = expected(top(pw))
print(f"ranked by P(click) alone, the top {SHOWN} click at {best_clicks / SHOWN:.1%}; "
      f"the pool's mean P(click) / mean P(long watch) is {RATES[0] / RATES[1]:.0f}")
base = top(pc)
rows = []
for w in WEIGHTS:
    shown = top([c + w * l for c, l in zip(pc, pw)])
    clicks, watches = expected(shown)
    same = sum(len(set(a) & set(b)) for a, b in zip(shown, base)) / (REQUESTS * SHOWN)
    rows.append({"W": w, "clicks per request": round(clicks, 3), "long watches per request": round(watches, 3),
                 "clicks, share of best": round(clicks / best_clicks, 3),
                 "long watches, share of best": round(watches / best_watches, 3),
                 "slots shared with W = 0": round(same, 2)})
show.table(rows, title=f"Top {SHOWN} of {CANDIDATES} candidates, {REQUESTS} requests")
show.line_chart(WEIGHTS, {"clicks": [r["clicks, share of best"] for r in rows],
                          "long watches": [r["long watches, share of best"] for r in rows]},
                x_title="W, the weight on P(long watch)", y_title="share of the best possible",
                title="Raising W trades clicks for long watches")

first, last = rows[0], rows[-1]
mid = max(rows, key=lambda r: min(r["clicks, share of best"], r["long watches, share of best"]))
print(f"the most balanced weight, W = {mid['W']}, keeps {mid['clicks, share of best']:.0%} of the best clicks "
      f"and {mid['long watches, share of best']:.0%} of the best long watches; "
      f"W = 0 gets {first['long watches, share of best']:.0%} of the long watches, "
      f"W = {last['W']} {last['clicks, share of best']:.0%} of the clicks")
# Claims on the page.
assert 0.02 < best_clicks / SHOWN < 0.12, "the shown items' click rate is a feed's few per cent"
clicks = [r["clicks per request"] for r in rows]
watches = [r["long watches per request"] for r in rows]
assert clicks == sorted(clicks, reverse=True) and watches == sorted(watches), \
    "as W rises, clicks fall and long watches rise: a trade-off, not a free lunch"
if CORRELATION < 0:
    assert first["long watches, share of best"] < 0.8 and last["clicks, share of best"] < 0.8, \
        "optimising either head alone gives up much of the other"
    assert 0.4 < min(mid["clicks, share of best"], mid["long watches, share of best"]) < 0.85, \
        "with conflicting tasks even the most balanced weight gives up a large part of one"
    assert rows[-1]["slots shared with W = 0"] < 0.5, "at a large W most shown items change"
    assert 2 <= mid["W"] <= 8, "the balanced weight sits near the ratio of the heads' rates (4)"
if CORRELATION >= 0.8:
    assert min(mid["clicks, share of best"], mid["long watches, share of best"]) > 0.9, \
        "with related tasks one weight keeps over 90 % of both"
