# Candidate generation: a grid of live events, walked in rings around the
# resident, plus two more sources. Which share of the best events (by the
# world's true registration probability) reaches the ranker, and at what cost?
import random

from mlsd import show
from casestudies import event_recommendation as ev

data = ev.world()
visits = sorted(random.Random(0).sample(ev.test_visits(), 100), key=lambda v: v[2])
best = {}                                   # visit -> the 10 truly best live events
for v, u, t in visits:
    res, snap = data.users[u], ev.snapshot(int(t))
    live = [e for e in data.events if e.listed_at <= t < e.start_at <= t + ev.WINDOW_DAYS]
    live.sort(key=lambda e: -ev.true_logit(res, e, t, snap.friends_going(res, e), data.hosts))
    best[v] = {e.id for e in live[:10]}

rows = []
for name, sources in [("nearest 40", ("nearby",)),
                      ("+ 40 nearest in declared interests", ("nearby", "interest")),
                      ("+ events friends registered for", ("nearby", "interest", "friends"))]:
    found = n_cands = 0
    for v, u, t in visits:
        c = set(ev.candidates(u, t, sources))
        n_cands += len(c)
        found += len(best[v] & c)
    rows.append({"sources": name, "candidates per request": round(n_cands / len(visits), 1),
                 "recall of the true top 10": round(found / (10 * len(visits)), 3)})
show.table(rows, title=f"Candidate sources over {len(visits)} test requests")

# How many per source? Recall of the true top 10 as each source returns more.
sizes = (10, 20, 40, 80)
curves = {"nearest only": [], "nearest + declared interests": []}
for n in sizes:
    for name, sources in (("nearest only", ("nearby",)),
                          ("nearest + declared interests", ("nearby", "interest"))):
        found = sum(len(best[v] & set(ev.candidates(u, t, sources, n_nearby=n, n_interest=n)))
                    for v, u, t in visits)
        curves[name].append(round(found / (10 * len(visits)), 3))
near_only, mixed = curves["nearest only"], curves["nearest + declared interests"]
show.line_chart(list(sizes), curves, x_title="events per source", y_title="recall of the true top 10",
                title="More candidates, diminishing recall")

# Cost per request as the catalogue grows: the same city with 1x, 4x and 16x
# as many live events. The grid walk stops once 40 events are covered.
cost = []
for factor in (1, 4, 16):
    index = ev.scaled_catalog(35, factor)
    walked = []
    for v, u, t in visits[:40]:
        res = data.users[u]
        index.query(res.x, res.y, 35.5, 40)
        walked.append(index.examined)
    cost.append({"live events": index.size, "examined per request (grid)": round(sum(walked) / len(walked)),
                 "examined per request (scan)": index.size})
show.table(cost, title="Events looked at to find the nearest 40")

print(f"nearest 80: recall {near_only[sizes.index(80)]:.2f}; nearest 40 + 40 in declared interests: "
      f"{mixed[sizes.index(40)]:.2f}")
near, interest, friends = rows
growth = cost[-1]["examined per request (grid)"] / cost[0]["examined per request (grid)"]
print(f"16x the catalogue costs the grid {growth:.1f}x the work; a full scan, 16x")
assert near["recall of the true top 10"] < 0.6                       # distance alone misses a lot
assert interest["recall of the true top 10"] > near["recall of the true top 10"] + 0.15
assert interest["candidates per request"] < 80                        # at under 2x the candidates
assert friends["recall of the true top 10"] >= interest["recall of the true top 10"]
assert all(c["examined per request (grid)"] < c["examined per request (scan)"] / 2 for c in cost)
assert growth < 6                                                      # sublinear in catalogue size
assert all(b > a for a, b in zip(near_only, mixed))                    # the second source helps at every size
assert mixed[-1] - mixed[-2] < mixed[1] - mixed[0]                     # diminishing returns
assert mixed[sizes.index(40)] > near_only[sizes.index(80)]            # a second source beats a bigger first one
